//! Requests for the fuzz test, drawn from an operation's parameters and body schema: valid-looking
//! ones (seeded ids, dates, the choices a field's description lists) and invalid ones (wrong
//! types, missing or extra fields, arrays for objects, trailing data, huge numbers, bad dates,
//! bad ids and query values, wrong media types, bodies over the limits).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::openapi::{Op, resolve};

/// SplitMix64: deterministic across platforms and crate versions, unlike `rand`'s `StdRng`.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What a request tries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Valid,
    Full,
    BadPath,
    BadQuery,
    WrongType,
    Missing,
    Extra,
    ArrayForObject,
    Trailing,
    Huge,
    BadDate,
    WrongMedia,
    Empty,
    TooLarge,
}

impl Case {
    pub const ALL: [Case; 14] = [
        Case::Valid,
        Case::Full,
        Case::BadPath,
        Case::BadQuery,
        Case::WrongType,
        Case::Missing,
        Case::Extra,
        Case::ArrayForObject,
        Case::Trailing,
        Case::Huge,
        Case::BadDate,
        Case::WrongMedia,
        Case::Empty,
        Case::TooLarge,
    ];
}

pub struct Request {
    pub method: String,
    pub uri: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Request {
    /// For failure reports: the request line and the start of the body.
    pub fn summary(&self) -> String {
        let body = String::from_utf8_lossy(&self.body[..self.body.len().min(160)]).into_owned();
        let more = if self.body.len() > 160 { format!("… ({} bytes)", self.body.len()) } else { String::new() };
        let ct = self.content_type.as_deref().unwrap_or("no content type");
        format!("{} {} [{ct}] {body}{more}", self.method.to_uppercase(), self.uri)
    }
}

/// Seeded ids by the resource they name, from the matrix's fixtures.
pub struct Pools {
    by_kind: HashMap<&'static str, Vec<String>>,
    all: Vec<String>,
    pub upload_limit: usize,
    pub body_limit: usize,
}

/// Which fixture names a path segment or a field prefix points at.
const KINDS: &[(&str, &[&str])] = &[
    ("parties", &["host", "vendor", "vendor2", "client"]),
    ("party", &["vendor", "client", "vendor2"]),
    ("counterparty", &["vendor", "client"]),
    ("vendors", &["vendor", "vendor2"]),
    ("vendor", &["vendor", "vendor2"]),
    ("users", &["host_admin", "vendor_user", "client_user"]),
    ("user", &["host_admin", "vendor_user", "client_user"]),
    ("owner", &["host_admin"]),
    ("reviewer", &["vendor_user", "client_user"]),
    ("member", &["host_admin", "vendor_user"]),
    ("evaluator", &["host_admin"]),
    ("assignee", &["host_admin", "vendor_user"]),
    ("engagements", &["eng", "eng2"]),
    ("engagement", &["eng", "eng2"]),
    ("tasks", &["task_vendor", "task_internal", "task_client"]),
    ("task", &["task_vendor", "task_internal"]),
    ("affected_task", &["task_vendor"]),
    ("predecessor", &["task_vendor", "task_internal"]),
    ("successor", &["task_client", "task_internal"]),
    ("parent", &["task_vendor"]),
    ("milestones", &["milestone", "milestone_internal"]),
    ("milestone", &["milestone", "milestone_internal"]),
    ("deliverables", &["deliverable_shared", "deliverable_vendor"]),
    ("deliverable", &["deliverable_shared", "deliverable_vendor"]),
    ("baselines", &["baseline"]),
    ("documents", &["doc_vendor", "doc_internal"]),
    ("requirements", &["req", "req_internal"]),
    ("requirement", &["req", "req_internal"]),
    ("requirement-versions", &["req_version"]),
    ("with", &["req_version"]),
    ("review-rounds", &["review"]),
    ("change-requests", &["cr", "cr_client"]),
    ("contracts", &["contract_vendor", "contract_client", "contract_signed"]),
    ("contract", &["contract_vendor", "contract_client"]),
    ("installments", &["inst_due", "inst_planned"]),
    ("installment", &["inst_due", "inst_planned"]),
    ("disputes", &["dispute", "dispute_closed"]),
    ("obligations", &["obligation"]),
    ("acceptances", &["acceptance"]),
    ("defects", &["defect"]),
    ("selections", &["selection", "selection_closed"]),
    ("bid", &["bid", "bid_closed"]),
    ("notifications", &["notification_dev"]),
    ("versions", &["version_one"]),
];

impl Pools {
    pub fn new(values: &HashMap<&'static str, String>, upload_limit: usize, body_limit: usize) -> Self {
        let mut by_kind = HashMap::new();
        for (kind, names) in KINDS {
            let ids: Vec<String> = names.iter().filter_map(|n| values.get(n).cloned()).collect();
            by_kind.insert(*kind, ids);
        }
        let mut all: Vec<String> =
            values.values().filter(|v| v.bytes().all(|b| b.is_ascii_digit()) && !v.is_empty()).cloned().collect();
        all.sort();
        all.dedup();
        Self { by_kind, all, upload_limit, body_limit }
    }

