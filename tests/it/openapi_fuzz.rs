//! Property-based fuzzing of the API against its own OpenAPI document: for every operation,
//! requests drawn from its parameters and body schema (see `openapi_gen`), sent as a host
//! administrator, a vendor manager and anonymously. Every answer must have a declared status
//! (and no 5xx), a declared content type, and a JSON body that fits the declared schema.
//! Deterministic (a fixed seed); `ACCORD_FUZZ_ROUNDS=n` sends n times as many requests.

use crate::{
    conformance::{Validators, problems},
    db_test,
    openapi::{Op, operations},
    openapi_gen::{Case, Pools, Request, Rng, build},
    support::{Res, TestApp},
};

const SEED: u64 = 0x00AC_C0DE_5EED;

const ROLES: [(&str, Option<&str>); 3] = [
    ("host admin", Some("admin@xinghe.example")),
    ("vendor manager", Some("manager@yunfan.example")),
    ("anonymous", None),
];

async fn send(app: &TestApp, req: &Request, token: Option<&str>) -> Res {
    let method = req.method.to_uppercase().parse().expect("method");
    let mut r = app.req(method, &req.uri);
    if let Some(t) = token {
        r = r.bearer(t);
    }
    match &req.content_type {
        Some(ct) => r.raw(ct, req.body.clone()).send_unchecked().await,
        None if req.body.is_empty() => r.send_unchecked().await,
        None => r.raw("", req.body.clone()).send_unchecked().await,
    }
}

db_test!(every_answer_is_declared_and_fits_its_schema, |app: TestApp| async move {
    let started = std::time::Instant::now();
    let app = app.with_demo().await;
    let values = crate::matrix::placeholders(&app).await;
    let pools = Pools::new(&values, app.state.config.upload_limit, app.state.config.body_limit);
    let doc = app.get("/api/openapi.json").send().await.json();
    let mut ops = operations(&doc);
    // Reads before writes, so a cancelled selection or a deleted clause still shows up first.
    ops.sort_by_key(|op| (op.method != "get", op.path.clone(), op.method.clone()));
    let mut tokens = Vec::new();
    for (role, email) in ROLES {
        tokens.push((
            role,
            match email {
                Some(e) => Some(app.token(e).await),
                None => None,
            },
        ));
    }
    let rounds: u64 = std::env::var("ACCORD_FUZZ_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut validators = Validators::new(&doc);
    let mut rng = Rng::new(SEED);
    let (mut sent, mut failures) = (0usize, Vec::new());
    let mut seen: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
    let mut succeeded: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for round in 0..rounds {
        for op in &ops {
            for (role, token) in &tokens {
                // The administrator sees every record: more tries at answers that succeed.
                let tries = if *role == "host admin" { [Case::Valid, Case::Full].repeat(2) } else { Vec::new() };
                for case in Case::ALL.into_iter().chain(tries) {
                    // Bodies over the limits cost megabytes each: once per operation.
                    if case == Case::TooLarge && (*role != "host admin" || round > 0) {
                        continue;
                    }
                    let Some(req) = build(&doc, op, case, &pools, &mut rng) else { continue };
                    let res = send(&app, &req, token.as_deref()).await;
                    sent += 1;
                    *seen.entry(res.status.as_u16()).or_default() += 1;
                    if res.status.is_success() {
                        succeeded.insert(op.name());
                    }
                    for p in problems(&doc, op, &res, &mut validators) {
                        failures.push(format!("{} as {role}, {case:?}: {p}\n    {}", op.name(), req.summary()));
                    }
                }
            }
        }
    }
    eprintln!("{sent} requests to {} operations in {:?}; answers by status: {seen:?}", ops.len(), started.elapsed());
    let never: Vec<String> = ops.iter().map(Op::name).filter(|n| !succeeded.contains(n)).collect();
    eprintln!("{} operations never succeeded:\n{}", never.len(), never.join("\n"));
    assert!(sent > ops.len() * 10, "only {sent} requests sent");
    assert!(failures.is_empty(), "{} of {sent} answers break the document:\n{}", failures.len(), failures.join("\n"));
});

// Successful answers of the operations the fuzz and the rest of the suite seldom get through:
// each `send` is checked against the document (see `conformance`), so these only need to
// succeed.
db_test!(answers_the_fuzz_seldom_reaches_fit_the_document, |app: TestApp| async move {
    use axum::http::Method;
    use serde_json::json;
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let crs = app.with_changes(&e).await;
    let k = app.with_contracts(&e).await;
    let s = app.with_selection(&e).await;
    let t = app.token("admin@xinghe.example").await;
    let pm = app.user_id("pm@xinghe.example").await.to_string();
    let ok = |res: Res, what: &str| {
        assert!(res.status.is_success(), "{what}: {} {}", res.status, res.text());
        if res.body.is_empty() { serde_json::Value::Null } else { res.json() }
    };
    let post = |path: String, body: serde_json::Value| {
        let (app, t) = (&app, &t);
        async move { app.post(&path).bearer(t).json(body).send().await }
    };
    let delete = |path: String| {
        let (app, t) = (&app, &t);
        async move { app.req(Method::DELETE, &path).bearer(t).send().await }
    };
    let body = json!({"title": "按钮错位 misaligned button", "severity": "minor", "deliverable_id": k.deliverable.to_string()});
    ok(post(format!("/api/v1/engagements/{}/defects", e.eng), body).await, "defect");
    let body = json!({"kind": "evaluation", "name": "季度评估 quarterly",
        "criteria": [{"name": "质量 quality", "weight": 60}, {"name": "进度 schedule", "weight": 40}]});
    ok(post("/api/v1/evaluation-templates".into(), body).await, "evaluation template");
    let settings = ok(app.get("/api/v1/scorecard-settings").bearer(&t).send().await, "settings");
    let saved = app.req(Method::PUT, "/api/v1/scorecard-settings").bearer(&t).json(settings).send().await;
    ok(saved, "save settings");
    ok(post(format!("/api/v1/selections/{}/evaluators", s.open), json!({"user_id": pm})).await, "evaluator");
    ok(post(format!("/api/v1/selections/{}/close", s.open), json!({})).await, "close");
    let body = json!({"kind": "task", "record_id": e.task_vendor.to_string()});
    let link =
        ok(post(format!("/api/v1/engagements/{}/requirements/{}/links", e.eng, reqs.shared), body).await, "link");
    let path = format!(
        "/api/v1/engagements/{}/requirements/{}/links/{}",
        e.eng,
        reqs.shared,
        link["id"].as_str().unwrap_or("")
    );
    ok(delete(path).await, "unlink");
    let body = json!({"action": "change", "requirement_id": reqs.shared.to_string(), "title": "新标题 new title"});
    let item = ok(post(format!("/api/v1/change-requests/{}/scope-items", crs.shared), body).await, "scope item");
    let path = format!("/api/v1/change-requests/{}/scope-items/{}", crs.shared, item["id"].as_str().unwrap_or(""));
    ok(delete(path).await, "remove scope item");
    let body = json!({"kind": "other", "title": "附加条款 addendum", "body": "双方另行约定。"});
    let clause = ok(post(format!("/api/v1/contracts/{}/clauses", k.vendor), body).await, "clause");
    let path = format!("/api/v1/contracts/{}/clauses/{}", k.vendor, clause["id"].as_str().unwrap_or(""));
    ok(delete(path).await, "remove clause");
});
