//! The award: a written justification, then in one transaction the winner takes part in the
//! engagement, a draft contract is made from its bid, the vendor becomes active, and every
//! invited vendor hears the outcome.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    directory,
    entity::{bid, selection},
    ranking::{compute, progress},
    selection::{invitations, load, open_engagement, phase, reload},
};
use crate::{
    AppState,
    auth::Viewer,
    contracts::service::{Draft, insert_draft},
    db,
    domain::{self, Id},
    engagements::{entity::participant, service::record},
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    pub vendor_id: Option<Id>,
    /// Why this vendor (kept with the selection and in the audit trail).
    #[serde(default)]
    pub justification: String,
    /// The engagement, when the selection does not name one yet.
    pub engagement_id: Option<Id>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    #[serde(default)]
    pub reason: String,
}

pub async fn award(state: &AppState, viewer: &Viewer, id: i64, input: AwardInput) -> AppResult<selection::Model> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let winner = match input.vendor_id {
        None => {
            errors.add("vendor_id", Msg::new("error-required"));
            None
        }
        Some(Id(v)) => {
            let b = bid::Entity::find()
                .filter(bid::Column::SelectionId.eq(id))
                .filter(bid::Column::PartyId.eq(v))
                .one(&state.db)
                .await?;
            if b.is_none() {
                errors.add("vendor_id", Msg::new("error-no-bid"));
            }
            b
        }
    };
    let justification = errors.take("justification", domain::text(&input.justification, true, 5000));
    if justification.as_ref().is_some_and(|j| j.chars().count() < 10) {
        errors.add("justification", Msg::new("error-justification-short").arg("min", 10));
    }
    let engagement = s.engagement_id.or(input.engagement_id.map(|i| i.0));
    match engagement {
        None => errors.add("engagement_id", Msg::new("error-award-engagement")),
        Some(e) if !open_engagement(state, viewer, e).await? => {
            errors.add("engagement_id", Msg::new("error-engagement-open"))
        }
        Some(_) => {}
    }
    errors.into_result()?;
    let (Some(winner), Some(justification), Some(engagement)) = (winner, justification, engagement) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated award is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let s = reload(&tx, s.id).await?;
    match phase(&s, now) {
        "evaluating" => {}
        "bidding" => return Err(AppError::Conflict(Msg::new("error-scoring-before-close"))),
        _ => return Err(AppError::Conflict(Msg::new("error-selection-decided"))),
    }
    let (done, needed) = progress(&tx, &s).await?;
    if needed == 0 || done < needed {
        return Err(AppError::Conflict(Msg::new("error-scores-sealed").arg("done", done).arg("needed", needed)));
    }
    let vendor = party::Entity::find_by_id(winner.party_id).one(&tx).await?.ok_or(AppError::NotFound)?;
    let prof = directory::profile_of(&tx, vendor.id).await?;
    if !directory::invitable(&prof.status) {
        return Err(AppError::Conflict(Msg::new("error-vendor-not-invitable").arg("status", &prof.status)));
    }
    let taking_part = participant::Entity::find()
        .filter(participant::Column::EngagementId.eq(engagement))
        .filter(participant::Column::PartyId.eq(vendor.id))
        .count(&tx)
        .await?
        > 0;
    if !taking_part {
        participant::ActiveModel {
            engagement_id: Set(engagement),
            party_id: Set(vendor.id),
            relation: Set("vendor".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let after = json!({"party_id": vendor.id, "party": vendor.name, "relation": "vendor", "selection_id": s.id});
        record(&tx, state, viewer, "engagement.participant_add", "engagement", engagement, None, Some(after)).await?;
    }
    let ranking = compute(&tx, &s).await?;
    let rank = ranking.rows.iter().find(|r| r.party_id == vendor.id).map(|r| r.rank).unwrap_or(0);
    let description = format!("{}\n\n---\n\n{}", s.scope, winner.summary).trim().to_owned();
    let contract = insert_draft(
        &tx,
        state,
        viewer,
        Draft {
            number: format!("XB-{}-{:03}", now.format("%Y"), s.id),
            title: s.title.clone(),
            description,
            counterparty_id: vendor.id,
            currency: winner.currency.clone(),
            total_minor: winner.price_minor,
            engagement_id: engagement,
        },
    )
    .await?;
    if matches!(prof.status.as_str(), "prospect" | "qualified") {
        let reason = format!("{} · {}", s.title, justification.chars().take(200).collect::<String>());
        if prof.status == "prospect" {
            // Awarding qualifies a prospect on the way to active; both steps are on record.
            let q = directory::set_status(&tx, state, viewer, &prof, "qualified", &reason).await?;
            directory::set_status(&tx, state, viewer, &q, "active", &reason).await?;
        } else {
            directory::set_status(&tx, state, viewer, &prof, "active", &reason).await?;
        }
    }
    let mut am: selection::ActiveModel = s.clone().into();
    am.state = Set("awarded".into());
    am.engagement_id = Set(Some(engagement));
    am.awarded_party_id = Set(Some(vendor.id));
    am.justification = Set(justification.clone());
    am.awarded_by = Set(Some(viewer.user.id));
    am.awarded_at = Set(Some(now));
    am.contract_id = Set(Some(contract.id));
    if s.closed_at.is_none() {
        am.closed_at = Set(Some(now));
    }
    let saved = am.update(&tx).await?;
    for inv in invitations(&tx, id).await? {
        let key = if inv.party_id == vendor.id { "selection-won" } else { "selection-lost" };
        super::mail_party(state, &tx, inv.party_id, key, id, &[("title", s.title.clone())], &[]).await?;
    }
    // The bids as opened, each with the seal the trail recorded while it was sealed.
    let opened: Vec<_> = bid::Entity::find()
        .filter(bid::Column::SelectionId.eq(id))
        .all(&tx)
        .await?
        .iter()
        .map(|b| {
            json!({"vendor_id": b.party_id, "price_minor": b.price_minor, "revision": b.revision,
                        "sealed_sha256": super::bidding::seal(b)})
        })
        .collect();
    let after = json!({"vendor_id": vendor.id, "vendor": vendor.name, "rank": rank, "price_minor": winner.price_minor,
                       "justification": justification, "engagement_id": engagement, "contract_id": contract.id,
                       "bids": opened});
    record(&tx, state, viewer, "selection.award", "selection", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn cancel(state: &AppState, viewer: &Viewer, id: i64, input: CancelInput) -> AppResult<selection::Model> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let reason = errors.take("reason", domain::text(&input.reason, true, 2000));
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let s = reload(&tx, s.id).await?;
    if matches!(s.state.as_str(), "awarded" | "cancelled") {
        return Err(AppError::Conflict(Msg::new("error-selection-decided")));
    }
    let mut am: selection::ActiveModel = s.clone().into();
    am.state = Set("cancelled".into());
    am.justification = Set(reason.clone().unwrap_or_default());
    // Bidding ends here only if it had ended already; a selection cancelled while bidding keeps
    // no end of bidding, and its bids stay sealed for good (`selection::bids_unsealed`).
    if s.closed_at.is_none() && phase(&s, now) != "bidding" {
        am.closed_at = Set(Some(now));
    }
    let saved = am.update(&tx).await?;
    for inv in invitations(&tx, id).await? {
        super::mail_party(state, &tx, inv.party_id, "selection-cancelled", id, &[("title", s.title.clone())], &[])
            .await?;
    }
    record(&tx, state, viewer, "selection.cancel", "selection", id, None, Some(json!({"reason": reason}))).await?;
    tx.commit().await?;
    Ok(saved)
}
