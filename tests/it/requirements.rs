//! Requirements: keys, validation, visibility, frozen versions with their hash, comparison,
//! signatures after re-authentication, and the lock a signed version puts on its items.

use axum::http::StatusCode;
use serde_json::json;

use crate::{db_test, support::*};

db_test!(requirements_are_frozen_compared_signed_and_then_locked, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let base = format!("/api/v1/engagements/{}/requirements", e.eng);

    // Bad input names its fields and creates nothing.
    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": " ", "priority": "urgent", "parent_id": "999999", "acceptance_criteria": ["x"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert_eq!(res.field_errors(), vec!["title", "priority", "parent_id"]);
    let list = app.get(&base).bearer(&pm).send().await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));

    let res = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "扫码签收", "priority": "must",
                     "description": "司机**扫码**签收。<script>alert(1)</script>",
                     "acceptance_criteria": ["签收 5 秒内同步", "离线可用"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let first = res.json();
    assert_eq!(first["key"], "REQ-001");
    assert_eq!(first["status"], "draft");
    assert_eq!(first["acceptance_criteria"], json!(["签收 5 秒内同步", "离线可用"]));
    let first_id = first["id"].as_str().expect("id").to_owned();
    let child = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "签收照片", "parent_id": first_id, "kind": "data"}))
        .send()
        .await
        .json();
    assert_eq!((child["key"].as_str(), child["priority"].as_str()), (Some("REQ-002"), Some("should")));
    let internal = app
        .post(&base)
        .bearer(&pm)
        .json(json!({"title": "内部报价假设", "visibility": "internal"}))
        .send()
        .await
        .json();
    // A parent can't move under its own child.
    let res = app.patch(&format!("{base}/{first_id}")).bearer(&pm).json(json!({"parent_id": child["id"]})).send().await;
    assert_eq!(res.field_errors(), vec!["parent_id"]);

    // The vendor reads the shared items, not the internal one, and can't write.
    let vendor = app.token("manager@yunfan.example").await;
    let keys = |v: serde_json::Value| {
        v["items"].as_array().expect("items").iter().map(|i| i["key"].as_str().unwrap_or("").to_owned()).collect()
    };
    let seen: Vec<String> = keys(app.get(&base).bearer(&vendor).send().await.json());
    assert_eq!(seen, ["REQ-001", "REQ-002"]);
    let res = app.get(&format!("{base}/{}", internal["id"].as_str().expect("id"))).bearer(&vendor).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.post(&base).bearer(&vendor).json(json!({"title": "加一个功能"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // Version 1 holds the two shared items; its hash is the hash of what GET shows.
    let versions = format!("/api/v1/engagements/{}/requirement-versions", e.eng);
    let res = app.post(&versions).bearer(&pm).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let v1 = res.json();
    assert_eq!((v1["number"].as_i64(), v1["item_count"].as_i64()), (Some(1), Some(2)));
    let required: Vec<&str> =
        v1["required_parties"].as_array().expect("parties").iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(required.len(), 3, "host, vendor and client sign: {required:?}");
    let v1_id = v1["id"].as_str().expect("id").to_owned();
    let res = app.post(&versions).bearer(&pm).json(json!({"note": "again"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "nothing changed since v1");
    let item = app.get(&format!("{base}/{first_id}")).bearer(&pm).send().await.json();
    assert_eq!(item["status"], "approved");

    // Change an item before anyone signs: version 2, and the comparison shows what moved.
    let res = app
        .patch(&format!("{base}/{first_id}"))
        .bearer(&pm)
        .json(json!({"description": "司机**扫码**签收。\n支持离线。", "priority": "should"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let v2 = app.post(&versions).bearer(&pm).json(json!({"note": "离线签收"})).send().await.json();
    let v2_id = v2["id"].as_str().expect("id").to_owned();
    let c = app
        .get(&format!("/api/v1/requirement-versions/{v2_id}/compare?with={v1_id}"))
        .bearer(&vendor)
        .send()
        .await
        .json();
    assert_eq!((c["from_number"].as_i64(), c["to_number"].as_i64()), (Some(1), Some(2)));
    assert_eq!(c["changed"][0]["key"], "REQ-001");
    assert_eq!(c["changed"][0]["fields"][0]["field"], "priority");
    let diff: Vec<String> = c["changed"][0]["description_diff"]
        .as_array()
        .expect("diff")
        .iter()
        .map(|l| format!("{} {}", l["op"].as_str().unwrap_or(""), l["text"].as_str().unwrap_or("")))
        .collect();
    assert!(diff.contains(&"insert 支持离线。".to_owned()), "{diff:?}");
    assert_eq!(c["unchanged"], 1);

    // Signing: the vendor's member may not bind the vendor; a wrong password signs nothing.
    let sign = |v: &str| format!("/api/v1/requirement-versions/{v}/signatures");
    let member = app.token("dev@yunfan.example").await;
    let res = app.post(&sign(&v2_id)).bearer(&member).json(json!({"password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&sign(&v2_id)).bearer(&vendor).json(json!({"password": "guess"})).send().await;
    assert_eq!(res.field_errors(), vec!["password"]);
    let res = app.post(&sign(&v1_id)).bearer(&vendor).json(json!({"password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "v1 is superseded");
    let res = app.post(&sign(&v2_id)).bearer(&vendor).json(json!({"password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let signed = res.json();
    assert_eq!(signed["signatures"][0]["content_sha256"], v2["content_sha256"]);
    assert_eq!(signed["signed"], false);
    let res = app.post(&sign(&v2_id)).bearer(&vendor).json(json!({"password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a party signs once");
    // Not yet locked: the host and the client have not signed.
    let res = app.patch(&format!("{base}/{first_id}")).bearer(&pm).json(json!({"title": "扫码签收"})).send().await;
    assert_eq!(res.status, StatusCode::OK);
    for who in ["pm@xinghe.example", "manager@hdlogistics.example"] {
        let t = app.token(who).await;
        let res = app.post(&sign(&v2_id)).bearer(&t).json(json!({"password": PASSWORD})).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{who}: {}", res.text());
    }
    let v = app.get(&format!("/api/v1/requirement-versions/{v2_id}")).bearer(&pm).send().await.json();
    assert_eq!(v["signed"], true);
    let frozen = v["items"].to_string();
    assert!(frozen.contains("支持离线") && !frozen.contains("内部报价"), "{frozen}");

    // Signed: no route edits its items any more; new items may still be drafted.
    let res = app.patch(&format!("{base}/{first_id}")).bearer(&pm).json(json!({"title": "改"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let b = app.signed_in("pm@xinghe.example").await;
    let page = format!("/engagements/{}/requirements/{first_id}/edit", e.eng);
    assert_eq!(b.get(&page).await.status, StatusCode::CONFLICT);
    let res = b.post(&page, &[("title", "改"), ("priority", "must")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let item = app.get(&format!("{base}/{first_id}")).bearer(&pm).send().await.json();
    assert_eq!(item["title"], "扫码签收");
    let res = app.post(&base).bearer(&pm).json(json!({"title": "电子围栏"})).send().await;
    assert_eq!(res.json()["key"], "REQ-004");

    // The pages: the list, the item with its Markdown rendered safely, the signature page.
    let list = b.get(&format!("/engagements/{}/requirements", e.eng)).await;
    assert!(list.text().contains("REQ-001") && list.text().contains("内部报价假设"));
    let c = app.signed_in("member@hdlogistics.example").await;
    let list = c.get(&format!("/engagements/{}/requirements", e.eng)).await;
    assert!(list.text().contains("REQ-002") && !list.text().contains("内部报价假设"));
    let item = c.get(&format!("/engagements/{}/requirements/{first_id}", e.eng)).await;
    assert!(item.text().contains("<strong>扫码</strong>"), "Markdown rendered");
    assert!(!item.text().contains("<script>alert"), "raw HTML shown as text");
    let sig = c.get(&format!("/requirement-versions/{v2_id}")).await;
    assert_eq!(sig.status, StatusCode::OK);
    assert!(sig.text().contains(v2["content_sha256"].as_str().expect("hash")));
});

db_test!(traceability_shows_links_and_gaps_each_party_within_its_slice, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let r = app.with_requirements(e.eng).await;
    let pm = app.token("pm@xinghe.example").await;
    let links = format!("/api/v1/engagements/{}/requirements/{}/links", e.eng, r.shared);
    let deliverable = {
        let admin = app.viewer("admin@xinghe.example").await;
        let input = accord::engagements::deliverables::DeliverableInput {
            name: "签收模块 sign-off module".into(),
            due_date: "2027-01-15".into(),
            ..Default::default()
        };
        accord::engagements::deliverables::create(&app.state, &admin, e.eng, input).await.expect("d").id
    };
    // Bad links name the field; a task of another engagement is not a task of this one.
    let other = {
        let admin = app.viewer("admin@xinghe.example").await;
        let input = accord::engagements::plan::TaskInput {
            name: "别的项目".into(),
            start_date: "2026-11-09".into(),
            finish_date: "2026-11-10".into(),
            ..Default::default()
        };
        accord::engagements::plan::create_task(&app.state, &admin, e.eng2, input).await.expect("t").id
    };
    let res = app.post(&links).bearer(&pm).json(json!({"kind": "milestone", "record_id": "1"})).send().await;
    assert_eq!(res.field_errors(), vec!["kind"]);
    let res = app.post(&links).bearer(&pm).json(json!({"kind": "task", "record_id": other.to_string()})).send().await;
    assert_eq!(res.field_errors(), vec!["record_id"]);
    for (kind, id) in [("task", e.task_internal), ("task", e.task_vendor), ("deliverable", deliverable)] {
        let res = app.post(&links).bearer(&pm).json(json!({"kind": kind, "record_id": id.to_string()})).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let res =
        app.post(&links).bearer(&pm).json(json!({"kind": "task", "record_id": e.task_vendor.to_string()})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let vendor = app.token("dev@yunfan.example").await;
    let res = app
        .post(&links)
        .bearer(&vendor)
        .json(json!({"kind": "task", "record_id": e.task_vendor.to_string()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let trace = |token: String| {
        let app = &app;
        async move { app.get(&format!("/api/v1/engagements/{}/traceability", e.eng)).bearer(&token).send().await.json() }
    };
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().expect("list").iter().map(|l| l["name"].as_str().unwrap_or("").to_owned()).collect()
    };
    let host = trace(pm.clone()).await;
    assert_eq!(host["rows"].as_array().map(Vec::len), Some(2));
    assert_eq!(names(&host["rows"][0]["tasks"]), ["预算复核 budget check", "接口开发 API work"]);
    assert_eq!(host["without_task"], 1, "the internal requirement has no task");
    assert_eq!(host["without_deliverable"], 1);
    assert_eq!(host["without_criteria"], 0);
    assert!(!names(&host["orphan_tasks"]).contains(&"接口开发 API work".to_owned()));
    // The vendor sees its own task linked, not the internal one nor the internal requirement.
    let v = trace(vendor).await;
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(names(&v["rows"][0]["tasks"]), ["接口开发 API work"]);
    let client = trace(app.token("member@hdlogistics.example").await).await;
    assert!(names(&client["rows"][0]["tasks"]).is_empty(), "the vendor's task is not the client's: {client}");
    assert_eq!(client["without_task"], 1);

    // Unlinking, from the page.
    let link_id = host["rows"][0]["tasks"][0]["link_id"].as_str().expect("link").to_owned();
    let b = app.signed_in("pm@xinghe.example").await;
    let res = b.post(&format!("/engagements/{}/requirements/{}/links/{link_id}/delete", e.eng, r.shared), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let host = trace(pm).await;
    assert_eq!(names(&host["rows"][0]["tasks"]), ["接口开发 API work"]);
    let page = b.get(&format!("/engagements/{}/traceability", e.eng)).await;
    assert!(page.text().contains("扫码签收") && page.text().contains("签收模块"));
});
