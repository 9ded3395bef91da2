//! Comments, mentions, notifications, documents, search, dashboards and derived health — and a
//! scenario with two vendors and a client in one engagement, each seeing exactly its slice.

use accord::clock::Clock;
use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn titles(v: &Value) -> Vec<String> {
    let mut t: Vec<String> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| h["title"].as_str().or(h["name"].as_str()).unwrap_or("").to_owned())
        .collect();
    t.sort();
    t
}

pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// ENG-1 with a second vendor (数智) added, a task and a document for each vendor, comments.
struct World {
    eng: i64,
    task_vendor: i64,
    task_vendor2: i64,
    task_client: i64,
}

async fn world(app: &TestApp) -> World {
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let vendor2 = app.party_id("数智").await;
    let res = app
        .post(&format!("/api/v1/engagements/{}/participants", e.eng))
        .bearer(&pm)
        .json(json!({"party_id": vendor2.to_string(), "relation": "vendor"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let qa = app.user_id("qa@shuzhi.example").await;
    let res = app
        .post(&format!("/api/v1/engagements/{}/tasks", e.eng))
        .bearer(&pm)
        .json(json!({"name": "性能压测 load test", "start_date": "2026-11-16", "finish_date": "2026-11-20",
                     "party_id": vendor2.to_string(), "assignee_id": qa.to_string()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let task_vendor2 = res.json()["id"].as_str().expect("id").parse().expect("id");
    World { eng: e.eng, task_vendor: e.task_vendor, task_vendor2, task_client: e.task_client }
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    eng: i64,
    fields: &[(&str, &str)],
    name: &str,
    bytes: &[u8],
) -> Res {
    app.post(&format!("/api/v1/engagements/{eng}/documents"))
        .bearer(token)
        .multipart(fields, Some((name, bytes)))
        .send()
        .await
}

db_test!(two_vendors_and_a_client_each_see_exactly_their_slice, |app: TestApp| async move {
    let app = app.with_demo().await;
    let w = world(&app).await;
    let pm = app.token("pm@xinghe.example").await;
    let dev = app.token("dev@yunfan.example").await;
    let qa = app.token("qa@shuzhi.example").await;
    let client = app.token("member@hdlogistics.example").await;
    let vendor = app.party_id("云帆").await.to_string();
    let vendor2 = app.party_id("数智").await.to_string();
    let client_party = app.party_id("华东").await.to_string();

    // Each vendor files a document for itself; the PM files one for the client and one internal.
    let v1 = upload(&app, &dev, w.eng, &[], "云帆接口说明.txt", "接口清单 v1".as_bytes()).await;
    assert_eq!(v1.status, StatusCode::CREATED, "{}", v1.text());
    assert_eq!(v1.json()["visibility"], "party", "a vendor's upload stays between it and the host by default");
    let v1_id = v1.json()["id"].as_str().expect("id").to_owned();
    let v2 = upload(&app, &qa, w.eng, &[], "数智压测报告.csv", b"tps,p99\n2000,14\n").await;
    assert_eq!(v2.status, StatusCode::CREATED, "{}", v2.text());
    let v2_id = v2.json()["id"].as_str().expect("id").to_owned();
    let c = upload(
        &app,
        &pm,
        w.eng,
        &[("visibility", "party"), ("visible_party_id", &client_party)],
        "客户验收方案.txt",
        "验收方案".as_bytes(),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text());
    let internal = upload(&app, &pm, w.eng, &[("visibility", "internal")], "报价底稿.txt", b"cost 100").await;
    assert_eq!(internal.status, StatusCode::CREATED, "{}", internal.text());
    let internal_id = internal.json()["id"].as_str().expect("id").to_owned();
    // A vendor can't share with another party or hide from itself.
    let res =
        upload(&app, &dev, w.eng, &[("visibility", "party"), ("visible_party_id", &vendor2)], "x.txt", b"x").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["visibility"]);

    // Comments: the PM mentions both vendors' people on the first vendor's task.
    let res = app
        .post(&format!("/api/v1/engagements/{}/comments", w.eng))
        .bearer(&pm)
        .json(json!({"subject_kind": "task", "subject_id": w.task_vendor.to_string(),
                     "body": "@李娜 请周五前提交接口文档，@黄涛 不需要处理"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app
        .post(&format!("/api/v1/engagements/{}/comments", w.eng))
        .bearer(&qa)
        .json(json!({"subject_kind": "task", "subject_id": w.task_vendor2.to_string(), "body": "压测环境已就绪"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    // Documents list and downloads.
    let docs = |t: String| {
        let app = &app;
        async move { titles(&app.get(&format!("/api/v1/engagements/{}/documents", w.eng)).bearer(&t).send().await.json()) }
    };
    assert_eq!(docs(pm.clone()).await.len(), 4);
    assert_eq!(docs(dev.clone()).await, vec!["云帆接口说明.txt"]);
    assert_eq!(docs(qa.clone()).await, vec!["数智压测报告.csv"]);
    assert_eq!(docs(client.clone()).await, vec!["客户验收方案.txt"]);
    for (t, id, expect) in [
        (&dev, &v2_id, StatusCode::NOT_FOUND),
        (&qa, &v1_id, StatusCode::NOT_FOUND),
        (&client, &internal_id, StatusCode::NOT_FOUND),
        (&dev, &v1_id, StatusCode::OK),
        (&pm, &v2_id, StatusCode::OK),
    ] {
        let res = app.get(&format!("/documents/{id}/download")).bearer(t).send().await;
        assert_eq!(res.status, expect, "download {id}");
    }

    // Comments of a task: only where the task is visible.
    let comments = |t: String, task: i64| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/engagements/{}/comments?subject_kind=task&subject_id={task}", w.eng))
                .bearer(&t)
                .send()
                .await
        }
    };
    assert_eq!(comments(dev.clone(), w.task_vendor).await.json()["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(comments(qa.clone(), w.task_vendor).await.status, StatusCode::NOT_FOUND);
    assert_eq!(comments(client.clone(), w.task_vendor2).await.status, StatusCode::NOT_FOUND);

    // Notifications: 李娜 was mentioned; 黄涛 may not see the task, so nothing reached him about it.
    let notes = |t: String| {
        let app = &app;
        async move { app.get("/api/v1/notifications").bearer(&t).send().await.json() }
    };
    let dev_notes = notes(dev.clone()).await;
    let kinds: Vec<&str> =
        dev_notes["items"].as_array().expect("items").iter().filter_map(|n| n["kind"].as_str()).collect();
    assert!(kinds.contains(&"mention"), "{dev_notes}");
    let qa_notes = notes(qa.clone()).await;
    let qa_titles = titles(&qa_notes);
    assert_eq!(qa_titles, vec!["性能压测 load test"], "only the assignment of its own task: {qa_notes}");
    assert!(notes(client.clone()).await["items"].as_array().expect("items").is_empty());

    // Search: the document names, comments and tasks of the others stay hidden.
    let search = |t: String, q: &'static str| {
        let app = &app;
        async move { titles(&app.get(&format!("/api/v1/search?q={}", enc(q))).bearer(&t).send().await.json()) }
    };
    assert_eq!(search(qa.clone(), "接口说明").await, Vec::<String>::new());
    assert_eq!(search(dev.clone(), "接口说明").await, vec!["云帆接口说明.txt"]);
    assert_eq!(search(qa.clone(), "压测").await, vec!["性能压测 load test", "性能压测 load test", "数智压测报告.csv"]);
    assert!(search(dev.clone(), "压测").await.is_empty(), "the other vendor's task, comment and file");
    assert!(search(client.clone(), "周五前提交").await.is_empty(), "a comment on a vendor task");
    assert_eq!(search(pm.clone(), "周五前提交").await, vec!["接口开发 API work"], "the comment, titled by its task");

    // Pages: the record pages answer 404 across the line; the activity feed leaves others out.
    let b = app.signed_in("qa@shuzhi.example").await;
    assert_eq!(b.get(&format!("/engagements/{}/tasks/{}", w.eng, w.task_vendor)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/engagements/{}/tasks/{}", w.eng, w.task_client)).await.status, StatusCode::NOT_FOUND);
    let page = b.get(&format!("/engagements/{}/tasks/{}", w.eng, w.task_vendor2)).await.text();
    assert!(page.contains("压测环境已就绪") && !page.contains("数智压测报告.csv"));
    let feed = b.get(&format!("/engagements/{}/activity", w.eng)).await.text();
    assert!(feed.contains("性能压测") && !feed.contains("接口开发") && !feed.contains("预算复核"), "{feed}");
    let overview = b.get(&format!("/engagements/{}", w.eng)).await.text();
    assert!(!overview.contains("接口开发") && !overview.contains("云帆接口说明"));
    // (Browser sessions expire by the wall clock, so the clock moves only now.)
    // Dashboards count only what each may see.
    app.clock.set(app.clock.now() + Duration::days(30));
    let dash = |t: String| {
        let app = &app;
        async move { app.get(&format!("/api/v1/engagements/{}/dashboard", w.eng)).bearer(&t).send().await.json() }
    };
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v["overdue"]
            .as_array()
            .expect("overdue")
            .iter()
            .map(|i| i["name"].as_str().unwrap_or("").to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&dash(pm.clone()).await).len(), 7, "five tasks and two milestones are late for the host");
    assert_eq!(names(&dash(dev.clone()).await), vec!["初验 UAT", "接口开发 API work", "联调测试 joint test"]);
    assert_eq!(names(&dash(qa.clone()).await), vec!["初验 UAT", "性能压测 load test", "联调测试 joint test"]);
    assert_eq!(names(&dash(client.clone()).await), vec!["初验 UAT", "联调测试 joint test", "需求确认 sign-off prep"]);
    let portfolio = app.get("/api/v1/portfolio").bearer(&qa).send().await.json();
    assert_eq!(portfolio["summary"]["total"], 1, "{portfolio}");
    assert_eq!(portfolio["items"][0]["overdue"], 3, "{portfolio}");

    let _ = vendor;
});

db_test!(mentions_assignments_and_the_unread_badge, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.signed_in("pm@xinghe.example").await;
    // The page form: a mention of the vendor's manager by name part, one of the client by e-mail user.
    let res = pm
        .post(
            &format!("/engagements/{}/tasks/{}/comments", e.eng, e.task_vendor),
            &[("body", "@孙浩 请安排评审；@manager 抄送")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().contains(&format!("/tasks/{}#comment-", e.task_vendor)), "{}", res.location());
    let mgr = app.signed_in("manager@yunfan.example").await;
    let home = mgr.get("/").await.text();
    assert!(home.contains("data-testid=\"unread\" aria-hidden=\"true\">1<"), "one unread notice on the badge");
    let list = mgr.get("/notifications").await.text();
    assert!(list.contains("接口开发 API work") && list.contains("notice-unread"));
    // "@manager" fits only Yunfan's manager among those who may see the vendor's task (the
    // client's manager may not), and the same person is notified once.
    let client = app.signed_in("manager@hdlogistics.example").await;
    assert!(!client.get("/").await.text().contains("data-testid=\"unread\""));
    // Opening the notice reads it and leads to the task.
    let id = {
        use accord::collab::entity::notification;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let uid = app.user_id("manager@yunfan.example").await;
        notification::Entity::find()
            .filter(notification::Column::UserId.eq(uid))
            .one(app.db())
            .await
            .expect("q")
            .expect("notice")
            .id
    };
    let res = mgr.get(&format!("/notifications/{id}/open")).await;
    assert!(
        res.location().starts_with(&format!("/engagements/{}/tasks/{}#comment-", e.eng, e.task_vendor)),
        "at the comment that mentions them: {}",
        res.location()
    );
    assert!(!mgr.get("/").await.text().contains("data-testid=\"unread\""));
    // Reassigning a task notifies the new assignee once; an empty comment changes nothing.
    let token = app.token("pm@xinghe.example").await;
    let dev_id = app.user_id("dev@yunfan.example").await;
    let res = app
        .patch(&format!("/api/v1/engagements/{}/tasks/{}", e.eng, e.task_vendor))
        .bearer(&token)
        .json(json!({"assignee_id": dev_id.to_string()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let dev = app.token("dev@yunfan.example").await;
    let notes = app.get("/api/v1/notifications?unread=true").bearer(&dev).send().await.json();
    // Of this engagement (the demo's plan assigns the developer work of its own).
    let kinds = kinds_in(&notes, e.eng);
    assert_eq!(kinds, vec!["assignment", "assignment"], "the shared task at set-up, this one now: {notes}");
    assert_eq!(notes["unread"].as_u64(), notes["items"].as_array().map(|i| i.len() as u64), "{notes}");
    let res = app
        .post(&format!("/api/v1/engagements/{}/comments", e.eng))
        .bearer(&token)
        .json(json!({"subject_kind": "task", "subject_id": e.task_vendor.to_string(), "body": "   "}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["body"]);
    let res = app.post("/api/v1/notifications/read-all").bearer(&dev).send().await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/notifications").bearer(&dev).send().await.json()["unread"], 0);
});

/// The kinds of the notifications in a list that concern engagement `id`, newest first.
fn kinds_in(notes: &serde_json::Value, id: i64) -> Vec<&str> {
    let id = id.to_string();
    notes["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["engagement_id"] == id.as_str())
        .filter_map(|n| n["kind"].as_str())
        .collect()
}

db_test!(due_soon_and_overdue_notices_come_once_and_health_follows_the_plan, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let dev = app.token("dev@yunfan.example").await;
    // Created on 11-23 with health "auto" (the default), its tasks due 11-20 already late: red.
    let eng = app.get(&format!("/api/v1/engagements/{}", e.eng)).bearer(&pm).send().await.json();
    assert_eq!((eng["health"].as_str(), eng["health_auto"].as_bool()), (Some("red"), Some(true)));
    // 2026-11-18: the tasks (due 11-20) are due within three days.
    app.clock.set(app.clock.now() - Duration::days(5));
    accord::jobs::enqueue(
        app.writer(),
        app.clock.now(),
        &accord::collab::notices::PLAN_NOTICES,
        serde_json::Value::Null,
        app.clock.now(),
    )
    .await
    .expect("enqueue");
    app.run_jobs().await;
    let notes = app.get("/api/v1/notifications").bearer(&dev).send().await.json();
    assert_eq!(kinds_in(&notes, e.eng), vec!["due_soon", "assignment"], "{notes}");
    let eng = app.get(&format!("/api/v1/engagements/{}", e.eng)).bearer(&pm).send().await.json();
    assert_eq!(eng["health"], "green", "on 11-18 nothing is late yet (the job recomputed it)");
    // 2026-12-20: the tasks and the milestone are late; running twice notifies once.
    app.clock.set(app.clock.now() + Duration::days(32));
    for _ in 0..2 {
        accord::jobs::enqueue(
            app.writer(),
            app.clock.now(),
            &accord::collab::notices::PLAN_NOTICES,
            serde_json::Value::Null,
            app.clock.now(),
        )
        .await
        .expect("enqueue");
        app.run_jobs().await;
    }
    let notes = app.get("/api/v1/notifications").bearer(&dev).send().await.json();
    assert_eq!(kinds_in(&notes, e.eng), vec!["overdue", "due_soon", "assignment"], "{notes}");
    let owner = app.token("admin@xinghe.example").await;
    let pm_notes = app.get("/api/v1/notifications").bearer(&owner).send().await.json();
    let overdue: Vec<String> = pm_notes["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "overdue")
        .map(|n| n["title"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(overdue.len(), 6, "the owner hears of every late task and milestone once: {pm_notes}");
    let eng = app.get(&format!("/api/v1/engagements/{}", e.eng)).bearer(&pm).send().await.json();
    assert_eq!(eng["health"], "red", "a planned milestone is past due");
    // The portfolio filters by health; the summary counts across pages.
    let red = app.get("/api/v1/portfolio?health=red").bearer(&pm).send().await.json();
    assert!(titles_of(&red).contains(&"物流平台 App".to_owned()), "{red}");
    assert!(
        titles_of(&app.get("/api/v1/portfolio?health=green").bearer(&pm).send().await.json())
            .iter()
            .all(|n| n != "物流平台 App")
    );
    assert!(red["summary"]["red"].as_u64() >= Some(1));
    // Marking the milestones done and finishing the tasks turns it green again at once.
    let ms = app.get(&format!("/api/v1/engagements/{}/milestones", e.eng)).bearer(&pm).send().await.json();
    for m in ms["items"].as_array().expect("items") {
        let id = m["id"].as_str().expect("id");
        let res = app
            .patch(&format!("/api/v1/engagements/{}/milestones/{id}", e.eng))
            .bearer(&pm)
            .json(json!({"status": "achieved"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let tasks = app.get(&format!("/api/v1/engagements/{}/tasks", e.eng)).bearer(&pm).send().await.json();
    for t in tasks["items"].as_array().expect("items") {
        let id = t["id"].as_str().expect("id");
        let res = app
            .patch(&format!("/api/v1/engagements/{}/tasks/{id}", e.eng))
            .bearer(&pm)
            .json(json!({"status": "done"}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let eng = app.get(&format!("/api/v1/engagements/{}", e.eng)).bearer(&pm).send().await.json();
    assert_eq!(eng["health"], "green");
    // A colour set by hand stays put.
    let res =
        app.patch(&format!("/api/v1/engagements/{}", e.eng)).bearer(&pm).json(json!({"health": "amber"})).send().await;
    assert_eq!((res.json()["health"].as_str(), res.json()["health_auto"].as_bool()), (Some("amber"), Some(false)));
    // The activity feed shows the milestone being reached.
    let feed = app.get(&format!("/api/v1/engagements/{}/activity", e.eng)).bearer(&dev).send().await.json();
    let verbs: Vec<&str> = feed["items"].as_array().expect("items").iter().filter_map(|a| a["verb"].as_str()).collect();
    assert!(verbs.contains(&"achieved") && verbs.contains(&"progress"), "{feed}");
    assert!(
        !feed["items"].as_array().expect("items").iter().any(|a| a["title"] == "内部评审 internal review"),
        "the vendor's feed leaves out the internal milestone"
    );
});

fn titles_of(v: &Value) -> Vec<String> {
    v["items"].as_array().expect("items").iter().map(|i| i["name"].as_str().unwrap_or("").to_owned()).collect()
}

db_test!(the_full_demo_has_three_engagements_each_party_seeing_its_own, |app: TestApp| async move {
    accord::demo::seed(&app.state).await.expect("demo");
    accord::demo::seed(&app.state).await.expect("seeding again adds nothing");
    let codes = |email: &'static str| {
        let app = &app;
        async move {
            let t = app.token(email).await;
            let v = app.get("/api/v1/portfolio").bearer(&t).send().await.json();
            let mut c: Vec<String> = v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["code"].as_str().unwrap_or("").to_owned())
                .collect();
            c.sort();
            c
        }
    };
    assert_eq!(codes("pm@xinghe.example").await, vec!["XH-2026-001", "XH-2026-002", "XH-2027-S01"]);
    assert_eq!(codes("dev@yunfan.example").await, vec!["XH-2026-001", "XH-2027-S01"]);
    assert_eq!(codes("manager@shuzhi.example").await, vec!["XH-2026-002"]);
    assert_eq!(codes("member@hdlogistics.example").await, vec!["XH-2026-001", "XH-2027-S01"]);
    // Comments, documents and notices are there, and stay in their slice.
    let dev = app.token("dev@yunfan.example").await;
    let notes = app.get("/api/v1/notifications").bearer(&dev).send().await.json();
    let kinds: Vec<&str> =
        notes["items"].as_array().expect("items").iter().filter_map(|n| n["kind"].as_str()).collect();
    assert!(kinds.contains(&"mention") && kinds.contains(&"assignment"), "{notes}");
    let client = app.token("member@hdlogistics.example").await;
    let hits = app.get(&format!("/api/v1/search?q={}", enc("签收照片"))).bearer(&client).send().await.json();
    assert!(!hits["items"].as_array().expect("items").is_empty(), "the client finds its incident: {hits}");
    let hits = app.get(&format!("/api/v1/search?q={}", enc("离线拍照"))).bearer(&client).send().await.json();
    assert!(hits["items"].as_array().expect("items").is_empty(), "not the vendor's task discussion: {hits}");
    let grace = app.token("manager@shuzhi.example").await;
    let hits = app.get(&format!("/api/v1/search?q={}", enc("Install checklist"))).bearer(&grace).send().await.json();
    assert_eq!(titles(&hits), vec!["Install checklist.md"]);
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(accord::documents::entity::document::Entity::find().count(app.db()).await.expect("count"), 4);
    assert_eq!(accord::collab::entity::comment::Entity::find().count(app.db()).await.expect("count"), 8);

    // Eight vendors in every status; Tianheng won the selection, which made it active and brought it in.
    let pm = app.token("pm@xinghe.example").await;
    let vendors = app.get("/api/v1/vendors?limit=50").bearer(&pm).send().await.json();
    let mut statuses: Vec<&str> =
        vendors["items"].as_array().expect("items").iter().filter_map(|v| v["status"].as_str()).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        ["active", "active", "active", "active", "blacklisted", "prospect", "qualified", "suspended"],
        "{vendors}"
    );
    let shuzhi = app.get(&format!("/api/v1/vendors/{}", app.party_id("数智").await)).bearer(&pm).send().await.json();
    let states: Vec<&str> =
        shuzhi["certificates"].as_array().expect("certificates").iter().filter_map(|c| c["state"].as_str()).collect();
    assert_eq!(states, ["expiring"], "{shuzhi}");
    assert_eq!(codes("manager@tianheng.example").await, vec!["XH-2026-002"]);
    let selections = app.get("/api/v1/selections").bearer(&pm).send().await.json();
    let s = &selections["items"][0];
    assert_eq!((s["state"].as_str(), s["bids_in"].as_i64()), (Some("awarded"), Some(3)), "{selections}");
    let ranking =
        app.get(&format!("/api/v1/selections/{}/ranking", s["id"].as_str().unwrap_or(""))).bearer(&pm).send().await;
    assert_eq!(ranking.json()["evaluator_ids"].as_array().map(Vec::len), Some(2));
    // Yunfan sees its own published scorecards for both quarters.
    let yunfan = app.token("manager@yunfan.example").await;
    let yunfan_id = app.party_id("云帆").await;
    for period in ["2026Q3", "2026Q4"] {
        let card =
            app.get(&format!("/api/v1/vendors/{yunfan_id}/scorecard?period={period}")).bearer(&yunfan).send().await;
        assert_eq!(card.status, StatusCode::OK, "{period}: {}", card.text());
        assert!(card.json()["total"].as_f64().is_some());
    }
    // Yunfan's contract carries two payment disputes: the late advance (settled as the host's
    // fault) and the progress invoice's tax rate (open).
    let contracts = app.get("/api/v1/contracts").bearer(&yunfan).send().await.json();
    let wb = contracts["items"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["number"] == "WB-2026-007"))
        .and_then(|c| c["id"].as_str())
        .expect("WB-2026-007")
        .to_owned();
    let list = app.get(&format!("/api/v1/contracts/{wb}/disputes")).bearer(&yunfan).send().await.json();
    let outcomes: Vec<(&str, Option<&str>)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| (d["state"].as_str().unwrap_or(""), d["fault"].as_str()))
        .collect();
    assert_eq!(outcomes, vec![("resolved", Some("host")), ("open", None)]);
});
