//! Rows of change control (issue 5): the change log, one change, impact, scope, decisions,
//! the board and the figures. `{cr}` is shared with every participant and big enough for the
//! board (the host PM and the client's manager); `{cr_client}` was raised by the client for
//! the host and itself. Writes carry invalid bodies, so "allowed" shows as 422 and nothing changes.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn changes() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, put) = (Method::GET, Method::POST, Method::PUT);
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_only = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    let managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 403, 403];
    // The host and the client see the client's change; the vendor does not.
    let host_and_client = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, s, s];
    // Only board members vote on a board change: no vendor votes for the client, no admin for the board.
    let board = |anon: u16| [anon, 403, 422, 403, 403, 403, 403, 422, 403];
    vec![
        row(Api, get.clone(), "/api/v1/engagements/{eng}/change-requests", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/change-requests", None, host_only(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/change-requests",
            Some(json!({"title": ""})),
            everyone(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng2}/change-requests",
            Some(json!({"title": ""})),
            host_only(401, 422),
        ),
        row(Api, get.clone(), "/api/v1/change-requests/{cr}", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/change-requests/{cr_client}", None, host_and_client(401, 200)),
        row(Api, get.clone(), "/api/v1/change-requests/{missing}", None, everyone(401, 404)),
        row(
            Api,
            put.clone(),
            "/api/v1/change-requests/{cr}/impact",
            Some(json!({"schedule_delta_days": 9999})),
            managers(401, 422),
        ),
        row(
            Api,
            put.clone(),
            "/api/v1/change-requests/{cr_client}/impact",
            Some(json!({"schedule_delta_days": 9999})),
            [401, 422, 422, 403, 403, 404, 404, 403, 403],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/change-requests/{cr}/scope-items",
            Some(json!({"action": "nope"})),
            managers(401, 422),
        ),
        row(Api, Method::DELETE, "/api/v1/change-requests/{cr}/scope-items/{missing}", None, managers(401, 404)),
        row(
            Api,
            post.clone(),
            "/api/v1/change-requests/{cr}/decisions",
            Some(json!({"decision": "maybe"})),
            board(401),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/change-requests/{cr_client}/decisions",
            Some(json!({"decision": "maybe"})),
            [401, 422, 422, 403, 403, 404, 404, 403, 403],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/change-statistics", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/change-statistics", None, host_only(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/change-board", None, everyone(401, 200)),
        row(
            Api,
            put,
            "/api/v1/engagements/{eng}/change-board",
            Some(json!({"pm_max_days": -1, "pm_max_cost": {"amount": "x"}})),
            managers(401, 422),
        ),
        row(Page, get.clone(), "/engagements/{eng}/changes", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/changes", None, host_only(L, 200)),
        row(Page, post.clone(), "/engagements/{eng}/changes", Some(json!({"title": ""})), everyone(L, 422)),
        row(Page, post.clone(), "/engagements/{eng}/change-board", Some(json!({"pm_max_days": ""})), managers(L, 422)),
        row(Page, get.clone(), "/engagements/{eng}/changes/{cr}", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/changes/{cr_client}", None, host_and_client(L, 200)),
        row(Page, get, "/engagements/{eng2}/changes/{cr}", None, everyone(L, 404)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/changes/{cr}/impact",
            Some(json!({"schedule_delta_days": "x"})),
            managers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/changes/{cr}/scope-items",
            Some(json!({"action": ""})),
            managers(L, 422),
        ),
        row(Page, post.clone(), "/engagements/{eng}/changes/{cr}/scope-items/{missing}/delete", None, managers(L, 404)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/changes/{cr}/decisions",
            Some(json!({"decision": "maybe"})),
            board(L),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/changes/{cr}/comments",
            Some(json!({"body": ""})),
            everyone(L, 303),
        ),
        row(
            Page,
            post,
            "/engagements/{eng}/changes/{cr_client}/comments",
            Some(json!({"body": ""})),
            host_and_client(L, 303),
        ),
    ]
}
