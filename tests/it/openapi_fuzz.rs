//! Property-based fuzzing of the API against its own OpenAPI document: for every operation,
//! requests drawn from its parameters and body schema (see `openapi_gen`), sent as a host
//! administrator, a vendor manager and anonymously. Every answer must have a declared status
//! (and no 5xx), a declared content type, and a JSON body that fits the declared schema.
//! Deterministic (a fixed seed); `ACCORD_FUZZ_ROUNDS=n` sends n times as many requests.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::{
    db_test,
    openapi::{Op, operations, resolve},
    openapi_gen::{Case, Pools, Request, Rng, build},
    support::{Res, TestApp},
};

const SEED: u64 = 0x00AC_C0DE_5EED;

const ROLES: [(&str, Option<&str>); 3] = [
    ("host admin", Some("admin@xinghe.example")),
    ("vendor manager", Some("manager@yunfan.example")),
    ("anonymous", None),
];

/// Compiled schemas, by their JSON text (most error answers share the problem schema).
struct Validators {
    components: Value,
    cache: HashMap<String, jsonschema::Validator>,
}

impl Validators {
    fn check(&mut self, schema: &Value, instance: &Value) -> Vec<String> {
        let key = schema.to_string();
        if !self.cache.contains_key(&key) {
            let mut root = schema.clone();
            if let Some(obj) = root.as_object_mut() {
                obj.insert("components".to_owned(), self.components.clone());
                obj.insert("$schema".to_owned(), json!("https://json-schema.org/draft/2020-12/schema"));
            }
            match jsonschema::options().should_validate_formats(true).build(&root) {
                Ok(v) => {
                    self.cache.insert(key.clone(), v);
                }
                Err(e) => return vec![format!("the declared schema does not compile: {e}")],
            }
        }
        let Some(v) = self.cache.get(&key) else { return Vec::new() };
        v.iter_errors(instance).take(3).map(|e| format!("{} at {}", e, e.instance_path())).collect()
    }
}

/// What is wrong with `res` as an answer of `op`, if anything.
fn problems(doc: &Value, op: &Op, res: &Res, validators: &mut Validators) -> Vec<String> {
    let status = res.status.as_u16();
    let mut out = Vec::new();
    if status >= 500 {
        out.push(format!("server error {status}: {}", res.text()));
    }
    let responses = &op.spec["responses"];
    let Some(declared) = responses.get(status.to_string()).or_else(|| responses.get("default")) else {
        out.push(format!("status {status} is not declared: {}", truncate(&res.text())));
        return out;
    };
    let declared = resolve(doc, declared);
    let media = res.content_type().split(';').next().unwrap_or("").trim().to_owned();
    match declared["content"].as_object().filter(|c| !c.is_empty()) {
        None if !res.body.is_empty() => out.push(format!("{status} has a body ({media}) but declares none")),
        None => {}
        Some(content) => match content.get(&media) {
            None => out.push(format!(
                "{status} answered {media:?}, declared {:?}: {}",
                content.keys().collect::<Vec<_>>(),
                truncate(&res.text())
            )),
            Some(m) if media.ends_with("json") => match serde_json::from_slice::<Value>(&res.body) {
                Err(e) => out.push(format!("{status} is not JSON ({e})")),
                Ok(body) => {
                    for e in validators.check(&m["schema"], &body) {
                        out.push(format!("{status} does not fit its schema: {e}"));
                    }
                }
            },
            Some(_) => {}
        },
    }
    out
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 200 { format!("{}…", s.chars().take(200).collect::<String>()) } else { s.to_owned() }
}

async fn send(app: &TestApp, req: &Request, token: Option<&str>) -> Res {
    let method = req.method.to_uppercase().parse().expect("method");
    let mut r = app.req(method, &req.uri);
    if let Some(t) = token {
        r = r.bearer(t);
    }
    match &req.content_type {
        Some(ct) => r.raw(ct, req.body.clone()).send().await,
        None if req.body.is_empty() => r.send().await,
        None => r.raw("", req.body.clone()).send().await,
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
    let mut validators = Validators { components: doc["components"].clone(), cache: HashMap::new() };
    let mut rng = Rng::new(SEED);
    let (mut sent, mut failures) = (0usize, Vec::new());
    let mut seen: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
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
                    for p in problems(&doc, op, &res, &mut validators) {
                        failures.push(format!("{} as {role}, {case:?}: {p}\n    {}", op.name(), req.summary()));
                    }
                }
            }
        }
    }
    eprintln!("{sent} requests to {} operations in {:?}; answers by status: {seen:?}", ops.len(), started.elapsed());
    assert!(sent > ops.len() * 10, "only {sent} requests sent");
    assert!(failures.is_empty(), "{} of {sent} answers break the document:\n{}", failures.len(), failures.join("\n"));
});
