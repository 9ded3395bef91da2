//! Rows of the risk register (issue 18): the register, its heat map, the portfolio's, one risk
//! and its edits. `{risk}` is shared with every participant, raised by the host PM and owned by
//! the vendor's manager; `{risk_internal}` is the host's own. Writes carry invalid bodies, so
//! "allowed" shows as 422 and nothing changes.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn risks() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, patch) = (Method::GET, Method::POST, Method::PATCH);
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_only = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    // The engagement's managers (admin, PM) and the risk's owner (the vendor's manager) edit it.
    let editors = |anon: u16| [anon, 422, 422, 403, 403, 422, 403, 403, 403];
    let internal_editors = |anon: u16| [anon, 422, 422, 403, 403, 404, 404, 404, 404];
    let bad = json!({"title": "", "probability": 9});
    vec![
        row(Api, get.clone(), "/api/v1/engagements/{eng}/risks", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/risks", None, host_only(401, 200)),
        row(Api, post.clone(), "/api/v1/engagements/{eng}/risks", Some(bad.clone()), everyone(401, 422)),
        row(Api, post.clone(), "/api/v1/engagements/{eng2}/risks", Some(bad.clone()), host_only(401, 422)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/risks/heatmap.svg", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/risks/heatmap.svg", None, host_only(401, 200)),
        row(Api, get.clone(), "/api/v1/risks", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/risks/heatmap.svg", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/risks/{risk}", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/risks/{risk_internal}", None, host_only(401, 200)),
        row(Api, get.clone(), "/api/v1/risks/{missing}", None, everyone(401, 404)),
        row(Api, patch.clone(), "/api/v1/risks/{risk}", Some(bad.clone()), editors(401)),
        row(Api, patch, "/api/v1/risks/{risk_internal}", Some(bad), internal_editors(401)),
        row(Page, get.clone(), "/risks", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/risks", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/risks", None, host_only(L, 200)),
        row(Page, post.clone(), "/engagements/{eng}/risks", Some(json!({"title": ""})), everyone(L, 422)),
        row(Page, get.clone(), "/engagements/{eng}/risks/{risk}", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/risks/{risk_internal}", None, host_only(L, 200)),
        row(Page, get, "/engagements/{eng2}/risks/{risk}", None, everyone(L, 404)),
        row(Page, post.clone(), "/engagements/{eng}/risks/{risk}", Some(json!({"title": ""})), editors(L)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/risks/{risk_internal}",
            Some(json!({"title": ""})),
            internal_editors(L),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/risks/{risk}/comments",
            Some(json!({"body": ""})),
            everyone(L, 303),
        ),
        row(
            Page,
            post,
            "/engagements/{eng}/risks/{risk_internal}/comments",
            Some(json!({"body": ""})),
            [L, 303, 303, 303, 303, 404, 404, 404, 404],
        ),
    ]
}
