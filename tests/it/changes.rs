//! Change control: raising within one's slice, the PM's impact (re-planned what-if), routing
//! by size, board votes, applying an approval (plan moves, new requirement version, baseline),
//! rejections and deferrals that change nothing, the deferral coming back, the figures, and an
//! apply that fails halfway leaving everything as it was.

use axum::http::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

async fn task_dates(app: &TestApp, token: &str, eng: i64, task: i64) -> (String, String) {
    let t = app.get(&format!("/api/v1/engagements/{eng}/tasks/{task}")).bearer(token).send().await.json();
    (t["start_date"].as_str().unwrap_or("").to_owned(), t["finish_date"].as_str().unwrap_or("").to_owned())
}

async fn count(app: &TestApp, token: &str, path: &str) -> usize {
    app.get(path).bearer(token).send().await.json()["items"].as_array().map_or(0, Vec::len)
}

db_test!(a_change_is_raised_assessed_voted_and_applied, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let (pm, client, vendor, admin) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@hdlogistics.example").await,
        app.token("manager@yunfan.example").await,
        app.token("admin@xinghe.example").await,
    );
    let base = format!("/api/v1/engagements/{}/change-requests", e.eng);
    let res = app
        .post(&format!("/api/v1/engagements/{}/baselines", e.eng))
        .bearer(&pm)
        .json(json!({"name": "基线 1"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    // The board: the PM and the client's manager. Bad limits name their fields.
    let board = format!("/api/v1/engagements/{}/change-board", e.eng);
    let res = app
        .req(axum::http::Method::PUT, &board)
        .bearer(&pm)
        .json(json!({"pm_max_days": -1, "pm_max_cost": {"amount": "1.234"}, "member_ids": ["999999"]}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["pm_max_days", "pm_max_cost", "member_ids"]);
    let members = json!([
        app.user_id("pm@xinghe.example").await.to_string(),
        app.user_id("manager@hdlogistics.example").await.to_string()
    ]);
    let res = app
        .req(axum::http::Method::PUT, &board)
        .bearer(&pm)
        .json(
            json!({"pm_max_days": 3, "pm_max_cost": {"amount": "10000.00", "currency": "CNY"}, "member_ids": members}),
        )
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["members"].as_array().map(Vec::len), Some(2));

    // The client raises a change. Bad input names every field and creates nothing.
    let res = app
        .post(&base)
        .bearer(&client)
        .json(json!({"title": "", "reason": " ", "cost_delta": {"amount": "abc"},
                     "affected_task_ids": [e.task_internal.to_string()], "impact_notes": "x"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["title", "reason", "cost_delta", "impact_notes", "affected_task_ids"]);
    assert_eq!(count(&app, &pm, &base).await, 0);
    let res = app
        .post(&base)
        .bearer(&client)
        .json(json!({"title": "到站提醒 arrival alert", "reason": "收货人等待时间长", "schedule_delta_days": 2}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let cr = res.json();
    assert_eq!((cr["key"].as_str(), cr["state"].as_str()), (Some("CR-001"), Some("pending")));
    assert_eq!(cr["visibility"], "party", "raised for the client's own party by default");
    let url = format!("/api/v1/change-requests/{}", id(&cr));
    assert_eq!(app.get(&url).bearer(&vendor).send().await.status, StatusCode::NOT_FOUND);

    // The PM records the impact: the client's task grows by 3 working days, ¥12,000.
    let before = task_dates(&app, &pm, e.eng, e.task_client).await;
    assert_eq!(before, ("2026-11-09".to_owned(), "2026-11-20".to_owned()));
    let impact = json!({"affected_task_ids": [e.task_client.to_string()], "schedule_delta_days": 3,
                        "cost_delta": {"amount": "12000.00", "currency": "CNY"}, "impact_notes": "供应商报价 8000，内部保留"});
    let res =
        app.req(axum::http::Method::PUT, &format!("{url}/impact")).bearer(&client).json(impact.clone()).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "only those who run the engagement record impact");
    let res = app.req(axum::http::Method::PUT, &format!("{url}/impact")).bearer(&pm).json(impact).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let seen = res.json();
    assert_eq!(seen["impact_days"], 3);
    assert_eq!(seen["decided_by"], "board", "¥12,000 is over the PM's limit");
    assert_eq!(seen["impact"]["tasks"][0]["to"], "2026-11-25");
    assert_eq!(seen["impact_notes"], "供应商报价 8000，内部保留");

    // The client never reads the host's internal notes, by API or page.
    let as_client = app.get(&url).bearer(&client).send().await.json();
    assert!(as_client.get("impact_notes").is_none(), "{as_client}");
    assert_eq!(as_client["cost_delta"], json!({"amount": "12000.00", "currency": "CNY"}));
    let page = format!("/engagements/{}/changes/{}", e.eng, id(&cr));
    let html = app.signed_in("manager@hdlogistics.example").await.get(&page).await.text();
    assert!(html.contains("到站提醒") && !html.contains("供应商报价"), "client page shows the change, not the notes");
    let html = app.signed_in("pm@xinghe.example").await.get(&page).await.text();
    assert!(html.contains("供应商报价"));

    // Scope: the signed requirement changes and a new one is added.
    let scope = format!("{url}/scope-items");
    let res = app.post(&scope).bearer(&pm).json(json!({"action": "change"})).send().await;
    assert_eq!(res.field_errors(), vec!["requirement_id"]);
    let res = app
        .post(&scope)
        .bearer(&pm)
        .json(json!({"action": "change", "requirement_id": reqs.shared.to_string(), "acceptance_criteria": ["签收 3 秒内同步"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app
        .post(&scope)
        .bearer(&pm)
        .json(json!({"action": "add", "title": "到站提醒", "priority": "should"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    // Votes: the admin is not on the board; the PM's vote alone settles nothing.
    let decide = format!("{url}/decisions");
    let res = app.post(&decide).bearer(&admin).json(json!({"decision": "approve", "comment": ""})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&decide).bearer(&pm).json(json!({"decision": "approve", "comment": "同意"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "pending");
    assert_eq!(task_dates(&app, &pm, e.eng, e.task_client).await, before, "nothing moves before the board agrees");
    let res = app.post(&decide).bearer(&pm).json(json!({"decision": "approve", "comment": "again"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app
        .req(axum::http::Method::PUT, &format!("{url}/impact"))
        .bearer(&pm)
        .json(json!({"schedule_delta_days": 1}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "impact is fixed once voting started");
    let res = app.post(&decide).bearer(&client).json(json!({"decision": "approve", "comment": "确认"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let done = res.json();
    assert_eq!(done["state"], "approved");
    assert_eq!(done["route"], "board");

    // Applied: the task moved, a baseline names the change, version 2 holds the new scope.
    assert_eq!(task_dates(&app, &pm, e.eng, e.task_client).await, ("2026-11-09".to_owned(), "2026-11-25".to_owned()));
    let baselines = app.get(&format!("/api/v1/engagements/{}/baselines", e.eng)).bearer(&pm).send().await.json();
    let newest = &baselines["items"][0];
    assert!(newest["name"].as_str().unwrap_or("").starts_with("CR-001"), "{baselines}");
    assert_eq!(newest["change_request_id"], json!(id(&cr)));
    assert_eq!(done["baseline_id"], newest["id"]);
    let v2 = app
        .get(&format!("/api/v1/requirement-versions/{}", done["requirement_version_id"].as_str().expect("version")))
        .bearer(&client)
        .send()
        .await
        .json();
    assert_eq!(v2["number"], 2);
    let items = v2["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["acceptance_criteria"], json!(["签收 3 秒内同步"]));
    assert_eq!(items[1]["title"], "到站提醒");
    let res = app.post(&decide).bearer(&client).json(json!({"decision": "reject", "comment": "late"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a decided change stays decided");

    // A small change goes to the PM; rejecting needs a reason and changes nothing.
    let small = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "按钮改色 colour", "reason": "品牌规范", "cost_delta": {"amount": "500"},
                     "affected_task_ids": [e.task_vendor.to_string()], "schedule_delta_days": 1}))
        .send()
        .await
        .json();
    let small_url = format!("/api/v1/change-requests/{}", id(&small));
    assert_eq!(app.get(&small_url).bearer(&pm).send().await.json()["decided_by"], "pm");
    let vendor_before = task_dates(&app, &pm, e.eng, e.task_vendor).await;
    let res =
        app.post(&format!("{small_url}/decisions")).bearer(&vendor).json(json!({"decision": "approve"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a vendor cannot decide");
    let res = app.post(&format!("{small_url}/decisions")).bearer(&pm).json(json!({"decision": "reject"})).send().await;
    assert_eq!(res.field_errors(), vec!["comment"]);
    let res = app
        .post(&format!("{small_url}/decisions"))
        .bearer(&pm)
        .json(json!({"decision": "reject", "comment": "不在本期范围"}))
        .send()
        .await;
    assert_eq!(res.json()["state"], "rejected");
    assert_eq!(task_dates(&app, &pm, e.eng, e.task_vendor).await, vendor_before);

    // A deferred change comes back pending, in round 2, on its date.
    let later =
        app.post(&base).bearer(&pm).json(json!({"title": "多语言 i18n", "reason": "海外司机"})).send().await.json();
    let later_url = format!("/api/v1/change-requests/{}", id(&later));
    let res = app
        .post(&format!("{later_url}/decisions"))
        .bearer(&pm)
        .json(json!({"decision": "defer", "comment": "下季度再议", "revisit_on": "2026-11-01"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["revisit_on"]);
    let res = app
        .post(&format!("{later_url}/decisions"))
        .bearer(&pm)
        .json(json!({"decision": "defer", "comment": "下季度再议"}))
        .send()
        .await;
    let deferred = res.json();
    assert_eq!((deferred["state"].as_str(), deferred["revisit_on"].as_str()), (Some("deferred"), Some("2026-12-07")));
    assert_eq!(accord::changes::decide::revisit_due(&app.state).await.expect("job"), 0, "not yet");
    app.clock.advance(chrono::Duration::days(15));
    assert_eq!(accord::changes::decide::revisit_due(&app.state).await.expect("job"), 1);
    let back = app.get(&later_url).bearer(&pm).send().await.json();
    assert_eq!(
        (back["state"].as_str(), back["round"].as_i64(), back["can_decide"].as_bool()),
        (Some("pending"), Some(2), Some(true))
    );

    // The log filters by state; the figures count approved days and money since baseline 1.
    assert_eq!(count(&app, &pm, &format!("{base}?state=approved")).await, 1);
    assert_eq!(count(&app, &pm, &format!("{base}?limit=1")).await, 1);
    let res = app.get(&format!("{base}?state=maybe")).bearer(&pm).send().await;
    assert_eq!(res.field_errors(), vec!["state"]);
    let stats = app.get(&format!("/api/v1/engagements/{}/change-statistics", e.eng)).bearer(&pm).send().await.json();
    assert_eq!(
        (stats["open"].as_u64(), stats["approved"].as_u64(), stats["rejected"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(stats["approved_days"], 3);
    assert_eq!(stats["approved_cost"], json!([{"amount": "12000.00", "currency": "CNY"}]));
    // The vendor sees neither the client's change nor any change's money in the figures: a
    // change's cost is the price between the host and the client.
    let stats =
        app.get(&format!("/api/v1/engagements/{}/change-statistics", e.eng)).bearer(&vendor).send().await.json();
    assert_eq!(stats["approved"].as_u64(), Some(0));
    assert!(stats["approved_cost"].is_null(), "{stats}");

    // Every step is on the audit trail.
    use accord::audit::entity::event as audit_event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let actions: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::EntityType.eq("change_request"))
        .all(app.db())
        .await
        .expect("audit")
        .into_iter()
        .map(|a| a.action)
        .collect();
    for a in [
        "change_request.create",
        "change_request.impact",
        "change_request.scope_add",
        "change_request.decide",
        "change_request.revisit",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} missing from {actions:?}");
    }
});

db_test!(an_apply_that_fails_halfway_changes_nothing, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let pm = app.token("pm@xinghe.example").await;
    let base = format!("/api/v1/engagements/{}/change-requests", e.eng);
    let cr = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "扩大范围", "reason": "客户要求", "schedule_delta_days": 2,
                     "affected_task_ids": [e.task_vendor.to_string()]}))
        .send()
        .await
        .json();
    let url = format!("/api/v1/change-requests/{}", id(&cr));
    let res = app
        .post(&format!("{url}/scope-items"))
        .bearer(&pm)
        .json(json!({"action": "change", "requirement_id": reqs.shared.to_string(), "acceptance_criteria": ["新标准"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let before = task_dates(&app, &pm, e.eng, e.task_vendor).await;
    let versions = format!("/api/v1/engagements/{}/requirement-versions", e.eng);
    let baselines = format!("/api/v1/engagements/{}/baselines", e.eng);
    let requirement = format!("/api/v1/engagements/{}/requirements/{}", e.eng, reqs.shared);
    let criteria_before = app.get(&requirement).bearer(&pm).send().await.json()["acceptance_criteria"].clone();

    // The baseline is saved after the requirements and the plan have changed: make it fail.
    let inject = match app.backend {
        Backend::Sqlite => vec![
            "CREATE TRIGGER fail_baseline BEFORE INSERT ON baselines BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
        Backend::Postgres => vec![
            "CREATE FUNCTION fail_baseline() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_baseline BEFORE INSERT ON baselines FOR EACH ROW EXECUTE FUNCTION fail_baseline()",
        ],
    };
    for sql in inject {
        app.writer().execute_unprepared(sql).await.expect("trigger");
    }
    let res = app
        .post(&format!("{url}/decisions"))
        .bearer(&pm)
        .json(json!({"decision": "approve", "comment": "ok"}))
        .send_unchecked() // a 500 on purpose
        .await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", res.text());
    let after = app.get(&url).bearer(&pm).send().await.json();
    assert_eq!(after["state"], "pending");
    assert_eq!(after["decisions"].as_array().map(Vec::len), Some(0), "the vote went with the failed apply");
    assert_eq!(task_dates(&app, &pm, e.eng, e.task_vendor).await, before);
    assert_eq!(count(&app, &pm, &versions).await, 1);
    assert_eq!(count(&app, &pm, &baselines).await, 0);
    assert_eq!(app.get(&requirement).bearer(&pm).send().await.json()["acceptance_criteria"], criteria_before);

    // Once the fault is gone the same approval applies in full.
    app.writer().execute_unprepared("DROP TRIGGER fail_baseline").await.ok();
    if app.backend == Backend::Postgres {
        app.writer().execute_unprepared("DROP TRIGGER IF EXISTS fail_baseline ON baselines").await.expect("drop");
    }
    let res = app
        .post(&format!("{url}/decisions"))
        .bearer(&pm)
        .json(json!({"decision": "approve", "comment": "ok"}))
        .send()
        .await;
    assert_eq!(res.json()["state"], "approved");
    assert_ne!(task_dates(&app, &pm, e.eng, e.task_vendor).await, before);
    assert_eq!(count(&app, &pm, &versions).await, 2);
    assert_eq!(count(&app, &pm, &baselines).await, 1);
    assert_eq!(app.get(&requirement).bearer(&pm).send().await.json()["acceptance_criteria"], json!(["新标准"]));
});
