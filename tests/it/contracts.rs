//! Contracts, acceptance and payments as one chain: a clause names a deliverable, the
//! deliverable is rejected, the defect is fixed, the next round is accepted and signed by
//! every party, and the installment waiting for that acceptance falls due and is paid. Around
//! it: the rules that keep money from falling due early and exact money arithmetic. Who sees
//! which contract, termination, amendments and the watch are in `contracts_rules`.

use axum::http::StatusCode;
use chrono::Duration;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{db_test, fixtures::EngagementIds, support::*};

pub(crate) fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

pub(crate) struct Chain {
    pub(crate) pm: String,
    pub(crate) vendor: String,
    pub(crate) client: String,
    pub(crate) approver: String,
    pub(crate) deliverable: String,
    pub(crate) contract: String,
    /// advance (date), progress (initial acceptance), final (final acceptance), retention (warranty end)
    pub(crate) installments: [String; 4],
}

pub(crate) async fn installment(app: &TestApp, token: &str, contract: &str, seq: usize) -> Value {
    let list = app.get(&format!("/api/v1/contracts/{contract}/installments")).bearer(token).send().await.json();
    list["items"][seq].clone()
}

pub(crate) async fn states(app: &TestApp, token: &str, contract: &str) -> Vec<String> {
    let list = app.get(&format!("/api/v1/contracts/{contract}/installments")).bearer(token).send().await.json();
    list["items"]
        .as_array()
        .map_or(Vec::new(), |a| a.iter().map(|i| i["state"].as_str().unwrap_or("").to_owned()).collect())
}

