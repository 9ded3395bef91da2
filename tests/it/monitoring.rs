//! The portfolio board: each party sees the health, risks, issues by SLA state and warnings of
//! what is shared with it; the board's SLA counts agree with every issue's own clock as time
//! passes (the counts are SQL, the clocks Rust: this keeps them the same rule); SPI and CPI are
//! the host's and come from the day's earned-value snapshot, which also draws the S-curve's EV
//! history; the filters narrow the summary as well as the rows; the page.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::{db_test, support::*};

struct Board {
    eng: String,
    pm: String,
    vendor: String,
    client: String,
}

fn row<'a>(board: &'a Value, eng: &str) -> &'a Value {
    board["items"].as_array().expect("items").iter().find(|r| r["id"] == eng).expect("the engagement's row")
}

/// An engagement the PM owns, with the vendor 云帆 and the client 华东 taking part.
async fn engagement(app: &TestApp) -> Board {
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "MON-1", "name": "监控看板 Monitoring", "kind": "outsourced_development",
                     "start_date": "2026-11-02", "end_date": "2027-02-26", "health": "auto",
                     "owner_id": app.user_id("pm@xinghe.example").await.to_string()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let eng = res.json()["id"].as_str().expect("id").to_owned();
    for (party, relation) in [("云帆", "vendor"), ("华东", "client")] {
        let party_id = app.party_id(party).await.to_string();
        let res = app
            .post(&format!("/api/v1/engagements/{eng}/participants"))
            .bearer(&pm)
            .json(json!({"party_id": party_id, "relation": relation}))
            .send()
            .await;
        assert!(res.status.is_success(), "{}", res.text());
    }
    Board {
        eng,
        pm,
        vendor: app.token("manager@yunfan.example").await,
        client: app.token("manager@hdlogistics.example").await,
    }
}

async fn board(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/v1/monitoring?q=MON-1").bearer(token).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()
}

db_test!(each_party_sees_the_board_of_what_is_shared_with_it, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = engagement(&app).await;
    let risks = format!("/api/v1/engagements/{}/risks", b.eng);
    for (token, body) in [
        (
            &b.pm,
            json!({"title": "核心数据库单点故障", "category": "security", "probability": 4, "impact": 5, "strategy": "mitigate"}),
        ),
        (
            &b.pm,
            json!({"title": "联调环境不足", "category": "schedule", "probability": 4, "impact": 4, "strategy": "mitigate", "visibility": "participants"}),
        ),
        (
            &b.vendor,
            json!({"title": "关键开发人员可能离职", "category": "vendor", "probability": 2, "impact": 3, "strategy": "accept"}),
        ),
    ] {
        let res = app.post(&risks).bearer(token).json(body).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let res = app.post(&format!("/api/v1/engagements/{}/warnings/evaluate", b.eng)).bearer(&b.pm).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    let pm = board(&app, &b.pm).await;
    let mine = row(&pm, &b.eng);
    assert_eq!((mine["risks"]["live"].as_u64(), mine["risks"]["high"].as_u64()), (Some(3), Some(2)), "{mine}");
    assert_eq!(mine["risks"]["top"]["title"], "核心数据库单点故障");
    assert_eq!(mine["risks"]["top"]["score"], 20);
    assert_eq!(mine["health"], "red");
    assert!(mine["health_reasons"].to_string().contains("核心数据库单点故障"), "{mine}");
    // Red at 20, amber at 16.
    assert_eq!((mine["warnings"]["red"].as_u64(), mine["warnings"]["amber"].as_u64()), (Some(1), Some(1)), "{mine}");
    // The summary counts the filtered portfolio: this engagement alone.
    assert_eq!(pm["summary"]["engagements"]["total"], 1);
    assert_eq!((pm["summary"]["risks_live"].as_u64(), pm["summary"]["risks_high"].as_u64()), (Some(3), Some(2)));
    assert_eq!(pm["top_risks"][0]["engagement_code"], "MON-1");

    let vendor = board(&app, &b.vendor).await;
    let theirs = row(&vendor, &b.eng);
    assert_eq!((theirs["risks"]["live"].as_u64(), theirs["risks"]["high"].as_u64()), (Some(2), Some(1)), "{theirs}");
    assert_eq!(theirs["risks"]["top"]["title"], "联调环境不足");
    assert_eq!(theirs["warnings"]["red"].as_u64().unwrap_or(0) + theirs["warnings"]["amber"].as_u64().unwrap_or(0), 1);
    assert!(theirs["spi"].is_null() && theirs["cpi"].is_null());
    let text = vendor.to_string();
    assert!(!text.contains("核心数据库单点故障"), "an internal risk leaks: {text}");
    let client = board(&app, &b.client).await;
    let seen = row(&client, &b.eng);
    assert_eq!((seen["risks"]["live"].as_u64(), seen["risks"]["high"].as_u64()), (Some(1), Some(1)), "{seen}");
    assert!(!client.to_string().contains("关键开发人员可能离职"), "the vendor's own risk leaks to the client");

    // The pages: SPI/CPI columns for the host only; the internal risk stays out of the vendor's.
    let page = app.get("/monitoring?q=MON-1").bearer(&b.pm).send().await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains(">SPI</abbr>") && html.contains("核心数据库单点故障"), "{html}");
    let html = app.get("/monitoring?q=MON-1").bearer(&b.vendor).send().await.text();
    assert!(!html.contains(">SPI</abbr>") && !html.contains("核心数据库单点故障") && html.contains("联调环境不足"));
    let html = app.get("/monitoring?q=no-such-engagement").bearer(&b.pm).send().await.text();
    assert!(html.contains("class=\"empty\""), "an empty filter says so");
    let res = app.get("/api/v1/monitoring?limit=0").bearer(&b.pm).send().await;
    assert_eq!(res.field_errors(), vec!["limit"]);
    assert_eq!(app.get("/api/v1/monitoring").send().await.status, StatusCode::UNAUTHORIZED);
});

