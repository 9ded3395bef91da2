//! The plan schedules itself: a typed start holds as *start no earlier than*; a new link, a
//! longer predecessor or new dates move the successors at once, across weekends and 调休 days;
//! re-planning no longer drags typed starts back; a task scheduled by hand stays and warns when
//! its predecessors disagree; the chart shows what moved and by how much; the schedule form
//! beside the chart does what dragging a bar does, with the same rules.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{db_test, support::*};

struct Plan {
    base: String,
    id: String,
    pm: String,
    tasks: Vec<String>,
}

/// An engagement from `start` (the China calendar) with tasks typed as given.
async fn plan_from(app: &TestApp, start: &str, tasks: &[(&str, &str, &str)]) -> Plan {
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "AUTO-1", "name": "自动排程", "kind": "client_project",
                     "start_date": start, "end_date": "2027-03-31"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let base = format!("/api/v1/engagements/{id}");
    let mut ids = Vec::new();
    for (name, start, finish) in tasks {
        let t = app
            .post(&format!("{base}/tasks"))
            .bearer(&pm)
            .json(json!({"name": name, "start_date": start, "finish_date": finish}))
            .send()
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{}", t.text());
        ids.push(t.json()["id"].as_str().expect("id").to_owned());
    }
    Plan { base, id, pm, tasks: ids }
}

/// From Monday 23 November 2026.
async fn plan(app: &TestApp, tasks: &[(&str, &str, &str)]) -> Plan {
    plan_from(app, "2026-11-23", tasks).await
}

impl Plan {
    async fn task(&self, app: &TestApp, i: usize) -> Value {
        app.get(&format!("{}/tasks/{}", self.base, self.tasks[i])).bearer(&self.pm).send().await.json()
    }

    async fn dates(&self, app: &TestApp, i: usize) -> (String, String) {
        let t = self.task(app, i).await;
        (t["start_date"].as_str().unwrap_or("").to_owned(), t["finish_date"].as_str().unwrap_or("").to_owned())
    }

