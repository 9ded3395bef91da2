//! One contract's page: summary, clauses (drafted from the library), the payment schedule with
//! invoices, payments and overrides, review and signatures, versions, obligations and periodic
//! reviews; and the forms posted from it.

use std::collections::HashMap;

use askama::Template;
use axum::{extract::State, response::Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    clauses::{self},
    entity::{contract, installment},
    lifecycle::{self, capacities, may_sign},
    obligations::{self},
    payments::{self},
    service::{self, editable, is_finance, load, may_manage, money, pending_version, state_of},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    domain::ClauseKind,
    engagements::entity::{deliverable, engagement, milestone},
    error::AppResult,
    money::percent_display,
    parties::entity::party,
    web::{FormState, PageCtx, Path, local_time, render},
};

/// The one form on the page that was posted (its values and errors) and empty ones for the rest.
pub struct Forms {
    which: String,
    state: FormState,
    empty: FormState,
}

impl Forms {
    pub fn none() -> Self {
        Self { which: String::new(), state: FormState::new(), empty: FormState::new() }
    }

    pub fn posted(which: impl Into<String>, state: FormState) -> Self {
        Self { which: which.into(), state, empty: FormState::new() }
    }

    pub fn get(&self, name: &str) -> &FormState {
        if self.which == name { &self.state } else { &self.empty }
    }

    /// Whether `name` was the form posted with errors (its `<details>` opens again).
    pub fn open(&self, name: &str) -> bool {
        self.which == name && self.state.has_errors()
    }
}

pub struct ClauseRow {
    pub id: i64,
    pub n: usize,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub facts: Vec<String>,
}

pub struct InstallmentRow {
    pub id: i64,
    pub seq: i32,
    pub name: String,
    pub kind: String,
    pub amount: String,
    pub percent: Option<String>,
    pub trigger: String,
    pub expected_on: String,
    pub state: String,
    pub due_on: String,
    pub invoiced: String,
    pub paid: String,
    pub outstanding: String,
    pub partly_paid: bool,
    pub override_reason: String,
    /// Invoices and payments, each with the document filed with it.
    pub money: Vec<(String, Option<i64>)>,
    pub can_pay: bool,
    pub can_override: bool,
    pub disputes: Vec<super::dispute_pages::DisputeRow>,
    /// A dispute on it is open.
    pub disputed: bool,
    /// The viewer may contest it now (no dispute on it is open).
    pub can_dispute: bool,
}

pub struct Pending {
    pub number: i32,
    pub status: String,
    pub hash: String,
    pub reviews: Vec<(String, String, String, String, String)>,
    pub waiting_review: Vec<String>,
    pub signatures: Vec<(String, String, String)>,
    pub waiting_signature: Vec<String>,
}

pub struct VersionRow {
    pub number: i32,
    pub status: String,
    pub hash: String,
    pub reason: String,
    pub submitted_at: String,
    pub signed_at: String,
}

pub struct ObligationRow {
    pub id: i64,
    pub title: String,
    pub owed_by: String,
    pub due_date: String,
    pub status: String,
    pub overdue: bool,
    pub note: String,
    pub can_done: bool,
    pub can_settle: bool,
}

#[derive(Template)]
#[template(path = "contracts/detail.html")]
pub struct DetailPage {
    pub page: PageCtx,
    pub c: contract::Model,
    /// The other side as the viewer reads it: the counterparty for the host, the host for the
    /// counterparty; `direction` is from the viewer's side too.
    pub counterparty: String,
    pub counterparty_kind: String,
    pub direction: &'static str,
    pub engagements: Vec<(i64, String, String)>,
    pub total: String,
    pub tax: String,
    pub net: String,
    pub tax_rate: String,
    pub people: Vec<(String, String)>,
    pub can_manage: bool,
    pub editable: bool,
    pub is_host: bool,
    pub can_review: bool,
    pub can_sign: bool,
    pub transitions: Vec<String>,
    pub can_amend: bool,
    pub clauses: Vec<ClauseRow>,
    pub installments: Vec<InstallmentRow>,
    pub scheduled: String,
    pub unscheduled: String,
    pub unscheduled_left: bool,
    pub pending: Option<Pending>,
    pub versions: Vec<VersionRow>,
    pub obligations: Vec<ObligationRow>,
    pub checkups: Vec<(String, String, String, String, String)>,
    pub templates: Vec<(String, String, String)>,
    pub deliverables: Vec<(i64, String)>,
    pub milestones: Vec<(i64, String)>,
    /// Documents of the contract's engagements, to file an invoice or a bank slip with.
    pub documents: Vec<(i64, String)>,
    pub clause_kinds: &'static [ClauseKind],
    pub forms: Forms,
}

