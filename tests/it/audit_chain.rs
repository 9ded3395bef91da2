//! The audit chain: writes append events in their own transaction, the sealer links them after
//! commit, and `verify` (and the CLI) notices an edited, removed or truncated sealed event.

use accord::audit::{self, entity::event};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::{db_test, support::*};

/// Every event, in chain order, after sealing what is pending.
async fn events(app: &TestApp) -> Vec<event::Model> {
    audit::seal(app.writer(), true).await.expect("seal");
    event::Entity::find().order_by_asc(event::Column::Seq).all(app.db()).await.expect("events")
}

fn seq(ev: &event::Model) -> i64 {
    ev.seq.expect("sealed")
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
    assert_eq!(all.first().map(seq), Some(1));
    for pair in all.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash, "linked");
        assert_eq!(seq(&pair[1]), seq(&pair[0]) + 1, "consecutive");
        assert!(pair[1].id > pair[0].id, "sealed in the order they were written");
    }
    assert!(audit::verify(app.writer(), app.db()).await.expect("verify").ok());
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
    let victim = seq(&events(&app).await[3]);
    app.writer()
        .execute_unprepared(&format!("UPDATE audit_events SET after = '{{\"role\":\"admin\"}}' WHERE seq = {victim}"))
        .await
        .expect("tamper");
    let v = audit::verify(app.writer(), app.db()).await.expect("verify");
    assert_eq!(v.first_bad.as_ref().map(|b| b.0), Some(victim), "{v:?}");
    let (code, out) = cli_verify(&app);
    assert_ne!(code, 0);
    assert!(out.contains(&format!("event {victim}")), "{out}");
});

db_test!(removing_an_event_breaks_the_chain, |app: TestApp| async move {
    let app = app.with_demo().await;
    let all = events(&app).await;
    let victim = seq(&all[2]);
    app.writer().execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {victim}")).await.expect("tamper");
    let v = audit::verify(app.writer(), app.db()).await.expect("verify");
    assert_eq!(v.first_bad.as_ref().map(|b| b.0), Some(victim), "{v:?}");
    // Cutting off the newest event is noticed against the head.
    let app2 = TestApp::new(app.backend).await.with_demo().await;
    let last = seq(events(&app2).await.last().expect("last"));
    app2.writer().execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {last}")).await.expect("tamper");
    assert!(!audit::verify(app2.writer(), app2.db()).await.expect("verify").ok());
    assert_ne!(cli_verify(&app2).0, 0);
});

db_test!(audit_page_filters_and_exports_csv_for_admins_only, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.signed_in("admin@xinghe.example").await;
    let page = admin.get("/admin/audit?action=user.create").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    // The filter offers every action by its label; the table holds only the chosen one.
    assert!(html.contains("<option value=\"party.create\">创建参与方</option>"), "actions chosen by label");
    let table = &html[html.find("table-audit").expect("the table")..];
    assert!(table.contains("创建用户") && !table.contains("创建参与方"), "filtered, with translated labels");
    let csv = admin.get("/admin/audit.csv?entity=party").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("id,at,actor_user_id"));
    // The admin's zone (Asia/Shanghai), with its offset.
    assert!(lines[1].split(',').nth(1).is_some_and(|at| at.ends_with("+08:00")), "{}", lines[1]);
    assert_eq!(lines.len() - 1, 4, "four party events: {text}");
    assert!(text.contains("云帆软件"));
    // Verifying from the page seals what is pending first (the demo's events are).
    let checked = admin.get("/admin/audit?verify=1").await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.text().contains("完整性校验通过"), "the chain verifies from the page");
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
    let v = audit::verify(app.writer(), app.db()).await.expect("verify");
    assert!(v.ok(), "{v:?}");
    assert_eq!(accord::parties::entity::party::Entity::find().count(app.db()).await.expect("count"), 16);
});

