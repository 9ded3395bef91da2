//! The oracle's table: every route that answers GET, as the sweep requests it. A placeholder is
//! filled with every seeded id of its kind (`{eng}` with every engagement, `{task}` with every
//! task, paired with its own engagement and with another one), so each role asks for records
//! it may see and for records it may not. Query variants are rows of their own.

/// How a route is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// A browser with the role's session cookie.
    Page,
    /// The same browser as htmx does (`HX-Request: true`): filters and errors answer fragments.
    Htmx,
    /// A script with the role's bearer token (none for anonymous).
    Api,
}

/// A row: how, the path template, and whether it is plumbing that tells nobody anything about
/// records (asked by fewer roles to keep the sweep fast).
pub struct Route {
    pub via: Via,
    pub path: &'static str,
    pub plumbing: bool,
}

const fn page(path: &'static str) -> Route {
    Route { via: Via::Page, path, plumbing: false }
}

const fn htmx(path: &'static str) -> Route {
    Route { via: Via::Htmx, path, plumbing: false }
}

const fn api(path: &'static str) -> Route {
    Route { via: Via::Api, path, plumbing: false }
}

const fn plumbing(path: &'static str) -> Route {
    Route { via: Via::Page, path, plumbing: true }
}

pub const ROUTES: &[Route] = &[
    // Public plumbing and the account.
    plumbing("/healthz"),
    plumbing("/readyz"),
    plumbing("/metrics"),
    plumbing("/static/{asset}"),
    plumbing("/api/openapi.json"),
    plumbing("/api/docs/"),
    plumbing("/setup"),
    plumbing("/invite/{bad_token}"),
    page("/login"),
    page("/"),
    page("/account"),
    page("/account/tokens"),
    api("/api/v1/me"),
    // Parties and people.
    page("/parties"),
    htmx("/parties?q=leakprobe"),
    page("/parties?kind=vendor"),
    page("/parties/new"),
    page("/parties/{party}"),
    page("/parties/{party}/edit"),
    page("/users"),
    htmx("/users?q=example"),
    page("/users?party={party}"),
    page("/users/new"),
    page("/users/new?party={party}"),
    page("/users/{user}"),
    api("/api/v1/parties"),
    api("/api/v1/parties?q=leakprobe"),
    api("/api/v1/parties/{party}"),
    api("/api/v1/users"),
    api("/api/v1/users?party_id={party}"),
    api("/api/v1/users/{user}"),
    // The audit trail.
    page("/admin/audit"),
    htmx("/admin/audit?entity=party"),
    page("/admin/audit.csv"),
    // Search.
    page("/search?q=leakprobe"),
    page("/search?q=LK"),
    api("/api/v1/search?q=leakprobe"),
    // Engagements and their plan.
    page("/engagements"),
    htmx("/engagements?q=leakprobe"),
    page("/engagements/new"),
    page("/engagements/{eng}"),
    page("/engagements/{eng}/edit"),
    page("/engagements/{eng}/gantt"),
    page("/engagements/{eng}/gantt?baseline={baseline}"),
    page("/engagements/{eng}/gantt.svg"),
    page("/engagements/{eng}/gantt.svg?zoom=month&baseline={baseline}"),
    page("/engagements/{eng}/activity"),
    page("/engagements/{eng}/tasks/{task}"),
    page("/engagements/{eng}/milestones/{milestone}"),
    page("/engagements/{eng}/deliverables/{deliverable}"),
    page("/engagements/{eng}/documents"),
    api("/api/v1/engagements"),
    api("/api/v1/engagements?q=leakprobe"),
    api("/api/v1/portfolio"),
    api("/api/v1/engagements/{eng}"),
    api("/api/v1/engagements/{eng}/dashboard"),
    api("/api/v1/engagements/{eng}/participants"),
    api("/api/v1/engagements/{eng}/members"),
    api("/api/v1/engagements/{eng}/calendar"),
    api("/api/v1/engagements/{eng}/milestones"),
    api("/api/v1/engagements/{eng}/milestones/{milestone}"),
    api("/api/v1/engagements/{eng}/tasks"),
    api("/api/v1/engagements/{eng}/tasks/{task}"),
    api("/api/v1/engagements/{eng}/dependencies"),
    api("/api/v1/engagements/{eng}/baselines"),
    api("/api/v1/engagements/{eng}/baselines/{baseline}"),
    api("/api/v1/engagements/{eng}/deliverables"),
    api("/api/v1/engagements/{eng}/deliverables/{deliverable}"),
    // Collaboration and documents.
    page("/comments/{comment}"),
    page("/notifications"),
    page("/notifications?unread=1"),
    page("/notifications/{notification}/open"),
    api("/api/v1/notifications"),
    api("/api/v1/engagements/{eng}/activity"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=task&subject_id={task}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=milestone&subject_id={milestone}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=deliverable&subject_id={deliverable}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=change&subject_id={cr}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=requirement&subject_id={requirement}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=review&subject_id={review}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=acceptance&subject_id={acceptance}"),
    api("/api/v1/engagements/{eng}/comments?subject_kind=contract&subject_id={contract}"),
    page("/documents/{document}"),
    page("/documents/{document}/download"),
    page("/documents/{document}/download?version=1"),
    api("/documents/{document}/download"),
    api("/api/v1/engagements/{eng}/documents"),
    api("/api/v1/documents/{document}"),
    // Requirements, versions, reviews.
    page("/engagements/{eng}/requirements"),
    page("/engagements/{eng}/requirements/{requirement}"),
    page("/engagements/{eng}/requirements/{requirement}/edit"),
    page("/engagements/{eng}/traceability"),
    page("/requirement-versions/{req_version}"),
    page("/requirement-versions/{req_version}/compare?with={with}"),
    page("/engagements/{eng}/reviews"),
    page("/engagements/{eng}/reviews/{review}"),
    api("/api/v1/engagements/{eng}/requirements"),
    api("/api/v1/engagements/{eng}/requirements/{requirement}"),
    api("/api/v1/engagements/{eng}/requirement-versions"),
    api("/api/v1/requirement-versions/{req_version}"),
    api("/api/v1/requirement-versions/{req_version}/compare?with={with}"),
    api("/api/v1/engagements/{eng}/traceability"),
    api("/api/v1/engagements/{eng}/review-rounds"),
    api("/api/v1/review-rounds/{review}"),
    // Change control.
    page("/engagements/{eng}/changes"),
    page("/engagements/{eng}/changes?state=approved"),
    page("/engagements/{eng}/changes/{cr}"),
    api("/api/v1/engagements/{eng}/change-requests"),
    api("/api/v1/engagements/{eng}/change-requests?state=approved"),
    api("/api/v1/engagements/{eng}/change-statistics"),
    api("/api/v1/engagements/{eng}/change-board"),
    api("/api/v1/change-requests/{cr}"),
    // Contracts and money.
    page("/contracts"),
    htmx("/contracts?q=leakprobe"),
    page("/contracts?counterparty_id={party}"),
    page("/contracts.csv"),
    page("/contracts.xlsx"),
    page("/contracts.xlsx?q=leakprobe"),
    page("/contracts/new"),
    page("/contracts/clause-library"),
    page("/contracts/{contract}"),
    page("/contracts/{contract}/edit"),
    page("/contracts/{contract}/versions/{number}"),
    page("/cash-flow"),
    page("/engagements/{eng}/contracts"),
    api("/api/v1/contracts"),
    api("/api/v1/contracts?q=leakprobe"),
    api("/api/v1/contracts/{contract}"),
    api("/api/v1/contracts/{contract}/versions"),
    api("/api/v1/contracts/{contract}/versions/{number}"),
    api("/api/v1/contracts/{contract}/installments"),
    api("/api/v1/contracts/{contract}/obligations"),
    api("/api/v1/contracts/{contract}/disputes"),
    api("/api/v1/payments"),
    api("/api/v1/payments?contract_id={contract}"),
    api("/api/v1/clause-templates"),
    api("/api/v1/cash-flow"),
    api("/api/v1/cash-flow?engagement_id={eng}"),
    // Acceptance and quality.
    page("/engagements/{eng}/acceptance"),
    page("/engagements/{eng}/acceptance?defects=all"),
    page("/engagements/{eng}/acceptances/{acceptance}"),
    page("/engagements/{eng}/acceptances/{acceptance}/certificate"),
    api("/api/v1/engagements/{eng}/acceptances"),
    api("/api/v1/acceptances/{acceptance}"),
    api("/api/v1/deliverables/{deliverable}/acceptances"),
    api("/api/v1/engagements/{eng}/defects"),
    api("/api/v1/engagements/{eng}/quality-checks"),
    api("/api/v1/engagements/{eng}/quality"),
    // Vendors, selections, scorecards.
    page("/vendors"),
    htmx("/vendors?q=leakprobe"),
    page("/vendors/new"),
    page("/vendors/ranking"),
    page("/vendors/ranking?period=2026Q4"),
    page("/vendors/settings"),
    page("/vendors/{party}"),
    page("/vendors/{party}/scorecard"),
    page("/vendors/{party}/scorecard?period=2026Q4"),
    page("/vendors/{party}/scorecard?period=2026"),
    page("/vendors/{vendor}/certificates/{certificate}/files/{certificate_file}"),
    page("/selections"),
    page("/selections/new"),
    page("/selections/{selection}"),
    page("/selections/{selection}/bids/{bid}/files/{bid_file}"),
    api("/api/v1/vendors"),
    api("/api/v1/vendors?q=leakprobe"),
    api("/api/v1/vendors/{party}"),
    api("/api/v1/vendors/{party}/scorecard"),
    api("/api/v1/vendors/{party}/scorecard?period=2026Q4"),
    api("/api/v1/vendors/{party}/scorecard?period=2026"),
    api("/api/v1/vendor-ranking"),
    api("/api/v1/vendor-ranking?period=2026Q4"),
    api("/api/v1/scorecard-settings"),
    api("/api/v1/evaluation-templates"),
    api("/api/v1/evaluation-templates?kind=selection"),
    api("/api/v1/selections"),
    api("/api/v1/selections/{selection}"),
    api("/api/v1/selections/{selection}/ranking"),
];
