//! Every answer under `/api/v1`, in every test of the suite, is checked against the OpenAPI
//! document: its status is declared for the operation, its content type is the declared one,
//! and a JSON body fits the declared schema. The fuzz test uses the same checks.

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
};

use serde_json::{Value, json};

use crate::{
    openapi::{Op, document, operations, resolve},
    support::Res,
};

/// Compiled schemas, by their JSON text (most error answers share the problem schema).
pub struct Validators {
    components: Value,
    cache: HashMap<String, jsonschema::Validator>,
}

impl Validators {
    pub fn new(doc: &Value) -> Self {
        Self { components: doc["components"].clone(), cache: HashMap::new() }
    }

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
pub fn problems(doc: &Value, op: &Op, res: &Res, validators: &mut Validators) -> Vec<String> {
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

struct Suite {
    doc: Value,
    ops: Vec<Op>,
    validators: Validators,
}

static SUITE: OnceLock<Mutex<Suite>> = OnceLock::new();

/// The operation a concrete request names: the template whose literal segments match, the
/// one with the most literal segments when several do (`/calendar/{date}` before `/{id}`).
fn find<'a>(ops: &'a [Op], method: &str, path: &str) -> Option<&'a Op> {
    let segments: Vec<&str> = path.split('/').collect();
    ops.iter()
        .filter(|op| op.method == method)
        .filter_map(|op| {
            let template: Vec<&str> = op.path.split('/').collect();
            let fits = template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t == s);
            fits.then(|| (template.iter().filter(|t| !t.starts_with('{')).count(), op))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, op)| op)
}

/// Checks an answer of the API against the document; requests to paths or methods it does
/// not list (a 404 or 405 of the router) have nothing to be checked against.
pub fn check(method: &str, uri: &str, res: &Res) -> Vec<String> {
    let path = uri.split('?').next().unwrap_or(uri);
    if !path.starts_with("/api/v1/") {
        return Vec::new();
    }
    let suite = SUITE.get_or_init(|| {
        let doc = document();
        let ops = operations(&doc);
        let validators = Validators::new(&doc);
        Mutex::new(Suite { doc, ops, validators })
    });
    let mut suite = suite.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Suite { doc, ops, validators } = &mut *suite;
    let Some(op) = find(ops, &method.to_lowercase(), path) else { return Vec::new() };
    problems(doc, op, res, validators).into_iter().map(|p| format!("{}: {p}", op.name())).collect()
}
