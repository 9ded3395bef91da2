//! Input is read strictly and refused with the field named: JSON bodies (trailing data, arrays
//! for objects at any depth, keys twice, no body), dates (exact shape, 1900–2199) in bodies,
//! forms, query strings and paths, and the API's errors are problem documents whatever went
//! wrong (query strings, multipart bodies, uploads over any limit). Exports neutralise formulas.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::{db_test, support::*};

fn assert_problem(res: &Res, status: StatusCode, what: &str) {
    assert_eq!(res.status, status, "{what}: {}", res.text());
    assert_eq!(res.content_type(), "application/problem+json", "{what}: {}", res.text());
    assert_eq!(res.json()["status"], status.as_u16(), "{what}");
}

db_test!(json_bodies_are_one_object_of_the_documented_shape, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let t = app.token("admin@xinghe.example").await;
    let tasks = format!("/api/v1/engagements/{}/tasks", e.eng);
    let send = |body: &'static str| {
        let (app, t, tasks) = (&app, &t, &tasks);
        async move { app.post(tasks).bearer(t).raw("application/json", body).send().await }
    };
    for (body, field) in [
        (r#"{"name":"A","start_date":"2026-12-01","finish_date":"2026-12-02"} {"x":1}"#, "body"),
        (r#"{"name":"A","start_date":"2026-12-01","finish_date":"2026-12-02"} garbage"#, "body"),
        (r#"["A","2026-12-01","2026-12-02"]"#, "body"),
        (r#"{"name":"A","start_date":"2026-12-01","finish_date":"2026-12-02","name":"B"}"#, "name"),
        (r#"{"name":"A","start_date":"2026-12-01"}"#, "finish_date"),
        (r#"{"name":"A","start_date":"2026-12-01","finish_date":"2026-12-02","extra":1}"#, "extra"),
        (r#"{"name":"A","start_date":1e400,"finish_date":"2026-12-02"}"#, "body"),
        ("", "body"),
    ] {
        let res = send(body).await;
        assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, body);
        assert_eq!(res.field_errors(), vec![field], "{body}");
    }
    // Nested: an array where the schema has an object is refused at its path, not read by position.
    let k = app.with_contracts(&e).await;
    let res = app
        .post(&format!("/api/v1/contracts/{}/installments", k.vendor))
        .bearer(&t)
        .json(json!({"name": "尾款", "kind": "final", "amount": ["1000", "CNY"], "trigger": {"kind": "date", "date": "2027-01-10"}}))
        .send()
        .await;
    assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, "nested array");
    assert_eq!(res.field_errors(), vec!["amount"], "{}", res.text());
    // No body where one is required; an optional one may be left out.
    let res = app.post(&tasks).bearer(&t).send().await;
    assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, "no body");
    assert_eq!(res.field_errors(), vec!["body"]);
    let res = app.post(&tasks).bearer(&t).raw("text/plain", "{}").send().await;
    assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE, "text/plain");
    let freeze = app.post(&format!("/api/v1/engagements/{}/requirement-versions", e.eng)).bearer(&t).send().await;
    assert_ne!(freeze.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", freeze.text());
    assert_ne!(freeze.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", freeze.text());
});

db_test!(dates_are_exact_and_between_1900_and_2199_everywhere, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let t = app.token("admin@xinghe.example").await;
    let tasks = format!("/api/v1/engagements/{}/tasks", e.eng);
    for (start, code) in [
        ("2026-2-3", "date"),
        ("+2026-02-03", "date"),
        ("2026-02- 3", "date"),
        ("1899-12-31", "date-range"),
        ("2200-01-01", "date-range"),
        ("262143-12-31", "date"),
    ] {
        let res = app
            .post(&tasks)
            .bearer(&t)
            .json(json!({"name": "越界 out of range", "start_date": start, "finish_date": "2026-12-02"}))
            .send()
            .await;
        assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, start);
        let errors = res.json()["errors"].clone();
        assert_eq!(errors[0]["field"], "start_date", "{start}: {errors}");
        assert_eq!(errors[0]["code"], code, "{start}: {errors}");
    }
    let ok = app
        .post(&tasks)
        .bearer(&t)
        .json(json!({"name": "边界 edge", "start_date": "2199-12-30", "finish_date": "2199-12-31"}))
        .send()
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    // A path segment: a date that isn't one names no calendar day.
    for day in ["2026-2-3", "2200-01-01", "+2026-12-25"] {
        let res =
            app.req(Method::DELETE, &format!("/api/v1/engagements/{}/calendar/{day}", e.eng)).bearer(&t).send().await;
        assert_problem(&res, StatusCode::NOT_FOUND, day);
    }
    // A form shows the error under its field.
    let b = app.signed_in("admin@xinghe.example").await;
    let res = b
        .post(
            &format!("/engagements/{}/tasks", e.eng),
            &[("name", "表单 form"), ("start_date", "2200-01-01"), ("finish_date", "2200-01-02")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert!(res.text().contains("2199-12-31"), "the range is named: {}", res.text());
    // The selection deadline and scorecard periods follow the same rules.
    let sel = app
        .post("/api/v1/selections")
        .bearer(&t)
        .json(json!({"engagement_id": e.eng.to_string(), "title": "比选 RFQ", "deadline": "2200-01-01T10:00",
            "criteria": [{"name": "价格", "weight": 100}]}))
        .send()
        .await;
    assert_problem(&sel, StatusCode::UNPROCESSABLE_ENTITY, "deadline");
    assert!(sel.field_errors().contains(&"deadline".to_owned()), "{}", sel.text());
    let vendor = app.party_id("云帆").await;
    for period in ["+2026", "2026Q+3", "2026 Q3"] {
        let res = app
            .get(&format!(
                "/api/v1/vendors/{vendor}/scorecard?period={}",
                period.replace('+', "%2B").replace(' ', "%20")
            ))
            .bearer(&t)
            .send()
            .await;
        assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, period);
        assert_eq!(res.field_errors(), vec!["period"], "{period}");
    }
});

db_test!(plans_with_far_dates_neither_panic_nor_hang, |app: TestApp| async move {
    use sea_orm::ConnectionTrait;
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    // Rows older than the checks (an import, a restore) may hold any date the column can.
    for (id, start, finish) in
        [(e.task_vendor, "1000-01-01", "1000-01-05"), (e.task_internal, "2026-12-01", "3000-12-31")]
    {
        app.writer()
            .execute_unprepared(&format!(
                "UPDATE tasks SET start_date = '{start}', finish_date = '{finish}' WHERE id = {id}"
            ))
            .await
            .expect("update");
    }
    let started = std::time::Instant::now();
    let t = app.token("admin@xinghe.example").await;
    let listed = app.get(&format!("/api/v1/engagements/{}/tasks", e.eng)).bearer(&t).send().await.text();
    assert!(listed.contains("1000-01-01") && listed.contains("3000-12-31"), "{listed}");
    let b = app.signed_in("admin@xinghe.example").await;
    for zoom in ["day", "week", "month"] {
        let svg = b.get(&format!("/engagements/{}/gantt.svg?zoom={zoom}", e.eng)).await;
        assert_eq!(svg.status, StatusCode::OK, "{zoom}");
        assert!(svg.body.len() < 20_000_000, "{zoom}: {} bytes", svg.body.len());
    }
    assert_eq!(b.get(&format!("/engagements/{}/gantt", e.eng)).await.status, StatusCode::OK);
    let res = app.post(&format!("/api/v1/engagements/{}/schedule", e.eng)).bearer(&t).send().await;
    assert!(res.status.is_success() || res.status.is_client_error(), "{}", res.text());
    let res = app.get(&format!("/api/v1/engagements/{}/tasks", e.eng)).bearer(&t).send().await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
});

db_test!(the_audit_filter_names_a_date_it_cannot_read, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.signed_in("admin@xinghe.example").await;
    for (from, to) in [("2200-01-01", ""), ("", "262143-12-31"), ("2026-2-3", ""), ("", "+2026-01-01")] {
        let page = admin.get(&format!("/admin/audit?from={}&to={}", from, to.replace('+', "%2B"))).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{from} {to}");
        let field = if from.is_empty() { "to" } else { "from" };
        assert!(page.text().contains(&format!("id=\"{field}-error\"")), "{from} {to}: the error is under {field}");
        let csv = admin.get(&format!("/admin/audit.csv?from={}&to={}", from, to.replace('+', "%2B"))).await;
        assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY, "{from} {to}");
    }
    let page = admin.get("/admin/audit?from=2026-01-01&to=2199-12-31").await;
    assert_eq!(page.status, StatusCode::OK);
});