/// A deliverable of the vendor on ENG-1 and a signed vendor contract whose schedule waits on it.
pub(crate) async fn chain(app: &TestApp, e: &EngagementIds) -> Chain {
    let pm = app.token("pm@xinghe.example").await;
    let vendor = app.token("manager@yunfan.example").await;
    let client = app.token("manager@hdlogistics.example").await;
    let approver = app.token("approver@xinghe.example").await;
    let yunfan = app.party_id("云帆").await;
    let res = app
        .post(&format!("/api/v1/engagements/{}/deliverables", e.eng))
        .bearer(&pm)
        .json(json!({"name": "司机端 App 1.0", "due_date": "2026-12-10", "visibility": "participants",
                     "owner_party_id": yunfan.to_string(), "warranty_months": 12,
                     "acceptance_criteria": ["扫码签收 5 秒内同步", "离线可用"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let deliverable = id(&res.json());

    let approver_id = app.user_id("approver@xinghe.example").await.to_string();
    let res = app
        .post("/api/v1/contracts")
        .bearer(&pm)
        .json(json!({"number": "WB-2026-001", "title": "司机端 App 外包开发", "counterparty_id": yunfan.to_string(),
                     "engagement_ids": [e.eng.to_string()], "currency": "CNY",
                     "total": {"amount": "100000.00", "currency": "CNY"}, "tax_rate": "6",
                     "start_date": "2026-11-01", "end_date": "2027-06-30",
                     "legal_approver_id": approver_id, "finance_approver_id": approver_id}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let c = res.json();
    assert_eq!(c["direction"], "payable");
    assert_eq!(c["tax"]["amount"], "5660.38", "100,000 × 6 / 106, half up");
    assert_eq!(c["net"]["amount"], "94339.62");
    let contract = id(&c);
    let clauses = format!("/api/v1/contracts/{contract}/clauses");
    for body in [
        json!({"kind": "acceptance", "template": "builtin:acceptance", "deliverable_id": deliverable}),
        json!({"kind": "payment", "template": "builtin:payment"}),
        json!({"kind": "warranty", "title": "质保 6 个月", "body": "终验后 6 个月免费维护",
               "deliverable_id": deliverable, "warranty_months": 6}),
        json!({"kind": "delivery_standard", "title": "交付源代码", "body": "交付全部源代码",
               "due_date": "2026-12-10", "owed_by": "counterparty"}),
    ] {
        let res = app.post(&clauses).bearer(&pm).json(body).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let schedule = format!("/api/v1/contracts/{contract}/installments");
    let mut installments = Vec::new();
    for body in [
        json!({"name": "预付款", "kind": "advance", "percent": 30, "trigger": {"kind": "date", "date": "2026-11-20"}}),
        json!({"name": "初验款", "percent": "40", "trigger": {"kind": "acceptance", "deliverable_id": deliverable, "stage": "initial"}}),
        json!({"name": "终验款", "kind": "final", "amount": {"amount": "25000.00"},
               "trigger": {"kind": "acceptance", "deliverable_id": deliverable, "stage": "final"}}),
        json!({"name": "质保金", "kind": "retention", "percent": 5, "trigger": {"kind": "warranty_end", "deliverable_id": deliverable}}),
    ] {
        let res = app.post(&schedule).bearer(&pm).json(body).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        assert_eq!(res.json()["state"], "planned");
        installments.push(id(&res.json()));
    }
    let c = app.get(&format!("/api/v1/contracts/{contract}")).bearer(&pm).send().await.json();
    assert_eq!(c["scheduled"]["amount"], "100000.00");
    assert_eq!(c["unscheduled"]["amount"], "0.00");
    // The schedule can't add up to more than the total.
    let res = app
        .post(&schedule)
        .bearer(&pm)
        .json(json!({"name": "多出来的", "percent": "0.01", "trigger": {"kind": "date", "date": "2027-01-01"}}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["percent"], "{}", res.text());

    // Submit: the working copy freezes as version 1 and locks.
    let transitions = format!("/api/v1/contracts/{contract}/transitions");
    let res = app.post(&transitions).bearer(&pm).json(json!({"to": "in_review"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "in_review");
    assert_eq!(res.json()["versions"][0]["status"], "in_review");
    let res = app.post(&clauses).bearer(&pm).json(json!({"kind": "other", "title": "x", "body": "y"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a version out for review locks the working copy");
    // Nobody signs before the reviewers approve; only named reviewers review.
    let res = app
        .post(&format!("/api/v1/contracts/{contract}/signatures"))
        .bearer(&vendor)
        .json(json!({"password": PASSWORD}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let reviews = format!("/api/v1/contracts/{contract}/reviews");
    let res = app.post(&reviews).bearer(&pm).json(json!({"decision": "approve"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&reviews).bearer(&approver).json(json!({"decision": "return"})).send().await;
    assert_eq!(res.field_errors(), vec!["comment"], "returning needs a comment");
    let res =
        app.post(&reviews).bearer(&approver).json(json!({"decision": "approve", "comment": "条款齐全"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["versions"][0]["status"], "approved");

    // Both sides sign with their password; the advance's date has passed, so it falls due.
    let res =
        app.post(&transitions).bearer(&pm).json(json!({"to": "signed", "password": "wrong-password"})).send().await;
    assert_eq!(res.field_errors(), vec!["password"]);
    let res = app.post(&transitions).bearer(&pm).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "in_review", "one side only");
    assert_eq!(states(app, &pm, &contract).await, ["planned", "planned", "planned", "planned"]);
    let res = app
        .post(&format!("/api/v1/contracts/{contract}/signatures"))
        .bearer(&vendor)
        .json(json!({"password": PASSWORD}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let c = res.json();
    assert_eq!(c["state"], "signed");
    assert_eq!(c["current_version"], 1);
    let sigs = c["versions"][0]["signatures"].as_array().cloned().unwrap_or_default();
    assert_eq!(sigs.len(), 2);
    assert!(sigs.iter().all(|s| s["content_sha256"] == c["versions"][0]["content_sha256"]));
    assert!(c["versions"][0].get("reviews").is_none(), "the vendor never reads the host's reviews");
    assert_eq!(states(app, &pm, &contract).await, ["due", "planned", "planned", "planned"]);
    let res = app.post(&transitions).bearer(&pm).json(json!({"to": "active"})).send().await;
    assert_eq!(res.json()["state"], "active");
    let advance = installment(app, &pm, &contract, 0).await;
    assert_eq!(advance["amount"]["amount"], "30000.00");
    assert_eq!(advance["due_on"], "2026-11-20", "due since its date, though found on signing");
    Chain { pm, vendor, client, approver, deliverable, contract, installments: installments.try_into().expect("four") }
}

db_test!(clause_to_cash_through_a_rejected_and_accepted_deliverable, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let (pm, vendor, client) = (&ch.pm, &ch.vendor, &ch.client);

    // The vendor submits for 初验: the checklist is the deliverable's criteria.
    let submit = format!("/api/v1/deliverables/{}/acceptances", ch.deliverable);
    let res = app.post(&submit).bearer(vendor).json(json!({"stage": "first"})).send().await;
    assert_eq!(res.field_errors(), vec!["stage"]);
    let res =
        app.post(&submit).bearer(&app.token("dev@yunfan.example").await).json(json!({"stage": "initial"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a vendor member does not submit for the vendor");
    let res = app.post(&submit).bearer(vendor).json(json!({"stage": "initial", "note": "1.0 候选版"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let a1 = res.json();
    assert_eq!(a1["round"], 1);
    let items: Vec<String> = a1["items"].as_array().expect("items").iter().map(id).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(a1["items"][0]["text"], "扫码签收 5 秒内同步");
    let res = app.post(&submit).bearer(vendor).json(json!({"stage": "initial"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "one open round at a time");

    // The client rejects: a failed item needs a note, and opens a defect.
    let results = format!("/api/v1/acceptances/{}/results", id(&a1));
    let res = app.post(&results).bearer(vendor).json(json!({"items": [], "outcome": "accepted"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the party that delivered does not accept its own work");
    let bad =
        json!({"items": [{"id": items[0], "passed": true}, {"id": items[1], "passed": false}], "outcome": "accepted"});
    let res = app.post(&results).bearer(client).json(bad).send().await;
    assert_eq!(res.field_errors(), vec!["items[1].note"], "{}", res.text());
    let res = app
        .post(&results)
        .bearer(client)
        .json(json!({"items": [{"id": items[0], "passed": true}], "outcome": "rejected"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["items"], "every item is checked");
    let rejected = json!({"items": [{"id": items[0], "passed": true, "note": "2.1 秒"},
                                    {"id": items[1], "passed": false, "note": "断网后无法签收", "severity": "critical"}],
                          "outcome": "rejected"});
    let res = app.post(&results).bearer(client).json(rejected).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "rejected");
    let res = app
        .post(&format!("/api/v1/acceptances/{}/signatures", id(&a1)))
        .bearer(client)
        .json(json!({"password": PASSWORD}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a rejection is not signed into force");
    assert_eq!(states(&app, pm, &ch.contract).await[1], "planned");
    let defects = app.get(&format!("/api/v1/engagements/{}/defects", e.eng)).bearer(vendor).send().await.json();
    let defect = &defects["items"][0];
    assert_eq!(defect["key"], "DEF-001");
    assert_eq!(defect["severity"], "critical");
    assert_eq!(defect["status"], "open");
    assert_eq!(defect["acceptance_id"], a1["id"]);

    // The vendor fixes it; only the PM closes it.
    let patch = format!("/api/v1/defects/{}", id(defect));
    let res = app.patch(&patch).bearer(vendor).json(json!({"status": "closed"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.patch(&patch).bearer(vendor).json(json!({"status": "resolved"})).send().await;
    assert_eq!(res.json()["status"], "resolved", "{}", res.text());
    let res = app.patch(&patch).bearer(pm).json(json!({"status": "closed"})).send().await;
    assert_eq!(res.json()["status"], "closed");

    // Round 2 is accepted; it is in force only when the host, the vendor and the client signed.
    let res = app.post(&submit).bearer(vendor).json(json!({"stage": "initial", "note": "修复离线签收"})).send().await;
    let a2 = res.json();
    assert_eq!(a2["round"], 2, "{a2}");
    let items: Vec<String> = a2["items"].as_array().expect("items").iter().map(id).collect();
    let accepted =
        json!({"items": [{"id": items[0], "passed": true}, {"id": items[1], "passed": true}], "outcome": "accepted"});
    let res = app.post(&format!("/api/v1/acceptances/{}/results", id(&a2))).bearer(client).json(accepted).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let a2 = res.json();
    assert_eq!(a2["required_count"], 3);
    assert_eq!(a2["required_party_ids"].as_array().map(Vec::len), Some(2), "the client does not learn the vendor");
    let hash = a2["content_sha256"].as_str().expect("hash").to_owned();
    let sign = format!("/api/v1/acceptances/{}/signatures", id(&a2));
    let res = app
        .post(&sign)
        .bearer(&app.token("member@hdlogistics.example").await)
        .json(json!({"password": PASSWORD}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a client member does not sign for the client");
    for (who, last) in [(client, false), (vendor, false), (pm, true)] {
        assert_eq!(states(&app, pm, &ch.contract).await[1], "planned", "not due before every signature");
        let res = app.post(&sign).bearer(who).json(json!({"password": PASSWORD})).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        assert_eq!(res.json()["effective_at"].is_null(), !last);
    }
    let a2 = app.get(&format!("/api/v1/acceptances/{}", id(&a2))).bearer(pm).send().await.json();
    assert!(a2["signatures"].as_array().expect("sigs").iter().all(|s| s["content_sha256"] == hash.as_str()));
    assert_eq!(states(&app, pm, &ch.contract).await, ["due", "due", "planned", "planned"]);

    // Money in: invoice, then a partial payment, then the rest. Never more than is owed.
    let advance = &ch.installments[0];
    let res = app
        .post(&format!("/api/v1/installments/{advance}/invoices"))
        .bearer(pm)
        .json(json!({"number": "No. 04412876", "issued_on": "2026-11-24"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "invoiced");
    assert_eq!(res.json()["invoiced"]["amount"], "30000.00");
    let pay = format!("/api/v1/installments/{advance}/payments");
    let res =
        app.post(&pay).bearer(pm).json(json!({"amount": {"amount": "10000.00"}, "paid_on": "2026-11-25"})).send().await;
    assert_eq!(res.json()["state"], "invoiced");
    assert_eq!(res.json()["paid"]["amount"], "10000.00");
    assert_eq!(res.json()["outstanding"]["amount"], "20000.00");
    let res =
        app.post(&pay).bearer(pm).json(json!({"amount": {"amount": "20000.01"}, "paid_on": "2026-11-26"})).send().await;
    assert_eq!(res.field_errors(), vec!["amount"]);
    let res = app.post(&pay).bearer(vendor).json(json!({"paid_on": "2026-11-26"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the vendor does not record the host's payments");
    let res = app
        .post(&pay)
        .bearer(&ch.approver)
        .json(json!({"paid_on": "2026-11-26", "reference": "HX20261126"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "paid");
    assert_eq!(res.json()["payments"].as_array().map(Vec::len), Some(2));

    // 终验: final installment due, warranty of the clause's 6 months (not the deliverable's 12).
    let res = app.post(&submit).bearer(vendor).json(json!({"stage": "final"})).send().await;
    let fin = res.json();
    let items: Vec<String> = fin["items"].as_array().expect("items").iter().map(id).collect();
    let all_pass: Vec<Value> = items.iter().map(|i| json!({"id": i, "passed": true})).collect();
    let res = app
        .post(&format!("/api/v1/acceptances/{}/results", id(&fin)))
        .bearer(pm)
        .json(json!({"items": all_pass, "outcome": "accepted"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    for who in [pm, vendor, client] {
        let res = app
            .post(&format!("/api/v1/acceptances/{}/signatures", id(&fin)))
            .bearer(who)
            .json(json!({"password": PASSWORD}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    assert_eq!(states(&app, pm, &ch.contract).await, ["paid", "due", "due", "planned"]);
    let d = app
        .get(&format!("/api/v1/engagements/{}/deliverables/{}", e.eng, ch.deliverable))
        .bearer(pm)
        .send()
        .await
        .json();
    assert_eq!(d["status"], "accepted");

    // The retention falls due when the warranty ends, through the hourly watch.
    app.clock.advance(Duration::days(150));
    app.run_jobs().await;
    assert!(accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick") > 0);
    app.run_jobs().await;
    assert_eq!(states(&app, pm, &ch.contract).await[3], "planned", "150 days is not six months");
    let warranty_notices = |email: &'static str| {
        let app = &app;
        async move {
            let t = app.token(email).await;
            let n = app.get("/api/v1/notifications?limit=100").bearer(&t).send().await.json();
            n["items"].as_array().map_or(0, |a| a.iter().filter(|i| i["kind"] == "warranty_ending").count())
        }
    };
    assert_eq!(warranty_notices("pm@xinghe.example").await, 0, "31 days before its end");
    // Within 30 days of the end the PMs and the vendor's manager hear of it, once.
    app.clock.advance(Duration::days(5));
    for _ in 0..2 {
        accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
        app.run_jobs().await;
        app.clock.advance(Duration::hours(1));
    }
    assert_eq!(warranty_notices("pm@xinghe.example").await, 1);
    assert_eq!(warranty_notices("manager@yunfan.example").await, 1);
    assert_eq!(warranty_notices("manager@hdlogistics.example").await, 0, "the client did not deliver it");
    let mails = app.smtp.messages().iter().map(|m| decoded_body(m)).filter(|m| m.contains("2027-05-23")).count();
    assert!(mails >= 2, "e-mails about the warranty's end: {mails}");
    app.clock.advance(Duration::days(35));
    accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
    app.run_jobs().await;
    assert_eq!(states(&app, pm, &ch.contract).await[3], "due");
    let retention = installment(&app, pm, &ch.contract, 3).await;
    assert_eq!(retention["due_on"], "2027-05-23", "due since the warranty (2026-11-23 + 6 months) ended");

    // The audit trail holds the chain.
    let audit: Vec<String> = app
        .db()
        .query_all_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            "SELECT action FROM audit_events ORDER BY id",
        ))
        .await
        .expect("audit")
        .iter()
        .filter_map(|r| r.try_get::<String>("", "action").ok())
        .collect();
    for action in [
        "contract.create",
        "contract.submit",
        "contract.review",
        "contract.sign",
        "contract.in_force",
        "installment.due",
        "acceptance.submit",
        "acceptance.result",
        "defect.create",
        "acceptance.sign",
        "acceptance.in_force",
        "installment.invoice",
        "installment.payment",
    ] {
        assert!(audit.iter().any(|a| a == action), "audit has no {action}");
    }
});

db_test!(an_installment_cannot_become_due_early_by_any_route, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ch = chain(&app, &e).await;
    let progress = &ch.installments[1];
    let before = states(&app, &ch.pm, &ch.contract).await;
    assert_eq!(before[1], "planned");
    // Money on a planned installment is refused, for everyone.
    for token in [&ch.pm, &ch.approver] {
        let res = app
            .post(&format!("/api/v1/installments/{progress}/invoices"))
            .bearer(token)
            .json(json!({"number": "1", "issued_on": "2026-11-24"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
        let res = app
            .post(&format!("/api/v1/installments/{progress}/payments"))
            .bearer(token)
            .json(json!({"paid_on": "2026-11-24"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
    }
    // No field of any write sets a state: unknown fields are refused.
    let res = app
        .post(&format!("/api/v1/contracts/{}/installments", ch.contract))
        .bearer(&ch.pm)
        .json(json!({"name": "x", "percent": 1, "state": "due", "trigger": {"kind": "date", "date": "2030-01-01"}}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["state"]);
    let res = app
        .patch(&format!("/api/v1/contracts/{}", ch.contract))
        .bearer(&ch.pm)
        .json(json!({"state": "active"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["state"]);
    // An override needs a host finance approver and a reason.
    let ovr = format!("/api/v1/installments/{progress}/override");
    for token in [&ch.pm, &ch.vendor, &app.token("admin@xinghe.example").await] {
        let res = app.post(&ovr).bearer(token).json(json!({"reason": "急用"})).send().await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    let res = app.post(&ovr).bearer(&ch.client).json(json!({"reason": "急用"})).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "the client does not see the vendor's contract");
    let res = app.post(&ovr).bearer(&ch.approver).json(json!({"reason": " "})).send().await;
    assert_eq!(res.field_errors(), vec!["reason"]);
    // Submitted, recorded, rejected, accepted but not signed: still planned.
    let a = app
        .post(&format!("/api/v1/deliverables/{}/acceptances", ch.deliverable))
        .bearer(&ch.vendor)
        .json(json!({"stage": "initial"}))
        .send()
        .await
        .json();
    let items: Vec<Value> =
        a["items"].as_array().expect("items").iter().map(|i| json!({"id": i["id"], "passed": true})).collect();
    app.post(&format!("/api/v1/acceptances/{}/results", id(&a)))
        .bearer(&ch.pm)
        .json(json!({"items": items, "outcome": "accepted"}))
        .send()
        .await;
    app.post(&format!("/api/v1/acceptances/{}/signatures", id(&a)))
        .bearer(&ch.pm)
        .json(json!({"password": PASSWORD}))
        .send()
        .await;
    assert_eq!(states(&app, &ch.pm, &ch.contract).await[1], "planned");
    // The hourly watch does not make an acceptance trigger due either.
    accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("tick");
    app.run_jobs().await;
    assert_eq!(states(&app, &ch.pm, &ch.contract).await, before);
    // The database refuses a due installment without the day it fell due.
    let sql = format!("UPDATE installments SET state = 'due' WHERE id = {progress}");
    assert!(app.writer().execute_unprepared(&sql).await.is_err(), "the check constraint holds");
    // The approver's override is the one way, with its reason in the audit trail.
    let res =
        app.post(&ovr).bearer(&ch.approver).json(json!({"reason": "客户提前验收，财务批准提前支付"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let i = res.json();
    assert_eq!(i["state"], "due");
    assert_eq!(i["override"]["reason"], "客户提前验收，财务批准提前支付");
    let res = app.post(&ovr).bearer(&ch.approver).json(json!({"reason": "再来一次"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
});

db_test!(an_acceptance_before_signing_waits_for_the_contract, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let client = app.party_id("华东").await.to_string();
    // A client contract whose only installment waits on a milestone's deliverables.
    let res = app.post(&format!("/api/v1/engagements/{}/deliverables", e.eng)).bearer(&pm)
        .json(json!({"name": "培训", "due_date": "2026-12-01", "milestone_id": e.milestone.to_string(), "criteria": ["完成培训"]}))
        .send().await;
    let d = id(&res.json());
    let c = app.post("/api/v1/contracts").bearer(&pm)
        .json(json!({"number": "HT-1", "title": "平台建设", "counterparty_id": client, "engagement_ids": [e.eng.to_string()],
                     "total": {"amount": "300.00"}}))
        .send().await.json();
    assert_eq!(c["direction"], "receivable");
    let contract = id(&c);
    for n in 0..3 {
        let res = app
            .post(&format!("/api/v1/contracts/{contract}/installments"))
            .bearer(&pm)
            .json(json!({"name": format!("第{}期", n + 1), "percent": "33.33",
                         "trigger": {"kind": "acceptance", "milestone_id": e.milestone.to_string(), "stage": "final"}}))
            .send()
            .await;
        assert_eq!(res.json()["amount"]["amount"], "99.99", "33.33 % of 300.00, exactly");
    }
    let c = app.get(&format!("/api/v1/contracts/{contract}")).bearer(&pm).send().await.json();
    assert_eq!(c["unscheduled"]["amount"], "0.03", "the schedule shows the rounding left over");
    app.post(&format!("/api/v1/contracts/{contract}/clauses"))
        .bearer(&pm)
        .json(json!({"kind": "scope", "template": "builtin:scope"}))
        .send()
        .await;
    // The deliverable is accepted while the contract is still a draft.
    let a = app
        .post(&format!("/api/v1/deliverables/{d}/acceptances"))
        .bearer(&pm)
        .json(json!({"stage": "final"}))
        .send()
        .await
        .json();
    let items: Vec<Value> =
        a["items"].as_array().expect("items").iter().map(|i| json!({"id": i["id"], "passed": true})).collect();
    app.post(&format!("/api/v1/acceptances/{}/results", id(&a)))
        .bearer(&pm)
        .json(json!({"items": items, "outcome": "accepted"}))
        .send()
        .await;
    // No one owns the deliverable: the host and the client sign.
    for who in ["pm@xinghe.example", "manager@hdlogistics.example"] {
        let res = app
            .post(&format!("/api/v1/acceptances/{}/signatures", id(&a)))
            .bearer(&app.token(who).await)
            .json(json!({"password": PASSWORD}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{who}: {}", res.text());
    }
    assert_eq!(states(&app, &pm, &contract).await, ["planned", "planned", "planned"], "a draft owes nothing");
    // No reviewers named: submitting goes straight to signing; once both sign, all three fall due.
    let t = format!("/api/v1/contracts/{contract}/transitions");
    let res = app.post(&t).bearer(&pm).json(json!({"to": "in_review"})).send().await;
    assert_eq!(res.json()["versions"][0]["status"], "approved");
    app.post(&t).bearer(&pm).json(json!({"to": "signed", "password": PASSWORD})).send().await;
    let res = app
        .post(&t)
        .bearer(&app.token("manager@hdlogistics.example").await)
        .json(json!({"to": "signed", "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(res.json()["state"], "signed", "{}", res.text());
    assert_eq!(states(&app, &pm, &contract).await, ["due", "due", "due"]);
});
