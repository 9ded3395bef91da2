//! Signing an acceptance: the hash of the recorded result (items, notes, outcome, evidence by
//! content hash), each required party's signature after its password, and the last signature
//! putting the round in force (warranty, installments that fall due).

use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    entity::{acceptance, signature, warranty},
    service::{binds, evidence_of, items, load, required_of, set_status, signatures, signers},
};
use crate::{
    AppState,
    auth::{Viewer, password, tokens::sha256_hex},
    collab::{
        self, Subject,
        notifications::{self, Kind, Notice},
    },
    db,
    engagements::{entity::deliverable, service::record},
    error::{AppError, AppResult, Msg},
    parties::entity::party,
    users::entity::user,
};

/// What the parties sign: the recorded result, evidence by content hash.
#[derive(Serialize)]
struct Signed<'a> {
    acceptance_id: i64,
    deliverable_id: i64,
    deliverable: &'a str,
    stage: &'a str,
    round: i32,
    outcome: &'a str,
    conditions: &'a str,
    items: Vec<(i32, &'a str, Option<bool>, &'a str)>,
    evidence: Vec<(i64, i32, String)>,
}

/// The SHA-256 of the result as stored now.
pub async fn content_hash(db: &impl ConnectionTrait, a: &acceptance::Model) -> AppResult<String> {
    let d = deliverable::Entity::find_by_id(a.deliverable_id).one(db).await?.ok_or(AppError::NotFound)?;
    let its = items(db, a.id).await?;
    // Evidence as submitted (document, version, hash): a later upload changes nothing signed.
    let evidence: Vec<(i64, i32, String)> =
        evidence_of(db, a.id).await?.into_iter().map(|(d, e)| (d.id, e.version, e.sha256)).collect();
    let signed = Signed {
        acceptance_id: a.id,
        deliverable_id: d.id,
        deliverable: &d.name,
        stage: &a.stage,
        round: a.round,
        outcome: &a.state,
        conditions: &a.conditions,
        items: its.iter().map(|i| (i.position, i.text.as_str(), i.passed, i.note.as_str())).collect(),
        evidence,
    };
    let text = serde_json::to_string(&signed).map_err(|e| AppError::Internal(e.into()))?;
    Ok(sha256_hex(&text))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AcceptanceSignInput)]
pub struct SignInput {
    /// The signer's own password, asked again at the moment of signing.
    #[serde(default)]
    pub password: String,
}

/// Signs the recorded result for the viewer's party. The last required signature puts the
/// acceptance in force.
pub async fn sign(state: &AppState, viewer: &Viewer, id: i64, input: SignInput) -> AppResult<acceptance::Model> {
    let a = load(state, viewer, id).await?;
    if !required_of(&a).contains(&viewer.party.id) || !binds(state, viewer, a.engagement_id).await? {
        return Err(AppError::Forbidden);
    }
    match a.state.as_str() {
        "submitted" => return Err(AppError::Conflict(Msg::new("error-acceptance-undecided"))),
        "rejected" => return Err(AppError::Conflict(Msg::new("error-acceptance-rejected-unsigned"))),
        _ => {}
    }
    password::reauthenticate(state, viewer, &input.password).await?;
    let tx = db::begin_write(&state.writer).await?;
    let a = acceptance::Entity::find_by_id(a.id).one(&tx).await?.ok_or(AppError::NotFound)?;
    let hash = content_hash(&tx, &a).await?;
    if Some(&hash) != a.content_sha256.as_ref() {
        return Err(AppError::Conflict(Msg::new("error-version-tampered")));
    }
    let existing = signatures(&tx, a.id).await?;
    if existing.iter().any(|s| s.party_id == viewer.party.id) {
        return Err(AppError::Conflict(Msg::new("error-version-signed-already")));
    }
    let now = state.clock.now();
    signature::ActiveModel {
        acceptance_id: Set(a.id),
        party_id: Set(viewer.party.id),
        user_id: Set(viewer.user.id),
        content_sha256: Set(hash.clone()),
        signed_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let audit = json!({"party_id": viewer.party.id, "content_sha256": hash});
    record(&tx, state, viewer, "acceptance.sign", "acceptance", a.id, None, Some(audit)).await?;
    // Only signatures over the result as it stands count.
    let mut signed: Vec<i64> = existing.iter().filter(|s| s.content_sha256 == hash).map(|s| s.party_id).collect();
    signed.push(viewer.party.id);
    let after =
        if required_of(&a).iter().all(|p| signed.contains(p)) { into_force(&tx, state, viewer, a).await? } else { a };
    tx.commit().await?;
    Ok(after)
}

/// Every required party signed: the acceptance is in force. Final acceptance starts the
/// warranty; installments waiting for this acceptance fall due.
async fn into_force(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    a: acceptance::Model,
) -> AppResult<acceptance::Model> {
    let now = state.clock.now();
    let mut row: acceptance::ActiveModel = a.into();
    row.effective_at = Set(Some(now));
    let a = row.update(tx).await?;
    let d = deliverable::Entity::find_by_id(a.deliverable_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let mut warranty_ends = None;
    if a.stage == "final" {
        set_status(tx, &d, "accepted", now).await?;
        let months = crate::contracts::payments::warranty_months(tx, &d, None).await?;
        if months > 0 {
            let starts = state.today();
            let ends = starts
                .checked_add_months(chrono::Months::new(u32::try_from(months).unwrap_or(0)))
                .ok_or(AppError::Internal(anyhow::anyhow!("warranty end out of range")))?;
            warranty::ActiveModel {
                deliverable_id: Set(d.id),
                acceptance_id: Set(a.id),
                months: Set(months),
                starts_on: Set(starts),
                ends_on: Set(ends),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            warranty_ends = Some(ends);
        }
    }
    let due = crate::contracts::payments::refresh_for_deliverable(tx, state, &d).await?;
    let audit = json!({"stage": a.stage, "warranty_ends_on": warranty_ends,
                       "installments_due": due.iter().map(|i| i.id).collect::<Vec<_>>()});
    record(tx, state, viewer, "acceptance.in_force", "acceptance", a.id, None, Some(audit)).await?;
    let subject = Subject::from(&a);
    collab::activity::record(tx, now, Some(viewer.user.id), &subject, "accepted").await?;
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::AcceptanceSigned, &subject) };
    notifications::send(tx, now, &signers(tx, &a).await?, &notice).await?;
    Ok(a)
}

/// Names of users and parties, for pages.
pub async fn signer_names(state: &AppState, sigs: &[signature::Model]) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for s in sigs {
        let u = user::Entity::find_by_id(s.user_id).one(&state.db).await?.map(|u| u.name).unwrap_or_default();
        let p = party::Entity::find_by_id(s.party_id).one(&state.db).await?.map(|p| p.name).unwrap_or_default();
        out.push((u, p));
    }
    Ok(out)
}
