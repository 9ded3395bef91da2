//! The sweep: every row of the table, with every id filled in, asked by every role; each
//! answer read for what that role must not learn, and for what it may (the positive control).

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use super::{
    routes::{ROUTES, Route, Via},
    rules::{ROLES, Role, admits},
    scan::{Scanner, text_of},
    world::World,
};
use crate::support::{Browser, Res, TestApp};

/// One leak: where, who, what.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Leak {
    pub path: String,
    pub via: &'static str,
    pub role: Role,
    pub what: String,
    pub excerpt: String,
}

/// What one role's part of the sweep found.
#[derive(Default)]
pub struct Found {
    pub leaks: Vec<Leak>,
    /// Secrets the role saw and may see (indexes into the world's secrets).
    pub seen: BTreeSet<usize>,
    /// Answers that were server errors: the sweep learned nothing there.
    pub errors: Vec<String>,
    /// What a page shows that it should not, whoever reads it: a time in UTC, an inline handler.
    pub polish: Vec<String>,
    pub requests: usize,
}

/// The seed's clock (2026-11-23 09:00 UTC) as UTC would print it: every record of the seed was
/// made then, and a page shows it as 17:00 in the viewers' zone (Asia/Shanghai).
const UTC_NOW: [&str; 2] = ["2026-11-23 09:00", "2026-11-23T09:00"];
/// Inline handlers: the Content Security Policy blocks them, so they would do nothing.
const INLINE_HANDLERS: [&str; 6] = [" onclick=", " onchange=", " onsubmit=", " oninput=", " onload=", " onkeydown="];

/// What a page answer shows that no page should.
fn polish(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for utc in UTC_NOW {
        if let Some(at) = text.find(utc) {
            out.push(format!("a time in UTC: …{}…", excerpt(text, at)));
        }
    }
    for h in INLINE_HANDLERS {
        if let Some(at) = text.find(h) {
            out.push(format!("an inline handler: …{}…", excerpt(text, at)));
        }
    }
    out
}

fn excerpt(text: &str, at: usize) -> String {
    let start = text.floor_char_boundary(at.saturating_sub(60));
    let end = text.ceil_char_boundary((at + 60).min(text.len()));
    text[start..end].replace('\n', " ")
}

