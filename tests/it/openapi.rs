//! The OpenAPI document tells the whole truth: every operation declares the error answers its
//! shape makes possible, every error answer is a problem document, every `$ref` resolves. The
//! fuzz test (`openapi_fuzz`) then checks the server's real answers against the same document.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

/// One operation of the document.
pub struct Op {
    pub method: String,
    pub path: String,
    pub spec: Value,
}

impl Op {
    pub fn name(&self) -> String {
        format!("{} {} ({})", self.method.to_uppercase(), self.path, self.spec["operationId"].as_str().unwrap_or("?"))
    }

    pub fn params(&self, place: &str) -> Vec<&Value> {
        self.spec["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == place).collect())
            .unwrap_or_default()
    }

    /// Whether callers need a token: the document's security applies unless the operation
    /// lists an empty requirement (anonymous allowed).
    pub fn secured(&self, doc: &Value) -> bool {
        match self.spec.get("security").and_then(Value::as_array) {
            Some(reqs) => !reqs.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())),
            None => doc["security"].as_array().is_some_and(|s| !s.is_empty()),
        }
    }

    /// The media types of the request body and whether it is required.
    pub fn body(&self) -> Option<(Vec<String>, bool)> {
        let rb = self.spec.get("requestBody")?;
        let types = rb["content"].as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default();
        Some((types, rb["required"].as_bool().unwrap_or(false)))
    }

    pub fn declared(&self) -> BTreeSet<u16> {
        self.spec["responses"]
            .as_object()
            .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
            .unwrap_or_default()
    }
}

/// The document as the server serves it.
pub fn document() -> Value {
    serde_json::to_value(accord::api::document()).expect("document serializes")
}

pub fn operations(doc: &Value) -> Vec<Op> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            if let Some(spec) = item.get(method) {
                out.push(Op { method: method.to_owned(), path: path.clone(), spec: spec.clone() });
            }
        }
    }
    out
}

/// Follows a local `$ref` (`#/components/schemas/X`) to what it names.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(target) => v = target,
                None => return &Value::Null,
            },
            None => return v,
        }
    }
    v
}

/// The error statuses an operation of this shape must declare (see `api::responses::standard`;
/// spelled out again here so a change to the rules is a visible change to this test).
fn expected(op: &Op, doc: &Value) -> Vec<u16> {
    let mut out = vec![429, 500];
    let write = op.method != "get";
    let body = op.body().is_some();
    if op.secured(doc) {
        out.extend([401, 403]);
    }
    if !op.params("path").is_empty() {
        out.push(404);
    }
    if write {
        out.push(409);
    }
    if body {
        out.extend([413, 415]);
    }
    if write || body || !op.params("query").is_empty() {
        out.push(422);
    }
    out
}

fn all_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|v| all_refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| all_refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_operation_declares_its_answers_by_its_shape() {
    let doc = document();
    let ops = operations(&doc);
    assert!(ops.len() > 100, "{} operations", ops.len());
    let mut failures = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for op in &ops {
        let name = op.name();
        *ids.entry(op.spec["operationId"].as_str().unwrap_or("").to_owned()).or_default() += 1;
        let declared = op.declared();
        for status in expected(op, &doc) {
            if !declared.contains(&status) {
                failures.push(format!("{name}: declares no {status}"));
            }
        }
        if !declared.iter().any(|s| (200..300).contains(s)) {
            failures.push(format!("{name}: declares no success"));
        }
        for (status, response) in op.spec["responses"].as_object().into_iter().flatten() {
            let response = resolve(&doc, response);
            if response["description"].as_str().is_none_or(str::is_empty) {
                failures.push(format!("{name}: {status} has no description"));
            }
            let content = response["content"].as_object();
            let code: u16 = status.parse().unwrap_or(0);
            if code >= 400 {
                let ok = content.is_some_and(|c| {
                    c.len() == 1
                        && c.get("application/problem+json")
                            .is_some_and(|m| m["schema"]["$ref"].as_str() == Some("#/components/schemas/Problem"))
                });
                if !ok {
                    failures.push(format!("{name}: {status} is not an application/problem+json Problem"));
                }
            } else if code != 204 && content.is_none_or(|c| c.values().any(|m| m.get("schema").is_none())) {
                failures.push(format!("{name}: {status} has no schema"));
            }
        }
        if let Some((types, _)) = op.body() {
            if types.is_empty() || types.iter().any(|t| t != "application/json" && t != "multipart/form-data") {
                failures.push(format!("{name}: request body of {types:?}"));
            }
            let schema = resolve(&doc, &op.spec["requestBody"]["content"][types[0].as_str()]["schema"]);
            if schema["type"] != "object" {
                failures.push(format!("{name}: the request body is not an object schema"));
            }
        }
        let template_params: BTreeSet<String> =
            op.path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).map(str::to_owned).collect();
        let declared_params: BTreeSet<String> =
            op.params("path").iter().filter_map(|p| p["name"].as_str()).map(str::to_owned).collect();
        if template_params != declared_params {
            failures.push(format!("{name}: path parameters {declared_params:?} ≠ template {template_params:?}"));
        }
    }
    for (id, n) in ids {
        if id.is_empty() || n > 1 {
            failures.push(format!("operationId {id:?} is used {n} times"));
        }
    }
    let mut refs = Vec::new();
    all_refs(&doc, &mut refs);
    for r in refs {
        if r.strip_prefix('#').and_then(|p| doc.pointer(p)).is_none() {
            failures.push(format!("$ref {r} names nothing"));
        }
    }
    assert!(failures.is_empty(), "{} problems in the document:\n{}", failures.len(), failures.join("\n"));
}

/// Two types of one schema name make one component, and the document then describes half of
/// their answers with the other's fields (the clause templates listed as evaluation templates).
#[test]
fn every_schema_name_belongs_to_one_type() {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let (mut pending, mut alias) = (false, None::<String>);
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") {
                    pending = line.contains("ToSchema");
                    alias = None;
                } else if let Some(rest) = line.strip_prefix("#[schema(as = ") {
                    alias = rest.split(')').next().map(str::to_owned);
                } else if pending
                    && let Some(rest) = line.strip_prefix("pub struct ").or(line.strip_prefix("pub enum "))
                {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        names.entry(alias.take().unwrap_or(name)).or_default().push(path.display().to_string());
                    }
                    pending = false;
                } else if !line.starts_with("#[") && !line.starts_with("///") {
                    pending = false;
                }
            }
        }
    }
    assert!(names.len() > 100, "found {} schema types", names.len());
    let twice: Vec<String> =
        names.into_iter().filter(|(_, files)| files.len() > 1).map(|(n, files)| format!("{n}: {files:?}")).collect();
    assert!(
        twice.is_empty(),
        "schema names used by more than one type (give one `#[schema(as = …)]`):\n{}",
        twice.join("\n")
    );
}
