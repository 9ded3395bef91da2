//! Vendors: the directory (profiles, bank details for finance, certificates with expiry
//! reminders, status with reasons), selections (RFQ / 比选) from invitation to award, and
//! scorecards computed from delivery facts with periodic manual evaluations.

pub mod api;
pub mod api_routes;
pub mod award;
pub mod bidding;
pub mod certificates;
pub mod directory;
pub mod directory_pages;
pub mod entity;
pub mod evaluations;
pub mod facts;
pub mod files;
pub mod ranking;
pub mod scorecard;
pub mod scorecard_pages;
pub mod scoring;
pub mod selection;
pub mod selection_api;
pub mod selection_pages;
pub mod templates;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use crate::{AppState, db, error::AppResult, i18n::Lang, mail, parties::entity::party, users::entity::user};

pub fn routes(state: &AppState) -> Router<AppState> {
    use directory_pages as d;
    use scorecard_pages as c;
    use selection_pages as s;
    let upload_limit = DefaultBodyLimit::max(state.config.upload_limit + 64 * 1024);
    Router::new()
        .route("/vendors", get(d::list).post(d::create))
        .route("/vendors/new", get(d::new_form))
        .route("/vendors/ranking", get(c::ranking))
        .route("/vendors/settings", get(c::settings).post(c::save_settings))
        .route("/vendors/templates", post(c::add_template))
        .route("/vendors/{id}", get(d::detail).post(d::update))
        .route("/vendors/{id}/status", post(d::change_status))
        .route("/vendors/{id}/certificates", post(d::add_certificate).layer(upload_limit))
        .route("/vendors/{id}/certificates/{certificate_id}/files/{file_id}", get(d::certificate_file))
        .route("/vendors/{id}/scorecard", get(c::scorecard))
        .route("/vendors/{id}/scorecard/publish", post(c::publish))
        .route("/vendors/{id}/evaluations", post(c::evaluate))
        .route("/selections", get(s::list).post(s::create))
        .route("/selections/new", get(s::new_form))
        .route("/selections/{id}", get(s::detail))
        .route("/selections/{id}/invitations", post(s::invite))
        .route("/selections/{id}/evaluators", post(s::add_evaluator))
        .route("/selections/{id}/bids", post(s::bid).layer(upload_limit))
        .route("/selections/{id}/bids/{bid_id}/files/{file_id}", get(s::bid_file))
        .route("/selections/{id}/scores", post(s::score))
        .route("/selections/{id}/close", post(s::close))
        .route("/selections/{id}/award", post(s::award))
        .route("/selections/{id}/cancel", post(s::cancel))
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
    times: &[(&'static str, chrono::DateTime<chrono::Utc>)],
) -> AppResult<usize> {
    let managers = user::Entity::find()
        .filter(user::Column::PartyId.eq(party_id))
        .filter(user::Column::Role.eq("manager"))
        .filter(user::Column::Active.eq(true))
        .all(tx)
        .await?;
    mail_users(state, tx, &managers, key, record_id, args, times).await
}

async fn mail_users(
    state: &AppState,
    tx: &DatabaseTransaction,
    users: &[user::Model],
    key: &str,
    record_id: i64,
    args: &[(&'static str, String)],
    times: &[(&'static str, chrono::DateTime<chrono::Utc>)],
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
        // Times read as the recipient's clock shows them, with the zone named.
        all.extend(times.iter().map(|(k, at)| (*k, crate::clock::local_time_named(*at, &u.time_zone))));
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
    let today = state.today();
    let horizon = crate::domain::add_days(today, directory::EXPIRY_NOTICE_DAYS);
    // Lapsed ones are shown as expired; the reminder is for what can still be renewed in time.
    let due = certificate::Entity::find()
        .filter(certificate::Column::ExpiresOn.gte(today))
        .filter(certificate::Column::ExpiresOn.lte(horizon))
        .filter(certificate::Column::RemindedAt.is_null())
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for c in due {
        let tx = db::begin_write(&state.writer).await?;
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
        let hosts: Vec<i64> =
            party::Entity::find().filter(party::Column::Kind.eq("host")).all(&tx).await?.iter().map(|p| p.id).collect();
        people.retain(|u| if u.party_id == vendor.id { u.role == "manager" } else { hosts.contains(&u.party_id) });
        let args = [
            ("vendor", vendor.name.clone()),
            ("certificate", c.name.clone()),
            ("expires", c.expires_on.map(|d| d.to_string()).unwrap_or_default()),
        ];
        sent += mail_users(state, &tx, &people, "certificate-expiring", vendor.id, &args, &[]).await?;
        let mut am: certificate::ActiveModel = c.into();
        am.reminded_at = Set(Some(state.clock.now()));
        sea_orm::ActiveModelTrait::update(am, &tx).await?;
        tx.commit().await?;
    }
    Ok(sent)
}

/// Hourly: reminders of vendor certificates about to expire.
pub const VENDOR_WATCH: crate::jobs::Kind = crate::jobs::Kind {
    name: "vendor_watch",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let sent = watch(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(sent, "vendor watch");
            Ok(())
        })
    },
};