    /// A seeded id for a path segment or a field (`party_id`, `reviewer_ids`), or any seeded id.
    fn id(&self, hint: &str, rng: &mut Rng) -> String {
        let key = hint.trim_end_matches("_ids").trim_end_matches("_id");
        let key = key.strip_prefix("visible_").unwrap_or(key);
        match self.by_kind.get(key).filter(|ids| !ids.is_empty()) {
            Some(ids) if rng.chance(85) => rng.pick(ids).clone(),
            _ if rng.chance(70) => rng.pick(&self.all).clone(),
            _ => (1 + rng.below(30)).to_string(),
        }
    }
}

const BAD_IDS: &[&str] = &["abc", "0", "-1", "1.5", "99999999999999999999", "1e3", "%20", "%EF%BC%91", "2%00", "%ZZ"];
const BAD_DATES: &[&str] = &[
    "2026-2-3",
    "+2026-02-03",
    "1899-12-31",
    "2200-01-01",
    "2026-02-30",
    "2026-02- 3",
    " 2026-02-03x",
    "262143-12-31",
    "-0001-01-01",
    "0000-00-00",
];

fn is_date_field(name: &str) -> bool {
    name.ends_with("_date")
        || name.ends_with("_on")
        || matches!(name, "date" | "deadline" | "due" | "from" | "to" | "until" | "since")
}

/// The choices a description lists: `a | b | c`, or words in backquotes.
fn choices(description: &str) -> Vec<String> {
    let first = description.lines().next().unwrap_or("");
    let bars: Vec<&str> = first.split('|').map(str::trim).collect();
    if bars.len() > 1 && bars.iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')) {
        return bars.into_iter().map(str::to_owned).collect();
    }
    first
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

/// The schema's type, ignoring `null` in a list of types.
fn type_of(schema: &Value) -> String {
    match &schema["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_owned(),
        _ => {
            if schema.get("properties").is_some() {
                "object".to_owned()
            } else {
                String::new()
            }
        }
    }
}

/// A valid-looking value for `schema`, for a field called `name`.
pub fn value(doc: &Value, schema: &Value, name: &str, full: bool, pools: &Pools, rng: &mut Rng, depth: u32) -> Value {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema[key].as_array() {
            let real: Vec<&Value> = alts.iter().filter(|a| resolve(doc, a)["type"] != "null").collect();
            if let Some(alt) = real.get(rng.below(real.len())) {
                return value(doc, alt, name, full, pools, rng, depth);
            }
        }
    }
    if let Some(all) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(m) = value(doc, part, name, full, pools, rng, depth) {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    if let Some(options) = schema["enum"].as_array().filter(|o| !o.is_empty()) {
        return rng.pick(options).clone();
    }
    let described = choices(schema["description"].as_str().unwrap_or(""));
    match type_of(schema).as_str() {
        "object" => {
            let required: Vec<&str> =
                schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let mut out = Map::new();
            for (prop, sub) in schema["properties"].as_object().into_iter().flatten() {
                if required.contains(&prop.as_str()) || (depth < 3 && (full || rng.chance(40))) {
                    out.insert(prop.clone(), value(doc, sub, prop, full, pools, rng, depth + 1));
                }
            }
            Value::Object(out)
        }
        "array" => {
            let n = if depth >= 3 { 0 } else { rng.below(3) };
            Value::Array((0..n).map(|_| value(doc, &schema["items"], name, full, pools, rng, depth + 1)).collect())
        }
        "integer" => {
            let lo = schema["minimum"].as_i64().unwrap_or(0).max(-5);
            let hi = schema["maximum"].as_i64().unwrap_or(lo + 5).min(lo + 100);
            json!(lo + rng.below((hi - lo + 1).max(1) as usize) as i64)
        }
        "number" => json!(1.5),
        "boolean" => json!(rng.chance(50)),
        _ if !described.is_empty() => json!(rng.pick(&described)),
        _ => json!(string_for(name, schema, pools, rng)),
    }
}

fn string_for(name: &str, schema: &Value, pools: &Pools, rng: &mut Rng) -> String {
    let n = rng.below(100_000);
    if schema["pattern"] == "^[0-9]+$" || name.ends_with("_id") || name.ends_with("_ids") {
        return pools.id(name, rng);
    }
    if schema["format"] == "date" || is_date_field(name) {
        return format!("2026-12-{:02}", 1 + rng.below(28));
    }
    if schema["format"] == "date-time" {
        return "2026-12-20T18:00:00Z".to_owned();
    }
    match name {
        "email" => format!("fuzz{n}@example.com"),
        "password" | "current_password" | "new_password" => "fuzz-password-123".to_owned(),
        "currency" => "CNY".to_owned(),
        "amount" => format!("{}.00", 100 + rng.below(5000)),
        "time_zone" => "Asia/Shanghai".to_owned(),
        "locale" => rng.pick(&["en", "zh-CN"]).to_string(),
        "website" | "url" => "https://example.com".to_owned(),
        "period" => rng.pick(&["2026Q3", "2026Q4", "2026"]).to_string(),
        "visibility" => rng.pick(&["internal", "party", "participants"]).to_string(),
        "tax_rate" | "share" | "percent" | "retention" => "6".to_owned(),
        "deadline" => "2026-12-20T18:00".to_owned(),
        _ => format!("fuzz {name} {n}"),
    }
}

fn path_value(op: &Op, name: &str, bad: bool, pools: &Pools, rng: &mut Rng) -> String {
    if bad {
        return rng.pick(BAD_IDS).to_string();
    }
    if name == "date" {
        return format!("2026-12-{:02}", 1 + rng.below(28));
    }
    if name == "number" {
        return (1 + rng.below(2)).to_string();
    }
    // The segment before `{name}` says what the id names (`/contracts/{id}`).
    let segments: Vec<&str> = op.path.split('/').collect();
    let at = segments.iter().position(|s| *s == format!("{{{name}}}")).unwrap_or(0);
    let kind = if at > 0 { segments[at - 1] } else { name };
    pools.id(kind, rng)
}

fn query_value(p: &Value, bad: bool, pools: &Pools, rng: &mut Rng) -> Option<String> {
    let name = p["name"].as_str().unwrap_or("");
    let schema = &p["schema"];
    if bad {
        return Some(
            rng.pick(&[
                "abc",
                "-1",
                "0",
                "100000",
                "99999999999999999999",
                "%ZZ",
                "%FF%FE",
                "2026-2-3",
                "1899-12-31",
                "+2026",
            ])
            .to_string(),
        );
    }
    if !p["required"].as_bool().unwrap_or(false) && rng.chance(50) {
        return None;
    }
    Some(match (name, type_of(schema).as_str()) {
        ("limit", _) => (1 + rng.below(500)).to_string(),
        ("cursor", _) => return None,
        (_, "integer") => (1 + rng.below(30)).to_string(),
        (_, "boolean") => rng.pick(&["true", "false"]).to_string(),
        _ => {
            let described = choices(p["description"].as_str().unwrap_or(""));
            if described.is_empty() { string_for(name, schema, pools, rng) } else { rng.pick(&described).clone() }
        }
    })
}

fn encode(s: &str) -> String {
    // Keep deliberately broken escapes (`%ZZ`) as they are; encode everything else.
    if s.contains('%') {
        s.to_owned()
    } else {
        serde_urlencoded::to_string([("", s)]).unwrap_or_default()[1..].to_owned()
    }
}

/// The request `case` makes of `op`, or none when the case does not apply to it.
pub fn build(doc: &Value, op: &Op, case: Case, pools: &Pools, rng: &mut Rng) -> Option<Request> {
    let path_params: Vec<String> =
        op.params("path").iter().filter_map(|p| p["name"].as_str()).map(str::to_owned).collect();
    let query_params = op.params("query");
    let body = op.body();
    let applies = match case {
        Case::Valid | Case::Full => true,
        Case::BadPath => !path_params.is_empty(),
        Case::BadQuery => !query_params.is_empty(),
        Case::WrongMedia | Case::Empty | Case::TooLarge => body.is_some(),
        _ => body.as_ref().is_some_and(|(types, _)| types.iter().any(|t| t == "application/json")),
    };
    if !applies {
        return None;
    }
    let bad_path = (case == Case::BadPath).then(|| rng.below(path_params.len()));
    let mut uri = op.path.clone();
    for (i, name) in path_params.iter().enumerate() {
        uri = uri.replace(&format!("{{{name}}}"), &path_value(op, name, bad_path == Some(i), pools, rng));
    }
    let bad_query = (case == Case::BadQuery).then(|| rng.below(query_params.len()));
    let query: Vec<String> = query_params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let v = query_value(p, bad_query == Some(i), pools, rng)?;
            Some(format!("{}={}", p["name"].as_str().unwrap_or(""), encode(&v)))
        })
        .collect();
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    let mut req = Request { method: op.method.clone(), uri, content_type: None, body: Vec::new() };
    let Some((types, _)) = body else { return Some(req) };
    let multipart = types.iter().any(|t| t == "multipart/form-data");
    let media = if multipart { "multipart/form-data" } else { "application/json" };
    let schema = &op.spec["requestBody"]["content"][media]["schema"];
    let full = case == Case::Full;
    let valid = value(doc, schema, "", full, pools, rng, 0);
    if multipart {
        multipart_body(&mut req, case, &valid, pools, rng);
        return Some(req);
    }
    req.content_type = Some("application/json".to_owned());
    let text = |v: &Value| serde_json::to_vec(v).unwrap_or_default();
    req.body = match case {
        Case::Valid | Case::Full | Case::BadPath | Case::BadQuery => text(&valid),
        Case::WrongType => text(&wrong_type(&valid, rng)?),
        Case::Missing => {
            let required = resolve(doc, schema)["required"].as_array().cloned().unwrap_or_default();
            let mut v = valid.clone();
            let field = required.get(rng.below(required.len()))?.as_str()?.to_owned();
            v.as_object_mut()?.remove(&field);
            text(&v)
        }
        Case::Extra => {
            let mut v = valid.clone();
            v.as_object_mut()?.insert("fuzz_extra".to_owned(), json!(1));
            text(&v)
        }
        Case::ArrayForObject => text(&array_for_object(&valid, rng)),
        Case::Trailing => {
            let mut b = text(&valid);
            let tails: [&[u8]; 4] = [b" {\"x\":1}", b" garbage", b"]", b"\n{}"];
            let tail = rng.pick(&tails);
            b.extend_from_slice(tail);
            b
        }
        Case::Huge => {
            let mut v = valid.clone();
            let obj = v.as_object_mut()?;
            let keys: Vec<String> = obj.keys().cloned().collect();
            let key = if keys.is_empty() { "fuzz_huge".to_owned() } else { rng.pick(&keys).clone() };
            obj.insert(key, json!("__HUGE__"));
            let huge = rng.pick(&["1e400", "18446744073709551616", "-9223372036854775809", "1.7976931348623157e309"]);
            String::from_utf8_lossy(&text(&v)).replace("\"__HUGE__\"", huge).into_bytes()
        }
        Case::BadDate => {
            let mut v = valid.clone();
            let bad = *rng.pick(BAD_DATES);
            if !set_date(&mut v, bad, rng) {
                return None;
            }
            text(&v)
        }
        Case::WrongMedia => {
            let choices = [
                ("text/plain", text(&valid)),
                ("application/x-www-form-urlencoded", b"name=x".to_vec()),
                ("multipart/form-data; boundary=x", b"--x--\r\n".to_vec()),
                ("application/jsonx", text(&valid)),
            ];
            let (ct, body) = rng.pick(&choices);
            req.content_type = Some((*ct).to_owned());
            body.clone()
        }
        Case::Empty => {
            req.content_type = rng.chance(50).then(|| "application/json".to_owned());
            Vec::new()
        }
        Case::TooLarge => {
            let mut b = b"{\"name\":\"".to_vec();
            b.resize(pools.body_limit + 1 + rng.below(3) * pools.body_limit, b'x');
            b.extend_from_slice(b"\"}");
            b
        }
    };
    Some(req)
}

