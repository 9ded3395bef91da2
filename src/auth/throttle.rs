//! Login throttling: after repeated failures for one e-mail address (or from one address on
//! the network) further attempts are refused for a while. Kept in the database so every
//! instance sees the same count.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{
    AppState,
    error::{AppError, AppResult, Msg},
};

pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_PER_EMAIL: u64 = 5;
pub const MAX_PER_IP: u64 = 30;

pub mod login_failure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_failures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub email: String,
        pub ip: String,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Refuses the attempt when the e-mail or the network address failed too often lately.
pub async fn check(state: &AppState, email: &str, ip: &str) -> AppResult<()> {
    let since = state.clock.now() - Duration::minutes(WINDOW_MINUTES);
    let by_email = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(email))
        .filter(login_failure::Column::At.gt(since))
        .count(&state.db)
        .await?;
    let by_ip = login_failure::Entity::find()
        .filter(login_failure::Column::Ip.eq(ip))
        .filter(login_failure::Column::At.gt(since))
        .count(&state.db)
        .await?;
    if by_email >= MAX_PER_EMAIL || by_ip >= MAX_PER_IP {
        return Err(AppError::TooManyRequests {
            retry_after_secs: u64::try_from(WINDOW_MINUTES * 60).unwrap_or(900),
            msg: Msg::new("error-login-throttled").arg("minutes", WINDOW_MINUTES),
        });
    }
    Ok(())
}

pub async fn record_failure(state: &AppState, email: &str, ip: &str) -> AppResult<()> {
    let now = state.clock.now();
    login_failure::ActiveModel {
        email: Set(email.to_owned()),
        ip: Set(ip.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    // Old rows are worthless; drop them as we go instead of needing another job.
    login_failure::Entity::delete_many()
        .filter(Condition::all().add(login_failure::Column::At.lt(now - Duration::days(1))))
        .exec(&state.db)
        .await?;
    Ok(())
}

pub async fn clear(state: &AppState, email: &str) -> AppResult<()> {
    login_failure::Entity::delete_many().filter(login_failure::Column::Email.eq(email)).exec(&state.db).await?;
    Ok(())
}