    async fn link(&self, app: &TestApp, p: usize, s: usize) {
        let res = app
            .post(&format!("{}/dependencies", self.base))
            .bearer(&self.pm)
            .json(json!({"predecessor_id": self.tasks[p], "successor_id": self.tasks[s]}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    async fn patch(&self, app: &TestApp, i: usize, body: Value) -> Res {
        app.patch(&format!("{}/tasks/{}", self.base, self.tasks[i])).bearer(&self.pm).json(body).send().await
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

db_test!(typed_starts_hold_and_successors_move_at_once, |app: TestApp| async move {
    let app = app.with_demo().await;
    let p = plan(
        &app,
        &[
            ("A 设计", "2026-11-23", "2026-11-25"),
            ("B 开发", "2026-11-30", "2026-12-01"),
            ("C 测试", "2026-11-23", "2026-11-23"),
        ],
    )
    .await;
    // B's typed Monday is later than A needs: it holds.
    p.link(&app, 0, 1).await;
    assert_eq!(p.dates(&app, 1).await, pair("2026-11-30", "2026-12-01"));
    // C needs B done first: it moves at once, seven working days later, and says so.
    p.link(&app, 1, 2).await;
    let c = p.task(&app, 2).await;
    assert_eq!((c["start_date"].as_str(), c["finish_date"].as_str()), (Some("2026-12-02"), Some("2026-12-02")));
    assert_eq!(c["shift_days"], 7, "{c}");
    assert_eq!((c["scheduling"].as_str(), c["start_no_earlier_than"].as_str()), (Some("auto"), Some("2026-11-23")));

    // A takes four more days: B and C follow at once, each keeping its working-day length.
    let res = p.patch(&app, 0, json!({"finish_date": "2026-12-01"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(p.dates(&app, 1).await, pair("2026-12-02", "2026-12-03"));
    assert_eq!(p.dates(&app, 2).await, pair("2026-12-04", "2026-12-04"));
    assert_eq!(p.task(&app, 1).await["shift_days"], 2);
    assert_eq!(p.task(&app, 0).await["shift_days"], 0, "typed, not moved");

    // A shrinks back: B returns to its typed start, not to the engagement's start.
    let res = p.patch(&app, 0, json!({"finish_date": "2026-11-24"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(p.dates(&app, 1).await, pair("2026-11-30", "2026-12-01"));
    assert_eq!(p.dates(&app, 2).await, pair("2026-12-02", "2026-12-02"));
    // Re-planning the whole engagement finds nothing to move: typed starts hold there too.
    let res = app.post(&format!("{}/schedule", p.base)).bearer(&p.pm).send().await;
    assert_eq!(res.json()["moved"], 0, "{}", res.text());
    assert_eq!(p.dates(&app, 1).await, pair("2026-11-30", "2026-12-01"));

    // A start typed earlier than the predecessors allow is kept as the wish, and the task placed
    // where they allow.
    let res = p.patch(&app, 2, json!({"start_date": "2026-11-24", "finish_date": "2026-11-24"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let c = res.json();
    assert_eq!(
        (c["start_date"].as_str(), c["start_no_earlier_than"].as_str()),
        (Some("2026-12-02"), Some("2026-11-24"))
    );

    // Every pass that moved something is audited with what moved.
    {
        use accord::audit::entity::event as audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("engagement.autoschedule"))
            .all(app.db())
            .await
            .expect("audit");
        assert!(events.len() >= 3, "{events:?}");
    }
    // The chart shows where C came from and by how much.
    let svg = app.get(&format!("/engagements/{}/gantt.svg", p.id)).bearer(&p.pm).send().await.text();
    assert!(svg.contains("class=\"moved-from\"") && svg.contains(&format!("data-task=\"{}\"", p.tasks[2])), "{svg}");
});

db_test!(auto_scheduling_crosses_the_spring_festival_and_its_working_saturday, |app: TestApp| async move {
    let app = app.with_demo().await;
    let p = plan_from(
        &app,
        "2026-02-02",
        &[
            ("设计 design", "2026-02-12", "2026-02-13"),
            ("开发 build", "2026-02-12", "2026-02-12"),
            ("上线 launch", "2026-02-12", "2026-02-13"),
        ],
    )
    .await;
    p.link(&app, 0, 1).await;
    // Thu 12 and Fri 13 February, then the make-up Saturday 14 February is a working day.
    assert_eq!(p.dates(&app, 1).await, pair("2026-02-14", "2026-02-14"));
    p.link(&app, 1, 2).await;
    // After the holiday (15–23 February): two working days, Tue 24 and Wed 25.
    assert_eq!(p.dates(&app, 2).await, pair("2026-02-24", "2026-02-25"));
    assert_eq!(p.task(&app, 2).await["shift_days"], 3, "Thu 12 → Fri 13, Sat 14, Tue 24");
});

db_test!(a_task_scheduled_by_hand_stays_and_warns, |app: TestApp| async move {
    let app = app.with_demo().await;
    let p = plan(
        &app,
        &[("A", "2026-11-23", "2026-11-24"), ("B", "2026-11-25", "2026-11-25"), ("C", "2026-11-26", "2026-11-26")],
    )
    .await;
    p.link(&app, 0, 1).await;
    p.link(&app, 1, 2).await;
    let res = p.patch(&app, 1, json!({"scheduling": "by-hand"})).await;
    assert_eq!(res.field_errors(), vec!["scheduling"]);
    assert_eq!(p.task(&app, 1).await["scheduling"], "auto", "nothing changed");
    let res = p.patch(&app, 1, json!({"scheduling": "manual"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // A grows past B: B stays where it is, and warns; C still follows B.
    let res = p.patch(&app, 0, json!({"finish_date": "2026-11-27"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let b = p.task(&app, 1).await;
    assert_eq!((b["start_date"].as_str(), b["schedule_warning"].as_bool()), (Some("2026-11-25"), Some(true)), "{b}");
    assert_eq!(p.dates(&app, 2).await, pair("2026-11-26", "2026-11-26"));
    let svg = app.get(&format!("/engagements/{}/gantt.svg", p.id)).bearer(&p.pm).send().await.text();
    assert!(
        svg.contains("class=\"conflict\"") && svg.contains("stroke-dasharray=\"4 2\""),
        "marked and drawn as manual"
    );
    // Back to automatic: B moves after A, C after B, and the warning is gone.
    let res = p.patch(&app, 1, json!({"scheduling": "auto"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let b = p.task(&app, 1).await;
    assert_eq!((b["start_date"].as_str(), b["schedule_warning"].as_bool()), (Some("2026-11-30"), Some(false)), "{b}");
    assert_eq!(p.dates(&app, 2).await, pair("2026-12-01", "2026-12-01"));
});

db_test!(the_schedule_form_beside_the_chart_plans_a_task, |app: TestApp| async move {
    let app = app.with_demo().await;
    let p = plan(&app, &[("A", "2026-11-23", "2026-11-24"), ("B", "2026-11-25", "2026-11-25")]).await;
    p.link(&app, 0, 1).await;
    let b = app.signed_in("pm@xinghe.example").await;
    // A double-click opens the task in the form.
    let page = b.get(&format!("/engagements/{}/gantt?edit={}", p.id, p.tasks[0])).await.text();
    assert!(page.contains("data-gantt-edit=") && page.contains("id=\"task-plan\""), "the editable chart and its form");
    assert!(page.contains(&format!("<option value=\"{}\" data-start=\"2026-11-23\"", p.tasks[0])));
    let url = format!("/engagements/{}/task-plan", p.id);
    // Bad dates: the form comes back with the field named, and nothing moves.
    let res = b
        .post(
            &url,
            &[
                ("task_id", p.tasks[0].as_str()),
                ("start_date", "2026-11-23"),
                ("finish_date", "2026-11-20"),
                ("scheduling", "auto"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("plan-finish_date-error"), "the field's message");
    assert_eq!(p.dates(&app, 1).await, pair("2026-11-25", "2026-11-25"));
    let res = b
        .post(
            &url,
            &[
                ("task_id", p.tasks[0].as_str()),
                ("start_date", "2026-11-23"),
                ("finish_date", "2026-11-26"),
                ("scheduling", "auto"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(p.dates(&app, 1).await, pair("2026-11-27", "2026-11-27"), "its successor moved with it");
    // Someone who may not plan is refused before anything is read; the vendor sees no form.
    let member = app.signed_in("member@xinghe.example").await;
    let res = member
        .post(&url, &[("task_id", p.tasks[0].as_str()), ("start_date", "2026-11-23"), ("finish_date", "2026-11-23")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let vendor = app.token("manager@yunfan.example").await;
    let res = app
        .patch(&format!("{}/tasks/{}", p.base, p.tasks[0]))
        .bearer(&vendor)
        .json(json!({"start_date": "2026-11-30"}))
        .send()
        .await;
    assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", res.status);
});

db_test!(dragging_and_keys_keep_working_day_lengths, |app: TestApp| async move {
    let app = app.with_demo().await;
    // Four working days, Tuesday 1 to Friday 4 December.
    let p = plan(&app, &[("A", "2026-12-01", "2026-12-04")]).await;
    // A bar dragged three days later (a calendar move): still four working days long.
    let res = p.patch(&app, 0, json!({"start_date": "2026-12-04", "keep_duration": true})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(p.dates(&app, 0).await, pair("2026-12-04", "2026-12-09"));
    // → one working day later: over the weekend to Monday.
    let res = p.patch(&app, 0, json!({"move_by": 1})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(p.dates(&app, 0).await, pair("2026-12-07", "2026-12-10"));
    // Shift+← one working day shorter; Shift+→ longer again.
    p.patch(&app, 0, json!({"stretch_by": -1})).await;
    assert_eq!(p.dates(&app, 0).await, pair("2026-12-07", "2026-12-09"));
    p.patch(&app, 0, json!({"stretch_by": 1})).await;
    assert_eq!(p.dates(&app, 0).await, pair("2026-12-07", "2026-12-10"));
    // Nonsense is named and changes nothing.
    let res = p.patch(&app, 0, json!({"move_by": 100_000})).await;
    assert_eq!(res.field_errors(), vec!["move_by"]);
    let res = p.patch(&app, 0, json!({"stretch_by": -9})).await;
    assert_eq!(res.field_errors(), vec!["finish_date"]);
    assert_eq!(p.dates(&app, 0).await, pair("2026-12-07", "2026-12-10"));
    // Only planners may: a participant's member cannot move a task.
    let member = app.token("member@xinghe.example").await;
    let res =
        app.patch(&format!("{}/tasks/{}", p.base, p.tasks[0])).bearer(&member).json(json!({"move_by": 1})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
});