/// Names of deliverables and of milestones (ids of the two may coincide).
type Names = (HashMap<i64, String>, HashMap<i64, String>);

fn trigger_text(page: &PageCtx, i: &installment::Model, (deliverables, milestones): &Names) -> String {
    let target = match (i.deliverable_id, i.milestone_id) {
        (Some(d), _) => deliverables.get(&d).cloned(),
        (None, Some(m)) => milestones.get(&m).map(|m| format!("{} · {m}", page.t("record-kind-milestone"))),
        _ => None,
    }
    .unwrap_or_default();
    match i.trigger_kind.as_str() {
        "date" => page.t1("trigger-on-date", "date", &i.trigger_date.map(|d| d.to_string()).unwrap_or_default()),
        "acceptance" => {
            let stage = page.t(&format!("acceptance-stage-{}", i.stage.as_deref().unwrap_or("final")));
            format!("{} · {target}", page.t1("trigger-on-acceptance", "stage", &stage))
        }
        _ => format!("{} · {target}", page.t("trigger-on-warranty-end")),
    }
}

pub async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    id: i64,
    forms: Forms,
) -> AppResult<DetailPage> {
    let c = load(state, viewer, id).await?;
    let tz = viewer.user.time_zone.clone();
    let today = state.today();
    let manager = may_manage(state, viewer, &c).await?;
    let open = editable(&state.db, &c).await?;
    let (other, direction) = service::seen_from(state, viewer, &c).await?;
    let cp = party::Entity::find_by_id(other).one(&state.db).await?;
    let engagement_ids = service::engagement_ids(&state.db, c.id).await?;
    let engagements: Vec<(i64, String, String)> = engagement::Entity::find()
        .filter(engagement::Column::Id.is_in(engagement_ids.clone()))
        .order_by_asc(engagement::Column::Code)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.code, e.name))
        .collect();
    let people_ids: Vec<i64> =
        [c.owner_id, c.host_signatory_id, c.counterparty_signatory_id, c.legal_approver_id, c.finance_approver_id]
            .into_iter()
            .flatten()
            .collect();
    // Only the host and the counterparty see a contract; who reviews it inside the host is the
    // host's own arrangement.
    let lens = Lens::outside(state, viewer).await?;
    let names = lens.people(&state.db, people_ids).await?;
    let who = |u: Option<i64>, none: &str| u.and_then(|u| names.name(u)).unwrap_or_else(|| page.t(none));
    let mut people = vec![
        (page.t("field-contract-owner"), who(c.owner_id, "option-none")),
        (page.t("field-host-signatory"), who(c.host_signatory_id, "signatory-any-manager")),
        (page.t("field-counterparty-signatory"), who(c.counterparty_signatory_id, "signatory-any-manager")),
    ];
    people.extend(
        lens.internal([
            (page.t("field-legal-approver"), who(c.legal_approver_id, "approver-none")),
            (page.t("field-finance-approver"), who(c.finance_approver_id, "approver-none")),
        ])
        .into_iter()
        .flatten(),
    );

    // Deliverables and milestones the counterparty sees, for clauses and triggers (and their names).
    let delivs = deliverable::Entity::find()
        .filter(deliverable::Column::EngagementId.is_in(engagement_ids.clone()))
        .order_by_asc(deliverable::Column::DueDate)
        .all(&state.db)
        .await?;
    let mstones = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.is_in(engagement_ids))
        .order_by_asc(milestone::Column::DueDate)
        .all(&state.db)
        .await?;
    let sees = |v: &str, p: Option<i64>| crate::collab::party_sees(false, c.counterparty_id, v, p);
    let deliverables: Vec<(i64, String)> =
        delivs.iter().filter(|d| sees(&d.visibility, d.visible_party_id)).map(|d| (d.id, d.name.clone())).collect();
    let milestones: Vec<(i64, String)> =
        mstones.iter().filter(|m| sees(&m.visibility, m.visible_party_id)).map(|m| (m.id, m.name.clone())).collect();
    let target_names: Names = (deliverables.iter().cloned().collect(), milestones.iter().cloned().collect());

    let clauses = clauses::list(state, c.id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let mut facts = Vec::new();
            if let Some(d) = k.due_date {
                facts.push(page.t1("clause-fact-date", "date", &d.to_string()));
            }
            if let Some(a) = k.amount_minor {
                facts.push(money(&c, a).display());
            }
            if let Some(d) = k.deliverable_id.and_then(|d| target_names.0.get(&d)) {
                facts.push(format!("{} · {d}", page.t("record-kind-deliverable")));
            }
            if let Some(m) = k.milestone_id.and_then(|m| target_names.1.get(&m)) {
                facts.push(format!("{} · {m}", page.t("record-kind-milestone")));
            }
            if let Some(w) = k.warranty_months {
                facts.push(page.t1("clause-fact-warranty", "months", &w.to_string()));
            }
            ClauseRow { id: k.id, n: i + 1, kind: k.kind, title: k.title, body: k.body, facts }
        })
        .collect();

    let finance = is_finance(viewer);
    let in_force = state_of(&c).in_force();
    let rows = service::installments(&state.db, c.id).await?;
    let scheduled: i64 = rows.iter().filter(|i| i.state != "cancelled").map(|i| i.amount_minor).sum();
    let ids: Vec<i64> = rows.iter().map(|i| i.id).collect();
    let invoices = payments::invoices_of(state, ids.clone()).await?;
    let pays = payments::payments_of(state, ids).await?;
    let mut disputes = super::dispute_pages::for_contract(state, viewer, &page, &c).await?;
    let disputes_may_raise = disputes.may_raise;
    let installments: Vec<InstallmentRow> = rows
        .iter()
        .map(|i| {
            let disputes = disputes.take(i.id);
            let open = disputes.iter().any(|d| d.state == "open");
            let mut lines: Vec<(String, Option<i64>)> = invoices
                .iter()
                .filter(|v| v.installment_id == i.id)
                .map(|v| {
                    let text = page.t1("installment-invoice-line", "number", &v.number)
                        + &format!(" · {} · {}", money(&c, v.amount_minor).display(), v.issued_on);
                    (text, v.document_id)
                })
                .collect();
            lines.extend(pays.iter().filter(|p| p.installment_id == i.id).map(|p| {
                let reference = if p.reference.is_empty() { String::new() } else { format!(" · {}", p.reference) };
                let text = format!(
                    "{} · {} · {}{reference}",
                    page.t("installment-payment-line"),
                    money(&c, p.amount_minor).display(),
                    p.paid_on
                );
                (text, p.document_id)
            }));
            InstallmentRow {
                id: i.id,
                seq: i.seq,
                name: i.name.clone(),
                kind: i.kind.clone(),
                amount: money(&c, i.amount_minor).display(),
                percent: i.percent_bp.map(percent_display),
                trigger: trigger_text(&page, i, &target_names),
                expected_on: i.expected_on.map(|d| d.to_string()).unwrap_or_default(),
                state: i.state.clone(),
                due_on: i.due_on.map(|d| d.to_string()).unwrap_or_default(),
                invoiced: money(&c, i.invoiced_minor).display(),
                paid: money(&c, i.paid_minor).display(),
                outstanding: money(&c, if i.state == "cancelled" { 0 } else { i.amount_minor - i.paid_minor })
                    .display(),
                partly_paid: i.paid_minor > 0 && i.paid_minor < i.amount_minor,
                override_reason: i.override_reason.clone(),
                money: lines,
                can_pay: (manager || finance) && matches!(i.state.as_str(), "due" | "invoiced"),
                can_override: finance && in_force && i.state == "planned",
                can_dispute: disputes_may_raise && !open && i.state != "cancelled",
                disputed: open,
                disputes,
            }
        })
        .collect();

    let pending_v = pending_version(&state.db, c.id).await?;
    let all_versions = lifecycle::versions(state, c.id).await?;
    let version_ids: Vec<i64> = all_versions.iter().map(|v| v.id).collect();
    let sigs = lifecycle::signatures(state, version_ids.clone()).await?;
    let reviews = if lens.sees_internal() { lifecycle::reviews(state, version_ids).await? } else { Vec::new() };
    let signer_ids: Vec<i64> = sigs.iter().map(|s| s.user_id).chain(reviews.iter().map(|r| r.user_id)).collect();
    let signer_names = lens.people(&state.db, signer_ids).await?;
    let host_id = party::Entity::find().filter(party::Column::Kind.eq("host")).one(&state.db).await?.map(|p| p.id);
    let party_names = lens.party_names(&state.db, host_id.into_iter().chain([c.counterparty_id])).await?;
    let mut can_review = false;
    let mut can_sign = false;
    let pending = pending_v.as_ref().map(|v| {
        let mine_r: Vec<_> = reviews.iter().filter(|r| r.version_id == v.id).collect();
        let mine_s: Vec<_> = sigs.iter().filter(|s| s.version_id == v.id).collect();
        let waiting_review: Vec<String> = capacities(&c)
            .into_iter()
            .filter(|(cap, _)| !mine_r.iter().any(|r| r.capacity == *cap))
            .filter_map(|(cap, u)| {
                if u == viewer.user.id && v.status == "in_review" {
                    can_review = true;
                }
                // Who reviews inside the host is the host's own arrangement.
                lens.internal(format!(
                    "{} · {}",
                    page.t(&format!("review-capacity-{cap}")),
                    signer_names.name(u).or_else(|| names.name(u)).unwrap_or_default()
                ))
            })
            .collect();
        let sides = [host_id, Some(c.counterparty_id)];
        let waiting_signature: Vec<String> = sides
            .iter()
            .flatten()
            .filter(|p| !mine_s.iter().any(|s| s.party_id == **p))
            .map(|p| party_names.get(*p).unwrap_or_default().to_owned())
            .collect();
        can_sign = v.status == "approved" && !mine_s.iter().any(|s| s.party_id == viewer.party.id);
        Pending {
            number: v.number,
            status: v.status.clone(),
            hash: v.content_sha256.clone(),
            reviews: mine_r
                .iter()
                .map(|r| {
                    (
                        page.t(&format!("review-capacity-{}", r.capacity)),
                        signer_names.name(r.user_id).unwrap_or_default(),
                        r.decision.clone(),
                        r.comment.clone(),
                        local_time(r.decided_at, &tz),
                    )
                })
                .collect(),
            waiting_review,
            signatures: mine_s
                .iter()
                .map(|s| {
                    let who = signer_names.name(s.user_id).unwrap_or_default();
                    (who, party_names.get(s.party_id).unwrap_or_default().to_owned(), local_time(s.signed_at, &tz))
                })
                .collect(),
            waiting_signature,
        }
    });
    let can_sign = can_sign && may_sign(state, viewer, &c).await?;
    let versions = all_versions
        .iter()
        .map(|v| VersionRow {
            number: v.number,
            status: v.status.clone(),
            hash: v.content_sha256.chars().take(12).collect(),
            reason: v.reason.clone(),
            submitted_at: local_time(v.submitted_at, &tz),
            signed_at: v.signed_at.map(|s| local_time(s, &tz)).unwrap_or_default(),
        })
        .collect();

    let obligations = obligations::list(state, c.id)
        .await?
        .into_iter()
        .map(|o| {
            let own = !viewer.is_host()
                && viewer.role == crate::domain::Role::Manager
                && o.owed_by_party_id == viewer.party.id;
            ObligationRow {
                id: o.id,
                owed_by: party_names.get(o.owed_by_party_id).unwrap_or_default().to_owned(),
                due_date: o.due_date.to_string(),
                overdue: o.status == "open" && o.due_date < today,
                can_done: o.status == "open" && (manager || own),
                can_settle: manager,
                title: o.title,
                status: o.status,
                note: o.note,
            }
        })
        .collect();
    let checkups = if lens.sees_internal() {
        let rows = obligations::checkups(state, c.id).await?;
        let names = lens.people(&state.db, rows.iter().map(|r| r.reviewer_id)).await?;
        rows.into_iter()
            .map(|r| {
                (r.held_on.to_string(), r.rating, r.findings, r.actions, names.name(r.reviewer_id).unwrap_or_default())
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut documents = Vec::new();
    if installments.iter().any(|i| i.can_pay) {
        for (eid, code, _) in &engagements {
            for d in crate::documents::service::list(state, viewer, *eid, None).await? {
                documents.push((d.id, format!("{code} · {}", d.name)));
            }
        }
    }
    let lang = page.lang;
    let templates = if open && manager {
        clauses::library(state, lang)
            .await?
            .into_iter()
            .map(|t| (t.reference(), t.kind.as_str().to_owned(), t.title))
            .collect()
    } else {
        Vec::new()
    };
    let transitions = if manager {
        lifecycle::next_states(&c)
            .into_iter()
            .map(|s| s.as_str().to_owned())
            .filter(|s| s != "in_review" || open)
            .collect()
    } else {
        Vec::new()
    };
    Ok(DetailPage {
        counterparty: cp.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        counterparty_kind: cp.map(|p| p.kind).unwrap_or_default(),
        direction,
        engagements,
        total: money(&c, c.total_minor).display(),
        tax: money(&c, c.tax_minor).display(),
        net: money(&c, c.total_minor - c.tax_minor).display(),
        tax_rate: percent_display(c.tax_rate_bp),
        people,
        can_manage: manager,
        editable: open && manager,
        is_host: lens.sees_all(),
        can_review,
        can_sign,
        transitions,
        can_amend: manager && in_force && c.amendment_reason.is_none(),
        clauses,
        installments,
        scheduled: money(&c, scheduled).display(),
        unscheduled: money(&c, c.total_minor - scheduled).display(),
        unscheduled_left: c.total_minor != scheduled,
        pending,
        versions,
        obligations,
        checkups,
        templates,
        deliverables,
        milestones,
        documents,
        clause_kinds: ClauseKind::ALL,
        forms,
        page,
        c,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&detail_page(&state, &viewer, page, id, Forms::none()).await?)
}
