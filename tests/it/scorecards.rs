//! Scorecards (issue 7): computed from one quarter of hand-made delivery facts, published to
//! the vendor, never to anyone else.

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{db_test, support::*, vendors::at};

db_test!(a_scorecard_from_one_quarter_of_facts, |app: TestApp| async move {
    use accord::{
        acceptance::service as acceptance,
        changes::service as changes,
        domain::Id,
        engagements::{deliverables, plan, service},
    };
    at(&app, 2026, 10, 5);
    let app = app.with_demo().await;
    let admin = app.viewer("admin@xinghe.example").await;
    let manager = app.viewer("manager@shuzhi.example").await;
    let shuzhi = app.party_id("数智").await;
    let input = service::EngagementInput {
        code: Some("ENG-S".into()),
        name: Some("测试外包 QA outsourcing".into()),
        kind: Some("outsourced_development".into()),
        start_date: Some("2026-10-01".into()),
        end_date: Some("2027-03-31".into()),
        ..Default::default()
    };
    let eng = service::create(&app.state, &admin, input).await.expect("engagement").id;
    let join = service::ParticipantInput { party_id: Id(shuzhi), relation: "vendor".into() };
    service::add_participant(&app.state, &admin, eng, join).await.expect("participant");
    let milestone = |name: &str, due: &str, owner: Option<i64>| plan::MilestoneInput {
        name: name.into(),
        due_date: due.into(),
        owner_party_id: owner.map(Id),
        ..Default::default()
    };
    let mut m = Vec::new();
    for (name, due, owner) in [
        ("需求分析 analysis", "2026-11-10", Some(shuzhi)),
        ("原型评审 prototype", "2026-11-15", Some(shuzhi)),
        ("接口联调 integration", "2026-11-18", Some(shuzhi)),
        ("性能测试 load test", "2026-12-20", Some(shuzhi)),
        ("上线 go-live", "2027-01-10", Some(shuzhi)),
        ("内部验收 host's own", "2026-11-01", None),
    ] {
        m.push(
            plan::create_milestone(&app.state, &admin, eng, milestone(name, due, owner)).await.expect("milestone").id,
        );
    }
    let set_milestone = |id: i64, status: &str| {
        let patch = plan::MilestonePatch { status: Some(status.into()), ..Default::default() };
        plan::update_milestone(&app.state, &admin, eng, id, patch)
    };
    let deliverable = |name: &str, criteria: &[&str]| deliverables::DeliverableInput {
        name: name.into(),
        due_date: "2026-11-30".into(),
        owner_party_id: Some(Id(shuzhi)),
        criteria: criteria.iter().map(|c| (*c).to_owned()).collect(),
        ..Default::default()
    };
    let d1 = deliverables::create(&app.state, &admin, eng, deliverable("测试方案 test plan", &["覆盖主流程"]))
        .await
        .expect("d1");
    let d2 = deliverables::create(
        &app.state,
        &admin,
        eng,
        deliverable("测试报告 test report", &["用例齐全", "缺陷已登记", "附性能数据"]),
    )
    .await
    .expect("d2");
    let submit = |d: i64| {
        let input = acceptance::SubmitInput { stage: "initial".into(), ..Default::default() };
        acceptance::submit(&app.state, &manager, d, input)
    };
    let decide = |a: i64, failed: &'static [usize], outcome: &'static str| {
        let app = &app;
        let admin = &admin;
        async move {
            let items = acceptance::items(app.db(), a).await.expect("items");
            let results = items
                .iter()
                .enumerate()
                .map(|(i, it)| acceptance::ItemResult {
                    id: Id(it.id),
                    passed: !failed.contains(&i),
                    note: failed.contains(&i).then(|| format!("第 {} 项未通过", i + 1)),
                    severity: None,
                })
                .collect();
            let input = acceptance::ResultInput { items: results, outcome: outcome.into(), conditions: None };
            acceptance::record_results(&app.state, admin, a, input).await.expect("result");
        }
    };

    // 11-05: M1 achieved five days early; 测试方案 submitted, accepted the next day.
    at(&app, 2026, 11, 5);
    set_milestone(m[0], "achieved").await.expect("m1");
    let a1 = submit(d1.id).await.expect("submit d1").id;
    at(&app, 2026, 11, 6);
    decide(a1, &[], "accepted").await;
    // 11-08 … 11-17: 测试报告 rejected at round 1 (two items fail: two defects), accepted at round 2.
    at(&app, 2026, 11, 8);
    let a2 = submit(d2.id).await.expect("submit d2").id;
    at(&app, 2026, 11, 10);
    decide(a2, &[1, 2], "rejected").await;
    at(&app, 2026, 11, 12);
    let raised = changes::ChangeInput {
        title: "增加兼容性测试 compatibility".into(),
        reason: "客户新增机型".into(),
        ..Default::default()
    };
    changes::create(&app.state, &manager, eng, raised).await.expect("vendor's change");
    let ours =
        changes::ChangeInput { title: "缩减范围 trim".into(), reason: "预算".into(), ..Default::default() };
    changes::create(&app.state, &admin, eng, ours).await.expect("host's change (not the vendor's)");
    at(&app, 2026, 11, 14);
    let a3 = submit(d2.id).await.expect("resubmit d2").id;
    at(&app, 2026, 11, 17);
    decide(a3, &[], "accepted").await;
    // 11-20: M2 achieved five days late, M3 missed; the host's own milestone does not count.
    at(&app, 2026, 11, 20);
    set_milestone(m[1], "achieved").await.expect("m2");
    set_milestone(m[2], "missed").await.expect("m3");
    set_milestone(m[5], "achieved").await.expect("host's");
    // 11-25: a defect found later in 测试方案; 11-26: go-live (due next quarter) achieved early.
    at(&app, 2026, 11, 25);
    let found = accord::acceptance::defects::DefectInput {
        deliverable_id: Some(Id(d1.id)),
        title: "测试方案缺少回归范围".into(),
        severity: Some("minor".into()),
        ..Default::default()
    };
    accord::acceptance::defects::create(&app.state, &admin, eng, found).await.expect("defect");
    at(&app, 2026, 11, 26);
    set_milestone(m[4], "achieved").await.expect("m5");
    // 11-27: the QA contract is signed; two installments have fallen due (10-20, 11-20), the
    // third (01-20) is next quarter's. The host disputes the first (a wrong invoice: 数智's
    // fault); 数智 disputes the second (paid late: the host's fault); neither is 数智's doing.
    at(&app, 2026, 11, 27);
    let (qa_contract, inst) = app
        .signed_vendor_contract(
            eng,
            "manager@shuzhi.example",
            "QA-2026-04",
            &["2026-10-20", "2026-11-20", "2027-01-20"],
        )
        .await;
    {
        use accord::contracts::disputes::{self, DisputeInput, ResolveInput};
        let raise = |who, i, reason: &str| {
            disputes::raise(&app.state, who, i, DisputeInput { reason: reason.into(), amount: None })
        };
        let settle = |d, fault: &str| {
            let input = ResolveInput { fault: fault.into(), resolution: "已协商".into() };
            disputes::resolve(&app.state, &admin, d, input)
        };
        let d1 = raise(&admin, inst[0], "发票金额与合同不符").await.expect("d1").id;
        settle(d1, "counterparty").await.expect("settle d1");
        let d2 = raise(&manager, inst[1], "逾期付款").await.expect("d2").id;
        settle(d2, "host").await.expect("settle d2");
        // Withdrawn ones count for nothing.
        let d3 = raise(&manager, inst[1], "重复提出").await.expect("d3").id;
        disputes::withdraw(&app.state, &manager, d3).await.expect("withdraw");
    }

    // Manual evaluations from the quarterly template (质量 30, 交付 25, 沟通 20, 配合 15, 合规 10).
    let admin_t = app.token("admin@xinghe.example").await;
    let pm_t = app.token("pm@xinghe.example").await;
    let templates = app.get("/api/v1/evaluation-templates?kind=evaluation").bearer(&admin_t).send().await.json();
    let quarterly = templates["items"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["key"] == "quarterly").cloned())
        .expect("quarterly template");
    let names: Vec<String> = quarterly["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or("").into())
        .collect();
    let weights: Vec<i64> =
        quarterly["criteria"].as_array().expect("criteria").iter().map(|c| c["weight"].as_i64().unwrap_or(0)).collect();
    assert_eq!(weights, vec![30, 25, 20, 15, 10]);
    let evaluate = |token: &str, period: &str, scores: [u32; 5]| {
        let scores: Vec<Value> = names.iter().zip(scores).map(|(n, s)| json!({"criterion": n, "score": s})).collect();
        app.post(&format!("/api/v1/vendors/{shuzhi}/evaluations"))
            .bearer(token)
            .json(json!({"period": period, "template": "quarterly", "scores": scores, "comment": "按季度评价"}))
            .send()
    };
    let res = evaluate(&admin_t, "2026Q4", [10, 10, 10, 10, 10]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    // Replaced: 90×30 + 80×25 + 70×20 + 60×15 + 50×10 = 7500 → 75.
    let res = evaluate(&admin_t, "2026Q4", [90, 80, 70, 60, 50]).await;
    assert_eq!(res.json()["total"].as_f64(), Some(75.0), "{}", res.text());
    // 80×30 + 80×25 + 80×20 + 80×15 + 100×10 = 8200 → 82.
    let res = evaluate(&pm_t, "2026Q4", [80, 80, 80, 80, 100]).await;
    assert_eq!(res.json()["total"].as_f64(), Some(82.0), "{}", res.text());
    // Another quarter's evaluation does not count in this one.
    let res = evaluate(&pm_t, "2026Q3", [0, 0, 0, 0, 0]).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = evaluate(&app.token("manager@shuzhi.example").await, "2026Q4", [100, 100, 100, 100, 100]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a vendor does not evaluate itself");

    at(&app, 2026, 11, 30);
    let card_url = format!("/api/v1/vendors/{shuzhi}/scorecard?period=2026Q4");
    let res = app.get(&card_url).bearer(&pm_t).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let card = res.json();
    assert_eq!(card["period"], "2026Q4");
    let kpi = |key: &str| -> Value {
        card["kpis"].as_array().and_then(|a| a.iter().find(|k| k["key"] == key).cloned()).expect(key)
    };
    let score = |key: &str| kpi(key)["score"].as_f64();
    let close = |got: Option<f64>, want: f64, what: &str| {
        let got = got.unwrap_or_else(|| panic!("{what}: no score in {card}"));
        assert!((got - want).abs() < 1e-9, "{what}: {got} ≠ {want}");
    };
    let facts = |key: &str| -> Vec<(String, bool, String)> {
        kpi(key)["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .map(|f| {
                (
                    f["label"].as_str().unwrap_or("").to_owned(),
                    f["good"].as_bool().unwrap_or(false),
                    f["note"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let fact = |l: &str, g: bool, n: &str| (l.to_owned(), g, n.to_owned());
    // On time: M1 early (good), M2 late, M3 missed; M4 is not due yet, M5 falls in 2027Q1, the
    // host's own milestone is not 数智's. 1/3 → 33.33…
    assert_eq!(kpi("on_time")["value"], "1/3");
    close(score("on_time"), 100.0 / 3.0, "on_time");
    assert_eq!(
        facts("on_time"),
        vec![
            fact("需求分析 analysis", true, "2026-11-10 → 2026-11-05"),
            fact("原型评审 prototype", false, "2026-11-15 → 2026-11-20"),
            fact("接口联调 integration", false, "2026-11-18 → missed"),
        ]
    );
    // First pass: 测试方案 accepted at round 1, 测试报告 rejected at round 1. 1/2 → 50.
    assert_eq!(kpi("first_pass")["value"], "1/2");
    close(score("first_pass"), 50.0, "first_pass");
    assert_eq!(
        facts("first_pass"),
        vec![fact("测试方案 test plan", true, "accepted"), fact("测试报告 test report", false, "rejected")]
    );
    // Rounds to acceptance: 1 and 2, mean 1.5 → 100 − 25 × 0.5 = 87.5.
    assert_eq!(kpi("rounds")["value"], "1.5");
    close(score("rounds"), 87.5, "rounds");
    // Defects: two from the rejection, one found later, over the two deliverables decided or
    // faulted in the quarter: 3 / 2 = 1.5 → 100 − 20 × 1.5 = 70.
    assert_eq!(kpi("defects")["value"], "3/2 = 1.50");
    close(score("defects"), 70.0, "defects");
    assert_eq!(kpi("defects")["facts"].as_array().map(Vec::len), Some(3));
    // Changes the vendor raised: one (the host's own does not count) → 100 − 15 = 85.
    assert_eq!(kpi("changes")["value"], "1");
    close(score("changes"), 85.0, "changes");
    assert_eq!(facts("changes").len(), 1);
    assert!(facts("changes")[0].0.contains("增加兼容性测试"));
    // Manual: the mean of 75 and 82 → 78.5.
    assert_eq!(kpi("manual")["value"], "78.5");
    close(score("manual"), 78.5, "manual");
    // Each evaluation by period, template and total; who scored it stays the host's (the card may
    // be published to the vendor).
    assert_eq!(facts("manual"), vec![fact("2026Q4 · 季度评价", true, "75.0"), fact("2026Q4 · 季度评价", true, "82.0")]);
    // The year's card takes the quarters' evaluations: (0 + 75 + 82) / 3.
    let year = app.get(&format!("/api/v1/vendors/{shuzhi}/scorecard?period=2026")).bearer(&pm_t).send().await.json();
    let manual =
        year["kpis"].as_array().and_then(|a| a.iter().find(|k| k["key"] == "manual").cloned()).expect("manual");
    assert_eq!(manual["facts"].as_array().map(Vec::len), Some(3), "{manual}");
    assert!((manual["score"].as_f64().expect("score") - 157.0 / 3.0).abs() < 1e-9, "{manual}");
    // Payments without dispute: the two installments due in the quarter; the first's dispute was
    // 数智's fault. 1/2 → 50. The next quarter's installment is not a fact here.
    assert_eq!(kpi("disputes")["value"], "1/2");
    close(score("disputes"), 50.0, "disputes");
    assert_eq!(
        facts("disputes"),
        vec![
            fact("QA-2026-04 · 款项 2026-10-20", false, "2026-10-20 · counterparty"),
            fact("QA-2026-04 · 款项 2026-11-20", true, "2026-11-20 · host · withdrawn"),
        ]
    );
    assert_eq!(
        kpi("disputes")["facts"][0]["url"].as_str(),
        Some(format!("/contracts/{qa_contract}#installment-{}", inst[0]).as_str())
    );
    // The page says the facts' machine words in the viewer's language.
    let page =
        app.signed_in("pm@xinghe.example").await.get(&format!("/vendors/{shuzhi}/scorecard?period=2026Q4")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for words in ["2026-10-20 · 供应商责任", "2026-11-20 · 主办方责任 · 争议已撤回", "不通过", "2026-11-18 → 未达成"]
    {
        assert!(html.contains(words), "{words}");
    }
    assert!(!html.contains("· counterparty") && !html.contains("→ missed"), "no machine words");
    // No records exist for these yet: no figure, out of the total.
    for key in ["sla", "satisfaction"] {
        assert!(kpi(key)["score"].is_null(), "{key}");
        assert_eq!(kpi(key)["value"], "", "{key}");
    }
    let weights: Vec<(String, i64)> = card["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .map(|k| (k["key"].as_str().unwrap_or("").to_owned(), k["weight"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(
        weights,
        [
            ("on_time", 25),
            ("first_pass", 20),
            ("rounds", 10),
            ("defects", 15),
            ("sla", 5),
            ("changes", 5),
            ("satisfaction", 5),
            ("disputes", 5),
            ("manual", 10)
        ]
        .map(|(k, w)| (k.to_owned(), w))
    );
    // Total over the KPIs with facts, weights 25 + 20 + 10 + 15 + 5 + 5 + 10 = 90:
    // (25 × 100/3 + 20 × 50 + 10 × 87.5 + 15 × 70 + 5 × 85 + 5 × 50 + 10 × 78.5) / 90
    // = (2500/3 + 1000 + 875 + 1050 + 425 + 250 + 785) / 90 = (2500 + 13155) / 270 = 3131/54 ≈ 57.98 → D.
    close(card["total"].as_f64(), 3131.0 / 54.0, "total");
    assert_eq!(card["grade"], "D");

    // The vendor sees nothing until the host publishes; clients and other vendors never.
    let shuzhi_mgr = app.token("manager@shuzhi.example").await;
    let shuzhi_qa = app.token("qa@shuzhi.example").await;
    for email in ["manager@shuzhi.example", "manager@hdlogistics.example", "manager@yunfan.example"] {
        let res = app.get(&card_url).bearer(&app.token(email).await).send().await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{email} before publishing");
    }
    let publish = format!("/api/v1/vendors/{shuzhi}/scorecard/publish");
    let res = app.post(&publish).bearer(&shuzhi_mgr).json(json!({"period": "2026Q4"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .post(&publish)
        .bearer(&app.token("member@xinghe.example").await)
        .json(json!({"period": "2026Q4"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a host member does not publish");
    use accord::mail::entity::outbox_email;
    let mails_to_manager = || {
        outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq("manager@shuzhi.example"))
            .count(app.db())
    };
    let before = mails_to_manager().await.expect("outbox");
    let res = app.post(&publish).bearer(&pm_t).json(json!({"period": "2026Q4"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), card, "published as it stands");
    assert_eq!(mails_to_manager().await.expect("outbox"), before + 1, "the vendor's manager hears of it");
    for token in [&shuzhi_mgr, &shuzhi_qa] {
        let res = app.get(&card_url).bearer(token).send().await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(res.json(), card);
    }
    for email in ["manager@hdlogistics.example", "member@hdlogistics.example", "manager@yunfan.example"] {
        let res = app.get(&card_url).bearer(&app.token(email).await).send().await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{email} after publishing");
    }
    let q3 = app.get(&format!("/api/v1/vendors/{shuzhi}/scorecard?period=2026Q3")).bearer(&shuzhi_mgr).send().await;
    assert_eq!(q3.status, StatusCode::NOT_FOUND, "another period is not published");

    // Later facts move the host's live figure, not the vendor's published snapshot.
    let res = evaluate(&admin_t, "2026Q4", [100, 100, 100, 100, 100]).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let live = app.get(&card_url).bearer(&pm_t).send().await.json();
    // Manual now (100 + 82) / 2 = 91: the total rises by 10 × (91 − 78.5) / 90 = 125/90.
    close(live["total"].as_f64(), 3131.0 / 54.0 + 125.0 / 90.0, "live total");
    assert_eq!(app.get(&card_url).bearer(&shuzhi_mgr).send().await.json(), card, "the snapshot stays");

    // The ranking reads every vendor's facts at once; each row agrees with that vendor's own card.
    let ranking = app.get("/api/v1/vendor-ranking?period=2026Q4").bearer(&pm_t).send().await;
    assert_eq!(ranking.status, StatusCode::OK, "{}", ranking.text());
    let rows = ranking.json()["items"].as_array().cloned().expect("items");
    assert_eq!(rows[0]["rank"], 1);
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.iter().any(|r| r["vendor_id"] == shuzhi.to_string().as_str()), "{rows:?}");
    // Ranked by total: a vendor with a figure before any without one, the higher figure first.
    let totals: Vec<Option<f64>> = rows.iter().map(|r| r["total"].as_f64()).collect();
    for pair in totals.windows(2) {
        match (pair[0], pair[1]) {
            (Some(a), Some(b)) => assert!(a >= b, "{totals:?}"),
            (None, Some(_)) => panic!("a vendor without facts ranks above one with facts: {totals:?}"),
            _ => {}
        }
    }
    for r in &rows {
        let id = r["vendor_id"].as_str().expect("id");
        let one = app.get(&format!("/api/v1/vendors/{id}/scorecard?period=2026Q4")).bearer(&pm_t).send().await.json();
        assert_eq!(r["total"], one["total"], "vendor {id}");
        assert_eq!(r["grade"], one["grade"], "vendor {id}");
    }
    // Within a category: only the vendors offering it.
    let res = app
        .req(axum::http::Method::PATCH, &format!("/api/v1/vendors/{shuzhi}"))
        .bearer(&pm_t)
        .json(json!({"categories": ["testing"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let testing = app.get("/api/v1/vendor-ranking?period=2026Q4&category=testing").bearer(&pm_t).send().await.json();
    let ids: Vec<&str> =
        testing["items"].as_array().expect("items").iter().filter_map(|r| r["vendor_id"].as_str()).collect();
    assert_eq!(ids, vec![shuzhi.to_string().as_str()]);
});

db_test!(bulk_vendors_for_the_bench_have_a_fact_behind_every_kpi, |app: TestApp| async move {
    let app = app.with_demo().await;
    let made = accord::demo::seed_bulk_vendors(&app.state, 3).await.expect("seed");
    assert_eq!(made.vendors, 3);
    let pm = app.token("pm@xinghe.example").await;
    let card = app
        .get(&format!("/api/v1/vendors/{}/scorecard?period={}", made.first_vendor_id, made.period))
        .bearer(&pm)
        .send()
        .await
        .json();
    let values: Vec<(String, String)> = card["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .map(|k| (k["key"].as_str().unwrap_or("").to_owned(), k["value"].as_str().unwrap_or("").to_owned()))
        .collect();
    let want = [
        ("on_time", "4/6"),
        ("first_pass", "2/3"),
        ("rounds", "1.3"),
        ("defects", "3/3 = 1.00"),
        ("sla", ""),
        ("changes", "2"),
        ("satisfaction", ""),
        ("disputes", "3/4"),
        ("manual", "82.0"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(values, want, "{card}");
    // All three in the ranking, read at once, each with a total.
    let ranking = app.get(&format!("/api/v1/vendor-ranking?period={}", made.period)).bearer(&pm).send().await.json();
    let bench: Vec<&Value> = ranking["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|r| r["name"].as_str().is_some_and(|n| n.contains("Bench vendor")))
        .collect();
    assert_eq!(bench.len(), 3);
    assert!(bench.iter().all(|r| r["total"].as_f64().is_some()), "{bench:?}");
});

db_test!(the_sla_kpi_reads_the_issue_log, |app: TestApp| async move {
    // Monday 2 November 2026, 17:00 in Shanghai.
    at(&app, 2026, 11, 2);
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let shuzhi = app.party_id("数智").await;
    let mgr = app.token("manager@shuzhi.example").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "SLA-1", "name": "SLA 考核", "kind": "outsourced_development",
                     "start_date": "2026-10-01", "end_date": "2027-03-31"}))
        .send()
        .await;
    let eng = res.json()["id"].as_str().expect("id").to_owned();
    app.post(&format!("/api/v1/engagements/{eng}/participants"))
        .bearer(&pm)
        .json(json!({"party_id": shuzhi.to_string(), "relation": "vendor"}))
        .send()
        .await;
    let theirs = app.user_id("manager@shuzhi.example").await.to_string();
    let ours = app.user_id("pm@xinghe.example").await.to_string();
    let mut ids = Vec::new();
    for (title, severity, owner) in
        [("接口超时", "high", &theirs), ("测试数据缺失", "medium", &theirs), ("主办方内部审批慢", "high", &ours)]
    {
        let res = app
            .post(&format!("/api/v1/engagements/{eng}/issues"))
            .bearer(&pm)
            .json(json!({"title": title, "kind": "issue", "severity": severity, "owner_id": owner}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        ids.push(res.json()["id"].as_str().expect("id").to_owned());
    }
    // Half an hour later 数智 answers and resolves the first; the second it leaves open.
    app.clock.advance(chrono::Duration::minutes(30));
    let res = app
        .patch(&format!("/api/v1/issues/{}", ids[0]))
        .bearer(&mgr)
        .json(json!({"status": "resolved", "resolution": "已扩容网关"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    at(&app, 2026, 12, 1);
    let card = app.get(&format!("/api/v1/vendors/{shuzhi}/scorecard?period=2026Q4")).bearer(&pm).send().await.json();
    let sla = card["kpis"].as_array().and_then(|a| a.iter().find(|k| k["key"] == "sla").cloned()).expect("sla");
    assert_eq!((sla["value"].as_str(), sla["score"].as_f64()), (Some("1/2"), Some(50.0)), "{sla}");
    let facts: Vec<(String, bool, String)> = sla["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .map(|f| {
            (
                f["label"].as_str().unwrap_or("").to_owned(),
                f["good"].as_bool().unwrap_or(true),
                f["note"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        facts,
        vec![
            ("I-001 接口超时".to_owned(), true, "high".to_owned()),
            ("I-002 测试数据缺失".to_owned(), false, "medium · response_breached · resolution_open".to_owned()),
        ],
        "the host's own issue is not 数智's to keep"
    );
});