db_test!(api_errors_are_problems_whatever_went_wrong, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let t = app.token("admin@xinghe.example").await;
    assert_problem(&app.get("/api/v1/parties/abc").bearer(&t).send().await, StatusCode::NOT_FOUND, "bad id");
    let compare = format!("/api/v1/requirement-versions/{}/compare", reqs.version);
    for q in ["?with=abc", "?with=%ZZ", "?with=%FF%FE", ""] {
        let res = app.get(&format!("{compare}{q}")).bearer(&t).send().await;
        assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, q);
        assert_eq!(res.field_errors(), vec![if q.is_empty() { "query" } else { "with" }], "{q}: {}", res.text());
    }
    for q in ["?limit=abc", "?limit=0", "?limit=%ZZ", "?cursor=%FF"] {
        assert_problem(
            &app.get(&format!("/api/v1/parties{q}")).bearer(&t).send().await,
            StatusCode::UNPROCESSABLE_ENTITY,
            q,
        );
    }
    let res = app.req(Method::DELETE, "/api/v1/parties").bearer(&t).send().await;
    assert_problem(&res, StatusCode::METHOD_NOT_ALLOWED, "a method the path doesn't take");
    assert_problem(&app.get("/api/v1/nothing-here").send().await, StatusCode::NOT_FOUND, "no route");
    // A multipart route given another body.
    let docs = format!("/api/v1/engagements/{}/documents", e.eng);
    let res = app.post(&docs).bearer(&t).json(json!({"name": "x"})).send().await;
    assert_problem(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE, "JSON to a multipart route");
    assert_problem(&app.post(&docs).bearer(&t).send().await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "no body");
    let res = app.post(&docs).bearer(&t).raw("multipart/form-data", "--x\r\n").send().await;
    assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, "no boundary");
    let res = app.post(&docs).bearer(&t).raw("multipart/form-data; boundary=x", "--x\r\nContent-Disp").send().await;
    assert_problem(&res, StatusCode::UNPROCESSABLE_ENTITY, "broken multipart");
    // Over the upload limit, over the route's limit, far over: 413 every time, nothing stored.
    let limit = app.state.config.upload_limit;
    for size in [limit + 1, limit + 64 * 1024 + 1, limit * 4] {
        let bytes = vec![b'a'; size];
        let res = app.post(&docs).bearer(&t).multipart(&[("name", "big.txt")], Some(("big.txt", &bytes))).send().await;
        assert_problem(&res, StatusCode::PAYLOAD_TOO_LARGE, &format!("{size} bytes"));
    }
    let big_json = format!("{{\"name\":\"{}\"}}", "x".repeat(app.state.config.body_limit));
    let res = app.post("/api/v1/parties").bearer(&t).raw("application/json", big_json).send().await;
    assert_problem(&res, StatusCode::PAYLOAD_TOO_LARGE, "a JSON body over the limit");
    let listed = app.get(&docs).bearer(&t).send().await.json();
    assert!(listed["items"].as_array().is_some_and(|d| d.iter().all(|d| d["name"] != "big.txt")), "{listed}");
});

db_test!(exports_neutralise_formulas_in_ascii_and_full_width, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let k = app.with_contracts(&e).await;
    let t = app.token("admin@xinghe.example").await;
    for (id, title) in [(k.vendor, "＝HYPERLINK(\"http://evil.example\")"), (k.client, "+cmd|' /C calc'!A0")] {
        let res = app.patch(&format!("/api/v1/contracts/{id}")).bearer(&t).json(json!({"title": title})).send().await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let admin = app.signed_in("admin@xinghe.example").await;
    let csv = admin.get("/contracts.csv").await.text();
    assert!(csv.contains("'＝HYPERLINK") && csv.contains("'+cmd"), "{csv}");
    for line in csv.lines().skip(1) {
        for c in line.split(',') {
            let c = c.trim_start_matches('"');
            assert!(!c.starts_with(['=', '+', '@', '＝', '＋', '＠']), "a cell starts a formula: {c:?} in {line}");
        }
    }
});