/// The placeholders of a template, in order, once each.
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in template.split('{').skip(1) {
        if let Some(name) = piece.split('}').next()
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

/// Every path a template stands for. Tuples (a bid with its file and selection) fill their
/// placeholders together; a record inside an engagement is asked under its own engagement and
/// under another one; anything else takes every seeded id of its kind.
pub fn expand(template: &str, w: &World) -> Vec<String> {
    let names = placeholders(template);
    let fixed = |n: &str| -> Option<&'static str> {
        match n {
            "asset" => Some("app.css"),
            "swagger_file" => Some("swagger-initializer.js"),
            "bad_token" => Some("acc_0000"),
            _ => None,
        }
    };
    let mut combos: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
    // A tuple that covers one of the names fills all of its fields.
    if let Some((_, tuples)) =
        w.tuples.iter().find(|(_, t)| t.first().is_some_and(|fields| fields.iter().any(|(f, _)| names.contains(f))))
    {
        combos =
            tuples.iter().map(|fields| fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()).collect();
    }
    let child =
        names.iter().find(|n| **n != "eng" && w.ids.get(**n).is_some_and(|r| r.iter().any(|x| x.eng.is_some())));
    if names.contains(&"eng")
        && let Some(child) = child
        && !combos[0].contains_key(*child)
    {
        let mut next = Vec::new();
        for c in &combos {
            for rec in &w.ids[*child] {
                let own = rec.eng.unwrap_or(w.eng);
                let other = if own == w.eng { w.eng2 } else { w.eng };
                for e in [own, other] {
                    let mut m = c.clone();
                    m.insert("eng".into(), e.to_string());
                    m.insert((*child).to_owned(), rec.id.clone());
                    next.push(m);
                }
            }
        }
        combos = next;
    }
    for n in &names {
        if combos[0].contains_key(*n) {
            continue;
        }
        let values: Vec<String> = match fixed(n) {
            Some(v) => vec![v.to_owned()],
            None => {
                let kind = if *n == "with" { "req_version" } else { n };
                w.ids.get(kind).map(|r| r.iter().map(|x| x.id.clone()).collect()).unwrap_or_default()
            }
        };
        assert!(!values.is_empty(), "no ids for {{{n}}} in {template}");
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values.iter().map(move |v| {
                    let mut m = c.clone();
                    m.insert((*n).to_owned(), v.clone());
                    m
                })
            })
            .collect();
    }
    let mut out: Vec<String> = combos
        .into_iter()
        .map(|m| {
            let mut p = template.to_owned();
            for (k, v) in m {
                p = p.replace(&format!("{{{k}}}"), &v);
            }
            p
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The roles that ask a row: plumbing only by a few (it shows no records).
fn asks(route: &Route, role: Role) -> bool {
    !route.plumbing || matches!(role, Role::Anonymous | Role::HostAdmin | Role::AMember | Role::CMember)
}

struct Asker {
    role: Role,
    browser: Browser,
    token: Option<String>,
}

impl Asker {
    async fn get(&self, app: &TestApp, via: Via, path: &str) -> Res {
        match via {
            Via::Page => self.browser.get(path).await,
            Via::Htmx => self.browser.send(axum::http::Method::GET, path, None, &[("hx-request", "true")]).await,
            Via::Api => {
                let mut req = app.get(path);
                if let Some(t) = &self.token {
                    req = req.bearer(t);
                }
                req.send().await
            }
        }
    }
}

/// Sweeps every row as one role.
async fn sweep_role(
    app: Arc<TestApp>,
    asker: Asker,
    w: Arc<World>,
    scanner: Arc<Scanner>,
    paths: Arc<Vec<(usize, Vec<String>)>>,
    pages_only: bool,
) -> Found {
    let mut found = Found::default();
    let role = asker.role;
    // ORACLE_SHOW=<part of a path> prints those answers, to see what a role really gets.
    let show = std::env::var("ORACLE_SHOW").ok().filter(|s| !s.is_empty());
    for (row, filled) in paths.iter() {
        let route = &ROUTES[*row];
        if !asks(route, role) || (pages_only && route.via == Via::Api) {
            continue;
        }
        for path in filled {
            let res = asker.get(&app, route.via, path).await;
            found.requests += 1;
            if res.status.is_server_error() {
                found.errors.push(format!("{} {path} [{:?}] answered {}", role.label(), route.via, res.status));
            }
            let mut text = text_of(&res.body);
            let html = res
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if html && res.status.is_success() {
                for p in polish(&text) {
                    found.polish.push(format!("{} {path}: {p}", role.label()));
                }
            }
            if show.as_deref().is_some_and(|s| path.contains(s)) {
                eprintln!("ORACLE_SHOW {} {path} [{:?}] → {}\n{text}", role.label(), route.via, res.status);
            }
            for h in ["content-disposition", "location", "hx-redirect"] {
                if let Some(v) = res.headers.get(h).and_then(|v| v.to_str().ok()) {
                    text.push('\n');
                    text.push_str(v);
                }
            }
            for hit in scanner.scan(&text) {
                let s = &w.secrets[hit.secret];
                if admits(s.audience, role) {
                    found.seen.insert(hit.secret);
                    continue;
                }
                // An error page names the path it was asked for: a link to the very record asked
                // for is no news to the asker.
                if s.kind == "link" && s.needles.iter().any(|n| path.contains(n.as_str())) {
                    continue;
                }
                found.leaks.push(Leak {
                    path: path.clone(),
                    via: via_label(route.via),
                    role,
                    what: s.what.clone(),
                    excerpt: hit.excerpt,
                });
            }
        }
    }
    found
}

pub fn via_label(v: Via) -> &'static str {
    match v {
        Via::Page => "page",
        Via::Htmx => "htmx",
        Via::Api => "api",
    }
}

/// Runs the sweep for every role at once; returns each role's findings. `pages_only` leaves
/// the API out (a second pass in another language).
pub async fn sweep(app: Arc<TestApp>, w: Arc<World>, pages_only: bool) -> Vec<(Role, Found)> {
    let scanner = Arc::new(Scanner::new(&w.secrets));
    let paths: Arc<Vec<(usize, Vec<String>)>> =
        Arc::new(ROUTES.iter().enumerate().map(|(i, r)| (i, expand(r.path, &w))).collect());
    let mut handles = Vec::new();
    for role in ROLES {
        let (browser, token) = match role.email() {
            Some(e) => (app.signed_in(e).await, Some(app.token(e).await)),
            None => (app.browser(), None),
        };
        let asker = Asker { role, browser, token };
        handles.push(tokio::spawn(sweep_role(
            app.clone(),
            asker,
            w.clone(),
            scanner.clone(),
            paths.clone(),
            pages_only,
        )));
    }
    let mut out = Vec::new();
    for (role, h) in ROLES.into_iter().zip(handles) {
        out.push((role, h.await.expect("sweep task")));
    }
    out
}
