//! Review reminders: on a live risk's review date its owner (or, without one, the engagement's
//! managers) is told, once per risk and date, in-app and by mail.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entity::risk;
use crate::{
    AppState,
    collab::{self, Subject},
    db,
    domain::RiskStatus,
    error::AppResult,
};

/// Reminds owners (or, without one, the engagement's managers) of the live risks whose review
/// date has come, once per risk and date.
pub async fn remind(state: &AppState) -> AppResult<usize> {
    use collab::notifications::{Kind, Notice, send_and_mail};
    let today = state.today();
    let due = risk::Entity::find()
        .filter(risk::Column::ReviewOn.lte(today))
        .filter(risk::Column::Status.ne(RiskStatus::Closed.as_str()))
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for r in due {
        let users = match r.owner_id {
            Some(o) => vec![o],
            None => crate::changes::service::managers_of(&state.db, r.engagement_id).await?,
        };
        let subject = Subject::from(&r);
        let date = r.review_on.map(|d| d.to_string()).unwrap_or_default();
        let key = format!("risk:{}:review:{date}", r.id);
        let link = format!("{}{}", state.config.base_url, subject.url());
        let tx = db::begin_write(&state.writer).await?;
        let notice = Notice { dedupe: Some(&key), ..Notice::new(Kind::RiskReview, &subject) };
        sent += send_and_mail(&tx, state.clock.now(), &users, &notice, |lang| {
            let args = [
                ("title", subject.title.clone()),
                ("date", date.clone()),
                ("score", r.score.to_string()),
                ("link", link.clone()),
            ];
            (lang.t_args("risk-review-subject", &args), lang.t_args("risk-review-body", &args))
        })
        .await?;
        tx.commit().await?;
    }
    Ok(sent)
}

pub const RISK_REVIEWS: crate::jobs::Kind = crate::jobs::Kind {
    name: "risk_reviews",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let n = remind(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(reminded = n, "risk review reminders");
            Ok(())
        })
    },
};
