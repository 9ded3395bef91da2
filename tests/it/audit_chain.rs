//! The audit chain: writes append events in their own transaction; `verify` (and the CLI)
//! notices an edited, removed or truncated event.

use accord::audit::{self, entity::event};
use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::json;

use crate::{db_test, support::*};

async fn events(app: &TestApp) -> Vec<event::Model> {
    event::Entity::find().order_by_asc(event::Column::Id).all(app.db()).await.expect("events")
}

fn cli_verify(app: &TestApp) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["audit", "verify", "--database-url", &app.cli_url()])
        .env("ACCORD_LOG", "error")
        .output()
        .expect("run accord");
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

db_test!(every_write_appends_a_linked_event, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("admin@xinghe.example").await;
    let before = event::Entity::find().count(app.db()).await.expect("count");
    let res =
        app.post("/api/v1/parties").bearer(&t).json(json!({"kind": "client", "name": "审计测试客户"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED);
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let res = app.patch(&format!("/api/v1/parties/{id}")).bearer(&t).json(json!({"phone": "010-1234"})).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let all = events(&app).await;
    assert_eq!(all.len() as u64, before + 2);
    let last = &all[all.len() - 1];
    assert_eq!(
        (last.action.as_str(), last.entity_type.as_str(), last.entity_id.as_str()),
        ("party.update", "party", id.as_str())
    );
    assert!(last.before.as_deref().is_some_and(|b| b.contains("\"phone\":\"\"")));
    assert!(last.after.as_deref().is_some_and(|a| a.contains("010-1234")));
    assert_eq!(last.actor_user_id, Some(app.user_id("admin@xinghe.example").await));
    for pair in all.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash, "linked");
        assert_eq!(pair[1].id, pair[0].id + 1, "consecutive");
    }
    assert!(audit::verify(app.db()).await.expect("verify").ok());
    assert_eq!(cli_verify(&app).0, 0);
});

db_test!(a_failed_write_leaves_no_event, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("admin@xinghe.example").await;
    let before = event::Entity::find().count(app.db()).await.expect("count");
    let res = app.post("/api/v1/parties").bearer(&t).json(json!({"kind": "vendor", "name": ""})).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(event::Entity::find().count(app.db()).await.expect("count"), before);
});

db_test!(editing_a_stored_event_breaks_the_chain, |app: TestApp| async move {
    let app = app.with_demo().await;
    let victim = events(&app).await[3].id;
    app.writer()
        .execute_unprepared(&format!("UPDATE audit_events SET after = '{{\"role\":\"admin\"}}' WHERE id = {victim}"))
        .await
        .expect("tamper");
    let v = audit::verify(app.db()).await.expect("verify");
    assert_eq!(v.first_bad.as_ref().map(|b| b.0), Some(victim), "{v:?}");
    let (code, out) = cli_verify(&app);
    assert_ne!(code, 0);
    assert!(out.contains(&format!("event {victim}")), "{out}");
});

db_test!(removing_an_event_breaks_the_chain, |app: TestApp| async move {
    let app = app.with_demo().await;
    let all = events(&app).await;
    let victim = all[2].id;
    app.writer().execute_unprepared(&format!("DELETE FROM audit_events WHERE id = {victim}")).await.expect("tamper");
    let v = audit::verify(app.db()).await.expect("verify");
    assert_eq!(v.first_bad.as_ref().map(|b| b.0), Some(victim), "{v:?}");
    // Cutting off the newest event is noticed against the head.
    let app2 = TestApp::new(app.backend).await.with_demo().await;
    let last = events(&app2).await.last().expect("last").id;
    app2.writer().execute_unprepared(&format!("DELETE FROM audit_events WHERE id = {last}")).await.expect("tamper");
    assert!(!audit::verify(app2.db()).await.expect("verify").ok());
    assert_ne!(cli_verify(&app2).0, 0);
});

db_test!(audit_page_filters_and_exports_csv_for_admins_only, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.signed_in("admin@xinghe.example").await;
    let page = admin.get("/admin/audit?action=user.create").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("创建用户") && !html.contains("创建参与方"), "filtered, with translated labels");
    let csv = admin.get("/admin/audit.csv?entity=party").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("id,at_utc,actor_user_id"));
    assert_eq!(lines.len() - 1, 4, "four party events: {text}");
    assert!(text.contains("云帆软件"));
    let pm = app.signed_in("pm@xinghe.example").await;
    assert_eq!(pm.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(pm.get("/admin/audit.csv").await.status, StatusCode::FORBIDDEN);
});

db_test!(concurrent_writers_on_two_instances_keep_one_chain, |app: TestApp| async move {
    let app = app.with_demo().await;
    let other = app.second_instance().await;
    let t = app.token("admin@xinghe.example").await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let target = if i % 2 == 0 { app.router.clone() } else { other.router.clone() };
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let body = json!({"kind": "vendor", "name": format!("并发供应商 {i}")}).to_string();
            let req = axum::http::Request::post("/api/v1/parties")
                .header("authorization", format!("Bearer {t}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .expect("req");
            target.oneshot(req).await.expect("send").status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("join"), StatusCode::CREATED);
    }
    let v = audit::verify(app.db()).await.expect("verify");
    assert!(v.ok(), "{v:?}");
    assert_eq!(accord::parties::entity::party::Entity::find().count(app.db()).await.expect("count"), 16);
});
