//! The risk register: raising within one's slice with every field checked, the score and its
//! band, the owner who must see the risk, re-assessment kept as history, status moves, the heat
//! map and its cells, the portfolio, review reminders through the job queue, and the pages.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn count(app: &TestApp, token: &str, path: &str) -> usize {
    let res = app.get(path).bearer(token).send().await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text());
    res.json()["items"].as_array().map_or(0, Vec::len)
}

db_test!(a_risk_is_raised_owned_reassessed_reminded_and_closed, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let (pm, vendor, client) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@yunfan.example").await,
        app.token("manager@hdlogistics.example").await,
    );
    let vendor_mgr = app.user_id("manager@yunfan.example").await;
    let base = format!("/api/v1/engagements/{}/risks", e.eng);

    // Bad input names every field and creates nothing. An internal risk cannot be owned by the vendor.
    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": " ", "category": "weather", "probability": 0, "impact": 6, "strategy": "",
                     "owner_id": vendor_mgr.to_string(), "review_on": "2026-02-30", "task_ids": ["999999"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert_eq!(
        sorted(res.field_errors()),
        sorted(
            ["title", "category", "probability", "impact", "strategy", "owner_id", "review_on", "task_ids"]
                .map(String::from)
                .to_vec()
        )
    );
    assert_eq!(count(&app, &pm, &base).await, 0);

    // The host's risk is internal by default: the vendor never sees it.
    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "供应商报价偏低，可能中途加价", "category": "cost", "probability": 4, "impact": 5,
                     "strategy": "transfer"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let internal = res.json();
    assert_eq!((internal["key"].as_str(), internal["score"].as_i64()), (Some("R-001"), Some(20)));
    assert_eq!((internal["band"].as_str(), internal["visibility"].as_str()), (Some("high"), Some("internal")));
    assert_eq!(internal["history"].as_array().map(Vec::len), Some(1));
    let res = app.get(&format!("/api/v1/risks/{}", id(&internal))).bearer(&vendor).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, &vendor, &base).await, 0);

    // A shared risk owned by the vendor's manager, answered by the vendor's task, reviewed on the 30th.
    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "关键开发人员可能离职", "category": "vendor", "probability": 3, "impact": 4,
                     "strategy": "mitigate", "owner_id": vendor_mgr.to_string(), "visibility": "participants",
                     "task_ids": [e.task_vendor.to_string()], "review_on": "2026-11-30",
                     "trigger": "核心成员提出离职", "response": "安排 AB 角并补充文档"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let shared = res.json();
    let url = format!("/api/v1/risks/{}", id(&shared));
    assert_eq!((shared["key"].as_str(), shared["score"].as_i64()), (Some("R-002"), Some(12)));
    assert_eq!(shared["band"], "medium");
    // The client sees the risk, but not the vendor's person who owns it nor the vendor's task.
    let seen = app.get(&url).bearer(&client).send().await.json();
    assert_eq!(seen["owner_id"], Value::Null, "{seen}");
    assert_eq!(seen["task_ids"], json!([]), "{seen}");
    let seen = app.get(&url).bearer(&vendor).send().await.json();
    assert_eq!(seen["owner_id"], json!(vendor_mgr.to_string()));
    assert_eq!(seen["task_ids"], json!([e.task_vendor.to_string()]));
    // The owner was told.
    let notices = app.get("/api/v1/notifications").bearer(&vendor).send().await.json();
    assert!(notices.to_string().contains("risk_assigned"), "{notices}");

    // The owner re-assesses: the score moves and the history keeps both, with the note.
    let res =
        app.patch(&url).bearer(&vendor).json(json!({"probability": 5, "note": "两名骨干已提交离职"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let moved = res.json();
    assert_eq!((moved["score"].as_i64(), moved["band"].as_str()), (Some(20), Some("high")));
    let history = moved["history"].as_array().expect("history");
    assert_eq!(history.iter().map(|h| h["score"].as_i64().unwrap_or(0)).collect::<Vec<_>>(), vec![12, 20]);
    assert_eq!(history[1]["note"], "两名骨干已提交离职");
    // The client may read it but not change it; nothing changed.
    let res = app.patch(&url).bearer(&client).json(json!({"impact": 1})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&url).bearer(&pm).send().await.json()["impact"], 4);
    // The owner may not hand the risk to someone who would not see it once internal.
    let res = app.patch(&url).bearer(&pm).json(json!({"visibility": "internal"})).send().await;
    assert_eq!(res.field_errors(), vec!["owner_id"]);

    // The heat map: the host sees both live risks, the vendor its one; cells link to their risks.
    let res = app.get(&format!("{base}/heatmap.svg")).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.content_type().starts_with("image/svg+xml"), "{}", res.content_type());
    let svg = res.text();
    assert_eq!(svg.matches("<a ").count(), 2, "{svg}");
    assert!(svg.contains("cell=4-5") && svg.contains("cell=5-4"), "{svg}");
    let svg = app.get(&format!("{base}/heatmap.svg")).bearer(&vendor).send().await.text();
    assert_eq!(svg.matches("<a ").count(), 1, "{svg}");
    assert!(!svg.contains("cell=4-5"), "the internal risk's cell leaks: {svg}");
    assert_eq!(count(&app, &pm, &format!("{base}?cell=5-4")).await, 1);
    let res = app.get(&format!("{base}?cell=6-1")).bearer(&pm).send().await;
    assert_eq!(res.field_errors(), vec!["cell"]);
    // Highest score first; the portfolio is the same for the vendor, shorter.
    let list = app.get(&format!("{base}?limit=1")).bearer(&pm).send().await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let cursor = list["next_cursor"].as_str().expect("a second page").to_owned();
    let second = app.get(&format!("{base}?limit=1&cursor={cursor}")).bearer(&pm).send().await.json();
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert_ne!(list["items"][0]["id"], second["items"][0]["id"]);
    assert_eq!(count(&app, &pm, "/api/v1/risks").await, 2);
    assert_eq!(count(&app, &vendor, "/api/v1/risks").await, 1);

    // The review reminder: not before the date, then once, in-app and by e-mail to the owner.
    assert_eq!(accord::risks::reviews::remind(&app.state).await.expect("job"), 0);
    app.clock.advance(chrono::Duration::days(7));
    assert_eq!(accord::risks::reviews::remind(&app.state).await.expect("job"), 1);
    assert_eq!(accord::risks::reviews::remind(&app.state).await.expect("job"), 0, "once");
    let notices = app.get("/api/v1/notifications").bearer(&vendor).send().await.json();
    assert!(notices.to_string().contains("risk_review"), "{notices}");
    {
        use accord::mail::entity::outbox_email;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mails = outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq("manager@yunfan.example"))
            .all(app.db())
            .await
            .expect("outbox");
        let review: Vec<_> = mails.iter().filter(|m| m.subject.contains("关键开发人员可能离职")).collect();
        assert_eq!(review.len(), 1, "{:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
    }

    // Status moves: open → occurred → closed; a closed risk only reopens.
    let res = app.patch(&url).bearer(&vendor).json(json!({"status": "occurred"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = app.patch(&url).bearer(&pm).json(json!({"status": "closed", "note": "已补充人员"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.json()["closed_at"].is_string());
    let res = app.patch(&url).bearer(&pm).json(json!({"status": "monitoring"})).send().await;
    assert_eq!(res.field_errors(), vec!["status"]);
    assert_eq!(count(&app, &pm, &format!("{base}?status=live")).await, 1);
    let svg = app.get(&format!("{base}/heatmap.svg")).bearer(&vendor).send().await.text();
    assert_eq!(svg.matches("<a ").count(), 0, "a closed risk leaves the heat map");
});

db_test!(a_vendor_raises_risks_only_within_its_slice, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let (pm, vendor, client) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@yunfan.example").await,
        app.token("manager@hdlogistics.example").await,
    );
    let base = format!("/api/v1/engagements/{}/risks", e.eng);
    let vendor_party = app.party_id("云帆").await;
    let client_mgr = app.user_id("manager@hdlogistics.example").await;
    let risk = |extra: Value| {
        let mut body = json!({"title": "接口文档不全，联调可能延期", "category": "schedule", "probability": 2,
                              "impact": 3, "strategy": "avoid"});
        body.as_object_mut().expect("object").extend(extra.as_object().expect("object").clone());
        body
    };
    // Not internal, not for another party; the client's person cannot own the vendor's own risk.
    let res = app.post(&base).bearer(&vendor).json(risk(json!({"visibility": "internal"}))).send().await;
    assert_eq!(res.field_errors(), vec!["visibility"]);
    let res = app.post(&base).bearer(&vendor).json(risk(json!({"owner_id": client_mgr.to_string()}))).send().await;
    assert_eq!(res.field_errors(), vec!["owner_id"]);
    let res =
        app.post(&base).bearer(&vendor).json(risk(json!({"task_ids": [e.task_internal.to_string()]}))).send().await;
    assert_eq!(res.field_errors(), vec!["task_ids"]);
    let res = app.post(&base).bearer(&vendor).json(risk(json!({"status": "closed"}))).send().await;
    assert_eq!(res.field_errors(), vec!["status"]);
    assert_eq!(count(&app, &vendor, &base).await, 0);

    // By default for its own party, about itself; the host sees it, the client does not.
    let res = app.post(&base).bearer(&vendor).json(risk(json!({"vendor_id": vendor_party.to_string()}))).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let own = res.json();
    assert_eq!(own["visibility"], "party");
    assert_eq!(own["visible_party_id"], json!(vendor_party.to_string()));
    assert_eq!(own["vendor_id"], json!(vendor_party.to_string()));
    assert_eq!(count(&app, &pm, &base).await, 1);
    assert_eq!(count(&app, &client, &base).await, 0);
    // Only the visible party named: a party risk for it.
    let res =
        app.post(&base).bearer(&pm).json(risk(json!({"visible_party_id": vendor_party.to_string()}))).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["visibility"], "party");
    assert_eq!(count(&app, &vendor, &base).await, 2);
    // Shared with every participant on purpose.
    let res = app.post(&base).bearer(&vendor).json(risk(json!({"visibility": "participants"}))).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(count(&app, &client, &base).await, 1);
    // The vendor who raised it may edit it; the client may not.
    let url = format!("/api/v1/risks/{}", id(&own));
    let res = app.patch(&url).bearer(&vendor).json(json!({"impact": 5, "review_on": ""})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["score"], 10);
});

db_test!(the_risk_pages_raise_show_and_edit, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.signed_in("pm@xinghe.example").await;
    let list = format!("/engagements/{}/risks", e.eng);
    let res = pm.get(&list).await;
    assert_eq!(res.status, StatusCode::OK);
    let body = res.text();
    assert!(body.contains("class=\"heatmap\""), "the heat map is on the page");
    assert!(body.contains("id=\"risk-dialog\""), "the raise dialog is on the page");
    assert!(body.contains(&format!("hx-post=\"{list}\"")), "the dialog posts to the register");

    // A form with errors comes back with the dialog open and the messages; nothing is created.
    let res = pm.post(&list, &[("title", ""), ("category", "cost"), ("probability", "3"), ("impact", "7")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text();
    assert!(body.contains("id=\"risk-dialog\" aria-labelledby=\"risk-dialog-title\" data-modal open"), "{body}");
    assert!(body.contains("1 到 5"), "the impact's message in Chinese");
    let res = pm
        .post(
            &list,
            &[
                ("title", "机房搬迁可能影响上线"),
                ("category", "schedule"),
                ("probability", "2"),
                ("impact", "5"),
                ("strategy", "avoid"),
                ("review_on", "2026-12-10"),
                ("task_ids", &e.task_vendor.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(res.location(), list);
    let token = app.token("pm@xinghe.example").await;
    let raised = app.get(&format!("/api/v1/engagements/{}/risks", e.eng)).bearer(&token).send().await.json();
    let detail = format!("{list}/{}", raised["items"][0]["id"].as_str().expect("the risk"));
    let page = pm.get(&detail).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.text();
    assert!(body.contains("机房搬迁可能影响上线") && body.contains("R-001"));
    assert!(body.contains("data-testid=\"risk-history\""));

    // Editing: a bad status move is refused on the form, a good one is kept with its note.
    let fields = |status: &'static str, note: &'static str| {
        vec![
            ("title", "机房搬迁可能影响上线"),
            ("category", "schedule"),
            ("probability", "4"),
            ("impact", "5"),
            ("strategy", "avoid"),
            ("status", status),
            ("note", note),
        ]
    };
    let res = pm.post(&detail, &fields("nope", "")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = pm.post(&detail, &fields("monitoring", "搬迁时间已确定")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let body = pm.get(&detail).await.text();
    assert!(body.contains("搬迁时间已确定"), "the note is in the history");
    // The response task was cleared by the form (it sent none).
    let rid = detail.rsplit('/').next().expect("id");
    let risk = app.get(&format!("/api/v1/risks/{rid}")).bearer(&token).send().await.json();
    assert_eq!((risk["score"].as_i64(), risk["status"].as_str()), (Some(20), Some("monitoring")));
    assert_eq!(risk["task_ids"], json!([]));

    // A comment, and the portfolio lists the risk under its engagement.
    let res = pm.post(&format!("{detail}/comments"), &[("body", "请供应商确认机房时间")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let body = pm.get("/risks").await.text();
    assert!(body.contains("机房搬迁可能影响上线"));
    let body = pm.get("/risks?status=live&cell=4-5").await.text();
    assert!(body.contains("机房搬迁可能影响上线"));
    let body = pm.get("/risks?status=live&cell=1-1").await.text();
    assert!(!body.contains("机房搬迁可能影响上线"));
});

db_test!(filtering_by_a_contract_tells_nothing_about_others_contracts, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let k = app.with_contracts(&e).await;
    let (pm, vendor, client) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@yunfan.example").await,
        app.token("manager@hdlogistics.example").await,
    );
    let res = app
        .post(&format!("/api/v1/engagements/{}/risks", e.eng))
        .bearer(&pm)
        .json(json!({"title": "供应商合同付款条件过严", "category": "contract", "probability": 3, "impact": 3,
                     "strategy": "mitigate", "visibility": "participants", "contract_id": k.vendor.to_string()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let by_contract = format!("/api/v1/risks?contract_id={}", k.vendor);
    // The vendor's contract: the vendor finds the risk under it; the client sees the risk, but
    // neither its contract nor, through the filter, that it names one.
    assert_eq!(count(&app, &vendor, &by_contract).await, 1);
    assert_eq!(count(&app, &pm, &by_contract).await, 1);
    assert_eq!(count(&app, &client, "/api/v1/risks").await, 1);
    assert_eq!(count(&app, &client, &by_contract).await, 0);
    let seen = app.get("/api/v1/risks").bearer(&client).send().await.json();
    assert_eq!(seen["items"][0]["contract_id"], Value::Null);
    // The contract's page links to its risks.
    let browser = app.signed_in("manager@yunfan.example").await;
    assert!(
        browser
            .get(&format!("/contracts/{}", k.vendor))
            .await
            .text()
            .contains(&format!("/risks?contract_id={}", k.vendor))
    );
    assert!(browser.get(&format!("/risks?contract_id={}", k.vendor)).await.text().contains("供应商合同付款条件过严"));
});
