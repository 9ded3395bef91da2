//! Rows of the issue and conflict log (issue 18). `{issue}` is shared with every participant
//! and raised by the host PM; `{issue_vendor}` is the vendor's own, raised by its manager.
//! Writes carry invalid bodies, so "allowed" shows as 422 and nothing changes.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn issues() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, patch, put) = (Method::GET, Method::POST, Method::PATCH, Method::PUT);
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_only = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    let host_and_vendor = |anon: u16, s: u16| [anon, s, s, s, s, s, s, 404, 404];
    // The managers work on the issue; the PM raised `{issue}`.
    let work_shared = |anon: u16| [anon, 422, 422, 403, 403, 403, 403, 403, 403];
    // The managers work on it; the vendor's manager raised `{issue_vendor}`.
    let work_vendor = |anon: u16| [anon, 422, 422, 403, 403, 422, 403, 404, 404];
    let managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 403, 403];
    vec![
        row(Api, get.clone(), "/api/v1/engagements/{eng}/issues", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/issues", None, host_only(401, 200)),
        row(Api, post.clone(), "/api/v1/engagements/{eng}/issues", Some(json!({"title": ""})), everyone(401, 422)),
        row(Api, post.clone(), "/api/v1/engagements/{eng2}/issues", Some(json!({"title": ""})), host_only(401, 422)),
        row(Api, get.clone(), "/api/v1/issues/{issue}", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/issues/{issue_vendor}", None, host_and_vendor(401, 200)),
        row(Api, get.clone(), "/api/v1/issues/{missing}", None, everyone(401, 404)),
        row(Api, patch.clone(), "/api/v1/issues/{issue}", Some(json!({"status": "nope"})), work_shared(401)),
        row(Api, patch, "/api/v1/issues/{issue_vendor}", Some(json!({"status": "nope"})), work_vendor(401)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/sla", None, everyone(401, 200)),
        row(Api, put, "/api/v1/engagements/{eng}/sla", Some(json!({"hours_start": "x"})), managers(401, 422)),
        row(Page, get.clone(), "/engagements/{eng}/issues", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/issues", None, host_only(L, 200)),
        row(Page, post.clone(), "/engagements/{eng}/issues", Some(json!({"title": ""})), everyone(L, 422)),
        row(Page, get.clone(), "/engagements/{eng}/issues/{issue}", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/issues/{issue_vendor}", None, host_and_vendor(L, 200)),
        row(Page, get, "/engagements/{eng2}/issues/{issue}", None, everyone(L, 404)),
        row(Page, post.clone(), "/engagements/{eng}/issues/{issue}", Some(json!({"status": "nope"})), work_shared(L)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/issues/{issue_vendor}",
            Some(json!({"status": "nope"})),
            work_vendor(L),
        ),
        row(Page, post, "/engagements/{eng}/issues/{issue}/comments", Some(json!({"body": ""})), everyone(L, 303)),
    ]
}
