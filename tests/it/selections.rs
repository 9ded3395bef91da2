//! Selections (issue 7) through the API: invitations, sealed bids, blind scoring, the ranking
//! and the award into a participation and a draft contract.

use axum::http::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    db_test,
    support::*,
    vendors::{at, id, ids},
};

db_test!(a_selection_from_invitation_to_award, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let member = app.token("member@xinghe.example").await;
    let approver = app.token("approver@xinghe.example").await;
    let yunfan_mgr = app.token("manager@yunfan.example").await;
    let shuzhi_mgr = app.token("manager@shuzhi.example").await;
    let shuzhi_qa = app.token("qa@shuzhi.example").await;
    let (yunfan, shuzhi) = (app.party_id("云帆").await.to_string(), app.party_id("数智").await.to_string());
    let (member_id, approver_id) = (
        app.user_id("member@xinghe.example").await.to_string(),
        app.user_id("approver@xinghe.example").await.to_string(),
    );
    // ENG-2 has no vendor yet: the award brings the winner in.
    let input = |price: u32, capability: u32| {
        json!({"title": "调度端二期比选", "engagement_id": e.eng2.to_string(), "scope": "调度端 Web 二期",
               "category": "software", "budget_min": {"amount": "50000"}, "budget_max": {"amount": "120000"},
               "deadline": "2026-11-30T18:00:00+08:00",
               "criteria": [{"name": "价格", "weight": price}, {"name": "能力", "weight": capability}],
               "evaluator_ids": [member_id, approver_id]})
    };
    let res = app.post("/api/v1/selections").bearer(&pm).json(input(60, 30)).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["criteria"], "weights add up to 90: {}", res.text());
    let res = app.post("/api/v1/selections").bearer(&pm).json(input(60, 40)).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let s = res.json();
    assert_eq!(s["deadline"], "2026-11-30T10:00:00Z");
    assert_eq!(s["phase"], "bidding");
    assert_eq!(s["sheets_needed"], 0);
    let sel = format!("/api/v1/selections/{}", id(&s));
    let criteria: Vec<(String, i64)> = s["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| (c["name"].as_str().unwrap_or("").to_owned(), c["weight"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(criteria, vec![("价格".to_owned(), 60), ("能力".to_owned(), 40)]);
    for v in [&yunfan, &shuzhi] {
        let res = app.post(&format!("{sel}/invitations")).bearer(&pm).json(json!({"vendor_id": v})).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    // Bids: the vendor's manager, sealed from the host and from the other vendor.
    let bid = |token: &str, amount: &str| {
        app.post(&format!("{sel}/bids"))
            .bearer(token)
            .json(json!({"price": {"amount": amount}, "summary": "团队与方案见附件"}))
            .send()
    };
    let res = bid(&app.token("dev@yunfan.example").await, "90000").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a vendor member does not bid");
    let res = bid(&yunfan_mgr, "100000.00").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = bid(&shuzhi_mgr, "80000.00").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = bid(&yunfan_mgr, "96000.00").await;
    assert_eq!(res.json()["bids"][0]["revision"], 2, "revised before the deadline");
    let res = bid(&shuzhi_mgr, "-1").await;
    assert_eq!(res.field_errors(), vec!["price"]);
    let res = app
        .post(&format!("{sel}/bids/files"))
        .bearer(&shuzhi_mgr)
        .multipart(&[], Some(("数智方案.pdf", b"%PDF-1.4 proposal" as &[u8])))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    for token in [&shuzhi_mgr, &shuzhi_qa] {
        let seen = app.get(&sel).bearer(token).send().await.json();
        let bids = seen["bids"].as_array().cloned().unwrap_or_default();
        assert_eq!(bids.len(), 1, "only its own bid: {seen}");
        assert_eq!(bids[0]["vendor_id"], shuzhi.as_str());
        assert_eq!(bids[0]["price"]["amount"], "80000.00");
        assert_eq!(bids[0]["file_ids"].as_array().map(Vec::len), Some(1));
        assert_eq!(ids(&seen["invited_vendor_ids"]), vec![shuzhi.clone()]);
        assert_eq!(seen["evaluator_ids"], json!([]));
        assert!(seen["bids_in"].is_null() && seen["budget_max"].is_null() && seen["engagement_id"].is_null());
    }
    let host = app.get(&sel).bearer(&pm).send().await.json();
    assert_eq!(host["bids_in"], 2);
    assert_eq!(host["bids"], json!([]), "sealed until the deadline");
    assert_eq!(host["sheets_needed"], 4, "two evaluators × two bids");
    assert_eq!(ids(&host["invited_vendor_ids"]), vec![yunfan.clone(), shuzhi.clone()]);
    let sheet = |vendor: &str, price: u32, capability: u32| json!({"vendor_id": vendor, "scores": [{"criterion": "价格", "score": price}, {"criterion": "能力", "score": capability}]});
    let res = app.post(&format!("{sel}/scores")).bearer(&member).json(sheet(&yunfan, 70, 90)).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "no scoring while bidding: {}", res.text());
    let res = app.get(&format!("{sel}/ranking")).bearer(&member).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    // The deadline passes: late bids are refused and change nothing; the host sees the offers.
    at(&app, 2026, 11, 30);
    app.clock.advance(chrono::Duration::hours(1)); // 10:00 UTC, the deadline itself
    let res = bid(&yunfan_mgr, "50000.00").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let own = app.get(&sel).bearer(&yunfan_mgr).send().await.json();
    assert_eq!(own["bids"][0]["price"]["amount"], "96000.00");
    assert_eq!(own["bids"][0]["revision"], 2);
    assert_eq!(own["phase"], "evaluating");
    let host = app.get(&sel).bearer(&pm).send().await.json();
    let offers: Vec<(&str, &str)> = host["bids"]
        .as_array()
        .expect("bids")
        .iter()
        .map(|b| (b["vendor_id"].as_str().unwrap_or(""), b["price"]["amount"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(offers, vec![(yunfan.as_str(), "96000.00"), (shuzhi.as_str(), "80000.00")]);

    // Scoring: evaluators only, every criterion 0–100.
    let res = app.post(&format!("{sel}/scores")).bearer(&pm).json(sheet(&yunfan, 70, 90)).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the PM runs it but does not evaluate");
    let res = app.post(&format!("{sel}/scores")).bearer(&member).json(sheet(&yunfan, 101, 90)).send().await;
    assert_eq!(res.field_errors(), vec!["scores[0].score"]);
    let res = app
        .post(&format!("{sel}/scores"))
        .bearer(&member)
        .json(json!({"vendor_id": yunfan, "scores": [{"criterion": "价格", "score": 70}]}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["scores"], "能力 is missing");
    // A first sheet for 云帆 that the member then replaces.
    for (token, vendor, price, capability) in [
        (&member, &yunfan, 10, 10),
        (&member, &yunfan, 70, 90),
        (&member, &shuzhi, 90, 60),
        (&approver, &yunfan, 80, 80),
    ] {
        let res = app.post(&format!("{sel}/scores")).bearer(token).json(sheet(vendor, price, capability)).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let res = app.get(&format!("{sel}/ranking")).bearer(&member).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "sealed until every sheet is in: {}", res.text());
    let host = app.get(&sel).bearer(&pm).send().await.json();
    assert_eq!((host["sheets_in"].as_i64(), host["sheets_needed"].as_i64()), (Some(3), Some(4)));
    let res = app
        .post(&format!("{sel}/award"))
        .bearer(&pm)
        .json(json!({"vendor_id": yunfan,
        "justification": "综合得分第一，报价在预算内"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "no award before every sheet is in");
    let res = app.post(&format!("{sel}/scores")).bearer(&approver).json(sheet(&shuzhi, 85, 70)).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    // By hand: 云帆 价格 (70 + 80) / 2 = 75, 能力 (90 + 80) / 2 = 85, total 75 × 0.6 + 85 × 0.4 = 79;
    // the member's own total 70 × 0.6 + 90 × 0.4 = 78, the approver's 80.
    // 数智 价格 (90 + 85) / 2 = 87.5, 能力 (60 + 70) / 2 = 65, total 52.5 + 26 = 78.5;
    // the member's 90 × 0.6 + 60 × 0.4 = 78, the approver's 85 × 0.6 + 70 × 0.4 = 79.
    let res = app.get(&format!("{sel}/ranking")).bearer(&yunfan_mgr).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the ranking is the host's");
    let res = app.get(&format!("{sel}/ranking")).bearer(&member).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let r = res.json();
    assert_eq!(ids(&r["evaluator_ids"]).len(), 2);
    let by = |row: &Value, who: &str| -> f64 {
        let i = ids(&r["evaluator_ids"]).iter().position(|e| e == who).expect("evaluator");
        row["by_evaluator"][i].as_f64().expect("number")
    };
    let rows = r["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["vendor_id"], yunfan.as_str());
    assert_eq!(rows[0]["price"]["amount"], "96000.00");
    assert_eq!(rows[0]["criteria"], json!([75.0, 85.0]));
    assert_eq!(rows[0]["total"].as_f64(), Some(79.0));
    assert_eq!((by(&rows[0], &member_id), by(&rows[0], &approver_id)), (78.0, 80.0));
    assert_eq!(rows[1]["rank"], 2);
    assert_eq!(rows[1]["vendor_id"], shuzhi.as_str());
    assert_eq!(rows[1]["criteria"], json!([87.5, 65.0]));
    assert_eq!(rows[1]["total"].as_f64(), Some(78.5));
    assert_eq!((by(&rows[1], &member_id), by(&rows[1], &approver_id)), (78.0, 79.0));
    // With the ranking open, the sheets are final: nobody re-scores with the others in view.
    let res = app.post(&format!("{sel}/scores")).bearer(&member).json(sheet(&shuzhi, 100, 100)).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let again = app.get(&format!("{sel}/ranking")).bearer(&member).send().await.json();
    assert_eq!(again["rows"][1]["total"].as_f64(), Some(78.5), "unchanged");

    // The award: a written reason, then the winner takes part, a draft contract, active status.
    let engagement = format!("/api/v1/engagements/{}", e.eng2);
    assert_eq!(app.get(&engagement).bearer(&yunfan_mgr).send().await.status, StatusCode::NOT_FOUND);
    let award = |token: &str, justification: &str| {
        app.post(&format!("{sel}/award"))
            .bearer(token)
            .json(json!({"vendor_id": yunfan, "justification": justification}))
            .send()
    };
    let res = award(&pm, "分数最高").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["justification"], "{}", res.text());
    let res = award(&member, "综合得分第一，报价在预算内").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "evaluators do not award");
    let res = award(&pm, "综合得分第一，报价在预算内").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let s = res.json();
    assert_eq!(s["state"], "awarded");
    assert_eq!(s["phase"], "awarded");
    assert_eq!(s["awarded_vendor_id"], yunfan.as_str());
    assert_eq!(s["justification"], "综合得分第一，报价在预算内");
    let contract = s["contract_id"].as_str().expect("contract").to_owned();
    let c = app.get(&format!("/api/v1/contracts/{contract}")).bearer(&pm).send().await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text());
    let c = c.json();
    assert_eq!(c["state"], "draft");
    assert_eq!(c["direction"], "payable");
    assert_eq!(c["total"]["amount"], "96000.00", "the winning bid's price");
    assert_eq!(c["currency"], "CNY");
    assert_eq!(c["counterparty_id"], yunfan.as_str());
    assert_eq!(ids(&c["engagement_ids"]), vec![e.eng2.to_string()]);
    assert_eq!(c["title"], "调度端二期比选");
    assert_eq!(app.get(&engagement).bearer(&yunfan_mgr).send().await.status, StatusCode::OK, "a participant now");
    let v = app.get(&format!("/api/v1/vendors/{yunfan}")).bearer(&pm).send().await.json();
    assert_eq!(v["status"], "active", "a prospect qualified and activated by the award");
    let history =
        accord::vendors::directory::status_history(app.db(), yunfan.parse().expect("id")).await.expect("history");
    assert_eq!(history.len(), 2);
    // The loser learns the outcome, not the winner or the contract.
    let lost = app.get(&sel).bearer(&shuzhi_mgr).send().await.json();
    assert_eq!(lost["state"], "awarded");
    assert!(lost["awarded_vendor_id"].is_null() && lost["contract_id"].is_null(), "{lost}");
    let won = app.get(&sel).bearer(&yunfan_mgr).send().await.json();
    assert_eq!(won["awarded_vendor_id"], yunfan.as_str());
    assert_eq!(won["contract_id"], contract.as_str());
    let res = award(&pm, "再授一次，看看会怎样").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let res = app.post(&format!("{sel}/cancel")).bearer(&pm).json(json!({"reason": "预算取消"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "decided");
    use accord::contracts::entity::contract;
    assert_eq!(contract::Entity::find().count(app.db()).await.expect("count"), 1, "one contract only");

    // The trail kept each bid sealed (a seal, no price) and the award lists them as opened,
    // each with the seal recorded while it was sealed.
    use accord::audit::entity::event;
    use sea_orm::QueryOrder;
    let events = event::Entity::find().order_by_asc(event::Column::Id).all(app.db()).await.expect("audit");
    let seals: Vec<serde_json::Value> = events
        .iter()
        .filter(|e| e.action == "selection.bid")
        .filter_map(|e| e.after.as_deref().and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok()))
        .collect();
    assert!(!seals.is_empty());
    assert!(seals.iter().all(|a| a.get("price_minor").is_none() && a["sealed_sha256"].is_string()), "{seals:?}");
    let awarded = events.iter().rev().find(|e| e.action == "selection.award").expect("award event");
    let opened: serde_json::Value = serde_json::from_str(awarded.after.as_deref().expect("after")).expect("json");
    for bid in opened["bids"].as_array().expect("bids") {
        assert!(bid["price_minor"].is_i64(), "{bid}");
        assert!(seals.iter().any(|s| s["sealed_sha256"] == bid["sealed_sha256"]), "seal of {bid} recorded");
    }
});

// The scorecard of 数智 for 2026Q4 from facts made by hand on its own engagement, with the
// clock walked from October to the end of November.

db_test!(
    selections_refuse_closed_engagements_keep_cancelled_bids_sealed_and_follow_the_role,
    |app: TestApp| async move {
        use accord::engagements::entity::engagement;
        use sea_orm::{ActiveModelTrait, Set};
        let app = app.with_demo().await;
        let e = app.with_engagement().await;
        let pm = app.token("pm@xinghe.example").await;
        let admin = app.token("admin@xinghe.example").await;
        let yunfan_mgr = app.token("manager@yunfan.example").await;
        let yunfan = app.party_id("云帆").await.to_string();
        let input = |engagement: Option<String>| {
            json!({"title": "运维外包比选", "engagement_id": engagement, "deadline": "2026-12-31",
               "criteria": [{"name": "价格", "weight": 50}, {"name": "服务", "weight": 50}]})
        };
        let count = || async {
            app.get("/api/v1/selections").bearer(&pm).send().await.json()["items"].as_array().map_or(0, Vec::len)
        };
        let before = count().await;

        // An engagement that does not exist, or is archived, is no place to bring a winner: 422, not 500.
        let res = app.post("/api/v1/selections").bearer(&pm).json(input(Some("999999".into()))).send().await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
        assert_eq!(res.field_errors(), vec!["engagement_id"]);
        let archived = engagement::Entity::find_by_id(e.eng2).one(app.db()).await.expect("q").expect("eng2");
        let mut am: engagement::ActiveModel = archived.into();
        am.state = Set("archived".into());
        am.update(app.writer()).await.expect("archive");
        let res = app.post("/api/v1/selections").bearer(&pm).json(input(Some(e.eng2.to_string()))).send().await;
        assert_eq!(res.field_errors(), vec!["engagement_id"], "{}", res.text());
        assert_eq!(count().await, before, "nothing was created");

        // Cancelled while bidding: the host never reads the offers (a re-issued RFQ starts clean).
        let res = app.post("/api/v1/selections").bearer(&pm).json(input(Some(e.eng.to_string()))).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let sel = format!("/api/v1/selections/{}", id(&res.json()));
        let res = app.post(&format!("{sel}/invitations")).bearer(&pm).json(json!({"vendor_id": yunfan})).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let res = app
            .post(&format!("{sel}/bids"))
            .bearer(&yunfan_mgr)
            .json(json!({"price": {"amount": "88000"}, "summary": "驻场两人"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let res = app.post(&format!("{sel}/cancel")).bearer(&pm).json(json!({"reason": "需求取消"})).send().await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let host = app.get(&sel).bearer(&pm).send().await.json();
        assert_eq!(host["state"], "cancelled");
        assert_eq!(host["bids"], json!([]), "still sealed: {host}");
        let page = app.signed_in("pm@xinghe.example").await.get(&sel.replace("/api/v1", "")).await;
        assert!(!page.text().contains("88,000"), "nor on the page");
        let own = app.get(&sel).bearer(&yunfan_mgr).send().await.json();
        assert_eq!(own["bids"][0]["price"]["amount"], "88000.00", "the vendor still sees its own");

        // Running a selection goes with the role: the PM who opened one and is now a member may not.
        let res = app.post("/api/v1/selections").bearer(&pm).json(input(None)).send().await;
        let sel = format!("/api/v1/selections/{}", id(&res.json()));
        let pm_id = app.user_id("pm@xinghe.example").await;
        let res = app
            .req(axum::http::Method::PATCH, &format!("/api/v1/users/{pm_id}"))
            .bearer(&admin)
            .json(json!({"role": "member"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let res = app.post(&format!("{sel}/invitations")).bearer(&pm).json(json!({"vendor_id": yunfan})).send().await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text());
    }
);
