//! Rows of early warning (issue 18): the open warnings (each party reads those about what it
//! may see), evaluating now, and the rules (the host's; its managers change them); the
//! portfolio board, which everyone signed in reads (each its own slice).

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn warnings() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, put) = (Method::GET, Method::POST, Method::PUT);
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_only = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    let managers_of_rules = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 404, 404, 404, 404];
    vec![
        row(Api, get.clone(), "/api/v1/monitoring", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/monitoring?limit=0", None, everyone(401, 422)),
        row(Page, get.clone(), "/monitoring", None, everyone(L, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/warnings", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/warnings", None, host_only(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/warnings/evaluate",
            None,
            [401, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/warning-rules", None, host_only(401, 200)),
        row(
            Api,
            put,
            "/api/v1/engagements/{eng}/warning-rules",
            Some(json!({"rules": [{"rule": "nope"}]})),
            managers_of_rules(401, 422),
        ),
        row(Page, get.clone(), "/engagements/{eng}/warnings", None, everyone(L, 200)),
        row(Page, get, "/engagements/{eng2}/warnings", None, host_only(L, 200)),
        row(
            Page,
            post,
            "/engagements/{eng}/warning-rules",
            Some(json!({"threshold_risk_high": "x"})),
            managers_of_rules(L, 422),
        ),
    ]
}
