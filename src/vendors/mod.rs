//! Vendors: the directory (profiles, bank details for finance, certificates with expiry
//! reminders, status with reasons), selections (RFQ / 比选) from invitation to award, and
//! scorecards computed from delivery facts with periodic manual evaluations.

pub mod api;
pub mod award;
pub mod directory;
pub mod entity;
pub mod evaluations;
pub mod files;
pub mod ranking;
pub mod scorecard;
pub mod selection;
pub mod selection_api;
pub mod templates;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use crate::{
    AppState, db,
    error::AppResult,
    i18n::Lang,
    mail,
    parties::entity::party,
    users::entity::user,
};

pub fn routes(state: &AppState) -> Router<AppState> {
    let _ = state;
    Router::new()
}

/// E-mails the active managers of a party, each in their language: `{key}-subject` and
/// `{key}-body` with `args` and a link to the record.
pub(crate) async fn mail_party(
    state: &AppState,
    tx: &DatabaseTransaction,
    party_id: i64,
    key: &str,
    record_id: i64,
    args: &[(&'static str, String)],
) -> AppResult<usize> {
    let managers = user::Entity::find()
        .filter(user::Column::PartyId.eq(party_id))
        .filter(user::Column::Role.eq("manager"))
        .filter(user::Column::Active.eq(true))
        .all(tx)
        .await?;
    mail_users(state, tx, &managers, key, record_id, args).await
}

async fn mail_users(
    state: &AppState,
    tx: &DatabaseTransaction,
    users: &[user::Model],
    key: &str,
    record_id: i64,
    args: &[(&'static str, String)],
) -> AppResult<usize> {
    let path = if key.starts_with("selection-") {
        format!("/selections/{record_id}")
    } else if key.starts_with("scorecard-") {
        format!("/vendors/{record_id}/scorecard")
    } else {
        format!("/vendors/{record_id}")
    };
    let now = state.clock.now();
    for u in users {
        let lang = u.locale.as_deref().and_then(Lang::parse).unwrap_or_default();
        let mut all = args.to_vec();
        all.push(("link", format!("{}{path}", state.config.base_url)));
        let subject = lang.t_args(&format!("{key}-subject"), &all);
        let body = lang.t_args(&format!("{key}-body"), &all);
        mail::queue(tx, now, &u.email, &subject, &body).await?;
    }
    Ok(users.len())
}

/// The daily look at certificates: one reminder per certificate that expires within the
/// notice period, to the vendor's managers and the host's administrators and PMs.
pub async fn watch(state: &AppState) -> AppResult<usize> {
    use entity::certificate;
    let horizon = state.today() + Duration::days(directory::EXPIRY_NOTICE_DAYS);
    let due = certificate::Entity::find()
        .filter(certificate::Column::ExpiresOn.lte(horizon))
        .filter(certificate::Column::RemindedAt.is_null())
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for c in due {
        let tx = db::begin_write(&state.db).await?;
        let Some(vendor) = party::Entity::find_by_id(c.party_id).one(&tx).await? else { continue };
        let mut people = user::Entity::find()
            .filter(user::Column::Active.eq(true))
            .filter(
                sea_orm::Condition::any()
                    .add(
                        sea_orm::Condition::all()
                            .add(user::Column::PartyId.eq(vendor.id))
                            .add(user::Column::Role.eq("manager")),
                    )
                    .add(user::Column::Role.is_in(["admin", "pm"])),
            )
            .all(&tx)
            .await?;
        people.retain(|u| u.party_id == vendor.id || u.role != "manager");
        let args = [
            ("vendor", vendor.name.clone()),
            ("certificate", c.name.clone()),
            ("expires", c.expires_on.map(|d| d.to_string()).unwrap_or_default()),
        ];
        sent += mail_users(state, &tx, &people, "certificate-expiring", vendor.id, &args).await?;
        let mut am: certificate::ActiveModel = c.into();
        am.reminded_at = Set(Some(state.clock.now()));
        sea_orm::ActiveModelTrait::update(am, &tx).await?;
        tx.commit().await?;
    }
    Ok(sent)
}
