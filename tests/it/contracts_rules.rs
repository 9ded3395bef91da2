//! The rules around the contract chain: each party sees only its own contract, termination
//! settles what is open, amendments show their diff, bad input changes nothing, obligations
//! remind and escalate once, and the watch warns of expiry, reviews and warranties.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};

use crate::{
    contracts::{chain, id, installment},
    db_test,
    support::*,
};

db_test!(each_party_sees_only_its_own_contract, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let pm = &ch.pm;
    let res = app.post("/api/v1/contracts").bearer(pm)
        .json(json!({"number": "HT-2026-009", "title": "客户合同", "counterparty_id": app.party_id("华东").await.to_string(),
                     "engagement_ids": [e.eng.to_string()], "total": {"amount": "1500000.00"}}))
        .send().await;
    let client_contract = id(&res.json());
    let numbers = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .map_or(Vec::new(), |a| a.iter().map(|c| c["number"].as_str().unwrap_or("").to_owned()).collect())
    };
    assert_eq!(numbers(app.get("/api/v1/contracts").bearer(pm).send().await.json()), ["HT-2026-009", "WB-2026-001"]);
    assert_eq!(numbers(app.get("/api/v1/contracts").bearer(&ch.vendor).send().await.json()), ["WB-2026-001"]);
    assert_eq!(numbers(app.get("/api/v1/contracts").bearer(&ch.client).send().await.json()), ["HT-2026-009"]);
    let shuzhi = app.token("manager@shuzhi.example").await;
    assert!(numbers(app.get("/api/v1/contracts").bearer(&shuzhi).send().await.json()).is_empty());
    // The client's price never reaches the vendor: not the contract, its schedule, nor its payments.
    for path in [
        format!("/api/v1/contracts/{client_contract}"),
        format!("/api/v1/contracts/{client_contract}/installments"),
        format!("/api/v1/contracts/{client_contract}/versions"),
    ] {
        assert_eq!(app.get(&path).bearer(&ch.vendor).send().await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in
        [format!("/api/v1/contracts/{}", ch.contract), format!("/api/v1/installments/{}/override", ch.installments[1])]
    {
        let res = app
            .req(if path.ends_with("override") { Method::POST } else { Method::GET }, &path)
            .bearer(&ch.client)
            .json(json!({"reason": "x"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    // The register's exports follow the same scope.
    let host = app.signed_in("pm@xinghe.example").await;
    let csv = host.get("/contracts.csv").await;
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert!(csv.text().contains("HT-2026-009") && csv.text().contains("WB-2026-001"));
    let vendor_page = app.signed_in("manager@yunfan.example").await;
    let csv = vendor_page.get("/contracts.csv").await.text();
    assert!(csv.contains("WB-2026-001") && !csv.contains("HT-2026-009") && !csv.contains("1500000"));
    let xlsx = host.get("/contracts.xlsx?direction=receivable").await;
    assert!(xlsx.body.starts_with(b"PK"), "an XLSX file is a zip");
    let pays = app.get("/api/v1/payments").bearer(&ch.client).send().await.json();
    assert_eq!(pays["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(app.get("/api/v1/cash-flow").bearer(&ch.vendor).send().await.status, StatusCode::FORBIDDEN);
    // The vendor's page of the engagement shows its contract and never the client's number.
    let b = app.signed_in("manager@yunfan.example").await;
    let page = b.get(&format!("/engagements/{}/contracts", e.eng)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("WB-2026-001") && !page.text().contains("HT-2026-009"));
    assert!(!page.text().contains("1,500,000"));
});

db_test!(termination_settles_and_amendments_diff, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let pm = &ch.pm;
    let t = format!("/api/v1/contracts/{}/transitions", ch.contract);
    // An amendment: the working copy opens, version 2 shows what changed against version 1.
    let amend = format!("/api/v1/contracts/{}/amendments", ch.contract);
    let res = app.post(&amend).bearer(pm).json(json!({"reason": ""})).send().await;
    assert_eq!(res.field_errors(), vec!["reason"]);
    let res = app.post(&amend).bearer(pm).json(json!({"reason": "增加电子围栏"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["editable"], true);
    let res = app.post(&amend).bearer(pm).json(json!({"reason": "again"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app
        .patch(&format!("/api/v1/contracts/{}", ch.contract))
        .bearer(pm)
        .json(json!({"total": {"amount": "90000.00"}}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["total"], "the schedule already holds 100,000");
    let res = app
        .patch(&format!("/api/v1/contracts/{}", ch.contract))
        .bearer(pm)
        .json(json!({"total": {"amount": "112000.00"}}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let retention = installment(&app, pm, &ch.contract, 3).await;
    assert_eq!(retention["amount"]["amount"], "5600.00", "5 % follows the new total");
    app.post(&format!("/api/v1/contracts/{}/clauses", ch.contract))
        .bearer(pm)
        .json(json!({"kind": "scope", "title": "电子围栏", "body": "增加电子围栏告警"}))
        .send()
        .await;
    let res = app.post(&t).bearer(pm).json(json!({"to": "in_review"})).send().await;
    assert_eq!(res.json()["state"], "active", "an amendment is reviewed while the contract stays in force");
    app.post(&format!("/api/v1/contracts/{}/reviews", ch.contract))
        .bearer(&ch.approver)
        .json(json!({"decision": "approve"}))
        .send()
        .await;
    app.post(&t).bearer(pm).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    let res = app.post(&t).bearer(&ch.vendor).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    assert_eq!(res.json()["state"], "amended", "{}", res.text());
    assert_eq!(res.json()["current_version"], 2);
    let v2 = app.get(&format!("/api/v1/contracts/{}/versions/2", ch.contract)).bearer(&ch.vendor).send().await.json();
    assert_eq!(v2["compared_with"], 1);
    let ops: Vec<(String, String)> = v2["diff"]
        .as_array()
        .expect("diff")
        .iter()
        .filter(|l| l["op"] != "equal")
        .map(|l| (l["op"].as_str().unwrap_or("").to_owned(), l["text"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert!(ops.iter().any(|(op, t)| op == "insert" && t.contains("电子围栏")), "{ops:?}");
    assert!(ops.iter().any(|(op, t)| op == "delete" && t.contains("100000.00")), "{ops:?}");
    assert!(ops.iter().any(|(op, t)| op == "insert" && t.contains("112000.00")), "{ops:?}");

    // Termination needs a reason; it cancels what is not paid and waives open obligations.
    let pay = format!("/api/v1/installments/{}/payments", ch.installments[0]);
    app.post(&pay).bearer(pm).json(json!({"amount": {"amount": "5000.00"}, "paid_on": "2026-11-24"})).send().await;
    let res = app.post(&t).bearer(pm).json(json!({"to": "terminated"})).send().await;
    assert_eq!(res.field_errors(), vec!["comment"]);
    let res = app.post(&t).bearer(&ch.vendor).json(json!({"to": "terminated", "comment": "x"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&t).bearer(pm).json(json!({"to": "terminated", "comment": "供应商严重延期"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let c = res.json();
    assert_eq!(c["state"], "terminated");
    assert!(c["installments"].as_array().expect("i").iter().all(|i| i["state"] == "cancelled"));
    assert_eq!(c["installments"][0]["paid"]["amount"], "5000.00", "what was paid stays recorded");
    assert!(c["obligations"].as_array().expect("o").iter().all(|o| o["status"] == "waived"));
    let res = app.post(&t).bearer(pm).json(json!({"to": "active"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app.post(&t).bearer(pm).json(json!({"to": "archived"})).send().await;
    assert_eq!(res.json()["state"], "archived");
});

db_test!(bad_contract_input_names_fields_and_changes_nothing, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let host = app.party_id("星河").await.to_string();
    let res = app.post("/api/v1/contracts").bearer(&pm)
        .json(json!({"number": "", "title": "x", "counterparty_id": host, "engagement_ids": [],
                     "total": {"amount": "12.345"}, "tax_rate": "120", "start_date": "2026-12-01", "end_date": "2026-11-01",
                     "legal_approver_id": app.user_id("manager@yunfan.example").await.to_string()}))
        .send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.field_errors(),
        vec!["number", "counterparty_id", "engagement_ids", "total", "tax_rate", "end_date", "legal_approver_id"]
    );
    // Shuzhi takes no part in ENG-1.
    let res = app
        .post("/api/v1/contracts")
        .bearer(&pm)
        .json(json!({"number": "A-1", "title": "x", "counterparty_id": app.party_id("数智").await.to_string(),
                     "engagement_ids": [e.eng.to_string()], "total": {"amount": "1", "currency": "USD"}}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["engagement_ids", "total"]);
    let list = app.get("/api/v1/contracts").bearer(&pm).send().await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    let ok = json!({"number": "A-1", "title": "x", "counterparty_id": app.party_id("云帆").await.to_string(),
                    "engagement_ids": [e.eng.to_string()], "total": {"amount": "1000"}});
    assert_eq!(app.post("/api/v1/contracts").bearer(&pm).json(ok.clone()).send().await.status, StatusCode::CREATED);
    assert_eq!(app.post("/api/v1/contracts").bearer(&pm).json(ok).send().await.field_errors(), vec!["number"]);
    let member = app.token("member@xinghe.example").await;
    assert_eq!(
        app.post("/api/v1/contracts").bearer(&member).json(json!({})).send().await.status,
        StatusCode::FORBIDDEN
    );
});

db_test!(obligations_remind_then_escalate_once, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    // The clause's obligation (源代码, due 2026-12-10, owed by the vendor) and one of the host's.
    let res = app
        .post(&format!("/api/v1/contracts/{}/obligations", ch.contract))
        .bearer(&ch.pm)
        .json(json!({"title": "提供测试环境", "owed_by": "host", "due_date": "2026-11-25"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app
        .post(&format!("/api/v1/contracts/{}/obligations", ch.contract))
        .bearer(&ch.pm)
        .json(json!({"title": "", "owed_by": "someone", "due_date": "soon"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["title", "due_date", "owed_by"]);
    let sent_before = app.smtp.messages().len();
    accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
    app.run_jobs().await;
    let notices = |email: &'static str| {
        let app = &app;
        async move {
            let t = app.token(email).await;
            let n = app.get("/api/v1/notifications?limit=100").bearer(&t).send().await.json();
            n["items"].as_array().map_or(Vec::new(), |a| {
                a.iter().map(|i| i["kind"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>()
            })
        }
    };
    assert!(
        notices("pm@xinghe.example").await.contains(&"obligation_due".to_owned()),
        "the host is reminded of its own"
    );
    assert!(
        !notices("manager@yunfan.example").await.contains(&"obligation_due".to_owned()),
        "the vendor's is not due yet"
    );
    // Past its date the host's obligation escalates to the PMs and the vendor's manager; once.
    app.clock.advance(Duration::days(3));
    accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
    app.run_jobs().await;
    app.clock.advance(Duration::hours(2));
    accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
    app.run_jobs().await;
    let vendor_kinds = notices("manager@yunfan.example").await;
    assert_eq!(vendor_kinds.iter().filter(|k| *k == "obligation_overdue").count(), 1, "{vendor_kinds:?}");
    let mails: Vec<String> = app.smtp.messages()[sent_before..].iter().map(|m| decoded_body(m)).collect();
    assert!(mails.iter().any(|m| m.contains("提供测试环境") && m.contains("/contracts/")), "{mails:?}");
    // The vendor's manager reports its own obligation done; it cannot waive it.
    let obligations =
        app.get(&format!("/api/v1/contracts/{}/obligations", ch.contract)).bearer(&ch.vendor).send().await.json();
    let own = obligations["items"]
        .as_array()
        .expect("o")
        .iter()
        .find(|o| o["title"] == "交付源代码")
        .expect("clause obligation")
        .clone();
    let res = app
        .patch(&format!("/api/v1/obligations/{}", id(&own)))
        .bearer(&ch.vendor)
        .json(json!({"status": "waived"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .patch(&format!("/api/v1/obligations/{}", id(&own)))
        .bearer(&ch.vendor)
        .json(json!({"status": "done", "note": "已提交到代码库"}))
        .send()
        .await;
    assert_eq!(res.json()["status"], "done", "{}", res.text());
});

db_test!(the_watch_warns_of_expiry_and_periodic_reviews, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/contracts")
        .bearer(&pm)
        .json(
            json!({"number": "HT-EXP", "title": "运维服务", "counterparty_id": app.party_id("华东").await.to_string(),
                     "engagement_ids": [e.eng.to_string()], "total": {"amount": "3000"}, "start_date": "2026-09-01",
                     "end_date": "2026-12-10", "review_every_months": 3}),
        )
        .send()
        .await;
    let c = res.json();
    assert_eq!(c["next_review_on"], "2026-12-01", "{c}");
    let contract = id(&c);
    app.post(&format!("/api/v1/contracts/{contract}/clauses"))
        .bearer(&pm)
        .json(json!({"kind": "scope", "template": "builtin:scope"}))
        .send()
        .await;
    let t = format!("/api/v1/contracts/{contract}/transitions");
    app.post(&t).bearer(&pm).json(json!({"to": "in_review"})).send().await;
    app.post(&t).bearer(&pm).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    let client = app.token("manager@hdlogistics.example").await;
    let res = app.post(&t).bearer(&client).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    assert_eq!(res.json()["state"], "signed");
    let kinds = |email: &'static str| {
        let app = &app;
        async move {
            let t = app.token(email).await;
            let n = app.get("/api/v1/notifications?limit=100").bearer(&t).send().await.json();
            n["items"].as_array().map_or(Vec::new(), |a| {
                a.iter().map(|i| i["kind"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>()
            })
        }
    };
    let tick = || async {
        accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
        app.run_jobs().await;
        app.clock.advance(Duration::hours(1));
    };
    tick().await;
    let pm_kinds = kinds("pm@xinghe.example").await;
    assert_eq!(pm_kinds.iter().filter(|k| *k == "contract_expiring").count(), 1, "ends within 30 days: {pm_kinds:?}");
    assert!(!pm_kinds.contains(&"contract_checkup_due".to_owned()), "the review is 8 days away");
    assert!(
        !kinds("manager@hdlogistics.example").await.contains(&"contract_expiring".to_owned()),
        "renewal is ours to decide"
    );
    app.clock.advance(Duration::days(2));
    tick().await;
    tick().await;
    let pm_kinds = kinds("pm@xinghe.example").await;
    assert_eq!(pm_kinds.iter().filter(|k| *k == "contract_checkup_due").count(), 1, "{pm_kinds:?}");
    assert_eq!(pm_kinds.iter().filter(|k| *k == "contract_expiring").count(), 1, "once");
    // Recording the review schedules the next one three months on.
    let res = app
        .post(&format!("/api/v1/contracts/{contract}/checkups"))
        .bearer(&pm)
        .json(json!({"rating": "attention", "findings": "客户响应慢", "actions": "每周例会"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let c = app.get(&format!("/api/v1/contracts/{contract}")).bearer(&pm).send().await.json();
    assert_eq!(c["next_review_on"], "2027-02-25");
    assert_eq!(c["checkups"][0]["rating"], "attention");
    let c = app.get(&format!("/api/v1/contracts/{contract}")).bearer(&client).send().await.json();
    assert!(c.get("checkups").is_none(), "periodic reviews are the host's own");
});

db_test!(an_approved_change_with_a_cost_opens_an_amendment, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let raise = |visibility: &'static str, title: &'static str| {
        let app = &app;
        let pm = ch.pm.clone();
        async move {
            let res = app
                .post(&format!("/api/v1/engagements/{}/change-requests", e.eng))
                .bearer(&pm)
                .json(json!({"title": title, "reason": "客户要求", "cost_delta": {"amount": "8000"}, "visibility": visibility}))
                .send()
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
            let cr = id(&res.json());
            let res = app
                .post(&format!("/api/v1/change-requests/{cr}/decisions"))
                .bearer(&pm)
                .json(json!({"decision": "approve", "comment": "同意"}))
                .send()
                .await;
            assert_eq!(res.json()["state"], "approved", "{}", res.text());
        }
    };
    // An internal change is not the vendor's business: its contract stays as it is.
    raise("internal", "内部调整").await;
    let c = app.get(&format!("/api/v1/contracts/{}", ch.contract)).bearer(&ch.pm).send().await.json();
    assert!(c["amendment_reason"].is_null(), "{c}");
    raise("participants", "增加离线地图").await;
    let c = app.get(&format!("/api/v1/contracts/{}", ch.contract)).bearer(&ch.pm).send().await.json();
    let reason = c["amendment_reason"].as_str().unwrap_or("");
    // The change's cost is the client's price: it stays out of what the vendor reads.
    assert_eq!(reason, "CR-002 增加离线地图");
    assert_eq!(c["editable"], true);
    assert_eq!(c["state"], "active", "the contract stays in force while it is amended");
});

db_test!(quality_checks_open_defects_and_count_per_vendor, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let checks = format!("/api/v1/engagements/{}/quality-checks", e.eng);
    let res =
        app.post(&checks).bearer(&ch.pm).json(json!({"deliverable_id": ch.deliverable, "items": []})).send().await;
    assert_eq!(res.field_errors(), vec!["items"]);
    let res = app
        .post(&checks)
        .bearer(&ch.pm)
        .json(json!({"deliverable_id": ch.deliverable, "checked_on": "2026-11-23", "findings": "抽检 20 单",
                     "items": [{"text": "签收照片清晰", "passed": true},
                               {"text": "离线签收可同步", "passed": false, "note": "断网 10 分钟后数据丢失"}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["result"], "fail");
    let res =
        app.post(&checks).bearer(&ch.vendor).json(json!({"deliverable_id": ch.deliverable, "items": []})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the vendor does not inspect its own work");
    let defects = app.get(&format!("/api/v1/engagements/{}/defects", e.eng)).bearer(&ch.vendor).send().await.json();
    let d = &defects["items"][0];
    assert_eq!(d["title"], "离线签收可同步");
    assert_eq!(d["description"], "断网 10 分钟后数据丢失");
    assert!(d["check_id"].is_string());
    let yunfan = app.party_id("云帆").await.to_string();
    let q = app.get(&format!("/api/v1/engagements/{}/quality", e.eng)).bearer(&ch.pm).send().await.json();
    let t = &q["parties"][&yunfan];
    assert_eq!(
        (t["deliverables"].as_u64(), t["checks"].as_u64(), t["failed_checks"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{q}"
    );
    assert_eq!((t["defects"].as_u64(), t["open_defects"].as_u64()), (Some(1), Some(1)));
    let q = app.get(&format!("/api/v1/engagements/{}/quality", e.eng)).bearer(&ch.client).send().await.json();
    assert!(q["parties"].as_object().is_some_and(|p| p.is_empty()), "the client learns no vendor's figures: {q}");
    assert_eq!(q["deliverables"][&ch.deliverable]["defects"].as_u64(), Some(1));
});

db_test!(our_own_clause_templates_draft_clauses, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/clause-templates")
        .bearer(&pm)
        .json(json!({"kind": "nope", "title": "", "body": ""}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["kind", "title", "body"]);
    let res = app
        .post("/api/v1/clause-templates")
        .bearer(&pm)
        .json(json!({"kind": "confidentiality", "locale": "zh-CN", "title": "数据安全", "body": "乙方不得将运单数据带出甲方网络。"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let reference = res.json()["reference"].as_str().expect("reference").to_owned();
    let library = app.get("/api/v1/clause-templates?lang=en").bearer(&pm).send().await.json();
    let items = library["items"].as_array().expect("items");
    assert!(items.iter().any(|t| t["reference"] == "builtin:warranty" && t["title"] == "Warranty"));
    assert!(items.iter().any(|t| t["reference"] == reference.as_str() && !t["builtin"].as_bool().unwrap_or(true)));
    let c = app
        .post("/api/v1/contracts")
        .bearer(&pm)
        .json(json!({"number": "T-1", "title": "x", "counterparty_id": app.party_id("云帆").await.to_string(),
                     "engagement_ids": [e.eng.to_string()], "total": {"amount": "1"}}))
        .send()
        .await
        .json();
    let res = app
        .post(&format!("/api/v1/contracts/{}/clauses", id(&c)))
        .bearer(&pm)
        .json(json!({"template": reference}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let k = res.json();
    assert_eq!((k["kind"].as_str(), k["title"].as_str()), (Some("confidentiality"), Some("数据安全")));
    assert_eq!(k["body"], "乙方不得将运单数据带出甲方网络。");
});

db_test!(an_amendment_changes_nothing_owed_until_signed, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let pm = &ch.pm;
    let base = format!("/api/v1/contracts/{}", ch.contract);
    app.post(&format!("{base}/amendments")).bearer(pm).json(json!({"reason": "加价 add scope"})).send().await;
    // The working copy grows, but what is owed does not.
    let res = app.patch(&base).bearer(pm).json(json!({"total": {"amount": "150000.00"}})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = app
        .post(&format!("{base}/installments"))
        .bearer(pm)
        .json(
            json!({"name": "追加款", "amount": {"amount": "10000"}, "trigger": {"kind": "date", "date": "2020-01-01"}}),
        )
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "planned", "a date long past, but not in a signed version");
    let extra = id(&res.json());
    let res = app
        .post(&format!("/api/v1/installments/{extra}/override"))
        .bearer(&ch.approver)
        .json(json!({"reason": "急"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "not even by override: {}", res.text());
    // The advance was signed at 30 % of 100,000; 30 % of the new total is not owed yet.
    let advance = &ch.installments[0];
    assert_eq!(installment(&app, pm, &ch.contract, 0).await["amount"]["amount"], "30000.00");
    let res = app
        .post(&format!("/api/v1/installments/{advance}/payments"))
        .bearer(pm)
        .json(json!({"paid_on": "2026-11-25"}))
        .send()
        .await;
    assert_eq!(res.json()["state"], "paid", "{}", res.text());
    assert_eq!(res.json()["paid"]["amount"], "30000.00");
    // Abandoned: the working copy is the signed version again, the extra installment is gone.
    let res = app.req(Method::DELETE, &format!("{base}/amendments")).bearer(pm).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let c = res.json();
    assert_eq!(c["total"]["amount"], "100000.00");
    assert!(c["amendment_reason"].is_null());
    assert_eq!(c["installments"].as_array().map(Vec::len), Some(4));
    let res = app.req(Method::DELETE, &format!("{base}/amendments")).bearer(pm).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    // Amended again and signed: the retention, 5 % of a larger total, is worth more from now on.
    app.post(&format!("{base}/amendments")).bearer(pm).json(json!({"reason": "加价"})).send().await;
    app.patch(&base).bearer(pm).json(json!({"total": {"amount": "120000.00"}})).send().await;
    let t = format!("{base}/transitions");
    app.post(&t).bearer(pm).json(json!({"to": "in_review"})).send().await;
    app.post(&format!("{base}/reviews")).bearer(&ch.approver).json(json!({"decision": "approve"})).send().await;
    app.post(&t).bearer(pm).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    let res = app.post(&t).bearer(&ch.vendor).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    assert_eq!(res.json()["state"], "amended", "{}", res.text());
    let advance = installment(&app, pm, &ch.contract, 0).await;
    assert_eq!(advance["amount"]["amount"], "30000.00", "paid installments keep their amount");
    assert_eq!(advance["state"], "paid");
    assert_eq!(installment(&app, pm, &ch.contract, 3).await["amount"]["amount"], "6000.00");
});

db_test!(evidence_is_as_wide_as_the_deliverable_and_pinned_at_submission, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let upload = |visibility: &'static str, name: &'static str| {
        let app = &app;
        let pm = ch.pm.clone();
        async move {
            let res = app
                .post(&format!("/api/v1/engagements/{}/documents", e.eng))
                .bearer(&pm)
                .multipart(&[("visibility", visibility)], Some((name, b"%PDF-1.4 test report" as &[u8])))
                .send()
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
            id(&res.json())
        }
    };
    let internal = upload("internal", "内部报价.pdf").await;
    let shared = upload("participants", "测试报告.pdf").await;
    let submit = format!("/api/v1/deliverables/{}/acceptances", ch.deliverable);
    let res =
        app.post(&submit).bearer(&ch.pm).json(json!({"stage": "initial", "document_ids": [internal]})).send().await;
    assert_eq!(res.field_errors(), vec!["document_ids[0]"], "an internal file can't be evidence the client reads");
    let res = app.post(&submit).bearer(&ch.pm).json(json!({"stage": "initial", "document_ids": [shared]})).send().await;
    let a = res.json();
    assert_eq!(a["evidence_document_ids"], json!([shared]));
    let items: Vec<Value> =
        a["items"].as_array().expect("items").iter().map(|i| json!({"id": i["id"], "passed": true})).collect();
    app.post(&format!("/api/v1/acceptances/{}/results", id(&a)))
        .bearer(&ch.client)
        .json(json!({"items": items, "outcome": "accepted"}))
        .send()
        .await;
    // A new version of the evidence after the result does not break the signatures.
    let res = app
        .post(&format!("/api/v1/documents/{shared}/versions"))
        .bearer(&ch.pm)
        .multipart(&[], Some(("测试报告.pdf", b"%PDF-1.4 test report v2" as &[u8])))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    for who in [&ch.client, &ch.vendor, &ch.pm] {
        let res = app
            .post(&format!("/api/v1/acceptances/{}/signatures", id(&a)))
            .bearer(who)
            .json(json!({"password": PASSWORD}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    // The client does not learn who the vendor is from the signatures.
    let seen = app.get(&format!("/api/v1/acceptances/{}", id(&a))).bearer(&ch.client).send().await.json();
    let unnamed = seen["signatures"].as_array().expect("sigs").iter().filter(|s| s["party_id"].is_null()).count();
    assert_eq!(unnamed, 1, "{seen}");
    assert!(!seen["effective_at"].is_null());
    let page = app
        .signed_in("manager@hdlogistics.example")
        .await
        .get(&format!("/engagements/{}/acceptances/{}", e.eng, id(&a)))
        .await;
    assert!(
        !page.text().contains("云帆") && !page.text().contains("Yunfan"),
        "the vendor's name stays off the client's page"
    );
});
