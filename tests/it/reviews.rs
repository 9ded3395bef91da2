//! Requirement review rounds: opening with reviewers from other parties, comments per item,
//! votes, reminders before the deadline (in-app and e-mail, once), and closing, which records
//! the outcome and turns comments into tasks for the items' author.

use axum::http::StatusCode;
use serde_json::json;

use crate::{db_test, support::*};

db_test!(a_review_round_collects_comments_and_votes_then_closes_into_tasks, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let (pm, client, vendor, member) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@hdlogistics.example").await,
        app.token("manager@yunfan.example").await,
        app.token("member@hdlogistics.example").await,
    );
    let item = app
        .post(&format!("/api/v1/engagements/{}/requirements", e.eng))
        .bearer(&pm)
        .json(json!({"title": "到站提醒 arrival alert"}))
        .send()
        .await
        .json();
    let item_id = item["id"].as_str().expect("id").to_owned();
    let base = format!("/api/v1/engagements/{}/review-rounds", e.eng);
    let people = |emails: &[i64]| emails.iter().map(i64::to_string).collect::<Vec<_>>();
    let (cm, vm, mm, outsider) = (
        app.user_id("manager@hdlogistics.example").await,
        app.user_id("manager@yunfan.example").await,
        app.user_id("member@hdlogistics.example").await,
        app.user_id("qa@shuzhi.example").await,
    );

    // Bad input names every field and opens nothing.
    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "", "deadline": "2026-11-01", "requirement_ids": [reqs.internal.to_string()],
                     "reviewer_ids": people(&[outsider])}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["title", "deadline", "requirement_ids", "reviewer_ids"]);
    assert_eq!(app.get(&base).bearer(&pm).send().await.json()["items"].as_array().map(Vec::len), Some(0));
    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "二期需求评审", "deadline": "2026-11-28", "requirement_ids": [item_id],
                     "reviewer_ids": people(&[cm, vm, mm])}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let round = res.json();
    assert_eq!(round["items"][0]["status"], "in_review");
    let url = format!("/api/v1/review-rounds/{}", round["id"].as_str().expect("id"));
    let notices = app.get("/api/v1/notifications").bearer(&vendor).send().await.json();
    assert!(notices.to_string().contains("review_requested"), "{notices}");

    // Reviewers comment per item; the item must be in the round.
    let res = app
        .post(&format!("{url}/comments"))
        .bearer(&client)
        .json(json!({"requirement_id": reqs.shared.to_string(), "body": "x"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["requirement_id"]);
    let res = app
        .post(&format!("{url}/comments"))
        .bearer(&client)
        .json(json!({"requirement_id": item_id, "body": "提醒时间需可配置 make the lead time configurable"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app.post(&format!("{url}/votes")).bearer(&pm).json(json!({"vote": "approve"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the PM runs the round but is not a reviewer");
    let res = app.post(&format!("{url}/votes")).bearer(&vendor).json(json!({"vote": "approve"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = app.post(&format!("{url}/votes")).bearer(&client).json(json!({"vote": "request_changes"})).send().await;
    assert_eq!(res.field_errors(), vec!["comment"]);
    let res = app
        .post(&format!("{url}/votes"))
        .bearer(&client)
        .json(json!({"vote": "request_changes", "comment": "见评审意见"}))
        .send()
        .await;
    let seen = res.json();
    let votes: Vec<Option<&str>> =
        seen["reviewers"].as_array().expect("reviewers").iter().map(|r| r["vote"].as_str()).collect();
    assert_eq!(votes, vec![Some("request_changes"), Some("approve"), None]);

    // Two days before the deadline the one who has not voted is reminded, once, in-app and by e-mail.
    assert_eq!(accord::requirements::reviews::remind(&app.state).await.expect("job"), 0, "five days out");
    app.clock.advance(chrono::Duration::days(3));
    assert_eq!(accord::requirements::reviews::remind(&app.state).await.expect("job"), 1);
    assert_eq!(accord::requirements::reviews::remind(&app.state).await.expect("job"), 0, "once");
    let notices = app.get("/api/v1/notifications").bearer(&member).send().await.json();
    assert!(notices.to_string().contains("review_due"), "{notices}");
    use accord::mail::entity::outbox_email;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mails = outbox_email::Entity::find()
        .filter(outbox_email::Column::ToAddress.eq("member@hdlogistics.example"))
        .all(app.db())
        .await
        .expect("outbox");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("二期需求评审"), "{}", mails[0].subject);

    // Closing: the votes decide; the comment becomes the author's task; the item goes back to draft.
    let res = app.post(&format!("{url}/close")).bearer(&client).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&format!("{url}/close")).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let closed = res.json();
    assert_eq!((closed["state"].as_str(), closed["outcome"].as_str()), (Some("closed"), Some("changes_requested")));
    assert_eq!(closed["items"][0]["status"], "draft");
    let task_id = closed["comments"][0]["task_id"].as_str().expect("task").to_owned();
    let task = app.get(&format!("/api/v1/engagements/{}/tasks/{task_id}", e.eng)).bearer(&pm).send().await.json();
    assert!(task["name"].as_str().unwrap_or("").contains("提醒时间需可配置"), "{task}");
    assert_eq!(task["assignee_id"], json!(app.user_id("pm@xinghe.example").await.to_string()));
    let res = app.get(&format!("/api/v1/engagements/{}/tasks/{task_id}", e.eng)).bearer(&client).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "the author's follow-up is the host's own work");
    let res = app.post(&format!("{url}/close")).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app
        .post(&format!("{url}/comments"))
        .bearer(&client)
        .json(json!({"requirement_id": item_id, "body": "late"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    // The pages show the round to everyone in the engagement.
    let page = format!("/engagements/{}/reviews/{}", e.eng, round["id"].as_str().expect("id"));
    let html = app.signed_in("dev@yunfan.example").await.get(&page).await.text();
    assert!(html.contains("二期需求评审") && html.contains("提醒时间需可配置"));
});
