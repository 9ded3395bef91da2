//! The warranty period (质保期) final acceptance starts: a reminder before it ends to the PMs,
//! whoever runs a contract naming the deliverable and the delivering party's managers (in-app
//! and e-mail, once).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entity::warranty;
use crate::{
    AppState,
    collab::{
        Subject,
        notifications::{self, Kind, Notice},
    },
    db,
    engagements::entity::deliverable,
    error::AppResult,
    i18n::Lang,
    mail,
    users::entity::user,
};

/// Reminders go out this many days before a warranty ends.
pub const REMIND_DAYS: i64 = 30;

pub async fn remind(state: &AppState) -> AppResult<usize> {
    let today = state.today();
    let ending = warranty::Entity::find()
        .filter(warranty::Column::EndsOn.gte(today))
        .filter(warranty::Column::EndsOn.lte(crate::domain::add_days(today, REMIND_DAYS)))
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for w in ending {
        let Some(d) = deliverable::Entity::find_by_id(w.deliverable_id).one(&state.db).await? else { continue };
        let subject = Subject::from(&d);
        let key = format!("warranty:{}:ending", w.id);
        let now = state.clock.now();
        let tx = db::begin_write(&state.writer).await?;
        let mut users = crate::changes::service::managers_of(&tx, d.engagement_id).await?;
        // The retention usually waits for this date: whoever runs a contract naming the
        // deliverable hears of it too.
        for c in crate::contracts::service::naming_deliverable(&tx, d.id).await? {
            users.extend(crate::contracts::service::managers_of(&tx, &c).await?);
        }
        users.sort_unstable();
        users.dedup();
        if let Some(p) = d.owner_party_id {
            users.extend(crate::contracts::service::party_managers(&tx, p).await?);
        }
        for u in user::Entity::find().filter(user::Column::Id.is_in(users)).all(&tx).await? {
            let notice = Notice { dedupe: Some(&key), ..Notice::new(Kind::WarrantyEnding, &subject) };
            if notifications::send(&tx, now, &[u.id], &notice).await? == 0 {
                continue;
            }
            let lang = u.locale.as_deref().and_then(Lang::parse).unwrap_or_default();
            let args = [
                ("title", d.name.clone()),
                ("due", w.ends_on.to_string()),
                ("link", format!("{}{}", state.config.base_url, subject.url())),
            ];
            mail::queue(
                &tx,
                now,
                &u.email,
                &lang.t_args("warranty-ending-subject", &args),
                &lang.t_args("warranty-ending-body", &args),
            )
            .await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
