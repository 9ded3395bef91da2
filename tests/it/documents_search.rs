//! Documents (versions, refusals, downloads) and search (Chinese of any length, every kind,
//! the newest-first window).

use axum::http::StatusCode;
use serde_json::json;

use crate::{
    collaboration::{enc, upload},
    db_test,
    s3::s3_server,
    support::*,
};

db_test!(documents_keep_versions_and_refuse_what_they_should, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let dev = app.token("dev@yunfan.example").await;
    let count = || async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        accord::documents::entity::document::Entity::find().count(app.db()).await.expect("count")
    };
    // Refused: an executable, a disguised file, an empty one, a too large one, no file at all.
    for (name, bytes, field) in [
        ("setup.exe", b"MZ\x90\x00\x03".to_vec(), "file"),
        ("invoice.pdf", b"\x89PNG\r\n\x1a\n0000".to_vec(), "file"),
        ("empty.txt", Vec::new(), "file"),
    ] {
        let res = upload(&app, &pm, e.eng, &[], name, &bytes).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", res.text());
        assert_eq!(res.field_errors(), vec![field], "{name}");
    }
    let res = upload(&app, &pm, e.eng, &[], "big.txt", &vec![b'a'; 2 * 1024 * 1024 + 1]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "big.txt: {}", res.text());
    let res = app
        .post(&format!("/api/v1/engagements/{}/documents", e.eng))
        .bearer(&pm)
        .multipart(&[("name", "x")], None)
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["file"], "no file at all");
    // The name it will be downloaded under must fit the content too, and unknown extensions are
    // refused whatever the bytes look like.
    let res = upload(&app, &pm, e.eng, &[("name", "invoice.bat")], "notes.txt", b"echo hi").await;
    assert_eq!(res.field_errors(), vec!["name"]);
    let res = upload(&app, &pm, e.eng, &[], "page.html", b"<script>alert(1)</script>").await;
    assert_eq!(res.field_errors(), vec!["file"]);
    // Attached to the vendor's task, a document can't be shown to the client.
    let client = app.party_id("华东").await.to_string();
    let res = upload(
        &app,
        &pm,
        e.eng,
        &[("subject_kind", "task"), ("subject_id", &e.task_vendor.to_string()), ("visibility", "participants")],
        "spec.txt",
        b"spec",
    )
    .await;
    assert_eq!(res.field_errors(), vec!["visibility"]);
    let res = upload(
        &app,
        &pm,
        e.eng,
        &[
            ("subject_kind", "task"),
            ("subject_id", &e.task_internal.to_string()),
            ("visibility", "party"),
            ("visible_party_id", &client),
        ],
        "spec.txt",
        b"spec",
    )
    .await;
    assert_eq!(res.field_errors(), vec!["visibility"]);
    assert_eq!(count().await, 0, "nothing was stored");
    // An internal file on the vendor's task leaves no trace in the task's feed.
    let res = upload(
        &app,
        &pm,
        e.eng,
        &[("subject_kind", "task"), ("subject_id", &e.task_vendor.to_string()), ("visibility", "internal")],
        "内部评估.txt",
        b"internal",
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let feed = app.get(&format!("/api/v1/engagements/{}/activity", e.eng)).bearer(&dev).send().await.json();
    assert!(!feed["items"].as_array().expect("items").iter().any(|a| a["verb"] == "document_added"), "{feed}");

    // Accepted: a PDF on the vendor's task takes the task's visibility; the type comes from the bytes.
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
    let res = upload(
        &app,
        &pm,
        e.eng,
        &[("subject_kind", "task"), ("subject_id", &e.task_vendor.to_string()), ("name", "接口规范 API spec.pdf")],
        "scan",
        &pdf,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let doc = res.json();
    assert_eq!((doc["visibility"].as_str(), doc["content_type"].as_str()), (Some("party"), Some("application/pdf")));
    let id = doc["id"].as_str().expect("id").to_owned();
    // A second version from the host; the vendor (not the uploader's party) may read, not revise.
    let res = app
        .post(&format!("/api/v1/documents/{id}/versions"))
        .bearer(&pm)
        .multipart(&[], Some(("v2.pdf", b"%PDF-1.7\nsecond\n")))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["current_version"], 2);
    assert_eq!(res.json()["versions"].as_array().map(Vec::len), Some(2));
    let res = app
        .post(&format!("/api/v1/documents/{id}/versions"))
        .bearer(&dev)
        .multipart(&[], Some(("v3.pdf", b"%PDF-1.7\nthird\n")))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let v1 = app.get(&format!("/documents/{id}/download?version=1")).bearer(&dev).send().await;
    assert_eq!(v1.body, pdf);
    assert_eq!(v1.content_type(), "application/pdf");
    let cd = v1.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''%E6%8E%A5%E5%8F%A3"), "{cd}");
    let latest = app.get(&format!("/documents/{id}/download")).bearer(&dev).send().await;
    assert_eq!(latest.body, b"%PDF-1.7\nsecond\n");
    let client_token = app.token("member@hdlogistics.example").await;
    assert_eq!(
        app.get(&format!("/documents/{id}/download")).bearer(&client_token).send().await.status,
        StatusCode::NOT_FOUND
    );
    // The same bytes uploaded twice are stored once.
    let files = walk(&app.state.config.data_dir.join("files"));
    assert_eq!(files, 3, "the internal note and two distinct PDF versions on disk");

    // The browser form: upload on the record page, then see it listed there.
    let b = app.signed_in("dev@yunfan.example").await;
    let res = b
        .upload(
            &format!("/engagements/{}/documents", e.eng),
            &[("subject_kind", "task"), ("subject_id", &e.task_vendor.to_string())],
            Some(("测试记录.txt", "联调通过".as_bytes())),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), format!("/engagements/{}/tasks/{}#documents", e.eng, e.task_vendor));
    let page = b.get(&res.location()).await.text();
    assert!(page.contains("测试记录.txt") && page.contains("接口规范 API spec.pdf"));
    // Without the token in the action URL the upload is refused.
    let res = b
        .send(
            axum::http::Method::POST,
            &format!("/engagements/{}/documents", e.eng),
            None,
            &[("content-type", "multipart/form-data; boundary=x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
});

fn walk(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()
}

db_test!(search_finds_chinese_of_any_length_in_every_kind, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post(&format!("/api/v1/engagements/{}/comments", e.eng))
        .bearer(&pm)
        .json(json!({"subject_kind": "task", "subject_id": e.task_internal.to_string(), "body": "预算需要稽核复算"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = upload(&app, &pm, e.eng, &[("visibility", "participants")], "徽标规范 logo.txt", b"logo").await;
    assert_eq!(res.status, StatusCode::CREATED);
    let kinds = |q: &'static str, t: String| {
        let app = &app;
        async move {
            let v = app.get(&format!("/api/v1/search?q={}", enc(q))).bearer(&t).send().await.json();
            let mut k: Vec<String> = v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|h| h["kind"].as_str().unwrap_or("").to_owned())
                .collect();
            k.sort();
            k
        }
    };
    assert_eq!(kinds("稽核复算", pm.clone()).await, vec!["comment"], "four characters: the trigram index");
    assert_eq!(kinds("稽核", pm.clone()).await, vec!["comment"], "two characters: the substring fallback");
    assert_eq!(kinds("徽", pm.clone()).await, vec!["document"], "one character");
    assert_eq!(kinds("LOGO", pm.clone()).await, vec!["document"], "case-insensitive");
    assert_eq!(kinds("物流平台", pm.clone()).await, vec!["engagement"]);
    let client = app.token("member@hdlogistics.example").await;
    assert_eq!(kinds("徽标", client.clone()).await, vec!["document"]);
    assert!(kinds("稽核", client.clone()).await.is_empty(), "a comment on an internal task");
    assert!(kinds("%", pm.clone()).await.is_empty(), "wildcards are literal");
    assert!(kinds("\"", pm.clone()).await.is_empty(), "quotes are not query syntax");
    // The hit of a comment leads to its record.
    let v = app.get(&format!("/api/v1/search?q={}", enc("稽核复算"))).bearer(&pm).send().await.json();
    let url = v["items"][0]["url"].as_str().expect("url").to_owned();
    let b = app.signed_in("pm@xinghe.example").await;
    let res = b.get(&url).await;
    assert!(res.location().starts_with(&format!("/engagements/{}/tasks/{}#comment-", e.eng, e.task_internal)));
    let c = app.signed_in("member@hdlogistics.example").await;
    assert_eq!(c.get(&url).await.status, StatusCode::NOT_FOUND);
});

db_test!(searching_the_newest_entries_first_gives_the_same_page, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    // Sixty matching entries, the newest ones hidden from the vendor.
    for i in 0..60 {
        let visibility = if i >= 45 { "internal" } else { "participants" };
        let title = format!("窗口测试 window test {i}");
        accord::search::index(
            app.writer(),
            accord::search::Entry {
                kind: "task",
                record_id: 100_000 + i,
                engagement_id: e.eng,
                visibility,
                visible_party_id: None,
                title: &title,
                body: "",
            },
        )
        .await
        .expect("index");
    }
    for (email, expect) in [("pm@xinghe.example", 50), ("dev@yunfan.example", 45)] {
        let viewer = app.viewer(email).await;
        let ids = |hits: Vec<accord::search::Hit>| hits.into_iter().map(|h| h.id.0).collect::<Vec<i64>>();
        for q in ["窗口测试", "window test"] {
            let all = ids(accord::search::search_from_recent(&app.state, &viewer, q, 1_000_000).await.expect("all"));
            assert_eq!(all.len(), expect, "{email} {q}");
            assert!(all.windows(2).all(|w| w[0] > w[1]), "newest first");
            for window in [5, 55, 70] {
                let got = ids(accord::search::search_from_recent(&app.state, &viewer, q, window).await.expect("w"));
                assert_eq!(got, all, "{email} {q} window {window}");
            }
        }
    }
});