/// Every live issue's own SLA state (through the issue API), counted, as `viewer` sees them.
async fn clocks(app: &TestApp, eng: &str, token: &str) -> [u64; 3] {
    let list = app.get(&format!("/api/v1/engagements/{eng}/issues?status=live")).bearer(token).send().await.json();
    let mut out = [0; 3];
    for i in list["items"].as_array().expect("items") {
        if i["status"] == "resolved" {
            continue;
        }
        match i["sla"]["state"].as_str() {
            Some("ok") => out[0] += 1,
            Some("at_risk") => out[1] += 1,
            Some("breached") => out[2] += 1,
            other => panic!("state {other:?}"),
        }
    }
    out
}

db_test!(sla_counts_agree_with_each_issues_clock_as_time_passes, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = engagement(&app).await;
    let issues = format!("/api/v1/engagements/{}/issues", b.eng);
    // Monday 23 November 2026, 17:00 in Shanghai.
    let mut ids = Vec::new();
    for (token, title, severity) in [
        (&b.pm, "生产环境宕机", "critical"),
        (&b.vendor, "需求口径与客户不一致", "high"),
        (&b.client, "验收标准不清楚", "low"),
    ] {
        let res = app
            .post(&issues)
            .bearer(token)
            .json(json!({"title": title, "kind": "issue", "severity": severity}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        ids.push(res.json()["id"].as_str().expect("id").to_owned());
    }
    let check = |label: &'static str| {
        let app = &app;
        let b = &b;
        async move {
            for token in [&b.pm, &b.vendor, &b.client] {
                let want = clocks(app, &b.eng, token).await;
                let board = board(app, token).await;
                let r = row(&board, &b.eng);
                let got = [
                    r["issues"]["ok"].as_u64().unwrap_or(99),
                    r["issues"]["at_risk"].as_u64().unwrap_or(99),
                    r["issues"]["breached"].as_u64().unwrap_or(99),
                ];
                assert_eq!(got, want, "{label}: the board disagrees with the issues' clocks: {r}");
                let s = &board["summary"]["issues"];
                assert_eq!(
                    [s["ok"].as_u64(), s["at_risk"].as_u64(), s["breached"].as_u64()],
                    want.map(Some),
                    "{label}"
                );
            }
            clocks(app, &b.eng, &b.pm).await
        }
    };
    assert_eq!(check("raised").await, [3, 0, 0]);
    // 17:50: three quarters of the critical issue's hour to respond are gone.
    app.clock.advance(Duration::minutes(50));
    assert_eq!(check("17:50").await, [2, 1, 0]);
    // 19:00: its response is late.
    app.clock.advance(Duration::minutes(70));
    assert_eq!(check("19:00").await, [2, 0, 1]);
    // Tuesday 11:30: the vendor's issue has used 3.5 of its 4 hours to respond; the PM answers it.
    app.clock.advance(Duration::hours(16) + Duration::minutes(30));
    assert_eq!(check("Tuesday 11:30").await, [1, 1, 1]);
    let res = app
        .patch(&format!("/api/v1/issues/{}", ids[1]))
        .bearer(&b.pm)
        .json(json!({"status": "responded"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(check("responded in time").await, [2, 0, 1]);
    // A week later every clock has run out; resolving one takes it off the board.
    app.clock.advance(Duration::days(7));
    assert_eq!(check("a week later").await, [0, 0, 3]);
    let res = app
        .patch(&format!("/api/v1/issues/{}", ids[0]))
        .bearer(&b.pm)
        .json(json!({"status": "resolved", "resolution": "已回滚并修复"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(check("resolved").await, [0, 0, 2]);
});

db_test!(spi_and_cpi_come_from_the_days_snapshot_which_draws_ev_history, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = engagement(&app).await;
    let eng = format!("/api/v1/engagements/{}", b.eng);
    let res = app
        .post(&format!("{eng}/tasks"))
        .bearer(&b.pm)
        .json(json!({"name": "开发", "start_date": "2026-11-02", "finish_date": "2026-12-31"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let task = res.json()["id"].as_str().expect("task").to_owned();
    assert!(row(&board(&app, &b.pm).await, &b.eng)["spi"].is_null(), "no budget, nothing measured");
    let res = app
        .req(axum::http::Method::PUT, &format!("{eng}/budget"))
        .bearer(&b.pm)
        .json(json!({"lines": [{"category": "labour", "amount": {"amount": "100000", "currency": "CNY"}}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // The budget's write queued the evaluation, which keeps the day's figures.
    app.run_jobs().await;
    let evm = app.get(&format!("{eng}/evm")).bearer(&b.pm).send().await.json();
    let r = row(&board(&app, &b.pm).await, &b.eng).clone();
    assert_eq!(r["spi"], evm["spi"], "{r} vs {evm}");
    assert_eq!(r["evm_as_of"], "2026-11-23");
    assert_eq!(r["spi"].as_f64(), Some(0.0), "nothing earned yet");

    // Two days later, half done: the S-curve draws EV through the kept days.
    app.clock.advance(Duration::days(2));
    let res = app.patch(&format!("{eng}/tasks/{task}")).bearer(&b.pm).json(json!({"progress": 50})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    app.post(&format!("{eng}/warnings/evaluate")).bearer(&b.pm).send().await;
    let r = row(&board(&app, &b.pm).await, &b.eng).clone();
    assert_eq!(r["evm_as_of"], "2026-11-25");
    assert!(r["spi"].as_f64().is_some_and(|s| s > 1.0), "half done by the end of November's third week: {r}");
    let svg = app.get(&format!("{eng}/evm/s-curve.svg")).bearer(&b.pm).send().await.text();
    assert!(svg.contains("series-ev-history"), "{svg}");
    // Costs are the host's: the others' rows carry no index and their S-curve is not found.
    assert!(row(&board(&app, &b.vendor).await, &b.eng)["spi"].is_null());
    assert_eq!(app.get(&format!("{eng}/evm/s-curve.svg")).bearer(&b.vendor).send().await.status, StatusCode::NOT_FOUND);
});
