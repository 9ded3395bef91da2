//! The issue and conflict log: a vendor raises a conflict, its SLA runs in working hours, the
//! response and then the resolution are breached and escalate through the job queue (once per
//! level, to the right people), the PM resolves it and the vendor confirms; bad input; who sees
//! what; the SLA policy; the pages.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

async fn notices(app: &TestApp, token: &str) -> String {
    app.get("/api/v1/notifications").bearer(token).send().await.text()
}

db_test!(a_conflict_breaches_escalates_is_resolved_and_confirmed, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let (pm, vendor, client, admin) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@yunfan.example").await,
        app.token("manager@hdlogistics.example").await,
        app.token("admin@xinghe.example").await,
    );
    let base = format!("/api/v1/engagements/{}/issues", e.eng);
    // The PM owns the engagement, so the log's notices reach them.
    let pm_id = app.user_id("pm@xinghe.example").await.to_string();
    app.patch(&format!("/api/v1/engagements/{}", e.eng)).bearer(&pm).json(json!({"owner_id": pm_id})).send().await;

    let res =
        app.post(&base).bearer(&vendor).json(json!({"title": " ", "kind": "fight", "severity": "urgent"})).send().await;
    assert_eq!(res.field_errors(), vec!["title", "kind", "severity"]);

    // Monday 23 November 2026, 17:00 in Shanghai: a high conflict (4 h to respond, 27 h to resolve).
    let res = app
        .post(&base)
        .bearer(&vendor)
        .json(json!({"title": "测试环境被客户占用，联调无法进行", "kind": "conflict", "severity": "high"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let issue = res.json();
    let url = format!("/api/v1/issues/{}", id(&issue));
    assert_eq!(issue["visibility"], "party", "the vendor's own by default");
    // 1 hour on Monday, 3 on Tuesday → Tuesday 12:00 Shanghai = 04:00 UTC.
    assert_eq!(issue["sla"]["response_due"], "2026-11-24T04:00:00Z");
    // 1 + 9 + 9 + 8 hours → Thursday 17:00 Shanghai = 09:00 UTC.
    assert_eq!(issue["sla"]["resolve_due"], "2026-11-26T09:00:00Z");
    assert_eq!(issue["sla"]["state"], "ok");
    assert_eq!(app.get(&url).bearer(&client).send().await.status, StatusCode::NOT_FOUND);
    assert!(notices(&app, &pm).await.contains("issue_raised"));

    // Wednesday 17:00: the response is late → escalated once to the PMs.
    app.clock.advance(Duration::days(2));
    assert_eq!(app.get(&url).bearer(&pm).send().await.json()["sla"]["response_state"], "breached");
    assert!(accord::issues::escalation::escalate(&app.state).await.expect("escalate") >= 1);
    assert_eq!(accord::issues::escalation::escalate(&app.state).await.expect("again"), 0, "once per level");
    assert!(notices(&app, &pm).await.contains("issue_escalated"));
    assert!(!notices(&app, &admin).await.contains("issue_escalated"), "executives hear of late resolutions only");
    assert_eq!(app.get(&url).bearer(&pm).send().await.json()["escalation"], 1);

    // Friday: the resolution is late too → the vendor's managers and the host's executives, through the queue.
    app.clock.advance(Duration::days(2));
    accord::jobs::tick_schedules(&app.state, accord::app::JOBS).await.expect("schedules");
    app.run_jobs().await;
    let seen = app.get(&url).bearer(&pm).send().await.json();
    assert_eq!((seen["escalation"].as_i64(), seen["sla"]["state"].as_str()), (Some(2), Some("breached")));
    assert!(notices(&app, &admin).await.contains("issue_escalated"));
    {
        use accord::mail::entity::outbox_email;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mails = outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq("admin@xinghe.example"))
            .all(app.db())
            .await
            .expect("outbox");
        assert_eq!(mails.iter().filter(|m| m.subject.contains("测试环境被客户占用")).count(), 1);
    }

    // The vendor cannot resolve its own issue; the PM must say how it was resolved.
    let res = app.patch(&url).bearer(&vendor).json(json!({"status": "resolved", "resolution": "x"})).send().await;
    assert_eq!(res.field_errors(), vec!["status"]);
    let res = app.patch(&url).bearer(&pm).json(json!({"status": "resolved"})).send().await;
    assert_eq!(res.field_errors(), vec!["resolution"]);
    let res = app
        .patch(&url)
        .bearer(&pm)
        .json(json!({"status": "resolved", "resolution": "客户测试改到晚上进行，白天留给联调"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(notices(&app, &vendor).await.contains("issue_changed"));
    // Only the raiser closes it.
    let res = app.patch(&url).bearer(&pm).json(json!({"status": "closed"})).send().await;
    assert_eq!(res.field_errors(), vec!["status"]);
    let res = app.patch(&url).bearer(&vendor).json(json!({"status": "closed"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let closed = res.json();
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_string());
    // The vendor's list shows it; the client's shows nothing.
    let list = app.get(&format!("{base}?status=closed")).bearer(&vendor).send().await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let list = app.get(&base).bearer(&client).send().await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
});

db_test!(the_sla_policy_sets_hours_and_targets, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let (pm, member) = (app.token("pm@xinghe.example").await, app.token("member@xinghe.example").await);
    let sla = format!("/api/v1/engagements/{}/sla", e.eng);
    let res = app
        .req(axum::http::Method::PUT, &sla)
        .bearer(&pm)
        .json(json!({"hours_start": "18:00", "hours_end": "9am",
                     "targets": {"critical": [60, 30], "high": [240, 1620], "medium": [540, 2700], "low": [1080, 5400]}}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["hours_end", "targets.critical"]);
    let res = app.req(axum::http::Method::PUT, &sla).bearer(&member).json(json!({"hours_start": "08:30"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .req(axum::http::Method::PUT, &sla)
        .bearer(&pm)
        .json(json!({"hours_start": "08:30", "hours_end": "17:30",
                     "targets": {"critical": [30, 240], "high": [120, 960], "medium": [480, 2400], "low": [960, 4800]}}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // Raised on Monday at 17:00 in Shanghai: a critical issue's response is due at 17:30, the day's end.
    let res = app
        .post(&format!("/api/v1/engagements/{}/issues", e.eng))
        .bearer(&pm)
        .json(json!({"title": "生产环境宕机", "kind": "issue", "severity": "critical"}))
        .send()
        .await;
    assert_eq!(res.json()["sla"]["response_due"], "2026-11-23T09:30:00Z");
});

db_test!(the_issue_pages_raise_and_move_an_issue, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let vendor = app.signed_in("manager@yunfan.example").await;
    let list = format!("/engagements/{}/issues", e.eng);
    let res = vendor.post(&list, &[("title", ""), ("kind", "conflict"), ("severity", "high")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = vendor
        .post(
            &list,
            &[
                ("title", "需求文档版本不一致"),
                ("kind", "question"),
                ("severity", "medium"),
                ("visibility", "participants"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let body = vendor.get(&list).await.text();
    assert!(body.contains("需求文档版本不一致") && body.contains("I-001"));
    let iid = body
        .split(&format!("/engagements/{}/issues/", e.eng))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("link")
        .to_owned();
    let detail = format!("{list}/{iid}");
    let pm = app.signed_in("pm@xinghe.example").await;
    let res = pm.post(&detail, &[("status", "resolved"), ("resolution", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = pm.post(&detail, &[("status", "resolved"), ("resolution", "以 V1.2 为准")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let body = vendor.get(&detail).await.text();
    assert!(body.contains("以 V1.2 为准") && body.contains("value=\"closed\""), "the raiser may confirm");
    let res = vendor.post(&detail, &[("status", "closed")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = vendor.post(&format!("{detail}/comments"), &[("body", "谢谢")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let client = app.signed_in("manager@hdlogistics.example").await;
    assert!(client.get(&list).await.text().contains("需求文档版本不一致"), "shared with every participant");
});