db_test!(bench_seeding_builds_the_same_plan_on_both_databases, |app: TestApp| async move {
    use accord::engagements::entity::task;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    accord::demo::seed_bulk_users(&app.state, 2).await.expect("users");
    let plan = accord::demo::seed_bulk_plan(&app.state, 3, 20, 30).await.expect("seed");
    assert_eq!(plan.tasks, 70);
    if app.backend == Backend::Postgres {
        // Seeding skips triggers on PostgreSQL; the recent copy of the index is refilled.
        let entries = scalar(&app, "SELECT count(*) FROM search_entries").await;
        assert_eq!(scalar(&app, "SELECT count(*) FROM search_recent").await, entries);
    }
    assert_eq!(plan.last_engagement_id, plan.largest_engagement_id + 2);
    let count = |eid: i64| task::Entity::find().filter(task::Column::EngagementId.eq(eid)).count(app.db());
    assert_eq!(count(plan.largest_engagement_id).await.expect("count"), 30);
    assert_eq!(count(plan.last_engagement_id).await.expect("count"), 20);
    // k = 13 of the first engagement: verb 3, noun 1, shared with the vendor only.
    let t = task::Entity::find_by_id(plan.first_task_id + 13).one(app.db()).await.expect("q").expect("task");
    assert_eq!(t.name, "联调订单模块 #13");
    assert_eq!((t.visibility.as_str(), t.progress, t.status.as_str()), ("party", 77, "in_progress"));
    assert_eq!((t.start_date.to_string(), t.finish_date.to_string()), ("2026-02-13".into(), "2026-02-16".into()));
    assert_eq!(t.visible_party_id, t.party_id);
    // The second engagement starts right after the first one's tasks, with k = 0 (internal).
    let t = task::Entity::find_by_id(plan.first_task_id + 30).one(app.db()).await.expect("q").expect("task");
    assert_eq!(
        (t.engagement_id, t.name.as_str(), t.visibility.as_str()),
        (plan.largest_engagement_id + 1, "设计接口 #0", "internal")
    );
    // Every task is in the search index, visible as its row is.
    let vendor = app.viewer("bench000000@bench.example").await;
    let hits = accord::search::search(&app.state, &vendor, "联调订单模块").await.expect("search");
    let expect: Vec<i64> = [63, 43, 13].iter().map(|k| plan.first_task_id + k).collect();
    assert_eq!(hits.iter().map(|h| h.id.0).collect::<Vec<_>>(), expect);
    let hits = accord::search::search(&app.state, &vendor, "设计接口").await.expect("search");
    assert!(hits.is_empty(), "k = 0 tasks are internal: {hits:?}");
});

