//! Bidding on a selection: an invited vendor's manager submits and revises a sealed bid with
//! proposal files until the deadline; the host may end bidding early once every invitee has bid.

use std::collections::HashSet;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::{bid, selection},
    selection::{bidders, invitations, load, optional_money, phase, reload},
};
use crate::{
    AppState,
    auth::{Viewer, tokens::sha256_hex},
    db, domain,
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    money::MoneyDto,
};

/// What the audit trail keeps of a bid while bids are sealed (the host's administrators read the
/// trail, and a sealed price is no one's until the bids are opened): a SHA-256 over its content.
/// The award's record lists every bid opened, so anyone can check each seal afterwards.
pub(crate) fn seal(b: &bid::Model) -> String {
    let content =
        json!({"price_minor": b.price_minor, "currency": b.currency, "summary": b.summary, "revision": b.revision});
    sha256_hex(&content.to_string())
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidInput {
    /// The total offered, in the selection's currency.
    pub price: Option<MoneyDto>,
    /// The proposal in brief (Markdown).
    #[serde(default)]
    pub summary: String,
}

/// Submits or revises the caller's bid (an invited vendor's manager) before the deadline.
pub async fn submit_bid(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: BidInput,
    upload: Option<crate::documents::Upload>,
) -> AppResult<bid::Model> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.bidder || !viewer.is_party_manager() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let price = match &input.price {
        None => {
            errors.add("price", Msg::new("error-required"));
            None
        }
        Some(p) => optional_money("price", Some(p), &s.currency, &mut errors).or_else(|| {
            if p.amount.trim().is_empty() {
                errors.add("price", Msg::new("error-required"));
            }
            None
        }),
    };
    let summary = errors.take("summary", domain::text(&input.summary, true, 20_000));
    let stored = match &upload {
        Some(u) => super::files::put(state, u, &mut errors).await?,
        None => None,
    };
    errors.into_result()?;
    let (Some(price), Some(summary)) = (price, summary) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated bid is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // The deadline is checked under the write lock, against the stored selection.
    let s = reload(&tx, s.id).await?;
    if phase(&s, now) != "bidding" {
        return Err(AppError::Conflict(Msg::new("error-bid-late")));
    }
    let existing = bid::Entity::find()
        .filter(bid::Column::SelectionId.eq(id))
        .filter(bid::Column::PartyId.eq(viewer.party.id))
        .one(&tx)
        .await?;
    let before = existing.as_ref().map(|b| json!({"revision": b.revision, "sealed_sha256": seal(b)}));
    let saved = match existing {
        Some(b) => {
            let revision = b.revision + 1;
            let mut am: bid::ActiveModel = b.into();
            am.price_minor = Set(price);
            am.summary = Set(summary);
            am.revision = Set(revision);
            am.submitted_by = Set(viewer.user.id);
            am.submitted_at = Set(now);
            am.update(&tx).await?
        }
        None => {
            bid::ActiveModel {
                selection_id: Set(id),
                party_id: Set(viewer.party.id),
                price_minor: Set(price),
                currency: Set(s.currency.clone()),
                summary: Set(summary),
                revision: Set(1),
                submitted_by: Set(viewer.user.id),
                submitted_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?
        }
    };
    if let Some(f) = stored {
        super::files::attach(&tx, "bid", saved.id, f, viewer.user.id, now).await?;
    }
    let after = json!({"vendor_id": viewer.party.id, "revision": saved.revision, "sealed_sha256": seal(&saved)});
    record(&tx, state, viewer, "selection.bid", "selection", id, before, Some(after)).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Adds a proposal file to the caller's bid before the deadline.
pub async fn add_bid_file(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    upload: Option<crate::documents::Upload>,
) -> AppResult<super::entity::file::Model> {
    let (_, access) = load(state, viewer, id).await?;
    if !access.bidder || !viewer.is_party_manager() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let Some(upload) = upload else {
        errors.add("file", Msg::new("error-required"));
        return Err(AppError::Validation(errors));
    };
    let stored = super::files::put(state, &upload, &mut errors).await?;
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let s = reload(&tx, id).await?;
    if phase(&s, now) != "bidding" {
        return Err(AppError::Conflict(Msg::new("error-bid-late")));
    }
    let b = bid::Entity::find()
        .filter(bid::Column::SelectionId.eq(id))
        .filter(bid::Column::PartyId.eq(viewer.party.id))
        .one(&tx)
        .await?
        .ok_or(AppError::Conflict(Msg::new("error-bid-first")))?;
    let Some(stored) = stored else {
        return Err(AppError::Internal(anyhow::anyhow!("validated file is missing")));
    };
    let f = super::files::attach(&tx, "bid", b.id, stored, viewer.user.id, now).await?;
    let after = json!({"vendor_id": viewer.party.id, "file": f.file_name, "sha256": f.sha256});
    record(&tx, state, viewer, "selection.bid_file", "selection", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(f)
}

/// Ends bidding before the deadline once every invited vendor has bid.
pub async fn close(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<selection::Model> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let s = reload(&tx, s.id).await?;
    if phase(&s, now) != "bidding" {
        return Err(AppError::Conflict(Msg::new("error-selection-not-bidding")));
    }
    let invited: HashSet<i64> = invitations(&tx, id).await?.into_iter().map(|i| i.party_id).collect();
    let bid_in: HashSet<i64> = bidders(&tx, id).await?.into_iter().map(|(p, _)| p).collect();
    if invited.is_empty() || !invited.is_subset(&bid_in) {
        return Err(AppError::Conflict(
            Msg::new("error-close-early").arg("bids", bid_in.len()).arg("invited", invited.len()),
        ));
    }
    let mut am: selection::ActiveModel = s.into();
    am.state = Set("closed".into());
    am.closed_at = Set(Some(now));
    let s = am.update(&tx).await?;
    record(&tx, state, viewer, "selection.close", "selection", id, None, Some(json!({"closed_at": now}))).await?;
    tx.commit().await?;
    Ok(s)
}
