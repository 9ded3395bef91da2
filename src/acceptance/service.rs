//! Acceptance rounds: the responsible party submits a deliverable (初验 or 终验) with evidence;
//! the checklist comes from its acceptance criteria and linked requirements; the receiving side
//! records pass/fail per item and an outcome; rejection opens defects and the next round;
//! every required party signs the recorded result with its hash, and the last signature puts
//! it in force: installments it triggers fall due and final acceptance starts the warranty.

use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    defects,
    entity::{acceptance, evidence, item, signature},
};
use crate::{
    AppState,
    auth::Viewer,
    collab::{
        self, Subject, SubjectKind,
        notifications::{self, Kind, Notice},
        party_sees,
    },
    db,
    documents::entity::{document, version as doc_version},
    domain::{self, AcceptanceOutcome, AcceptanceStage, Id, PartyKind, Role, Severity},
    engagements::{
        entity::{criterion, deliverable, participant},
        service::{get as engagement, manages, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
    requirements::entity::{link, requirement},
};

pub use super::signing::{SignInput, content_hash, sign, signer_names};

impl From<&acceptance::Model> for Subject {
    fn from(a: &acceptance::Model) -> Self {
        Self {
            kind: SubjectKind::Acceptance,
            id: a.id,
            engagement_id: a.engagement_id,
            title: format!("#{} {}", a.round, a.stage),
            visibility: a.visibility.clone(),
            visible_party_id: a.visible_party_id,
        }
    }
}

/// Acceptance records the viewer may see: in an engagement of theirs, within the deliverable's
/// visibility.
pub fn scope(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(viewer.engagement_ids_scope(acceptance::Column::EngagementId))
        .add(viewer.record_scope(acceptance::Column::Visibility, acceptance::Column::VisiblePartyId))
}

pub fn required_of(a: &acceptance::Model) -> Vec<i64> {
    serde_json::from_str(&a.required_parties).unwrap_or_default()
}

pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<acceptance::Model> {
    db::unique(acceptance::Entity::find_by_id(id).filter(scope(viewer)), &state.db).await?.ok_or(AppError::NotFound)
}

/// A deliverable the viewer may see, wherever it is; 404 otherwise.
pub async fn visible_deliverable(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<deliverable::Model> {
    let d = deliverable::Entity::find_by_id(id)
        .filter(viewer.engagement_ids_scope(deliverable::Column::EngagementId))
        .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(d)
}

/// Rounds of an engagement (or of one deliverable), newest first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    deliverable_id: Option<i64>,
) -> AppResult<Vec<acceptance::Model>> {
    engagement(state, viewer, engagement_id).await?;
    let mut q =
        acceptance::Entity::find().filter(acceptance::Column::EngagementId.eq(engagement_id)).filter(scope(viewer));
    if let Some(d) = deliverable_id {
        q = q.filter(acceptance::Column::DeliverableId.eq(d));
    }
    Ok(q.order_by_desc(acceptance::Column::Id).all(&state.db).await?)
}

pub async fn items(db: &impl ConnectionTrait, acceptance_id: i64) -> AppResult<Vec<item::Model>> {
    Ok(item::Entity::find()
        .filter(item::Column::AcceptanceId.eq(acceptance_id))
        .order_by_asc(item::Column::Position)
        .all(db)
        .await?)
}

/// The evidence of a round: each document with the version and SHA-256 it was submitted at.
pub async fn evidence_of(
    db: &impl ConnectionTrait,
    acceptance_id: i64,
) -> AppResult<Vec<(document::Model, evidence::Model)>> {
    let rows = evidence::Entity::find()
        .filter(evidence::Column::AcceptanceId.eq(acceptance_id))
        .order_by_asc(evidence::Column::DocumentId)
        .all(db)
        .await?;
    let docs =
        document::Entity::find().filter(document::Column::Id.is_in(rows.iter().map(|r| r.document_id))).all(db).await?;
    Ok(rows.into_iter().filter_map(|r| docs.iter().find(|d| d.id == r.document_id).cloned().map(|d| (d, r))).collect())
}

pub async fn signatures(db: &impl ConnectionTrait, acceptance_id: i64) -> AppResult<Vec<signature::Model>> {
    Ok(signature::Entity::find()
        .filter(signature::Column::AcceptanceId.eq(acceptance_id))
        .order_by_asc(signature::Column::SignedAt)
        .all(db)
        .await?)
}

/// Whether the viewer speaks for their party in this engagement: a host PM of it, or a
/// vendor's or client's manager.
pub async fn binds(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<bool> {
    if viewer.is_host() { manages(state, viewer, engagement_id).await } else { Ok(viewer.role == Role::Manager) }
}

/// Who submits: the PM, or the manager of the party that delivers it.
pub async fn may_submit(state: &AppState, viewer: &Viewer, d: &deliverable::Model) -> AppResult<bool> {
    if viewer.is_host() {
        return manages(state, viewer, d.engagement_id).await;
    }
    Ok(viewer.role == Role::Manager && d.owner_party_id == Some(viewer.party.id))
}

/// Who records the result: the PM, or a client's manager who sees it; never the party that
/// delivered it.
pub async fn may_decide(state: &AppState, viewer: &Viewer, d: &deliverable::Model) -> AppResult<bool> {
    if viewer.is_host() {
        return manages(state, viewer, d.engagement_id).await;
    }
    Ok(viewer.kind == PartyKind::Client && viewer.role == Role::Manager && d.owner_party_id != Some(viewer.party.id))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// initial (初验) | final (终验)
    #[serde(default)]
    pub stage: String,
    /// What is handed over, and anything the checkers should know.
    #[serde(default)]
    pub note: Option<String>,
    /// Evidence: documents of the engagement (test reports, screenshots, release notes).
    #[serde(default)]
    pub document_ids: Vec<Id>,
    /// Whether the engagement's supervisor (监理) signs too.
    #[serde(default)]
    pub supervisor: Option<bool>,
}

/// The checklist of a deliverable: its acceptance criteria, then each linked requirement that
/// everyone who sees the deliverable may read.
async fn checklist(
    db: &impl ConnectionTrait,
    d: &deliverable::Model,
) -> AppResult<Vec<(String, Option<i64>, Option<i64>)>> {
    let mut out: Vec<(String, Option<i64>, Option<i64>)> = criterion::Entity::find()
        .filter(criterion::Column::DeliverableId.eq(d.id))
        .order_by_asc(criterion::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.text, Some(c.id), None))
        .collect();
    let linked: Vec<i64> = link::Entity::find()
        .select_only()
        .column(link::Column::RequirementId)
        .filter(link::Column::Kind.eq("deliverable"))
        .filter(link::Column::RecordId.eq(d.id))
        .into_tuple()
        .all(db)
        .await?;
    let reqs = requirement::Entity::find()
        .filter(requirement::Column::Id.is_in(linked))
        .filter(requirement::Column::Status.ne("obsolete"))
        .order_by_asc(requirement::Column::Seq)
        .all(db)
        .await?;
    for r in reqs {
        let readable = match d.visibility.as_str() {
            "internal" => true,
            "party" => {
                r.visibility == "participants" || (r.visibility == "party" && r.visible_party_id == d.visible_party_id)
            }
            _ => r.visibility == "participants",
        };
        if !readable {
            continue;
        }
        let criteria: Vec<&str> = r.criteria.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let text = if criteria.is_empty() {
            format!("{} {}", r.key, r.title)
        } else {
            format!("{} {}: {}", r.key, r.title, criteria.join("; "))
        };
        out.push((text, None, Some(r.id)));
    }
    Ok(out)
}

/// The parties that sign an acceptance of `d`: the host, the party that delivers it, the
/// engagement's clients who see it and, when asked, its supervisor.
async fn required_parties(db: &impl ConnectionTrait, d: &deliverable::Model, supervisor: bool) -> AppResult<Vec<i64>> {
    let mut out: BTreeSet<i64> = party::Entity::find()
        .select_only()
        .column(party::Column::Id)
        .filter(party::Column::Kind.eq("host"))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let participants: Vec<(i64, String)> = participant::Entity::find()
        .select_only()
        .columns([participant::Column::PartyId, participant::Column::Relation])
        .filter(participant::Column::EngagementId.eq(d.engagement_id))
        .into_tuple()
        .all(db)
        .await?;
    for (p, relation) in participants {
        let wanted = Some(p) == d.owner_party_id || relation == "client" || (supervisor && relation == "supervisor");
        if wanted && party_sees(false, p, &d.visibility, d.visible_party_id) {
            out.insert(p);
        }
    }
    Ok(out.into_iter().collect())
}

pub async fn submit(
    state: &AppState,
    viewer: &Viewer,
    deliverable_id: i64,
    input: SubmitInput,
) -> AppResult<acceptance::Model> {
    let d = visible_deliverable(state, viewer, deliverable_id).await?;
    if !may_submit(state, viewer, &d).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let stage = errors.take("stage", AcceptanceStage::parse(&input.stage));
    let note = errors.take("note", domain::text(input.note.as_deref().unwrap_or(""), false, 10_000));
    let mut docs: Vec<i64> = input.document_ids.iter().map(|i| i.0).collect();
    docs.sort_unstable();
    docs.dedup();
    let mut evidence = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        // Evidence is read by everyone who sees the deliverable, so it may not be narrower.
        let ok = match crate::documents::service::one(state, viewer, *doc).await {
            Ok((found, _)) => {
                let wide_enough = match d.visibility.as_str() {
                    "internal" => true,
                    "party" => {
                        found.visibility == "participants"
                            || (found.visibility == "party" && found.visible_party_id == d.visible_party_id)
                    }
                    _ => found.visibility == "participants",
                };
                (found.engagement_id == d.engagement_id && wide_enough).then_some(found)
            }
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        };
        match ok {
            Some(found) => evidence.push(found),
            None => errors.add(format!("document_ids[{i}]"), Msg::new("error-evidence")),
        }
    }
    errors.into_result()?;
    let (Some(stage), Some(note)) = (stage, note) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated submission is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let rounds = acceptance::Entity::find().filter(acceptance::Column::DeliverableId.eq(d.id)).all(&tx).await?;
    if rounds.iter().any(|a| a.state == "submitted" || (a.state != "rejected" && a.effective_at.is_none())) {
        return Err(AppError::Conflict(Msg::new("error-acceptance-open")));
    }
    let done = |s: &str| rounds.iter().any(|a| a.stage == s && a.effective_at.is_some());
    if done("final") || (stage == AcceptanceStage::Initial && done("initial")) {
        return Err(AppError::Conflict(Msg::new("error-acceptance-done").arg("stage", stage.as_str())));
    }
    let list = checklist(&tx, &d).await?;
    if list.is_empty() {
        return Err(AppError::Conflict(Msg::new("error-acceptance-no-criteria")));
    }
    let round = rounds.iter().filter(|a| a.stage == stage.as_str()).map(|a| a.round).max().unwrap_or(0) + 1;
    let required = required_parties(&tx, &d, input.supervisor.unwrap_or(false)).await?;
    let now = state.clock.now();
    let a = acceptance::ActiveModel {
        engagement_id: Set(d.engagement_id),
        deliverable_id: Set(d.id),
        stage: Set(stage.as_str().to_owned()),
        round: Set(round),
        state: Set("submitted".into()),
        note: Set(note),
        conditions: Set(String::new()),
        required_parties: Set(json!(required).to_string()),
        submitted_by: Set(viewer.user.id),
        submitted_party_id: Set(viewer.party.id),
        submitted_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        content_sha256: Set(None),
        effective_at: Set(None),
        visibility: Set(d.visibility.clone()),
        visible_party_id: Set(d.visible_party_id),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for (i, (text, criterion_id, requirement_id)) in list.into_iter().enumerate() {
        item::ActiveModel {
            acceptance_id: Set(a.id),
            position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            source: Set(if requirement_id.is_some() { "requirement" } else { "criterion" }.to_owned()),
            criterion_id: Set(criterion_id),
            requirement_id: Set(requirement_id),
            text: Set(text),
            passed: Set(None),
            note: Set(String::new()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    for doc in &evidence {
        let sha = doc_version::Entity::find()
            .filter(doc_version::Column::DocumentId.eq(doc.id))
            .filter(doc_version::Column::Version.eq(doc.current_version))
            .one(&tx)
            .await?
            .map(|v| v.sha256)
            .unwrap_or_default();
        evidence::ActiveModel {
            acceptance_id: Set(a.id),
            document_id: Set(doc.id),
            version: Set(doc.current_version),
            sha256: Set(sha),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    set_status(&tx, &d, "submitted", now).await?;
    let audit = json!({"deliverable_id": d.id, "stage": a.stage, "round": round, "required_parties": required,
                       "document_ids": docs});
    record(&tx, state, viewer, "acceptance.submit", "acceptance", a.id, None, Some(audit)).await?;
    let subject = Subject::from(&a);
    collab::track(&tx, now, viewer.user.id, &subject, "submitted", &format!("{}\n{}", d.name, a.note)).await?;
    let deciders = deciders(&tx, &d).await?;
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::AcceptanceSubmitted, &subject) };
    notifications::send(&tx, now, &deciders, &notice).await?;
    tx.commit().await?;
    Ok(a)
}

pub(super) async fn set_status(
    tx: &DatabaseTransaction,
    d: &deliverable::Model,
    status: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    if d.status != status {
        let mut row: deliverable::ActiveModel = d.clone().into();
        row.status = Set(status.to_owned());
        row.updated_at = Set(now);
        row.update(tx).await?;
    }
    Ok(())
}

/// The people who record results: the engagement's PMs and the managers of its clients.
async fn deciders(db: &impl ConnectionTrait, d: &deliverable::Model) -> AppResult<Vec<i64>> {
    let mut users = crate::changes::service::managers_of(db, d.engagement_id).await?;
    let clients: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(d.engagement_id))
        .filter(participant::Column::Relation.eq("client"))
        .into_tuple()
        .all(db)
        .await?;
    for c in clients {
        users.extend(crate::contracts::service::party_managers(db, c).await?);
    }
    Ok(users)
}

/// The binding people of the parties that must sign.
pub(super) async fn signers(db: &impl ConnectionTrait, a: &acceptance::Model) -> AppResult<Vec<i64>> {
    let mut users = crate::changes::service::managers_of(db, a.engagement_id).await?;
    for p in required_of(a) {
        users.extend(crate::contracts::service::party_managers(db, p).await?);
    }
    Ok(users)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    pub id: Id,
    pub passed: bool,
    /// Required when the item failed: what is wrong.
    #[serde(default)]
    pub note: Option<String>,
    /// For a failed item: the severity of the defect it opens (major when left out).
    #[serde(default)]
    pub severity: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultInput {
    /// Every checklist item, once.
    #[serde(default)]
    pub items: Vec<ItemResult>,
    /// accepted | accepted_with_conditions | rejected
    #[serde(default)]
    pub outcome: String,
    /// Required for `accepted_with_conditions`: what must still be done.
    #[serde(default)]
    pub conditions: Option<String>,
}

pub async fn record_results(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: ResultInput,
) -> AppResult<acceptance::Model> {
    let a = load(state, viewer, id).await?;
    let d = deliverable::Entity::find_by_id(a.deliverable_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    if !may_decide(state, viewer, &d).await? {
        return Err(AppError::Forbidden);
    }
    if a.state != "submitted" {
        return Err(AppError::Conflict(Msg::new("error-acceptance-decided")));
    }
    let checklist = items(&state.db, a.id).await?;
    let mut errors = FieldErrors::default();
    let outcome = errors.take("outcome", AcceptanceOutcome::parse(&input.outcome));
    let conditions = errors.take("conditions", domain::text(input.conditions.as_deref().unwrap_or(""), false, 10_000));
    let mut results: Vec<(item::Model, bool, String, Severity)> = Vec::new();
    for (i, r) in input.items.iter().enumerate() {
        let Some(it) = checklist.iter().find(|c| c.id == r.id.0) else {
            errors.add(format!("items[{i}].id"), Msg::new("error-acceptance-item"));
            continue;
        };
        if results.iter().any(|(done, ..)| done.id == it.id) {
            errors.add(format!("items[{i}].id"), Msg::new("error-acceptance-item-twice"));
            continue;
        }
        let note =
            errors.take(&format!("items[{i}].note"), domain::text(r.note.as_deref().unwrap_or(""), !r.passed, 2_000));
        let severity = match r.severity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(Severity::Major),
            Some(s) => errors.take(&format!("items[{i}].severity"), Severity::parse(s)),
        };
        if let (Some(note), Some(severity)) = (note, severity) {
            results.push((it.clone(), r.passed, note, severity));
        }
    }
    if errors.is_empty() && results.len() < checklist.len() {
        errors.add("items", Msg::new("error-acceptance-items-missing").arg("count", checklist.len() - results.len()));
    }
    let failed = results.iter().filter(|(_, passed, ..)| !passed).count();
    match outcome {
        Some(AcceptanceOutcome::Accepted) if failed > 0 => {
            errors.add("outcome", Msg::new("error-acceptance-failed-items").arg("count", failed));
        }
        Some(AcceptanceOutcome::Rejected) if errors.is_empty() && failed == 0 => {
            errors.add("outcome", Msg::new("error-acceptance-nothing-failed"));
        }
        Some(AcceptanceOutcome::AcceptedWithConditions) if conditions.as_deref().is_some_and(str::is_empty) => {
            errors.add("conditions", Msg::new("error-required"));
        }
        _ => {}
    }
    errors.into_result()?;
    let (Some(outcome), Some(conditions)) = (outcome, conditions) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated result is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // Decided meanwhile by someone else? Then this result is not recorded over it.
    let current = acceptance::Entity::find_by_id(a.id).one(&tx).await?.ok_or(AppError::NotFound)?;
    if current.state != "submitted" {
        return Err(AppError::Conflict(Msg::new("error-acceptance-decided")));
    }
    for (it, passed, note, _) in &results {
        let mut row: item::ActiveModel = it.clone().into();
        row.passed = Set(Some(*passed));
        row.note = Set(note.clone());
        row.update(&tx).await?;
    }
    let mut row: acceptance::ActiveModel = a.clone().into();
    row.state = Set(outcome.as_str().to_owned());
    row.conditions = Set(conditions);
    row.decided_by = Set(Some(viewer.user.id));
    row.decided_at = Set(Some(now));
    let decided = row.update(&tx).await?;
    let hash = content_hash(&tx, &decided).await?;
    let mut row: acceptance::ActiveModel = decided.into();
    row.content_sha256 = Set(Some(hash.clone()));
    let decided = row.update(&tx).await?;
    let mut opened = Vec::new();
    for (it, passed, note, severity) in &results {
        if !passed {
            let input = defects::NewDefect {
                title: it.text.chars().take(300).collect(),
                description: note.clone(),
                severity: *severity,
                acceptance_id: Some(decided.id),
                check_id: None,
            };
            opened.push(defects::open(&tx, state, viewer, &d, input).await?.key);
        }
    }
    if outcome == AcceptanceOutcome::Rejected {
        set_status(&tx, &d, "rejected", now).await?;
    }
    let audit = json!({"outcome": decided.state, "failed": failed, "defects": opened, "content_sha256": hash,
                       "items": results.iter().map(|(i, p, n, _)| json!({"id": i.id, "passed": p, "note": n})).collect::<Vec<_>>()});
    record(&tx, state, viewer, "acceptance.result", "acceptance", a.id, None, Some(audit)).await?;
    let subject = Subject::from(&decided);
    collab::activity::record(&tx, now, Some(viewer.user.id), &subject, "decided").await?;
    let mut users = signers(&tx, &decided).await?;
    users.retain(|u| *u != viewer.user.id);
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::AcceptanceDecided, &subject) };
    notifications::send(&tx, now, &users, &notice).await?;
    tx.commit().await?;
    Ok(decided)
}