// PostgreSQL keeps the newest 20,000 entries in `search_recent`, in step with every insert,
// update and delete (bulk inserts included); on both databases the newest match is found.
db_test!(the_recent_copy_follows_the_index, |app: TestApp| async move {
    use sea_orm::ConnectionTrait;
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let bulk = format!(
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 20050) \
         INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
         SELECT 'task', 500000 + k, {eng}, 'participants', NULL, 'bulk ' || k, 'bulk entry ' || k || ' zq' FROM n",
        eng = e.eng
    );
    app.writer().execute_unprepared(&bulk).await.expect("bulk insert");
    let pm = app.viewer("pm@xinghe.example").await;
    let hits = accord::search::search(&app.state, &pm, "bulk entry 20050 zq").await.expect("search");
    assert_eq!(hits.iter().map(|h| h.id.0).collect::<Vec<_>>(), vec![520050]);
    let page = accord::search::search(&app.state, &pm, "zq").await.expect("search");
    assert_eq!(page.len(), 50);
    assert_eq!(page[0].id.0, 520050, "newest first");
    if app.backend != Backend::Postgres {
        return;
    }
    assert_eq!(scalar(&app, "SELECT count(*) FROM search_recent").await, 20_000);
    assert_eq!(
        scalar(&app, "SELECT min(id) FROM search_recent").await,
        scalar(&app, "SELECT max(id) - 19999 FROM search_entries").await
    );
    app.writer().execute_unprepared("DELETE FROM search_entries WHERE record_id = 520050").await.expect("delete");
    app.writer()
        .execute_unprepared(
            "UPDATE search_entries SET title = 'renamed', content = 'renamed zq' WHERE record_id = 520049",
        )
        .await
        .expect("update");
    assert_eq!(scalar(&app, "SELECT count(*) FROM search_recent WHERE record_id = 520050").await, 0);
    assert_eq!(scalar(&app, "SELECT count(*) FROM search_recent WHERE title = 'renamed'").await, 1);
    let page = accord::search::search(&app.state, &pm, "zq").await.expect("search");
    assert_eq!((page[0].id.0, page[0].title.as_str()), (520049, "renamed"));
});

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let stmt = Statement::from_string(app.db().get_database_backend(), sql.to_owned());
    let row = app.db().query_one_raw(stmt).await.expect("query").expect("row");
    row.try_get_by_index::<i64>(0).expect("value")
}

