//! Cost control: the budget with its baseline, expenses within and over budget, the approver's
//! decision, earned value through the API against a hand-computed example (the one in
//! `costs::evm`'s unit tests), the S-curve, the pages, and the host-only rule.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn amount(v: &Value) -> &str {
    v["amount"].as_str().unwrap_or("?")
}

/// An engagement with two tasks of ten working days each in March 2027 (no holidays): A done,
/// B 40 % done.
async fn march_plan(app: &TestApp, pm: &str) -> String {
    let res = app
        .post("/api/v1/engagements")
        .bearer(pm)
        .json(json!({"code": "EVM-1", "name": "挣值示例 EVM example", "kind": "client_project",
                     "start_date": "2027-03-01", "end_date": "2027-03-31"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().expect("id").to_owned();
    for (name, start, finish, progress) in
        [("A 设计", "2027-03-01", "2027-03-12", 100), ("B 开发", "2027-03-15", "2027-03-26", 40)]
    {
        let t = app
            .post(&format!("/api/v1/engagements/{id}/tasks"))
            .bearer(pm)
            .json(json!({"name": name, "start_date": start, "finish_date": finish}))
            .send()
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{}", t.text());
        let tid = t.json()["id"].as_str().expect("task").to_owned();
        let p = app
            .patch(&format!("/api/v1/engagements/{id}/tasks/{tid}"))
            .bearer(pm)
            .json(json!({"progress": progress}))
            .send()
            .await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    }
    id
}

db_test!(earned_value_matches_the_hand_computed_example, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let approver = app.token("approver@xinghe.example").await;
    let id = march_plan(&app, &pm).await;
    let budget = format!("/api/v1/engagements/{id}/budget");

    // Bad lines name their place and change nothing.
    let res = app
        .req(axum::http::Method::PUT, &budget)
        .bearer(&pm)
        .json(json!({"lines": [{"category": "lunch", "amount": {"amount": "1"}},
                               {"category": "labour", "amount": {"amount": "-5"}},
                               {"category": "travel", "amount": {"amount": "1", "currency": "USD"}}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert_eq!(res.field_errors(), vec!["lines[0].category", "lines[1].amount", "lines[2].amount"]);
    let b = app.get(&budget).bearer(&pm).send().await.json();
    assert_eq!(amount(&b["total"]), "0.00");

    // ¥100,000 of labour; the first budget is its own baseline.
    let res = app
        .req(axum::http::Method::PUT, &budget)
        .bearer(&pm)
        .json(json!({"lines": [{"category": "labour", "amount": {"amount": "100000", "currency": "CNY"}}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let b = res.json();
    assert_eq!((amount(&b["total"]), amount(&b["bac"])), ("100000.00", "100000.00"));
    let labour =
        b["lines"].as_array().expect("lines").iter().find(|l| l["category"] == "labour").expect("labour").clone();
    assert_eq!(amount(&labour["baseline"]), "100000.00");

    // ¥70,000 spent on 5 March: within budget, counted.
    let expenses = format!("/api/v1/engagements/{id}/expenses");
    let res = app
        .post(&expenses)
        .bearer(&pm)
        .json(json!({"category": "labour", "amount": {"amount": "70000"}, "date": "2027-03-05", "description": "外包人力 3 月"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "counted");

    // As of Friday 19 March: PV 75,000, EV 70,000, AC 70,000 (see `costs::evm`).
    let evm = app.get(&format!("/api/v1/engagements/{id}/evm?as_of=2027-03-19")).bearer(&pm).send().await.json();
    let got: Vec<&str> = ["bac", "pv", "ev", "ac", "eac", "etc", "vac"].iter().map(|k| amount(&evm[*k])).collect();
    assert_eq!(got, vec!["100000.00", "75000.00", "70000.00", "70000.00", "100000.00", "30000.00", "0.00"], "{evm}");
    assert_eq!((evm["spi"].as_f64(), evm["cpi"].as_f64(), evm["tcpi"].as_f64()), (Some(0.933), Some(1.0), Some(1.0)));
    assert_eq!(evm["forecast_finish"], "2027-03-30");
    let res = app.get(&format!("/api/v1/engagements/{id}/evm?as_of=2027-13-01")).bearer(&pm).send().await;
    assert_eq!(res.field_errors(), vec!["as_of"]);

    // ¥40,000 more would take labour over budget: it waits and does not count.
    let res = app
        .post(&expenses)
        .bearer(&pm)
        .json(
            json!({"category": "labour", "amount": {"amount": "40000"}, "date": "2027-03-18", "description": "加班费"}),
        )
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let over = res.json();
    assert_eq!(over["state"], "pending");
    let decision = format!("/api/v1/expenses/{}/decision", over["id"].as_str().expect("id"));
    let evm = app.get(&format!("/api/v1/engagements/{id}/evm?as_of=2027-03-19")).bearer(&pm).send().await.json();
    assert_eq!(amount(&evm["ac"]), "70000.00", "a pending expense is no actual cost");
    // The PM may not decide; the approver must give a reason; then it counts: CPI 70/110.
    let res = app.post(&decision).bearer(&pm).json(json!({"decision": "approve", "reason": "ok"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&decision).bearer(&approver).json(json!({"decision": "approve", "reason": " "})).send().await;
    assert_eq!(res.field_errors(), vec!["reason"]);
    let res = app
        .post(&decision)
        .bearer(&approver)
        .json(json!({"decision": "approve", "reason": "赶工必要，已报领导同意"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "counted");
    let res = app.post(&decision).bearer(&approver).json(json!({"decision": "reject", "reason": "再议"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let evm = app.get(&format!("/api/v1/engagements/{id}/evm?as_of=2027-03-19")).bearer(&pm).send().await.json();
    assert_eq!(amount(&evm["ac"]), "110000.00");
    assert_eq!(evm["cpi"].as_f64(), Some(0.636));
    // EAC = 100,000 × 110,000 / 70,000 = 157,142.857… → 157,142.86.
    assert_eq!(amount(&evm["eac"]), "157142.86");
    let b = app.get(&budget).bearer(&pm).send().await.json();
    let labour =
        b["lines"].as_array().expect("lines").iter().find(|l| l["category"] == "labour").expect("labour").clone();
    assert_eq!(amount(&labour["remaining"]), "-10000.00");

    // The S-curve draws the three series.
    let res = app.get(&format!("/api/v1/engagements/{id}/evm/s-curve.svg?as_of=2027-03-19")).bearer(&pm).send().await;
    assert!(res.content_type().starts_with("image/svg+xml"));
    let svg = res.text();
    for series in ["series-pv", "series-ev", "series-ac"] {
        assert!(svg.contains(series), "{series} missing: {svg}");
    }

    // Re-baselining moves BAC; the audit log has every step.
    let res = app
        .req(axum::http::Method::PUT, &budget)
        .bearer(&pm)
        .json(json!({"lines": [{"category": "labour", "amount": {"amount": "120000"}}, {"category": "travel", "amount": {"amount": "5000"}}]}))
        .send()
        .await;
    assert_eq!(amount(&res.json()["bac"]), "100000.00", "the baseline holds until re-baselined");
    let res = app.post(&format!("{budget}/baseline")).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(amount(&res.json()["bac"]), "125000.00");
    let res = app.post(&format!("{budget}/baseline")).bearer(&approver).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "an approver does not run the engagement");
    {
        use accord::audit::entity::event as audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let actions: Vec<String> = audit_event::Entity::find()
            .filter(audit_event::Column::Action.is_in([
                "budget.set",
                "budget.baseline",
                "expense.create",
                "expense.decide",
            ]))
            .all(app.db())
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions.len(), 6, "{actions:?}");
    }
});

db_test!(costs_are_the_hosts_alone, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let member = app.token("member@xinghe.example").await;
    let vendor = app.token("manager@yunfan.example").await;
    let client = app.token("manager@hdlogistics.example").await;
    let budget = format!("/api/v1/engagements/{}/budget", e.eng);
    for token in [&vendor, &client] {
        for path in [
            budget.clone(),
            format!("/api/v1/engagements/{}/evm", e.eng),
            format!("/api/v1/engagements/{}/expenses", e.eng),
        ] {
            let res = app.get(&path).bearer(token).send().await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        }
        let res = app
            .post(&format!("/api/v1/engagements/{}/expenses", e.eng))
            .bearer(token)
            .json(json!({"category": "travel", "amount": {"amount": "1"}, "date": "2026-11-23", "description": "x"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    // A host member reads and records expenses, but does not set the budget.
    assert_eq!(app.get(&budget).bearer(&member).send().await.status, StatusCode::OK);
    let res = app.req(axum::http::Method::PUT, &budget).bearer(&member).json(json!({"lines": []})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Without a budget nothing waits; an expense in another currency is refused.
    let res = app
        .post(&format!("/api/v1/engagements/{}/expenses", e.eng))
        .bearer(&member)
        .json(json!({"category": "travel", "amount": {"amount": "1280.50"}, "date": "2026-11-20", "description": "上海出差高铁"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "counted");
    let res = app
        .post(&format!("/api/v1/engagements/{}/expenses", e.eng))
        .bearer(&pm)
        .json(json!({"category": "travel", "amount": {"amount": "100", "currency": "USD"}, "date": "2026-11-20", "description": "x"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["amount"]);
});

db_test!(the_cost_page_sets_the_budget_and_decides_expenses, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.signed_in("pm@xinghe.example").await;
    let page = format!("/engagements/{}/costs", e.eng);
    let res = pm.get(&page).await;
    assert_eq!(res.status, StatusCode::OK);
    let body = res.text();
    assert!(body.contains("class=\"scurve\""), "the S-curve is on the page");
    assert!(body.contains(&format!("hx-post=\"{page}/expenses\"")), "the expense dialog posts here");
    let vendor = app.signed_in("manager@yunfan.example").await;
    assert_eq!(vendor.get(&page).await.status, StatusCode::NOT_FOUND);
    assert!(
        !vendor.get(&format!("/engagements/{}", e.eng)).await.text().contains(&format!("{page}\"")),
        "no Costs tab"
    );

    // A bad amount is named on its row; a good budget is saved.
    let res = pm.post(&format!("{page}/budget"), &[("amount_labour", "abc"), ("amount_travel", "3000")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"amount_labour\" name=\"amount_labour\" inputmode=\"decimal\" value=\"abc\""));
    let res = pm.post(&format!("{page}/budget"), &[("amount_labour", "50,000"), ("amount_travel", "3000")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(pm.get(&page).await.text().contains("¥53,000.00"), "the total");

    // Over budget, the expense waits; the approver approves it on the page.
    let res = pm
        .post(
            &format!("{page}/expenses"),
            &[("category", "travel"), ("amount", "4000"), ("date", "2026-11-20"), ("description", "驻场差旅")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let approver = app.signed_in("approver@xinghe.example").await;
    let body = approver.get(&page).await.text();
    let xid =
        body.split("/costs/expenses/").nth(1).and_then(|r| r.split('/').next()).expect("a decision form").to_owned();
    let decide = format!("{page}/expenses/{xid}/decision");
    let res = approver.post(&decide, &[("decision", "approve"), ("reason", "")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(approver.get(&page).await.text().contains(&decide), "no reason, no decision: the form is still there");
    let res = approver.post(&decide, &[("decision", "approve"), ("reason", "客户现场必须")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let body = approver.get(&page).await.text();
    assert!(body.contains("客户现场必须"), "the reason shows with the expense");
    assert!(!body.contains(&decide), "decided: no form left");
});

db_test!(a_commitment_over_budget_waits_for_an_approver, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let (pm, approver) = (app.token("pm@xinghe.example").await, app.token("approver@xinghe.example").await);
    let vendor = app.token("manager@yunfan.example").await;
    let budget = format!("/api/v1/engagements/{}/budget", e.eng);
    let res = app
        .req(axum::http::Method::PUT, &budget)
        .bearer(&pm)
        .json(json!({"lines": [{"category": "vendor", "amount": {"amount": "150000", "currency": "CNY"}}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let vendor_line = |b: &Value| -> (String, String) {
        let l =
            b["lines"].as_array().and_then(|a| a.iter().find(|l| l["category"] == "vendor").cloned()).expect("line");
        (amount(&l["committed"]).to_owned(), amount(&l["pending"]).to_owned())
    };
    let holds_url = format!("/api/v1/engagements/{}/cost-holds", e.eng);
    let holds = || async {
        app.get(&holds_url).bearer(&pm).send().await.json()["items"].as_array().cloned().unwrap_or_default()
    };

    // ¥100,000 within ¥150,000: it counts at once.
    app.signed_vendor_contract(e.eng, "manager@yunfan.example", "HT-H-1", &[]).await;
    assert!(holds().await.is_empty());
    assert_eq!(vendor_line(&app.get(&budget).bearer(&pm).send().await.json()), ("100000.00".into(), "0.00".into()));

    // Another ¥100,000 would make ¥200,000: it waits, and does not count.
    let (second, _) = app.signed_vendor_contract(e.eng, "manager@yunfan.example", "HT-H-2", &[]).await;
    let held = holds().await;
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0]["contract_id"].as_str(), held[0]["state"].as_str()),
        (Some(second.to_string().as_str()), Some("pending"))
    );
    assert_eq!(
        vendor_line(&app.get(&budget).bearer(&pm).send().await.json()),
        ("100000.00".into(), "100000.00".into())
    );
    let decision = format!("/api/v1/cost-holds/{}/decision", held[0]["id"].as_str().expect("id"));
    // It waits on the approver's desk, not on the PM's.
    let desk = app.signed_in("approver@xinghe.example").await.get("/").await.text();
    assert!(desk.contains("Commitment over budget to approve") || desk.contains("待审批的超预算承诺"), "{desk}");
    assert!(desk.contains("HT-H-2"), "the contract's number on the desk");
    let pm_desk = app.signed_in("pm@xinghe.example").await.get("/").await.text();
    assert!(!pm_desk.contains("HT-H-2 · "), "the PM does not decide");

    // The PM may not decide; the vendor does not even find it; the approver must give a reason.
    let res = app.post(&decision).bearer(&pm).json(json!({"decision": "approve", "reason": "ok"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&decision).bearer(&vendor).json(json!({"decision": "approve", "reason": "ok"})).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&holds_url).bearer(&vendor).send().await.status, StatusCode::NOT_FOUND);
    let res = app.post(&decision).bearer(&approver).json(json!({"decision": "maybe", "reason": " "})).send().await;
    assert_eq!(res.field_errors(), vec!["decision", "reason"]);
    let res = app
        .post(&decision)
        .bearer(&approver)
        .json(json!({"decision": "approve", "reason": "二期范围已获董事会追加预算"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["state"], "approved");
    assert_eq!(vendor_line(&app.get(&budget).bearer(&pm).send().await.json()), ("200000.00".into(), "0.00".into()));
    let res = app.post(&decision).bearer(&approver).json(json!({"decision": "reject", "reason": "再议"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "decided once");

    // A third one, rejected: it never counts.
    app.signed_vendor_contract(e.eng, "manager@yunfan.example", "HT-H-3", &[]).await;
    let third = holds().await.into_iter().find(|h| h["state"] == "pending").expect("third held");
    let res = app
        .post(&format!("/api/v1/cost-holds/{}/decision", third["id"].as_str().expect("id")))
        .bearer(&approver)
        .json(json!({"decision": "reject", "reason": "超出授权"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(vendor_line(&app.get(&budget).bearer(&pm).send().await.json()), ("200000.00".into(), "0.00".into()));
    {
        use accord::audit::entity::event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let n = |action: &'static str| event::Entity::find().filter(event::Column::Action.eq(action)).all(app.db());
        assert_eq!(n("cost_hold.create").await.expect("audit").len(), 2);
        assert_eq!(n("cost_hold.decide").await.expect("audit").len(), 2);
    }
    // The cost page lists them with the decisions; the approver's form is gone once decided.
    let page = app.signed_in("approver@xinghe.example").await.get(&format!("/engagements/{}/costs", e.eng)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("HT-H-2") && html.contains("二期范围已获董事会追加预算") && html.contains("超出授权"),
        "{html}"
    );
    assert!(!html.contains("/costs/holds/"), "nothing left to decide");
});
