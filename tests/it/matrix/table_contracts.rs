//! Rows of contracts, payments and acceptance (issue 6). `{contract_vendor}` is a draft vendor
//! contract (legal review by the approver), `{contract_client}` a draft client contract,
//! `{contract_signed}` a signed vendor contract with `{inst_due}` due and `{inst_planned}` planned
//! and the vendor's `{obligation}`, the PM's open `{dispute}` on `{inst_due}` and the vendor's
//! resolved `{dispute_closed}` on `{inst_planned}`; `{deliverable_shared}` is the vendor's shared deliverable
//! with `{acceptance}` submitted for initial acceptance and `{defect}` on it. The client never
//! sees the vendor's contracts (404), the vendor never the client's.

use axum::http::Method;
use serde_json::json;

use super::{L, Row, Via, row};

pub(super) fn contracts() -> Vec<Row> {
    use Via::{Api, Page};
    let (get, post, patch) = (Method::GET, Method::POST, Method::PATCH);
    let everyone = |anon: u16, s: u16| [anon, s, s, s, s, s, s, s, s];
    let host_only = |anon: u16, s: u16| [anon, s, s, s, s, 404, 404, 404, 404];
    let host_or_403 = |anon: u16, s: u16| [anon, s, s, s, s, 403, 403, 403, 403];
    let drafters = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 403, 403];
    // The vendor's contract: the host and the vendor see it.
    let vendor_reads = |anon: u16| [anon, 200, 200, 200, 200, 200, 200, 404, 404];
    let client_reads = |anon: u16| [anon, 200, 200, 200, 200, 404, 404, 200, 200];
    // Run by the host's admin and PMs; the vendor sees it but may not change it.
    let managers = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, 404, 404];
    // Money: the managers and the host's finance approver.
    let money = |anon: u16| [anon, 422, 422, 403, 422, 403, 403, 404, 404];
    let finance = |anon: u16| [anon, 403, 403, 403, 422, 403, 403, 404, 404];
    let signers = |anon: u16| [anon, 422, 422, 403, 403, 422, 403, 404, 404];
    // Payment disputes: the managers and finance on the host's side, the vendor's manager.
    let disputants = |anon: u16| [anon, 422, 422, 403, 422, 422, 403, 404, 404];
    // Withdrawing the vendor's resolved dispute: only the vendor's manager may, and it is closed.
    // (A page shows the conflict on the form: 422.)
    let withdrawers = |anon: u16, closed: u16| [anon, 403, 403, 403, 403, closed, 403, 404, 404];
    // Acceptance of the vendor's deliverable: the PM or the vendor's manager submits, the PM or
    // the client's manager records the result; the vendor's defect is the vendor's to resolve.
    let submitters = |anon: u16| [anon, 422, 422, 403, 403, 422, 403, 403, 403];
    let deciders = |anon: u16, ok: u16| [anon, ok, ok, 403, 403, 403, 403, ok, 403];
    let defect_owners = |anon: u16| [anon, 422, 422, 403, 403, 422, 422, 403, 403];
    vec![
        row(Api, get.clone(), "/api/v1/contracts", None, everyone(401, 200)),
        row(Api, post.clone(), "/api/v1/contracts", Some(json!({"number": ""})), drafters(401, 422)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_vendor}", None, vendor_reads(401)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_client}", None, client_reads(401)),
        row(Api, get.clone(), "/api/v1/contracts/{missing}", None, everyone(401, 404)),
        row(Api, patch.clone(), "/api/v1/contracts/{contract_vendor}", Some(json!({"title": ""})), managers(401, 422)),
        row(
            Api,
            patch.clone(),
            "/api/v1/contracts/{contract_client}",
            Some(json!({"title": ""})),
            [401, 422, 422, 403, 403, 404, 404, 403, 403],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_vendor}/clauses",
            Some(json!({"kind": "nope"})),
            managers(401, 422),
        ),
        row(Api, Method::DELETE, "/api/v1/contracts/{contract_vendor}/clauses/{missing}", None, managers(401, 404)),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_vendor}/transitions",
            Some(json!({"to": "nope"})),
            [401, 422, 422, 422, 422, 422, 422, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_vendor}/reviews",
            Some(json!({"decision": "nope"})),
            finance(401),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_vendor}/signatures",
            Some(json!({"password": ""})),
            signers(401),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_signed}/amendments",
            Some(json!({"reason": ""})),
            managers(401, 422),
        ),
        row(Api, Method::DELETE, "/api/v1/contracts/{contract_signed}/amendments", None, managers(401, 409)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_vendor}/versions", None, vendor_reads(401)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_signed}/versions/{version_one}", None, vendor_reads(401)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_client}/installments", None, client_reads(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_vendor}/installments",
            Some(json!({"name": ""})),
            managers(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/installments/{inst_planned}/override",
            Some(json!({"reason": ""})),
            finance(401),
        ),
        row(Api, post.clone(), "/api/v1/installments/{inst_due}/invoices", Some(json!({"number": ""})), money(401)),
        row(Api, post.clone(), "/api/v1/installments/{inst_due}/payments", Some(json!({"paid_on": ""})), money(401)),
        row(Api, get.clone(), "/api/v1/payments", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_signed}/disputes", None, vendor_reads(401)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_client}/disputes", None, client_reads(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/installments/{inst_due}/disputes",
            Some(json!({"reason": ""})),
            disputants(401),
        ),
        row(Api, post.clone(), "/api/v1/disputes/{dispute}/resolve", Some(json!({"fault": "nope"})), money(401)),
        // Closed already: the host's side is told so (409); the vendor did not raise it (403).
        row(Api, post.clone(), "/api/v1/disputes/{dispute_closed}/withdraw", None, withdrawers(401, 409)),
        row(Api, get.clone(), "/api/v1/contracts/{contract_signed}/obligations", None, vendor_reads(401)),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_signed}/obligations",
            Some(json!({"title": ""})),
            managers(401, 422),
        ),
        row(
            Api,
            patch.clone(),
            "/api/v1/obligations/{obligation}",
            Some(json!({"status": "nope"})),
            [401, 422, 422, 403, 403, 422, 403, 404, 404],
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/contracts/{contract_signed}/checkups",
            Some(json!({"rating": ""})),
            managers(401, 422),
        ),
        row(Api, get.clone(), "/api/v1/clause-templates", None, host_or_403(401, 200)),
        row(Api, post.clone(), "/api/v1/clause-templates", Some(json!({"kind": ""})), drafters(401, 422)),
        row(Api, get.clone(), "/api/v1/cash-flow", None, host_or_403(401, 200)),
        row(Api, get.clone(), "/api/v1/cash-flow?engagement_id={eng2}", None, host_or_403(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/deliverables/{deliverable_shared}/acceptances",
            Some(json!({"stage": "nope"})),
            submitters(401),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/deliverables/{deliverable_vendor}/acceptances",
            Some(json!({"stage": "nope"})),
            [401, 422, 422, 403, 403, 403, 403, 404, 404],
        ),
        row(Api, get.clone(), "/api/v1/deliverables/{deliverable_shared}/acceptances", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/deliverables/{deliverable_vendor}/acceptances", None, vendor_reads(401)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/acceptances", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/acceptances", None, host_only(401, 200)),
        row(Api, get.clone(), "/api/v1/acceptances/{acceptance}", None, everyone(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/acceptances/{acceptance}/results",
            Some(json!({"outcome": "nope"})),
            deciders(401, 422),
        ),
        row(
            Api,
            post.clone(),
            "/api/v1/acceptances/{acceptance}/signatures",
            Some(json!({"password": ""})),
            [401, 409, 409, 403, 403, 409, 403, 409, 403],
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/defects", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/defects", None, host_only(401, 200)),
        row(Api, post.clone(), "/api/v1/engagements/{eng}/defects", Some(json!({"title": ""})), deciders(401, 422)),
        row(Api, patch, "/api/v1/defects/{defect}", Some(json!({"status": "nope"})), defect_owners(401)),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/quality-checks", None, everyone(401, 200)),
        row(
            Api,
            post.clone(),
            "/api/v1/engagements/{eng}/quality-checks",
            Some(json!({"items": []})),
            drafters(401, 422),
        ),
        row(Api, get.clone(), "/api/v1/engagements/{eng}/quality", None, everyone(401, 200)),
        row(Api, get.clone(), "/api/v1/engagements/{eng2}/quality", None, host_only(401, 200)),
        // Pages.
        row(Page, get.clone(), "/contracts", None, everyone(L, 200)),
        row(Page, get.clone(), "/contracts.csv", None, everyone(L, 200)),
        row(Page, get.clone(), "/contracts.xlsx", None, everyone(L, 200)),
        row(Page, get.clone(), "/contracts/new", None, drafters(L, 200)),
        row(Page, post.clone(), "/contracts", Some(json!({"number": ""})), drafters(L, 422)),
        row(Page, get.clone(), "/contracts/clause-library", None, host_or_403(L, 200)),
        row(Page, post.clone(), "/contracts/clause-library", Some(json!({"kind": ""})), drafters(L, 422)),
        row(Page, get.clone(), "/contracts/{contract_vendor}", None, vendor_reads(L)),
        row(Page, get.clone(), "/contracts/{contract_client}", None, client_reads(L)),
        row(Page, get.clone(), "/contracts/{contract_signed}", None, vendor_reads(L)),
        row(Page, post.clone(), "/contracts/{contract_vendor}", Some(json!({"title": ""})), managers(L, 422)),
        row(Page, get.clone(), "/contracts/{contract_vendor}/edit", None, managers(L, 200)),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_vendor}/clauses",
            Some(json!({"kind": "nope"})),
            managers(L, 422),
        ),
        row(Page, post.clone(), "/contracts/{contract_vendor}/clauses/{missing}/delete", None, managers(L, 404)),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_vendor}/transitions",
            Some(json!({"to": "nope"})),
            [L, 422, 422, 422, 422, 422, 422, 404, 404],
        ),
        row(Page, post.clone(), "/contracts/{contract_vendor}/reviews", Some(json!({"decision": "nope"})), finance(L)),
        row(Page, post.clone(), "/contracts/{contract_vendor}/signatures", Some(json!({"password": ""})), signers(L)),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/amendments",
            Some(json!({"reason": ""})),
            managers(L, 422),
        ),
        row(Page, post.clone(), "/contracts/{contract_signed}/amendments/abandon", None, managers(L, 422)),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_vendor}/installments",
            Some(json!({"name": ""})),
            managers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/installments/{inst_due}/invoices",
            Some(json!({"number": ""})),
            money(L),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/installments/{inst_due}/payments",
            Some(json!({"paid_on": ""})),
            money(L),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_vendor}/installments/{inst_due}/payments",
            Some(json!({"paid_on": ""})),
            [L, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/installments/{inst_due}/disputes",
            Some(json!({"reason": ""})),
            disputants(L),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/disputes/{dispute}/resolve",
            Some(json!({"fault": "nope"})),
            money(L),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_vendor}/disputes/{dispute}/resolve",
            Some(json!({"fault": "nope"})),
            [L, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/disputes/{dispute_closed}/withdraw",
            None,
            withdrawers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/installments/{inst_planned}/override",
            Some(json!({"reason": ""})),
            finance(L),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/obligations",
            Some(json!({"title": ""})),
            managers(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/contracts/{contract_signed}/obligations/{obligation}/status",
            Some(json!({"status": "nope"})),
            [L, 422, 422, 403, 403, 422, 403, 404, 404],
        ),
        row(Page, post.clone(), "/contracts/{contract_signed}/checkups", Some(json!({"rating": ""})), managers(L, 422)),
        row(Page, get.clone(), "/contracts/{contract_signed}/versions/{version_one}", None, vendor_reads(L)),
        row(Page, get.clone(), "/cash-flow", None, host_or_403(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/contracts", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/contracts", None, host_only(L, 200)),
        row(Page, get.clone(), "/engagements/{eng}/acceptance", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/acceptance", None, host_only(L, 200)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/deliverables/{deliverable_shared}/acceptances",
            Some(json!({"stage": "nope"})),
            submitters(L),
        ),
        row(Page, get.clone(), "/engagements/{eng}/acceptances/{acceptance}", None, everyone(L, 200)),
        row(Page, get.clone(), "/engagements/{eng2}/acceptances/{acceptance}", None, everyone(L, 404)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/acceptances/{acceptance}/results",
            Some(json!({"outcome": "nope"})),
            deciders(L, 422),
        ),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/acceptances/{acceptance}/signatures",
            Some(json!({"password": ""})),
            [L, 422, 422, 403, 403, 422, 403, 422, 403],
        ),
        row(Page, get.clone(), "/engagements/{eng}/acceptances/{acceptance}/certificate", None, everyone(L, 409)),
        row(Page, post.clone(), "/engagements/{eng}/defects", Some(json!({"title": ""})), deciders(L, 422)),
        row(
            Page,
            post.clone(),
            "/engagements/{eng}/defects/{defect}/status",
            Some(json!({"status": "nope"})),
            defect_owners(L),
        ),
        row(Page, post, "/engagements/{eng}/quality-checks", Some(json!({"deliverable_id": ""})), drafters(L, 422)),
    ]
}