// With a bucket configured, document bytes go to an S3-compatible server over the real S3
// protocol (signed requests), and come back from it on download; nothing lands in the data dir.
db_test!(documents_live_in_an_s3_bucket_when_one_is_configured, |app: TestApp| async move {
    let root = tempfile::tempdir().expect("s3 root");
    std::fs::create_dir(root.path().join("accord-docs")).expect("bucket");
    let endpoint = s3_server(root.path(), "AKIDACCORDTEST", "accord-test-secret").await;
    let app = app
        .with_storage(accord::config::Storage::S3 {
            bucket: "accord-docs".into(),
            endpoint: Some(endpoint),
            region: "us-east-1".into(),
            access_key_id: "AKIDACCORDTEST".into(),
            secret_access_key: "accord-test-secret".into(),
        })
        .with_demo()
        .await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let pdf = b"%PDF-1.7\nkept in a bucket\n".to_vec();
    let res = upload(&app, &pm, e.eng, &[("visibility", "participants")], "方案.pdf", &pdf).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let stored = objects(&root.path().join("accord-docs"));
    assert_eq!(stored.len(), 1, "one object in the bucket: {stored:?}");
    assert_eq!(std::fs::read(&stored[0]).expect("object"), pdf);
    let dev = app.token("dev@yunfan.example").await;
    let got = app.get(&format!("/documents/{id}/download")).bearer(&dev).send().await;
    assert_eq!((got.status, got.body.clone()), (StatusCode::OK, pdf));
});

/// The files under `dir` that are objects (s3s-fs keeps its own metadata in dot-files).
fn objects(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(objects(&p));
        } else if !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            out.push(p);
        }
    }
    out
}
