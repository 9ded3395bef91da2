//! Rows of the collaboration routes (records, comments, activity, notifications, documents,
//! dashboards), kept beside the main table.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn collaboration() -> Vec<Row> {
    use Via::{Api, Page};
    let get = Method::GET;
    let post = Method::POST;
    let patch = Method::PATCH;
    let signed_in = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    vec![
        // Records, comments, activity, notifications (issue 4: collaboration).
        row(
            Page,
            get.clone(),
            "/engagements/{eng}/tasks/{task_vendor}",
            None,
            [L, 200, 200, 200, 200, 200, 200, 404, 404],
        ),
        row(
            Page,
            get.clone(),
            "/engagements/{eng}/tasks/{task_internal}",
            None,
            [L, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(Page, get.clone(), "/engagements/{eng2}/tasks/{task_vendor}", None, signed_in(L, 404)),
        row(Page, get.clone(), "/engagements/{eng}/milestones/{milestone}", None, signed_in(L, 200)),
        row(
            Page,
            get.clone(),
            "/engagements/{eng}/milestones/{milestone_internal}",
            None,
            [L, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(
            Page,
            get.clone(),
            "/engagements/{eng}/deliverables/{deliverable_vendor}",
            None,
            [L, 200, 200, 200, 200, 200, 200, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/tasks/{task_vendor}/comments",
            Some(json!({"body": ""})),
            [L, 303, 303, 303, 303, 303, 303, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/milestones/{milestone_internal}/comments",
            Some(json!({"body": ""})),
            [L, 303, 303, 303, 303, 404, 404, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/deliverables/{deliverable_vendor}/comments",
            Some(json!({"body": ""})),
            [L, 303, 303, 303, 303, 303, 303, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/milestones/{milestone}/status",
            Some(json!({"status": "bogus"})),
            [L, 303, 303, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/milestones/{milestone_internal}/status",
            Some(json!({"status": "bogus"})),
            [L, 303, 303, 403, 403, 404, 404, 404, 404],
        ),
        row(Page, get.clone(), "/engagements/{eng}/activity", None, signed_in(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/activity", None, [L, 200, 200, 200, 200, 404, 404, 404, 404]),
        row(Page, get.clone(), "/comments/{comment_vendor}", None, [L, 303, 303, 303, 303, 303, 303, 404, 404]),
        row(Page, get.clone(), "/notifications", None, signed_in(L, 200)),
        row(Page, post.clone(), "/notifications/read-all", None, signed_in(L, 303)),
        row(
            Page,
            get.clone(),
            "/notifications/{notification_dev}/open",
            None,
            [L, 404, 404, 404, 404, 404, 303, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/milestones/{milestone}", None, signed_in(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/engagements/{eng}/milestones/{milestone_internal}",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(
            Api,
            patch.clone(),
            "/api/v1/engagements/{eng}/milestones/{milestone}",
            Some(json!({"status": "bogus"})),
            [401, 422, 422, 403, 403, 403, 403, 403, 403],
        ),
        row(
            Api,
            patch.clone(),
            "/api/v1/engagements/{eng}/milestones/{milestone_internal}",
            Some(json!({"status": "bogus"})),
            [401, 422, 422, 403, 403, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/dashboard", None, signed_in(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/engagements/{eng2}/dashboard",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/portfolio", None, signed_in(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/engagements/{eng}/comments?subject_kind=task&subject_id={task_vendor}",
            None,
            [401, 200, 200, 200, 200, 200, 200, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/comments",
            Some(json!({"subject_kind": "task", "subject_id": "{task_vendor}", "body": ""})),
            [401, 422, 422, 422, 422, 422, 422, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/comments",
            Some(json!({"subject_kind": "task", "subject_id": "{task_internal}", "body": "hi"})),
            [401, 201, 201, 201, 201, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/activity", None, signed_in(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/engagements/{eng2}/activity",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/notifications", None, signed_in(401, 200)),
        row(Api, post.clone(), "/api/v1/notifications/read-all", None, signed_in(401, 204)),
        row(
            Api,
            post.clone(),
            "/api/v1/notifications/{notification_dev}/read",
            None,
            [401, 404, 404, 404, 404, 404, 204, 404, 404],
        ),
        // Documents: uploads carry an executable, so an allowed upload is refused (422, or a
        // flash and a redirect on pages) and nothing is stored.
        row(Page, get.clone(), "/engagements/{eng}/documents", None, signed_in(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/documents", None, [L, 200, 200, 200, 200, 404, 404, 404, 404]),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/documents",
            Some(json!({"__file": "setup.exe"})),
            signed_in(L, 303),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng2}/documents",
            Some(json!({"__file": "setup.exe"})),
            [L, 303, 303, 303, 303, 404, 404, 404, 404],
        ),
        row(Page, get.clone(), "/documents/{doc_vendor}", None, [L, 200, 200, 200, 200, 200, 200, 404, 404]),
        row(Page, get.clone(), "/documents/{doc_internal}", None, [L, 200, 200, 200, 200, 404, 404, 404, 404]),
        row(
            Page,
            post.clone(),
            "/documents/{doc_vendor}/versions",
            Some(json!({"__file": "setup.exe"})),
            [L, 303, 303, 303, 303, 403, 403, 404, 404],
        ),
        row(Page, get.clone(), "/documents/{doc_vendor}/download", None, [L, 200, 200, 200, 200, 200, 200, 404, 404]),
        row(Api, get.clone(), "/documents/{doc_internal}/download", None, [L, 200, 200, 200, 200, 404, 404, 404, 404]),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/documents", None, signed_in(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/engagements/{eng2}/documents",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/documents",
            Some(json!({"__file": "setup.exe"})),
            signed_in(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng2}/documents",
            Some(json!({"__file": "setup.exe"})),
            [401, 422, 422, 422, 422, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/documents/{doc_vendor}", None, [401, 200, 200, 200, 200, 200, 200, 404, 404]),
        row(Api, get.clone(), "/api/v1/documents/{doc_internal}", None, [401, 200, 200, 200, 200, 404, 404, 404, 404]),
        row(
            Api,
            post.clone(),
            "/api/v1/documents/{doc_vendor}/versions",
            Some(json!({"__file": "setup.exe"})),
            [401, 422, 422, 422, 422, 403, 403, 404, 404],
        ),
    ]
}