const BOUNDARY: &str = "fuzz-boundary-5b1d";

fn multipart_body(req: &mut Request, case: Case, valid: &Value, pools: &Pools, rng: &mut Rng) {
    let mut body = Vec::new();
    let file_size = match case {
        // Just over the upload limit, just over the route's limit (the upload's room plus the
        // form's), far over.
        Case::TooLarge => {
            *rng.pick(&[pools.upload_limit + 1, pools.upload_limit + 64 * 1024 + 1, pools.upload_limit * 3])
        }
        _ => 16,
    };
    for (k, v) in valid.as_object().into_iter().flatten() {
        if k == "file" {
            continue;
        }
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{text}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fuzz.txt\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(std::iter::repeat_n(b'a', file_size));
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    req.content_type = Some(format!("multipart/form-data; boundary={BOUNDARY}"));
    req.body = body;
    match case {
        Case::WrongMedia => {
            let choices = [
                ("application/json", serde_json::to_vec(valid).unwrap_or_default()),
                ("application/x-www-form-urlencoded", b"name=x".to_vec()),
                ("text/plain", b"file".to_vec()),
            ];
            let (ct, b) = rng.pick(&choices);
            req.content_type = Some((*ct).to_owned());
            req.body = b.clone();
        }
        Case::Empty => {
            req.content_type = rng.chance(50).then(|| format!("multipart/form-data; boundary={BOUNDARY}"));
            req.body = Vec::new();
        }
        Case::Trailing => {
            // A form that breaks off in the middle of a part.
            let cut = req.body.len() / 2;
            req.body.truncate(cut);
        }
        _ => {}
    }
}

fn wrong_type(valid: &Value, rng: &mut Rng) -> Option<Value> {
    let mut v = valid.clone();
    let obj = v.as_object_mut()?;
    let keys: Vec<String> = obj.keys().cloned().collect();
    if keys.is_empty() {
        return None;
    }
    let key = rng.pick(&keys).clone();
    let replacement = match &obj[&key] {
        Value::String(_) => rng.pick(&[json!(12345), json!(true), json!({}), json!(["x"])]).clone(),
        Value::Number(_) => rng.pick(&[json!("abc"), json!(1.5), json!([]), json!(null)]).clone(),
        Value::Array(_) => rng.pick(&[json!({}), json!("x"), json!([{"nested": true}])]).clone(),
        Value::Object(_) => rng.pick(&[json!([]), json!("x"), json!(7)]).clone(),
        Value::Bool(_) => rng.pick(&[json!("yes"), json!(1)]).clone(),
        Value::Null => json!({"unexpected": "object"}),
    };
    obj.insert(key, replacement);
    Some(v)
}

/// The body as an array of its values (serde fills a struct from one, by position), or one
/// nested object turned into an array.
fn array_for_object(valid: &Value, rng: &mut Rng) -> Value {
    let Some(obj) = valid.as_object() else { return json!([valid]) };
    let nested: Vec<&String> = obj.iter().filter(|(_, v)| v.is_object()).map(|(k, _)| k).collect();
    if nested.is_empty() || rng.chance(50) {
        return Value::Array(obj.values().cloned().collect());
    }
    let key = rng.pick(&nested).to_string();
    let mut v = valid.clone();
    if let Some(inner) = v.get(&key).and_then(Value::as_object) {
        let values: Vec<Value> = inner.values().cloned().collect();
        v[key.as_str()] = Value::Array(values);
    }
    v
}

/// Puts `bad` into a date field of the body (at any depth); false when it has none.
fn set_date(v: &mut Value, bad: &str, rng: &mut Rng) -> bool {
    fn paths(v: &Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        if let Some(obj) = v.as_object() {
            for (k, sub) in obj {
                let mut here = at.clone();
                here.push(k.clone());
                if is_date_field(k) && (sub.is_string() || sub.is_null()) {
                    out.push(here.clone());
                }
                paths(sub, here, out);
            }
        }
    }
    let mut found = Vec::new();
    paths(v, Vec::new(), &mut found);
    let Some(path) = found.get(rng.below(found.len())) else { return false };
    let mut target = v;
    for key in path {
        target = &mut target[key.as_str()];
    }
    *target = json!(bad);
    true
}
