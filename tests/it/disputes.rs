//! Payment disputes on a signed vendor contract: who may raise, resolve and withdraw one, what
//! bad input says (and that it changes nothing), one open dispute per installment, the other
//! side hearing of it, the audit trail, and the contract page each side sees.

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

async fn disputes(app: &TestApp, token: &str, contract: i64) -> Vec<(String, String, Option<String>)> {
    let res = app.get(&format!("/api/v1/contracts/{contract}/disputes")).bearer(token).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| {
            (
                d["reason"].as_str().unwrap_or("").to_owned(),
                d["state"].as_str().unwrap_or("").to_owned(),
                d["fault"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn notices(app: &TestApp, email: &str, kind: &str) -> u64 {
    use accord::collab::entity::notification;
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(app.user_id(email).await))
        .filter(notification::Column::Kind.eq(kind))
        .count(app.db())
        .await
        .expect("count")
}

db_test!(disputes_are_raised_resolved_and_withdrawn_by_the_right_side, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    // M-S is signed, with `due` disputed by the PM (open) and `planned` disputed by the vendor and
    // settled without fault; M-V is a draft.
    let k = app.with_contracts(&e).await;
    let pm = app.token("pm@xinghe.example").await;
    let vendor = app.token("manager@yunfan.example").await;
    let dev = app.token("dev@yunfan.example").await;
    let client = app.token("manager@hdlogistics.example").await;
    let member = app.token("member@xinghe.example").await;
    assert_eq!(
        disputes(&app, &vendor, k.signed).await,
        vec![
            ("发票税率与合同不符".into(), "open".into(), None),
            ("触发条件已达成".into(), "resolved".into(), Some("none".into())),
        ]
    );
    let raise = |installment: i64, body: Value, token: &str| {
        app.post(&format!("/api/v1/installments/{installment}/disputes")).bearer(token).json(body).send()
    };

    // Bad input names its field and changes nothing.
    let res = raise(k.planned, json!({"reason": "  "}), &vendor).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["reason"]);
    // The installment is 10 % of ¥100,000.
    let res = raise(k.planned, json!({"reason": "金额有误", "amount": {"amount": "10000.01"}}), &vendor).await;
    assert_eq!(res.field_errors(), vec!["amount"], "{}", res.text());
    assert!(res.text().contains("10,000.00"), "says the most it can be: {}", res.text());
    let res =
        raise(k.planned, json!({"reason": "金额有误", "amount": {"amount": "500", "currency": "USD"}}), &vendor).await;
    assert_eq!(res.field_errors(), vec!["amount"]);
    let res = raise(k.planned, json!({"reason": "金额有误", "amount": {"amount": "-5"}}), &vendor).await;
    assert_eq!(res.field_errors(), vec!["amount"]);
    assert_eq!(disputes(&app, &pm, k.signed).await.len(), 2, "nothing was added");

    // Who may: not the vendor's member, not a host member, not the client (who cannot see it).
    assert_eq!(raise(k.planned, json!({"reason": "x"}), &dev).await.status, StatusCode::FORBIDDEN);
    assert_eq!(raise(k.planned, json!({"reason": "x"}), &member).await.status, StatusCode::FORBIDDEN);
    assert_eq!(raise(k.planned, json!({"reason": "x"}), &client).await.status, StatusCode::NOT_FOUND);
    let res = app.get(&format!("/api/v1/contracts/{}/disputes", k.signed)).bearer(&client).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // One open dispute per installment; none on a contract nobody has signed.
    let res = raise(k.due, json!({"reason": "逾期未付"}), &vendor).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    assert!(res.text().contains("already has an open dispute") || res.text().contains("已有未关闭的争议"));
    let draft_installments =
        app.get(&format!("/api/v1/contracts/{}/installments", k.vendor)).bearer(&pm).send().await.json();
    let draft_installment: i64 = draft_installments["items"][0]["id"].as_str().expect("id").parse().expect("id");
    let res = raise(draft_installment, json!({"reason": "草稿"}), &pm).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());

    // The vendor contests part of the planned installment; the PM hears of it in-app and by mail.
    let pm_told = notices(&app, "pm@xinghe.example", "payment_disputed").await;
    let vendor_told = notices(&app, "manager@yunfan.example", "payment_disputed").await;
    let res = raise(k.planned, json!({"reason": "验收已通过但未到期", "amount": {"amount": "2500.50"}}), &vendor).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let theirs = res.json();
    assert_eq!(theirs["state"], "open");
    assert_eq!(theirs["amount"]["amount"], "2500.50");
    assert_eq!(theirs["raised_by_party_id"], app.party_id("云帆").await.to_string());
    let theirs = id(&theirs);
    assert_eq!(notices(&app, "pm@xinghe.example", "payment_disputed").await, pm_told + 1);
    assert_eq!(notices(&app, "manager@yunfan.example", "payment_disputed").await, vendor_told, "not the raiser");
    use accord::mail::entity::outbox_email;
    let mails = outbox_email::Entity::find()
        .filter(outbox_email::Column::ToAddress.eq("pm@xinghe.example"))
        .all(app.db())
        .await
        .expect("outbox");
    assert!(mails.iter().any(|m| m.subject.contains("M-S") && m.body.contains("验收已通过但未到期")), "{mails:?}");

    // Resolving is the host's: the vendor may not; a fault must be named; then it is closed.
    let resolve = |d: &str, body: Value, token: &str| {
        app.post(&format!("/api/v1/disputes/{d}/resolve")).bearer(token).json(body).send()
    };
    let res = resolve(&theirs, json!({"fault": "host", "resolution": "我方确认"}), &vendor).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = resolve(&theirs, json!({"fault": "vendor", "resolution": ""}), &pm).await;
    let mut fields = res.field_errors();
    fields.sort();
    assert_eq!(fields, vec!["fault", "resolution"], "{}", res.text());
    let outcomes = notices(&app, "manager@yunfan.example", "dispute_closed").await;
    let res = resolve(&theirs, json!({"fault": "counterparty", "resolution": "触发条件未达成，按合同执行"}), &pm).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!((res.json()["state"].as_str(), res.json()["fault"].as_str()), (Some("resolved"), Some("counterparty")));
    let res = resolve(&theirs, json!({"fault": "host", "resolution": "改判"}), &pm).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a resolved dispute stays resolved");
    assert_eq!(
        notices(&app, "manager@yunfan.example", "dispute_closed").await,
        outcomes + 1,
        "the vendor hears the outcome"
    );

    // Withdrawing is for the side that raised it, while it is open.
    let pms = k.dispute_open.to_string();
    let withdraw = |d: &str, token: &str| app.post(&format!("/api/v1/disputes/{d}/withdraw")).bearer(token).send();
    assert_eq!(withdraw(&pms, &vendor).await.status, StatusCode::FORBIDDEN, "the PM raised it");
    assert_eq!(withdraw(&theirs, &vendor).await.status, StatusCode::CONFLICT, "resolved already");
    let res = withdraw(&pms, &pm).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "withdrawn");
    assert!(res.json()["fault"].is_null());
    // With the PM's dispute withdrawn, `due` may be disputed again.
    let res = raise(k.due, json!({"reason": "逾期未付"}), &vendor).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    // An open amendment changes nothing owed: an installment it adds cannot be disputed yet.
    let res = app
        .post(&format!("/api/v1/contracts/{}/amendments", k.signed))
        .bearer(&pm)
        .json(json!({"reason": "增加运维服务"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app
        .post(&format!("/api/v1/contracts/{}/installments", k.signed))
        .bearer(&pm)
        .json(json!({"name": "运维款", "percent": "10", "trigger": {"kind": "date", "date": "2027-03-01"}}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let added: i64 = id(&res.json()).parse().expect("id");
    let res = raise(added, json!({"reason": "尚未签署"}), &vendor).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());

    // Every step is in the audit trail.
    use accord::audit::entity::event;
    for action in ["dispute.raise", "dispute.resolve", "dispute.withdraw"] {
        let n = event::Entity::find().filter(event::Column::Action.eq(action)).count(app.db()).await.expect("count");
        assert!(n >= 1, "{action}");
    }
});

db_test!(the_contract_page_shows_disputes_and_the_forms_each_side_may_use, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let k = app.with_contracts(&e).await;
    let page = format!("/contracts/{}", k.signed);
    let pm = app.signed_in("pm@xinghe.example").await;
    let html = pm.get(&page).await.text();
    assert!(html.contains("发票税率与合同不符") && html.contains("触发条件已达成"), "both disputes listed");
    assert!(html.contains(&format!("/disputes/{}/resolve", k.dispute_open)), "the PM may resolve the open one");
    assert!(!html.contains(&format!("/disputes/{}/resolve", k.dispute_closed)), "not the settled one");
    assert!(html.contains(&format!("/disputes/{}/withdraw", k.dispute_open)), "the PM raised it");
    assert!(!html.contains(&format!("/installments/{}/disputes", k.due)), "due is disputed already");
    assert!(html.contains(&format!("/installments/{}/disputes", k.planned)), "planned may be disputed");

    // A form error shows under its field, with the input kept, and nothing is saved.
    let raise = format!("/contracts/{}/installments/{}/disputes", k.signed, k.planned);
    let res = pm.post(&raise, &[("reason", "金额有误"), ("amount", "99999")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains(&format!("dispute-amount-{}-error", k.planned)), "the amount's error");
    assert!(html.contains("金额有误"), "the reason is kept");
    let res = pm.post(&raise, &[("reason", "发票抬头错误"), ("amount", "")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let html = pm.get(&page).await.text();
    assert!(html.contains("发票抬头错误"));

    // The vendor's manager: may withdraw nothing of the PM's, resolves nothing, sees the outcome.
    let vendor = app.signed_in("manager@yunfan.example").await;
    let html = vendor.get(&page).await.text();
    assert!(html.contains("发票抬头错误"));
    assert!(!html.contains("/resolve\""), "no resolve form for the vendor");
    assert!(!html.contains(&format!("/disputes/{}/withdraw", k.dispute_open)));
    assert!(html.contains("双方确认按合同执行"), "the settled one's resolution");
    // The vendor's member reads them but has no forms.
    let dev = app.signed_in("dev@yunfan.example").await;
    let html = dev.get(&page).await.text();
    assert!(html.contains("发票抬头错误") && !html.contains("/disputes\""));
    // The client never sees the vendor's contract.
    let client = app.signed_in("manager@hdlogistics.example").await;
    assert_eq!(client.get(&page).await.status, StatusCode::NOT_FOUND);
});
