//! Rows of vendors: the directory, certificates, scorecards and evaluations, and selections
//! (issue 7). `{vendor}` is 云帆 (a prospect: the demo seeds it without a profile) with
//! `{certificate}` and its scan `{certificate_file}`; `{vendor2}` is 数智. `{selection}` is
//! still bidding (evaluators: the host member and the approver; only 云帆 invited, with `{bid}`
//! and its file `{bid_file}`); `{selection_closed}` is being evaluated (evaluators: the PM and
//! the approver; only 数智 invited, with `{bid_closed}` and `{bid_closed_file}`). See
//! `fixtures::with_selection`.
//!
//! A vendor sees only itself (another vendor: 404), a client no vendor at all (404). A
//! selection is seen by the host's managers, its evaluators, the finance approver and the
//! vendors it invited; another host member is refused (403), anyone else does not learn it
//! exists (404).

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn vendors() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, patch, put) = (Method::GET, Method::POST, Method::PATCH, Method::PUT);
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_or_403 = |anon: u16, s: u16| [anon, s, s, s, s, 403, 403, 403, 403];
    // The directory is run by the host's admin and PMs.
    let directory = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 403, 403];
    // 云帆: the host sees it, so does 云帆 itself; clients never.
    let own_vendor = |anon: u16, s: u16| [anon, s, s, s, s, s, s, 404, 404];
    // 云帆, changed only by the host's admin and PMs.
    let vendor_managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 404, 404];
    // 云帆's profile and certificates: the host's admin and PMs, and 云帆's own manager.
    let profile_editors = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, ok, 403, 404, 404];
    // 数智: the host only.
    let other_vendor = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    // Evaluations: any host user; 云帆 is refused on itself.
    let host_users = |anon: u16, ok: u16| [anon, ok, ok, ok, ok, 403, 403, 404, 404];
    // `{selection}`: the host's side (the member and the approver evaluate), 云帆 invited.
    let open_reads = |anon: u16| [anon, 200, 200, 200, 200, 200, 200, 404, 404];
    let open_managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 404, 404];
    let bidders = |anon: u16| [anon, 403, 403, 403, 403, 422, 403, 404, 404];
    // `{selection_closed}`: the member is no evaluator (403), 云帆 not invited (404).
    let closed_reads = |anon: u16, s: u16| [anon, s, s, 403, s, 404, 404, 404, 404];
    let closed_managers = |anon: u16, s: u16| [anon, s, s, 403, 403, 404, 404, 404, 404];
    let closed_evaluators = |anon: u16, s: u16| [anon, 403, s, 403, s, 404, 404, 404, 404];
    let scores = json!({"vendor_id": "{vendor}", "scores": [{"criterion": "价格", "score": 80},
                                                            {"criterion": "能力", "score": 70}]});
    vec![
        // The directory.
        row(Api, get.clone(), "/api/v1/vendors", None, everyone(401, 200)),
        row(
            Api,
            get.clone(),
            "/api/v1/vendors?status=prospect&category=software&q=%E4%BA%91",
            None,
            everyone(401, 200),
        ),
        row(Api, post.clone(), "/api/v1/vendors", Some(json!({"name": ""})), directory(401, 422)),
        row(Api, get.clone(), "/api/v1/vendors/{vendor}", None, own_vendor(401, 200)),
        row(Api, get.clone(), "/api/v1/vendors/{vendor2}", None, other_vendor(401, 200)),
        // A client is a party, not a vendor.
        row(Api, get.clone(), "/api/v1/vendors/{client}", None, everyone(401, 404)),
        row(Api, get.clone(), "/api/v1/vendors/{missing}", None, everyone(401, 404)),
        row(
            Api,
            patch.clone(),
            "/api/v1/vendors/{vendor}",
            Some(json!({"status": "nope", "status_reason": ""})),
            vendor_managers(401, 422),
        ),
        row(Api, patch.clone(), "/api/v1/vendors/{vendor}", Some(json!({"size": "huge"})), profile_editors(401, 422)),
        // Bank details: the finance approver and the vendor's own manager.
        row(
            Api,
            patch.clone(),
            "/api/v1/vendors/{vendor}",
            Some(json!({"bank_account": "!!!"})),
            [401, 403, 403, 403, 422, 422, 403, 404, 404],
        ),
        row(
            Api,
            patch.clone(),
            "/api/v1/vendors/{vendor2}",
            Some(json!({"size": "huge"})),
            [401, 422, 422, 403, 403, 404, 404, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/vendors/{vendor}/certificates",
            Some(json!({"kind": "iso9001", "__file": "setup.exe"})),
            profile_editors(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/vendors/{vendor2}/certificates",
            Some(json!({"kind": "iso9001", "__file": "setup.exe"})),
            [401, 422, 422, 403, 403, 404, 404, 404, 404],
        ),
        // The vendor sees its scorecard only once published (none is).
        row(
            Api,
            get.clone(),
            "/api/v1/vendors/{vendor}/scorecard",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/vendors/{vendor}/scorecard?period=2026Q9", None, own_vendor(401, 422)),
        row(Api, get.clone(), "/api/v1/vendors/{vendor2}/scorecard?period=2026Q4", None, other_vendor(401, 200)),
        // Periods without facts: nothing to publish.
        row(
            Api,
            post.clone(),
            "/api/v1/vendors/{vendor}/scorecard/publish",
            Some(json!({"period": "2025Q1"})),
            vendor_managers(401, 409),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/vendors/{vendor2}/scorecard/publish",
            Some(json!({"period": "2026Q4"})),
            [401, 409, 409, 403, 403, 404, 404, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/vendors/{vendor}/evaluations",
            Some(json!({"period": "nope"})),
            host_users(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/vendors/{vendor2}/evaluations",
            Some(json!({"period": "nope"})),
            other_vendor(401, 422),
        ),
        row(Api, get.clone(), "/api/v1/vendor-ranking", None, host_or_403(401, 200)),
        row(Api, get.clone(), "/api/v1/vendor-ranking?category=nope", None, host_or_403(401, 422)),
        row(Api, get.clone(), "/api/v1/scorecard-settings", None, host_or_403(401, 200)),
        row(
            Api,
            put,
            "/api/v1/scorecard-settings",
            Some(json!({"weights": {}})),
            [401, 422, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(Api, get.clone(), "/api/v1/evaluation-templates", None, host_or_403(401, 200)),
        row(Api, get.clone(), "/api/v1/evaluation-templates?kind=evaluation", None, host_or_403(401, 200)),
        row(Api, post.clone(), "/api/v1/evaluation-templates", Some(json!({"kind": "nope"})), directory(401, 422)),
        // Selections.
        row(Api, get.clone(), "/api/v1/selections", None, everyone(401, 200)),
        row(Api, post.clone(), "/api/v1/selections", Some(json!({"title": ""})), directory(401, 422)),
        row(Api, get.clone(), "/api/v1/selections/{selection}", None, open_reads(401)),
        row(Api, get.clone(), "/api/v1/selections/{selection_closed}", None, closed_reads(401, 200)),
        row(Api, get.clone(), "/api/v1/selections/{missing}", None, everyone(401, 404)),
        row(Api, post.clone(), "/api/v1/selections/{selection}/invitations", Some(json!({})), open_managers(401, 422)),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection_closed}/invitations",
            Some(json!({})),
            closed_managers(401, 422),
        ),
        row(Api, post.clone(), "/api/v1/selections/{selection}/evaluators", Some(json!({})), open_managers(401, 422)),
        row(Api, post.clone(), "/api/v1/selections/{selection}/bids", Some(json!({"summary": ""})), bidders(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection_closed}/bids",
            Some(json!({"summary": ""})),
            closed_managers(401, 403),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection}/bids/files",
            Some(json!({"__file": "setup.exe"})),
            bidders(401),
        ),
        // Scores: evaluators only, and only once bidding has ended.
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection}/scores",
            Some(scores.clone()),
            [401, 403, 403, 409, 409, 403, 403, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection_closed}/scores",
            Some(json!({})),
            closed_evaluators(401, 422),
        ),
        // Closing `{selection}` would succeed (every invited vendor has bid) and change the rows after it.
        row(Api, post.clone(), "/api/v1/selections/{selection_closed}/close", None, closed_managers(401, 409)),
        // The ranking: the host's side, sealed while bidding and until every sheet is in.
        row(
            Api,
            get.clone(),
            "/api/v1/selections/{selection}/ranking",
            None,
            [401, 409, 409, 409, 409, 403, 403, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/selections/{selection_closed}/ranking", None, closed_reads(401, 409)),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection}/award",
            Some(json!({"justification": ""})),
            open_managers(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection_closed}/award",
            Some(json!({"justification": ""})),
            closed_managers(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/selections/{selection}/cancel",
            Some(json!({"reason": ""})),
            open_managers(401, 422),
        ),
        // Pages.
        row(Page, get.clone(), "/vendors", None, everyone(L, 200)),
        row(Page, post.clone(), "/vendors", Some(json!({"name": ""})), directory(L, 422)),
        row(Page, get.clone(), "/vendors/new", None, directory(L, 200)),
        row(Page, get.clone(), "/vendors/ranking", None, host_or_403(L, 200)),
        row(Page, get.clone(), "/vendors/settings", None, host_or_403(L, 200)),
        row(
            Page,
            post.clone(),
            "/vendors/settings",
            Some(json!({"grade_a": "50", "grade_b": "60", "grade_c": "70"})),
            [L, 422, 403, 403, 403, 403, 403, 403, 403],
        ),
        row(Page, post.clone(), "/vendors/templates", Some(json!({"kind": "nope", "name": ""})), directory(L, 422)),
        row(Page, get.clone(), "/vendors/{vendor}", None, own_vendor(L, 200)),
        row(Page, get.clone(), "/vendors/{vendor2}", None, other_vendor(L, 200)),
        row(Page, post.clone(), "/vendors/{vendor}", Some(json!({"size": "huge"})), profile_editors(L, 422)),
        // The bank form posts to the same address.
        row(
            Page,
            post.clone(),
            "/vendors/{vendor}",
            Some(json!({"_form": "bank", "bank_account": "!!!"})),
            [L, 403, 403, 403, 422, 422, 403, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/vendors/{vendor}/status",
            Some(json!({"status": "nope", "status_reason": ""})),
            vendor_managers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/vendors/{vendor}/certificates",
            Some(json!({"kind": "iso9001", "__file": "setup.exe"})),
            profile_editors(L, 422),
        ),
        row(
            Page,
            get.clone(),
            "/vendors/{vendor}/certificates/{certificate}/files/{certificate_file}",
            None,
            own_vendor(L, 200),
        ),
        row(
            Page,
            get.clone(),
            "/vendors/{vendor2}/certificates/{certificate}/files/{certificate_file}",
            None,
            everyone(L, 404),
        ),
        // The vendor's own page says "not published yet" rather than 404.
        row(Page, get.clone(), "/vendors/{vendor}/scorecard", None, own_vendor(L, 200)),
        row(Page, get.clone(), "/vendors/{vendor2}/scorecard", None, other_vendor(L, 200)),
        row(
            Page,
            post.clone(),
            "/vendors/{vendor}/scorecard/publish",
            Some(json!({"period": "nope"})),
            vendor_managers(L, 422),
        ),
        row(Page, post.clone(), "/vendors/{vendor}/evaluations", Some(json!({"period": "nope"})), host_users(L, 422)),
        row(Page, get.clone(), "/selections", None, everyone(L, 200)),
        row(Page, post.clone(), "/selections", Some(json!({"title": ""})), directory(L, 422)),
        row(Page, get.clone(), "/selections/new", None, directory(L, 200)),
        row(Page, get.clone(), "/selections/{selection}", None, open_reads(L)),
        row(Page, get.clone(), "/selections/{selection_closed}", None, closed_reads(L, 200)),
        row(
            Page,
            post.clone(),
            "/selections/{selection}/invitations",
            Some(json!({"vendor_id": ""})),
            open_managers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/selections/{selection}/evaluators",
            Some(json!({"user_id": ""})),
            open_managers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/selections/{selection}/bids",
            Some(json!({"price": "", "summary": "", "__file": "setup.exe"})),
            bidders(L),
        ),
        // While bidding, bids are sealed to the host; 云帆 reads its own.
        row(
            Page,
            get.clone(),
            "/selections/{selection}/bids/{bid}/files/{bid_file}",
            None,
            [L, 404, 404, 404, 404, 200, 200, 404, 404],
        ),
        row(
            Page,
            get.clone(),
            "/selections/{selection_closed}/bids/{bid_closed}/files/{bid_closed_file}",
            None,
            closed_reads(L, 200),
        ),
        row(
            Page,
            post.clone(),
            "/selections/{selection_closed}/scores",
            Some(json!({"vendor_id": ""})),
            closed_evaluators(L, 422),
        ),
        // A page shows the conflict in the re-rendered form.
        row(Page, post.clone(), "/selections/{selection_closed}/close", None, closed_managers(L, 422)),
        row(
            Page,
            post.clone(),
            "/selections/{selection}/award",
            Some(json!({"vendor_id": "", "justification": ""})),
            open_managers(L, 422),
        ),
        row(Page, post, "/selections/{selection}/cancel", Some(json!({"reason": ""})), open_managers(L, 422)),
    ]
}
