//! Rows of the requirements routes (issue 5): items, versions, comparison and signatures.
//! Writes carry invalid bodies, so "allowed" shows as 422 (or 409 for a freeze with nothing
//! new) and nothing changes.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn requirements() -> Vec<Row> {
    use Via::{Api, Page};
    let get = Method::GET;
    let post = Method::POST;
    let patch = Method::PATCH;
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_only = |anon: u16| [anon, 200, 200, 200, 200, 404, 404, 404, 404];
    // Those who run the engagement get `ok`; everyone else who sees it gets 403.
    let managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 403, 403];
    // A party's manager signs for it; the host signs through those who run the engagement.
    let signers = |anon: u16| [anon, 422, 422, 403, 403, 422, 403, 422, 403];
    // Reviewers vote; reviewers and those who run the engagement comment.
    let reviewers = |anon: u16| [anon, 403, 403, 403, 403, 422, 403, 422, 403];
    let commenters = |anon: u16| [anon, 422, 422, 403, 403, 422, 403, 422, 403];
    vec![
        row(Api, get.clone(), "/api/v1/engagements/{eng}/requirements", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/requirements", None, host_only(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/requirements",
            Some(json!({"title": ""})),
            managers(401, 422),
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/requirements/{req}", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/requirements/{req_internal}", None, host_only(401)),
        row(
            Api,
            patch.clone(),
            "/api/v1/engagements/{eng}/requirements/{req}",
            Some(json!({"title": ""})),
            managers(401, 422),
        ),
        row(
            Api,
            patch.clone(),
            "/api/v1/engagements/{eng}/requirements/{req_internal}",
            Some(json!({"title": ""})),
            [401, 422, 422, 403, 403, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/requirement-versions", None, everyone(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/requirement-versions",
            Some(json!({"note": ""})),
            managers(401, 409),
        ),
        row(Api, get.clone(), "/api/v1/requirement-versions/{req_version}", None, everyone(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/requirement-versions/{req_version}/compare?with={req_version}",
            None,
            everyone(401, 200),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/requirement-versions/{req_version}/signatures",
            Some(json!({"password": ""})),
            signers(401),
        ),
        row(Page, get.clone(), "/engagements/{eng}/requirements", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/requirements", None, host_only(L)),
        row(Page, post.clone(), "/engagements/{eng}/requirements", Some(json!({"title": ""})), managers(L, 422)),
        row(Page, get.clone(), "/engagements/{eng}/requirements/{req}", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/requirements/{req_internal}", None, host_only(L)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/requirements/{req}/comments",
            Some(json!({"body": ""})),
            everyone(L, 303),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/requirements/{req_internal}/comments",
            Some(json!({"body": ""})),
            [L, 303, 303, 303, 303, 404, 404, 404, 404],
        ),
        row(Page, get.clone(), "/engagements/{eng}/requirements/{req}/edit", None, managers(L, 200)),
        row(
            Page,
            get.clone(),
            "/engagements/{eng}/requirements/{req_internal}/edit",
            None,
            [L, 200, 200, 403, 403, 404, 404, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/requirements/{req}/edit",
            Some(json!({"title": ""})),
            managers(L, 422),
        ),
        row(Page, post.clone(), "/engagements/{eng}/requirement-versions", Some(json!({"note": ""})), managers(L, 303)),
        row(Page, get.clone(), "/requirement-versions/{req_version}", None, everyone(L, 200)),
        row(
            Page,
            get.clone(),
            "/requirement-versions/{req_version}/compare?with={req_version}",
            None,
            everyone(L, 200),
        ),
        row(Page, post.clone(), "/requirement-versions/{req_version}/sign", Some(json!({"password": ""})), signers(L)),
        // Review rounds: reviewers are the vendor's and the client's managers.
        row(Api, get.clone(), "/api/v1/engagements/{eng}/review-rounds", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/review-rounds", None, host_only(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/review-rounds",
            Some(json!({"title": ""})),
            managers(401, 422),
        ),
        row(Api, get.clone(), "/api/v1/review-rounds/{review}", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/review-rounds/{missing}", None, everyone(401, 404)),
        row(Api, post.clone(), "/api/v1/review-rounds/{review}/comments", Some(json!({"body": ""})), commenters(401)),
        row(Api, post.clone(), "/api/v1/review-rounds/{review}/votes", Some(json!({"vote": "maybe"})), reviewers(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/review-rounds/{review}/close",
            Some(json!({"outcome": "maybe"})),
            managers(401, 422),
        ),
        row(Page, get.clone(), "/engagements/{eng}/reviews", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/reviews", None, host_only(L)),
        row(Page, post.clone(), "/engagements/{eng}/reviews", Some(json!({"title": ""})), managers(L, 422)),
        row(Page, get.clone(), "/engagements/{eng}/reviews/{review}", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/reviews/{review}", None, everyone(L, 404)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/reviews/{review}/comments",
            Some(json!({"body": ""})),
            commenters(L),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/reviews/{review}/votes",
            Some(json!({"vote": "maybe"})),
            reviewers(L),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/reviews/{review}/close",
            Some(json!({"outcome": "maybe"})),
            managers(L, 422),
        ),
        // Traceability.
        row(Api, get.clone(), "/api/v1/engagements/{eng}/traceability", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/traceability", None, host_only(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/requirements/{req}/links",
            Some(json!({"kind": "meeting", "record_id": "1"})),
            managers(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/requirements/{req_internal}/links",
            Some(json!({"kind": "meeting", "record_id": "1"})),
            [401, 422, 422, 403, 403, 404, 404, 404, 404],
        ),
        row(
            Api,
            Method::DELETE,
            "/api/v1/engagements/{eng}/requirements/{req}/links/{missing}",
            None,
            managers(401, 404),
        ),
        row(Page, get.clone(), "/engagements/{eng}/traceability", None, everyone(L, 200)),
        row(Page, get, "/engagements/{eng2}/traceability", None, host_only(L)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/traceability",
            Some(json!({"requirement_id": "", "record": ""})),
            managers(L, 422),
        ),
        row(Page, post, "/engagements/{eng}/requirements/{req}/links/{missing}/delete", None, managers(L, 404)),
    ]
}
