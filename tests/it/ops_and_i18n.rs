//! Probes, metrics, static assets, and the completeness of both languages.

use std::collections::BTreeSet;

use axum::http::StatusCode;

use crate::{db_test, support::*};

db_test!(health_readiness_and_metrics, |app: TestApp| async move {
    assert_eq!(app.get("/healthz").send().await.text(), "ok");
    let ready = app.get("/readyz").send().await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["migrations_current"], true);
    app.get("/login").send().await;
    // Closed on the public port unless the operator sets a token; then only with it.
    assert_eq!(app.get("/metrics").send().await.status, StatusCode::NOT_FOUND);
    let app = app.reconfigured(|c| c.metrics_token = Some("metrics-secret-0123456789".into()));
    assert_eq!(app.get("/metrics").send().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/metrics").bearer("wrong-secret-0123456789").send().await.status, StatusCode::UNAUTHORIZED);
    let metrics = app.get("/metrics").bearer("metrics-secret-0123456789").send().await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = metrics.text();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/login\""), "per-route label");
    assert!(text.contains("http_request_duration_seconds_bucket"), "latency histogram");
    assert!(text.contains("db_pool_connections"), "pool gauge");
    // A signed-out page request is answered with a redirect to the sign-in page: counted as
    // that 303 on its route, not as the 401 the handler raised.
    assert_eq!(app.get("/engagements").send().await.status, StatusCode::SEE_OTHER);
    let text = app.get("/metrics").bearer("metrics-secret-0123456789").send().await.text();
    let line = text
        .lines()
        .find(|l| l.starts_with("http_requests_total") && l.contains("route=\"/engagements\""))
        .unwrap_or_else(|| panic!("no count for /engagements in {text}"));
    assert!(line.contains("status=\"303\""), "{line}");
    let res = app.get("/healthz").send().await;
    assert!(res.headers.contains_key("x-request-id"), "request id echoed");
});

db_test!(assets_are_served_with_cache_busting, |app: TestApp| async move {
    let page = app.get("/login").send().await.text();
    let start = page.find("/static/app.css?v=").expect("versioned css link");
    let href: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let css = app.get(&href).send().await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
    assert!(css.headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("").contains("immutable"));
    assert_eq!(app.get("/static/htmx.min.js").send().await.status, StatusCode::OK);
    assert_eq!(app.get("/static/nope.js").send().await.status, StatusCode::NOT_FOUND);
});

db_test!(pages_carry_security_headers, |app: TestApp| async move {
    let page = app.get("/login").send().await;
    let h = |n: &str| page.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("x-frame-options"), "DENY");
    assert!(h("content-security-policy").contains("script-src 'self'"));
    let cookies: Vec<String> =
        page.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("accord_csrf=") && c.contains("HttpOnly") && c.contains("SameSite=Lax"))
    );
});

db_test!(unknown_pages_answer_a_translated_404, |app: TestApp| async move {
    let zh = app.get("/no/such/page").header("accept-language", "zh-CN").send().await;
    assert_eq!(zh.status, StatusCode::NOT_FOUND);
    assert!(zh.text().contains("找不到"), "{}", zh.text());
    let api = app.get("/api/v1/nothing").send().await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.content_type(), "application/problem+json");
});

fn keys(file: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.is_empty())
        .collect()
}

#[test]
fn both_languages_have_the_same_keys() {
    let mut files: Vec<String> = std::fs::read_dir("locales/en")
        .expect("locales/en")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".ftl"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    for file in files {
        let zh = keys(&format!("locales/zh-CN/{file}"));
        let en = keys(&format!("locales/en/{file}"));
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "{file}: only zh-CN {only_zh:?}, only en {only_en:?}");
    }
}

/// Every key the templates and the Rust code ask for exists in both languages.
#[test]
fn every_key_in_use_is_translated() {
    let mut used = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from("templates"), std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for pattern in [".t(\"", ".t1(\"", "Msg::new(\"", ".t_args(\""] {
                for piece in text.split(pattern).skip(1) {
                    if let Some(key) = piece.split('"').next()
                        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        && key.contains('-')
                    {
                        used.insert(key.to_owned());
                    }
                }
            }
        }
    }
    assert!(used.len() > 50, "found {} keys", used.len());
    for lang in [accord::i18n::Lang::ZhCn, accord::i18n::Lang::En] {
        let missing: Vec<_> = used.iter().filter(|k| !lang.has(k)).collect();
        assert!(missing.is_empty(), "{lang:?} misses {missing:?}");
    }
}
