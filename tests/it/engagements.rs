//! Engagements: lifecycle, participants, and each party seeing exactly its slice of the plan
//! through pages, API and portfolio figures.

use axum::http::StatusCode;
use serde_json::json;

use crate::{db_test, support::*};

fn names(list: &serde_json::Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> =
        list["items"].as_array().expect("items").iter().map(|i| i[key].as_str().unwrap_or("").to_owned()).collect();
    v.sort();
    v
}

db_test!(a_pm_starts_an_engagement_and_moves_it_through_its_life, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let bad = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "bad code!", "name": "", "kind": "space", "start_date": "2026-13-01", "end_date": "2026-01-01"}))
        .send()
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = bad.field_errors();
    fields.sort();
    assert_eq!(fields, vec!["code", "kind", "name", "start_date"]);
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "wms-2026", "name": "仓储系统升级", "kind": "vendor_delivery", "start_date": "2026-12-01", "end_date": "2027-02-28"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let e = res.json();
    assert_eq!(
        (e["code"].as_str(), e["state"].as_str(), e["start_date"].as_str()),
        (Some("WMS-2026"), Some("initiating"), Some("2026-12-01"))
    );
    let id = e["id"].as_str().expect("id").to_owned();
    let dup = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "WMS-2026", "name": "x", "kind": "vendor_delivery", "start_date": "2026-12-01", "end_date": "2027-02-28"}))
        .send()
        .await;
    assert_eq!(dup.field_errors(), vec!["code"]);
    let no_reason =
        app.patch(&format!("/api/v1/engagements/{id}")).bearer(&pm).json(json!({"state": "active"})).send().await;
    assert_eq!(no_reason.field_errors(), vec!["state_reason"]);
    let skip = app
        .patch(&format!("/api/v1/engagements/{id}"))
        .bearer(&pm)
        .json(json!({"state": "archived", "state_reason": "done"}))
        .send()
        .await;
    assert_eq!(skip.field_errors(), vec!["state"], "initiating cannot jump to archived");
    let ok = app
        .patch(&format!("/api/v1/engagements/{id}"))
        .bearer(&pm)
        .json(json!({"state": "active", "state_reason": "合同已签署 contract signed"}))
        .send()
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["state"], "active");
    use accord::audit::entity::event;
    use sea_orm::{EntityTrait, QueryOrder};
    let last = event::Entity::find().order_by_desc(event::Column::Id).one(app.db()).await.expect("q").expect("event");
    assert_eq!(last.action, "engagement.transition");
    assert!(last.after.as_deref().unwrap_or("").contains("合同已签署"), "the reason is audited");
    let member = app.token("member@xinghe.example").await;
    let res =
        app.patch(&format!("/api/v1/engagements/{id}")).bearer(&member).json(json!({"health": "red"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
});

db_test!(each_party_sees_exactly_its_slice, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let vendor = app.token("dev@yunfan.example").await;
    let client = app.token("manager@hdlogistics.example").await;
    let other_vendor = app.token("qa@shuzhi.example").await;
    let host = app.token("member@xinghe.example").await;
    let tasks = |t: String| {
        let app = &app;
        async move {
            names(&app.get(&format!("/api/v1/engagements/{}/tasks", e.eng)).bearer(&t).send().await.json(), "name")
        }
    };
    assert_eq!(tasks(vendor.clone()).await, vec!["接口开发 API work", "联调测试 joint test"]);
    assert_eq!(tasks(client.clone()).await, vec!["联调测试 joint test", "需求确认 sign-off prep"]);
    assert_eq!(tasks(host.clone()).await.len(), 4);
    // The client sees the shared task but not which vendor does it, nor who.
    let shared = app.get(&format!("/api/v1/engagements/{}/tasks", e.eng)).bearer(&client).send().await.json();
    let shared = shared["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|t| t["name"] == "联调测试 joint test")
        .cloned()
        .expect("task");
    assert!(shared["party_id"].is_null() && shared["assignee_id"].is_null(), "{shared}");
    let m = app.get(&format!("/api/v1/engagements/{}/milestones", e.eng)).bearer(&client).send().await.json();
    assert!(m["items"][0]["owner_party_id"].is_null(), "the vendor owning the milestone stays unnamed: {m}");
    let milestones = app.get(&format!("/api/v1/engagements/{}/milestones", e.eng)).bearer(&client).send().await.json();
    assert_eq!(names(&milestones, "name"), vec!["初验 UAT"], "internal milestone hidden");
    // The client does not learn which vendors take part; the vendor sees the client.
    let parts = app.get(&format!("/api/v1/engagements/{}/participants", e.eng)).bearer(&client).send().await.json();
    let parts: Vec<&str> = parts.as_array().expect("list").iter().filter_map(|p| p["relation"].as_str()).collect();
    assert_eq!(parts, vec!["client"]);
    let parts = app.get(&format!("/api/v1/engagements/{}/participants", e.eng)).bearer(&vendor).send().await.json();
    assert_eq!(parts.as_array().map(Vec::len), Some(2));
    // A vendor outside the engagement sees nothing of it.
    let list = app.get("/api/v1/engagements").bearer(&other_vendor).send().await.json();
    assert!(list["items"].as_array().is_some_and(Vec::is_empty));
    assert_eq!(
        app.get(&format!("/api/v1/engagements/{}", e.eng)).bearer(&other_vendor).send().await.status,
        StatusCode::NOT_FOUND
    );
    // Pages show the same slice, portfolio figures count only what each sees.
    let b = app.signed_in("dev@yunfan.example").await;
    let page = b.get(&format!("/engagements/{}", e.eng)).await.text();
    assert!(
        page.contains("接口开发")
            && !page.contains("预算复核")
            && !page.contains("需求确认")
            && !page.contains("内部评审"),
        "{page}"
    );
    let c = app.signed_in("manager@hdlogistics.example").await;
    let page = c.get(&format!("/engagements/{}", e.eng)).await.text();
    assert!(
        page.contains("需求确认") && !page.contains("接口开发") && !page.contains("云帆"),
        "client page leaks the vendor"
    );
    let portfolio = c.get("/engagements").await.text();
    assert!(portfolio.contains("ENG-1") && !portfolio.contains("ENG-2"));
    // The clock says 2026-11-23: the vendor task (due 11-20, not done) is overdue for the vendor.
    let vendor_portfolio = b.get("/engagements").await.text();
    assert!(vendor_portfolio.contains("ENG-1"));
});

db_test!(the_responsible_party_reports_progress_but_cannot_replan, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let vendor = app.token("dev@yunfan.example").await;
    let path = format!("/api/v1/engagements/{}/tasks/{}", e.eng, e.task_vendor);
    let res = app.patch(&path).bearer(&vendor).json(json!({"progress": 60, "status": "in_progress"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["progress"], 60);
    let res = app.patch(&path).bearer(&vendor).json(json!({"finish_date": "2027-01-01"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.patch(&path).bearer(&vendor).json(json!({"status": "done"})).send().await;
    assert_eq!(res.json()["progress"], 100, "done means 100%");
    let b = app.signed_in("manager@yunfan.example").await;
    let res = b
        .post(
            &format!("/engagements/{}/tasks/{}/progress", e.eng, e.task_internal),
            &[("progress", "10"), ("status", "todo")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "an internal task can't be touched or even seen");
});

db_test!(planning_validates_parties_and_visibility, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let outsider = app.party_id("数智").await.to_string();
    let base = format!("/api/v1/engagements/{}", e.eng);
    let res = app
        .post(&format!("{base}/tasks"))
        .bearer(&pm)
        .json(json!({"name": "测试", "start_date": "2026-12-10", "finish_date": "2026-12-01", "party_id": outsider, "visibility": "party"}))
        .send()
        .await;
    let mut fields = res.field_errors();
    fields.sort();
    assert_eq!(fields, vec!["finish_date", "party_id", "visible_party_id"]);
    let res = app
        .post(&format!("{base}/participants"))
        .bearer(&pm)
        .json(json!({"party_id": outsider, "relation": "client"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["relation"], "a vendor can't be the client");
    let res = app
        .post(&format!("{base}/participants"))
        .bearer(&pm)
        .json(json!({"party_id": outsider, "relation": "subcontractor"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let vendor = app.party_id("云帆").await;
    let b = app.signed_in("pm@xinghe.example").await;
    let res = b.post(&format!("/engagements/{}/participants/{vendor}/delete", e.eng), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = b.get(&format!("/engagements/{}", e.eng)).await.text();
    assert!(page.contains("云帆"), "still a participant: its task names it");
});

db_test!(dependencies_schedule_the_plan_over_working_days, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "CNY", "name": "春节前后", "kind": "client_project", "start_date": "2026-02-12", "end_date": "2026-03-31"}))
        .send()
        .await;
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let base = format!("/api/v1/engagements/{id}");
    let mut ids = Vec::new();
    for (name, start, finish) in [
        ("设计 design", "2026-02-12", "2026-02-13"),
        ("开发 build", "2026-02-12", "2026-02-12"),
        ("上线 launch", "2026-02-12", "2026-02-12"),
    ] {
        let t = app
            .post(&format!("{base}/tasks"))
            .bearer(&pm)
            .json(json!({"name": name, "start_date": start, "finish_date": finish}))
            .send()
            .await;
        assert_eq!(t.status, StatusCode::CREATED, "{}", t.text());
        ids.push(t.json()["id"].as_str().expect("id").to_owned());
    }
    let saved = app.post(&format!("{base}/baselines")).bearer(&pm).json(json!({"name": "签约基线"})).send().await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text());
    let baseline = saved.json()["id"].as_str().expect("id").to_owned();
    // Each link moves its successor at once (the plan schedules itself).
    for (p, s) in [(0, 1), (1, 2)] {
        let d = app
            .post(&format!("{base}/dependencies"))
            .bearer(&pm)
            .json(json!({"predecessor_id": ids[p], "successor_id": ids[s]}))
            .send()
            .await;
        assert_eq!(d.status, StatusCode::CREATED, "{}", d.text());
    }
    let looped = app
        .post(&format!("{base}/dependencies"))
        .bearer(&pm)
        .json(json!({"predecessor_id": ids[2], "successor_id": ids[0]}))
        .send()
        .await;
    assert_eq!(looped.field_errors(), vec!["successor_id"], "a loop is refused");
    // Re-planning finds nothing left to move.
    let res = app.post(&format!("{base}/schedule")).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["moved"], 0);
    let get = |i: usize| app.get(&format!("{base}/tasks/{}", ids[i])).bearer(&pm).send();
    let build = get(1).await.json();
    // Design takes Thu 12 and Fri 13 Feb; the 调休 Saturday 14 Feb is a working day.
    assert_eq!(build["start_date"], "2026-02-14");
    let launch = get(2).await.json();
    assert_eq!(launch["start_date"], "2026-02-24", "after the Spring Festival holiday");
    // Against the baseline saved before the links, launch is 3 working days late: the baseline
    // had it on Thu 12 Feb; now it is Tue 24 Feb — Fri 13, the make-up Sat 14, then Tue 24.
    let cmp = app.get(&format!("{base}/baselines/{baseline}")).bearer(&pm).send().await.json();
    let launch_row =
        cmp["items"].as_array().expect("items").iter().find(|i| i["name"] == "上线 launch").cloned().expect("row");
    assert_eq!(launch_row["finish_variance_days"], 3, "{launch_row}");
    let svg = app.get(&format!("/engagements/{id}/gantt.svg?zoom=day&baseline={baseline}")).bearer(&pm).send().await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.content_type().starts_with("image/svg+xml"));
    let text = svg.text();
    assert!(text.contains("开发 build") && text.contains("marker-end"), "bars and arrows");
    // The critical path: bars outlined in red (not only the legend) and red arrows between them.
    assert!(text.contains("stroke=\"#ff4d4f\"><title>") && text.contains("url(#arrow-critical)"), "critical path");
    let b = app.signed_in("pm@xinghe.example").await;
    let page = b.get(&format!("/engagements/{id}/gantt?zoom=month")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<svg") && html.contains(">2026 年<"), "years above the months");
    // The week view: months above the days, the names pinned beside the chart, the chart
    // opening at today, bars labelled with their progress, and a list for a phone.
    let html = b.get(&format!("/engagements/{id}/gantt")).await.text();
    assert!(html.contains(">2026 年 2 月<"), "months above the days");
    assert!(html.contains("class=\"gantt-names\"") && html.contains("data-scroll-left=\""), "pinned names");
    assert!(html.contains("font-size=\"10\">0%<") || html.contains(" · 0%<"), "progress on the bars");
    assert!(html.contains("class=\"gantt-list\"") && html.contains("上线 launch"), "the phone's list");
    let scroll: f64 = html
        .split("data-scroll-left=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|v| v.parse().ok())
        .expect("a number");
    assert!(scroll > 0.0, "the plan starts months before today: the chart opens scrolled to today");
    let en = app.signed_in("pm@xinghe.example").await;
    en.post("/lang", &[("lang", "en")]).await;
    assert!(en.get(&format!("/engagements/{id}/gantt")).await.text().contains(">Feb 2026<"), "English months");
});

db_test!(deliverables_carry_their_acceptance_criteria, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.signed_in("pm@xinghe.example").await;
    let vendor = app.party_id("云帆").await.to_string();
    let bad = pm
        .post(
            &format!("/engagements/{}/deliverables", e.eng),
            &[("name", "司机端安装包"), ("due_date", "2027-02-30"), ("owner_party_id", &vendor), ("criteria", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("value=\"司机端安装包\""), "input kept");
    let ok = pm
        .post(
            &format!("/engagements/{}/deliverables", e.eng),
            &[
                ("name", "司机端安装包 APK"),
                ("due_date", "2027-01-15"),
                ("owner_party_id", &vendor),
                ("criteria", "安装成功率 100%\n\n冷启动 < 2 秒\n"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let client = app.token("member@hdlogistics.example").await;
    let list = app.get(&format!("/api/v1/engagements/{}/deliverables", e.eng)).bearer(&client).send().await.json();
    let item = &list["items"][0];
    assert_eq!(item["name"], "司机端安装包 APK");
    assert_eq!(item["criteria"].as_array().map(Vec::len), Some(2), "blank lines are dropped");
    assert!(item["owner_party_id"].is_null(), "the client is not told which vendor delivers");
    let host = app.token("member@xinghe.example").await;
    let list = app.get(&format!("/api/v1/engagements/{}/deliverables", e.eng)).bearer(&host).send().await.json();
    assert_eq!(list["items"][0]["owner_party_id"].as_str(), Some(vendor.as_str()));
});

db_test!(search_finds_only_what_the_viewer_may_see, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let titles = |t: String, q: &'static str| {
        let app = &app;
        async move {
            let res = app.get(&format!("/api/v1/search?q={}", urlencode(q))).bearer(&t).send().await.json();
            let mut v: Vec<String> = res["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|h| h["title"].as_str().unwrap_or("").to_owned())
                .collect();
            v.sort();
            v
        }
    };
    let host = app.token("member@xinghe.example").await;
    let vendor = app.token("dev@yunfan.example").await;
    let client = app.token("member@hdlogistics.example").await;
    let outsider = app.token("qa@shuzhi.example").await;
    // The demo engagement XH-2026-001 is there too, with its own internal milestone.
    assert_eq!(titles(host.clone(), "预算").await, vec!["预算复核 Budget review", "预算复核 budget check"]);
    assert!(titles(vendor.clone(), "预算").await.is_empty(), "internal records hidden from the vendor");
    assert_eq!(titles(vendor.clone(), "接口").await, vec!["接口开发 API work", "接口联调 API integration"]);
    assert!(titles(client.clone(), "接口").await.is_empty(), "vendor tasks hidden from the client");
    assert_eq!(
        titles(client.clone(), "初验").await,
        vec!["初验 UAT", "司机端初验 Driver app initial acceptance", "调度端初验 Dispatch console initial acceptance"],
        "a two-character Chinese query works"
    );
    assert!(titles(outsider.clone(), "物流").await.is_empty(), "a vendor outside the engagements finds nothing");
    assert_eq!(titles(host.clone(), "eng-").await.len(), 2, "codes match case-insensitively");
    let b = app.signed_in("manager@hdlogistics.example").await;
    let page = b.get("/search?q=%E9%9C%80%E6%B1%82").await.text();
    assert!(page.contains("需求确认 sign-off prep") && page.contains(&format!("/engagements/{}/tasks/", e.eng)));
});

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

db_test!(an_engagement_pm_runs_that_engagement_only, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let admin = app.token("admin@xinghe.example").await;
    let member_id = app.user_id("member@xinghe.example").await.to_string();
    let dev_id = app.user_id("dev@yunfan.example").await.to_string();
    let base = format!("/api/v1/engagements/{}", e.eng);
    let no =
        app.post(&format!("{base}/members")).bearer(&admin).json(json!({"user_id": dev_id, "role": "pm"})).send().await;
    assert_eq!(no.field_errors(), vec!["role"], "a vendor's person can't run the engagement");
    let ok = app
        .post(&format!("{base}/members"))
        .bearer(&admin)
        .json(json!({"user_id": dev_id, "role": "member"}))
        .send()
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    let ok = app
        .post(&format!("{base}/members"))
        .bearer(&admin)
        .json(json!({"user_id": member_id, "role": "pm"}))
        .send()
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let dup = app
        .post(&format!("{base}/members"))
        .bearer(&admin)
        .json(json!({"user_id": member_id, "role": "member"}))
        .send()
        .await;
    assert_eq!(dup.field_errors(), vec!["user_id"]);
    // The host member is now PM of ENG-1, and of nothing else.
    let m = app.token("member@xinghe.example").await;
    let res = app.patch(&base).bearer(&m).json(json!({"health": "amber"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res =
        app.patch(&format!("/api/v1/engagements/{}", e.eng2)).bearer(&m).json(json!({"health": "amber"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let b = app.signed_in("member@xinghe.example").await;
    assert!(
        b.get(&format!("/engagements/{}", e.eng)).await.text().contains("action=\"/engagements/"),
        "manage forms shown"
    );
    // The client sees the host's people and its own, not the vendor's developer.
    let client = app.token("manager@hdlogistics.example").await;
    let team = app.get(&format!("{base}/members")).bearer(&client).send().await.json();
    let emails: Vec<&str> = team.as_array().expect("list").iter().filter_map(|m| m["email"].as_str()).collect();
    assert_eq!(emails, vec!["member@xinghe.example"]);
});

db_test!(engagement_calendar_exceptions_move_the_plan, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/engagements")
        .bearer(&pm)
        .json(json!({"code": "CAL", "name": "周末加班", "kind": "client_project", "start_date": "2026-12-04", "end_date": "2026-12-31"}))
        .send()
        .await;
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let base = format!("/api/v1/engagements/{id}");
    let mut ids = Vec::new();
    for name in ["A", "B"] {
        let t = app
            .post(&format!("{base}/tasks"))
            .bearer(&pm)
            .json(json!({"name": name, "start_date": "2026-12-04", "finish_date": "2026-12-04"}))
            .send()
            .await;
        ids.push(t.json()["id"].as_str().expect("id").to_owned());
    }
    app.post(&format!("{base}/dependencies"))
        .bearer(&pm)
        .json(json!({"predecessor_id": ids[0], "successor_id": ids[1]}))
        .send()
        .await;
    // The team works Saturday 5 December.
    let day = app
        .post(&format!("{base}/calendar"))
        .bearer(&pm)
        .json(json!({"date": "2026-12-05", "working": true, "note": "赶工"}))
        .send()
        .await;
    assert_eq!(day.status, StatusCode::CREATED, "{}", day.text());
    app.post(&format!("{base}/schedule")).bearer(&pm).send().await;
    let b = app.get(&format!("{base}/tasks/{}", ids[1])).bearer(&pm).send().await.json();
    assert_eq!(b["start_date"], "2026-12-05", "the Saturday is a working day for this engagement");
    let res = app.req(axum::http::Method::DELETE, &format!("{base}/calendar/2026-12-05")).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    app.post(&format!("{base}/schedule")).bearer(&pm).send().await;
    let b = app.get(&format!("{base}/tasks/{}", ids[1])).bearer(&pm).send().await.json();
    assert_eq!(b["start_date"], "2026-12-07", "back to Monday");
    let list = app.get(&format!("{base}/calendar")).bearer(&pm).send().await.json();
    assert!(list["items"].as_array().is_some_and(Vec::is_empty));
    let page = app.signed_in("pm@xinghe.example").await.get(&format!("/engagements/{id}/gantt")).await.text();
    assert_eq!(page.matches(&format!("action=\"/engagements/{id}/calendar\"")).count(), 1, "one calendar form");
    let title = page.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("");
    assert!(!title.contains('<'), "the title is plain text: {title}");
});
