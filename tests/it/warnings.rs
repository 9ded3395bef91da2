//! Early warning: a high risk raises a warning through the job queue after its write, tells the
//! PM in-app and by mail, colours the derived health with its reason, stays inside the risk's
//! audience, and clears itself when the risk closes; CPI and SPI against tuned thresholds; the
//! rules' validation; the page.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn messages(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .map(|a| a.iter().map(|w| w["message"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

db_test!(a_high_risk_warns_colours_health_and_clears_itself, |app: TestApp| async move {
    let app = app.with_demo().await;
    let (pm, vendor) = (app.token("pm@xinghe.example").await, app.token("manager@yunfan.example").await);
    // A fresh engagement the PM owns, with nothing late, the vendor taking part.
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "EW-2", "name": "预警", "kind": "outsourced_development", "start_date": "2026-11-01",
                     "end_date": "2027-06-30", "health": "auto", "owner_id": app.user_id("pm@xinghe.example").await.to_string()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let eng = format!("/api/v1/engagements/{}", res.json()["id"].as_str().expect("id"));
    let vendor_party = app.party_id("云帆").await.to_string();
    let res = app
        .post(&format!("{eng}/participants"))
        .bearer(&pm)
        .json(json!({"party_id": vendor_party, "relation": "vendor"}))
        .send()
        .await;
    assert!(res.status.is_success(), "{}", res.text());
    let before = app.post(&format!("{eng}/warnings/evaluate")).bearer(&pm).send().await.json();
    assert_eq!(messages(&before), Vec::<String>::new());
    assert_eq!(app.get(&eng).bearer(&pm).send().await.json()["health"], "green");

    // An internal risk scoring 20: the write queues the evaluation; the worker raises a red warning.
    let res = app
        .post(&format!("{eng}/risks"))
        .bearer(&pm)
        .json(json!({"title": "核心数据库单点故障", "category": "security", "probability": 4, "impact": 5, "strategy": "mitigate"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let risk = res.json()["id"].as_str().expect("risk").to_owned();
    app.run_jobs().await;
    let after = app.get(&format!("{eng}/warnings")).bearer(&pm).send().await.json();
    let new: Vec<String> = messages(&after).into_iter().filter(|m| !messages(&before).contains(m)).collect();
    assert_eq!(new.len(), 1, "{after}");
    assert!(new[0].contains("核心数据库单点故障") && new[0].contains("20"), "{new:?}");
    let w = after["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|w| w["rule"] == "risk_high")
        .expect("risk warning")
        .clone();
    assert_eq!(w["severity"], "red");
    // The engagement is red, and says why; the vendor sees neither the warning nor the reason.
    let seen = app.get(&eng).bearer(&pm).send().await.json();
    assert_eq!(seen["health"], "red");
    assert!(seen["health_reasons"].to_string().contains("核心数据库单点故障"), "{seen}");
    let theirs = app.get(&eng).bearer(&vendor).send().await.json();
    assert!(!theirs["health_reasons"].to_string().contains("核心数据库单点故障"), "{theirs}");
    assert!(!app.get(&format!("{eng}/warnings")).bearer(&vendor).send().await.text().contains("核心数据库单点故障"));
    // The PM was told, once, in-app and by mail; evaluating again raises nothing new.
    let notices = app.get("/api/v1/notifications").bearer(&pm).send().await.json();
    assert!(notices.to_string().contains("\"warning\""), "{notices}");
    let again = app.post(&format!("{eng}/warnings/evaluate")).bearer(&pm).send().await.json();
    assert_eq!(messages(&again), messages(&after));
    {
        use accord::mail::entity::outbox_email;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mails = outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq("pm@xinghe.example"))
            .all(app.db())
            .await
            .expect("outbox");
        assert_eq!(mails.iter().filter(|m| m.subject.contains("核心数据库单点故障")).count(), 1);
    }
    let res = app.post(&format!("{eng}/warnings/evaluate")).bearer(&vendor).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // Closing the risk clears the warning and the colour.
    let res = app.patch(&format!("/api/v1/risks/{risk}")).bearer(&pm).json(json!({"status": "closed"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    app.run_jobs().await;
    let cleared = app.get(&format!("{eng}/warnings")).bearer(&pm).send().await.json();
    assert!(!cleared.to_string().contains("核心数据库单点故障"), "{cleared}");
    let seen = app.get(&eng).bearer(&pm).send().await.json();
    assert!(!seen["health_reasons"].to_string().contains("核心数据库单点故障"));
    assert_eq!(seen["health"], "green", "{seen}");
});

db_test!(cost_and_schedule_rules_follow_their_thresholds, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let member = app.token("member@xinghe.example").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "EW-1", "name": "预警示例", "kind": "client_project", "start_date": "2027-03-01", "end_date": "2027-03-31"}))
        .send()
        .await;
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let eng = format!("/api/v1/engagements/{id}");
    for (name, start, finish, progress) in
        [("A", "2027-03-01", "2027-03-12", 100), ("B", "2027-03-15", "2027-03-26", 40)]
    {
        let t = app
            .post(&format!("{eng}/tasks"))
            .bearer(&pm)
            .json(json!({"name": name, "start_date": start, "finish_date": finish}))
            .send()
            .await;
        let tid = t.json()["id"].as_str().expect("task").to_owned();
        app.patch(&format!("{eng}/tasks/{tid}")).bearer(&pm).json(json!({"progress": progress})).send().await;
    }
    app.req(axum::http::Method::PUT, &format!("{eng}/budget"))
        .bearer(&pm)
        .json(json!({"lines": [{"category": "labour", "amount": {"amount": "100000"}}]}))
        .send()
        .await;
    app.post(&format!("{eng}/expenses"))
        .bearer(&pm)
        .json(json!({"category": "labour", "amount": {"amount": "87500"}, "date": "2027-03-05", "description": "人力"}))
        .send()
        .await;
    // On 19 March 2027: SPI 0.933, CPI 0.8 (the hand-computed example of `costs::evm`).
    app.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 3, 19, 9, 0, 0).single().expect("time"));
    let w = app.post(&format!("{eng}/warnings/evaluate")).bearer(&pm).send().await.json();
    let rules: Vec<&str> = w["items"].as_array().expect("items").iter().filter_map(|x| x["rule"].as_str()).collect();
    assert!(rules.contains(&"cpi_below") && !rules.contains(&"spi_below"), "{w}");
    assert!(w.to_string().contains("0.80"), "{w}");

    // A stricter schedule threshold fires; a threshold out of range is refused and changes nothing.
    let bad = app
        .req(axum::http::Method::PUT, &format!("{eng}/warning-rules"))
        .bearer(&pm)
        .json(json!({"rules": [{"rule": "spi_below", "threshold": 5}, {"rule": "nope"}]}))
        .send()
        .await;
    assert_eq!(bad.field_errors(), vec!["rules[0].threshold", "rules[1].rule"]);
    let res = app
        .req(axum::http::Method::PUT, &format!("{eng}/warning-rules"))
        .bearer(&member)
        .json(json!({"rules": [{"rule": "spi_below", "threshold": 0.95}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .req(axum::http::Method::PUT, &format!("{eng}/warning-rules"))
        .bearer(&pm)
        .json(json!({"rules": [{"rule": "spi_below", "threshold": 0.95}, {"rule": "cpi_below", "enabled": false}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let spi =
        res.json()["rules"].as_array().expect("rules").iter().find(|r| r["rule"] == "spi_below").expect("spi").clone();
    assert_eq!(spi["threshold"].as_f64(), Some(0.95));
    app.run_jobs().await;
    let w = app.get(&format!("{eng}/warnings")).bearer(&pm).send().await.json();
    let rules: Vec<&str> = w["items"].as_array().expect("items").iter().filter_map(|x| x["rule"].as_str()).collect();
    assert!(rules.contains(&"spi_below") && !rules.contains(&"cpi_below"), "{w}");
});

db_test!(the_warning_page_shows_health_and_tunes_rules, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.signed_in("pm@xinghe.example").await;
    let page = format!("/engagements/{}/warnings", e.eng);
    let body = pm.get(&page).await.text();
    assert!(body.contains("data-testid=\"health\"") && body.contains("data-testid=\"rule-table\""));
    let res = pm
        .post(
            &format!("/engagements/{}/warning-rules", e.eng),
            &[("threshold_risk_high", "40"), ("enabled", "risk_high")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("id=\"threshold_risk_high\" name=\"threshold_risk_high\" inputmode=\"decimal\" value=\"40\" aria-invalid=\"true\""));
    let res = pm
        .post(
            &format!("/engagements/{}/warning-rules", e.eng),
            &[("threshold_risk_high", "12"), ("enabled", "risk_high"), ("enabled", "spi_below")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let token = app.token("pm@xinghe.example").await;
    let rules = app.get(&format!("/api/v1/engagements/{}/warning-rules", e.eng)).bearer(&token).send().await.json();
    let risk =
        rules["rules"].as_array().expect("rules").iter().find(|r| r["rule"] == "risk_high").expect("risk").clone();
    assert_eq!((risk["threshold"].as_f64(), risk["enabled"].as_bool()), (Some(12.0), Some(true)));
    let cpi = rules["rules"].as_array().expect("rules").iter().find(|r| r["rule"] == "cpi_below").expect("cpi").clone();
    assert_eq!(cpi["enabled"], false, "unticked: off");
    // The vendor reads the page without the rules.
    let vendor = app.signed_in("manager@yunfan.example").await;
    let body = vendor.get(&page).await.text();
    assert!(body.contains("data-testid=\"health\"") && !body.contains("rule-table"));
});

db_test!(a_vendors_falling_grade_warns_the_host_only, |app: TestApp| async move {
    crate::vendors::at(&app, 2026, 11, 2);
    let app = app.with_demo().await;
    let (admin, pm) = (app.token("admin@xinghe.example").await, app.token("pm@xinghe.example").await);
    let shuzhi = app.party_id("数智").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "GRADE-1", "name": "等级预警", "kind": "outsourced_development",
                     "start_date": "2026-10-01", "end_date": "2027-03-31"}))
        .send()
        .await;
    let eng = format!("/api/v1/engagements/{}", res.json()["id"].as_str().expect("id"));
    app.post(&format!("{eng}/participants"))
        .bearer(&pm)
        .json(json!({"party_id": shuzhi.to_string(), "relation": "vendor"}))
        .send()
        .await;
    let grade_of = |period: &'static str| {
        let app = &app;
        let pm = &pm;
        async move {
            let card = app.get(&format!("/api/v1/vendors/{shuzhi}/scorecard?period={period}")).bearer(pm).send().await;
            card.json()["grade"].as_str().unwrap_or("").to_owned()
        }
    };
    let templates = app.get("/api/v1/evaluation-templates?kind=evaluation").bearer(&admin).send().await.json();
    let names: Vec<String> = templates["items"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["key"] == "quarterly").cloned())
        .expect("quarterly")["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or("").into())
        .collect();
    let evaluate = |period: &str, score: u32| {
        let scores: Vec<Value> = names.iter().map(|n| json!({"criterion": n, "score": score})).collect();
        app.post(&format!("/api/v1/vendors/{shuzhi}/evaluations"))
            .bearer(&admin)
            .json(json!({"period": period, "template": "quarterly", "scores": scores}))
            .send()
    };
    let has_drop =
        |v: &Value| v["items"].as_array().is_some_and(|a| a.iter().any(|w| w["rule"] == "vendor_grade_drop"));

    // The same grade both quarters: nothing.
    assert_eq!(evaluate("2026Q3", 95).await.status, StatusCode::CREATED);
    assert_eq!(evaluate("2026Q4", 95).await.status, StatusCode::CREATED);
    let same = app.post(&format!("{eng}/warnings/evaluate")).bearer(&pm).send().await.json();
    assert!(!has_drop(&same), "{same}");
    // This quarter's evaluation falls to nothing: the grade falls, the host is warned in red.
    assert_eq!(evaluate("2026Q4", 0).await.status, StatusCode::CREATED);
    let (before, now) = (grade_of("2026Q3").await, grade_of("2026Q4").await);
    assert!(before < now, "a worse grade is a later letter: {before} → {now}");
    let warned = app.post(&format!("{eng}/warnings/evaluate")).bearer(&pm).send().await.json();
    let w = warned["items"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["rule"] == "vendor_grade_drop").cloned())
        .expect("a grade warning");
    assert!(w["message"].as_str().is_some_and(|m| m.contains(&before) && m.contains(&now)), "{w}");
    let vendor = app.token("manager@shuzhi.example").await;
    let theirs = app.get(&format!("{eng}/warnings")).bearer(&vendor).send().await.json();
    assert!(!has_drop(&theirs), "the vendor's grade is the host's judgement: {theirs}");
    // A stricter threshold (three grades) clears it.
    let res = app
        .req(axum::http::Method::PUT, &format!("{eng}/warning-rules"))
        .bearer(&pm)
        .json(json!({"rules": [{"rule": "vendor_grade_drop", "threshold": 3}]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let cleared = app.post(&format!("{eng}/warnings/evaluate")).bearer(&pm).send().await.json();
    assert_eq!(has_drop(&cleared), before.as_str() == "A" && now.as_str() == "D", "{cleared}");
});
