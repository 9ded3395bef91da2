//! Rows of cost control (issue 18): the budget, its baseline, expenses, the approver's decision,
//! earned value and the S-curve. All of it is the host's: vendors and clients get 404. `{eng}`
//! has a budget and `{expense}`, an expense over it waiting for an approver; `{hold}`, the
//! vendor contract signed over that budget.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn costs() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, put) = (Method::GET, Method::POST, Method::PUT);
    let host = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    // The engagement's managers (admin, PM) set the budget; other host roles may not.
    let managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 404, 404, 404, 404];
    // Approvers and administrators decide on expenses over budget.
    let approvers = |anon: u16, ok: u16| [anon, ok, 403, 403, ok, 404, 404, 404, 404];
    vec![
        row(Api, get.clone(), "/api/v1/engagements/{eng}/budget", None, host(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/budget", None, host(401, 200)),
        row(
            Api,
            put,
            "/api/v1/engagements/{eng}/budget",
            Some(json!({"lines": [{"category": "lunch", "amount": {"amount": "1"}}]})),
            managers(401, 422),
        ),
        row(Api, post.clone(), "/api/v1/engagements/{eng2}/budget/baseline", None, managers(401, 409)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/expenses", None, host(401, 200)),
        row(Api, post.clone(), "/api/v1/engagements/{eng}/expenses", Some(json!({"category": ""})), host(401, 422)),
        row(
            Api,
            post.clone(),
            "/api/v1/expenses/{expense}/decision",
            Some(json!({"decision": "maybe"})),
            approvers(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/expenses/{missing}/decision",
            Some(json!({"decision": "maybe"})),
            host(401, 404),
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/cost-holds", None, host(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/cost-holds/{hold}/decision",
            Some(json!({"decision": "maybe"})),
            approvers(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/cost-holds/{missing}/decision",
            Some(json!({"decision": "maybe"})),
            host(401, 404),
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/evm", None, host(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/evm?as_of=2026-02-30", None, host(401, 422)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/evm/s-curve.svg", None, host(401, 200)),
        row(Page, get.clone(), "/engagements/{eng}/costs", None, host(L, 200)),
        row(Page, get, "/engagements/{eng2}/costs", None, host(L, 200)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/costs/budget",
            Some(json!({"amount_labour": "x"})),
            managers(L, 422),
        ),
        row(Page, post.clone(), "/engagements/{eng2}/costs/baseline", None, managers(L, 422)),
        row(Page, post.clone(), "/engagements/{eng}/costs/expenses", Some(json!({"category": ""})), host(L, 422)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/costs/expenses/{expense}/decision",
            Some(json!({"decision": "maybe"})),
            approvers(L, 303),
        ),
        row(
            Page,
            post,
            "/engagements/{eng}/costs/holds/{hold}/decision",
            Some(json!({"decision": "maybe"})),
            approvers(L, 303),
        ),
    ]
}