db_test!(events_wait_unsealed_until_the_sealer_links_them, |app: TestApp| async move {
    let app = app.with_demo().await;
    let sealed = events(&app).await.len();
    let t = app.token("admin@xinghe.example").await;
    let res = app.post("/api/v1/parties").bearer(&t).json(json!({"kind": "client", "name": "待封存客户"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED);
    // Written with the party, in its transaction, but not in the chain yet.
    let pending = event::Entity::find().filter(event::Column::Seq.is_null()).all(app.db()).await.expect("pending");
    assert!(pending.iter().any(|e| e.action == "party.create"), "{pending:?}");
    assert!(pending.iter().all(|e| e.hash.is_empty()));
    // Two sealers at once: one links them, the other finds nothing left or waits its turn.
    let (a, b) = tokio::join!(audit::seal(app.writer(), false), audit::seal(app.writer(), false));
    let (a, b) = (a.expect("seal"), b.expect("seal"));
    assert_eq!(a + b, pending.len() as u64, "each pending event sealed by exactly one of them");
    let all = events(&app).await;
    assert_eq!(all.len(), sealed + pending.len(), "nothing lost, nothing twice");
    let v = audit::verify(app.writer(), app.db()).await.expect("verify");
    assert!(v.ok() && v.pending == 0, "{v:?}");
    assert_eq!(v.events as usize, all.len());
});

db_test!(plan_writes_to_different_engagements_run_side_by_side, |app: TestApp| async move {
    let app = app.with_demo().await;
    let other = app.second_instance().await;
    let t = app.token("pm@xinghe.example").await;
    let mut ids = Vec::new();
    for code in ["par-a", "par-b", "par-c"] {
        let body = json!({"code": code, "name": code, "kind": "vendor_delivery", "start_date": "2027-01-04", "end_date": "2027-03-31"});
        let res = app.post("/api/v1/engagements").bearer(&t).json(body).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        ids.push(res.json()["id"].as_str().expect("id").to_owned());
    }
    let creates = || event::Entity::find().filter(event::Column::Action.eq("task.create")).count(app.db());
    let before = creates().await.expect("count");
    let mut tasks = Vec::new();
    for i in 0..16 {
        let target = if i % 2 == 0 { app.router.clone() } else { other.router.clone() };
        let (t, eid) = (t.clone(), ids[i % ids.len()].clone());
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let body =
                json!({"name": format!("并行任务 {i}"), "start_date": "2027-01-04", "finish_date": "2027-01-08"});
            let req = axum::http::Request::post(format!("/api/v1/engagements/{eid}/tasks"))
                .header("authorization", format!("Bearer {t}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .expect("req");
            target.oneshot(req).await.expect("send").status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("join"), StatusCode::CREATED);
    }
    assert_eq!(creates().await.expect("count") - before, 16, "one event per task");
    let v = audit::verify(app.writer(), app.db()).await.expect("verify");
    assert!(v.ok() && v.pending == 0, "{v:?}");
    let total = event::Entity::find().count(app.db()).await.expect("count");
    assert_eq!(v.events, total, "every event sealed exactly once");
});

db_test!(write_scopes_keep_out_only_what_they_must, |app: TestApp| async move {
    use accord::db::{WriteScope, begin_write, begin_write_in};
    use std::time::Duration;
    async fn waits<F: std::future::Future>(fut: F) -> bool {
        tokio::time::timeout(Duration::from_millis(300), fut).await.is_err()
    }
    let w = app.writer();
    let a = begin_write_in(w, WriteScope::Engagement(1)).await.expect("engagement 1");
    if app.backend == Backend::Postgres {
        // Another engagement goes ahead; the same engagement and a write to everything wait.
        let b = tokio::time::timeout(Duration::from_secs(5), begin_write_in(w, WriteScope::Engagement(2)))
            .await
            .expect("engagement 2 does not wait")
            .expect("tx");
        assert!(waits(begin_write_in(w, WriteScope::Engagement(1))).await, "the same engagement waits");
        assert!(waits(begin_write(w)).await, "a write to everything waits");
        // The sealer locks only the head row.
        assert_eq!(accord::audit::seal(w, false).await.expect("seal"), 0);
        b.rollback().await.expect("rollback");
        a.rollback().await.expect("rollback");
    } else {
        // SQLite: one writer at a time, whatever the scope; the next one queues.
        assert!(waits(begin_write_in(w, WriteScope::Engagement(2))).await, "one writer per file");
        a.rollback().await.expect("rollback");
    }
    let all = tokio::time::timeout(Duration::from_secs(5), begin_write(w)).await.expect("free again").expect("tx");
    all.rollback().await.expect("rollback");
});

db_test!(the_background_sealer_links_new_events_within_seconds, |app: TestApp| async move {
    let app = app.with_demo().await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let sealer = audit::spawn_sealer(app.writer().clone(), app.db().clone(), stopped);
    let t = app.token("admin@xinghe.example").await;
    let res = app.post("/api/v1/parties").bearer(&t).json(json!({"kind": "client", "name": "封存客户"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED);
    let pending = || event::Entity::find().filter(event::Column::Seq.is_null()).count(app.db());
    let mut waited = 0;
    while pending().await.expect("count") > 0 {
        assert!(waited < 50, "events still unsealed after 5 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    stop.send(true).expect("stop");
    sealer.await.expect("sealer stops");
    let v = audit::check(app.db()).await.expect("check");
    assert!(v.ok() && v.pending == 0, "{v:?}");
});
