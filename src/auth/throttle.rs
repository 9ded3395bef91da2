//! Throttling of password guesses (signing in, and re-entering a password to sign or to change
//! it). Kept in the database so every instance sees the same count.
//!
//! An attempt is written down *before* its password is checked and then counted together with
//! the others, so parallel guesses can't slip past the limit: the n-th attempt to be written
//! sees at least n rows. A right password removes that e-mail's rows from that address; a wrong
//! one leaves its row as a failure; a refused one removes its own row again.
//!
//! Failures count per e-mail *and* address, so a stranger guessing from elsewhere fills only
//! their own bucket and can't lock the owner out; a flood from one address (any e-mails) is
//! cut by a second, wider limit.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{
    AppState,
    error::{AppError, AppResult, Msg},
};

pub const WINDOW_MINUTES: i64 = 15;
/// Wrong passwords for one e-mail from one address within the window.
pub const MAX_PER_EMAIL: u64 = 5;
/// Wrong passwords from one address, whatever the e-mail, within the window.
pub const MAX_PER_IP: u64 = 30;
/// The address recorded for a password re-entered by someone already signed in.
const REAUTH: &str = "reauth";

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

/// Where a password is being tried.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Signing in (page or token exchange) from a network address.
    Login { ip: &'a str },
    /// Someone signed in typing their password again (signing, changing it).
    Reauth,
}

impl Scope<'_> {
    fn ip(&self) -> &str {
        match self {
            Self::Login { ip } => ip,
            Self::Reauth => REAUTH,
        }
    }
}

/// One attempt, written down; settle it with [`Attempt::succeeded`] once the password is right.
#[must_use = "a right password must clear the attempt"]
pub struct Attempt {
    email: String,
    ip: String,
}

fn refused() -> AppError {
    AppError::TooManyRequests {
        retry_after_secs: u64::try_from(WINDOW_MINUTES * 60).unwrap_or(900),
        msg: Msg::new("error-login-throttled").arg("minutes", WINDOW_MINUTES),
    }
}

/// Writes the attempt down, then refuses it when it is one too many for this e-mail from this
/// address, or for this address.
pub async fn begin(state: &AppState, email: &str, scope: Scope<'_>) -> AppResult<Attempt> {
    let ip = scope.ip().to_owned();
    let now = state.clock.now();
    let row = login_failure::ActiveModel {
        email: Set(email.to_owned()),
        ip: Set(ip.clone()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&state.writer)
    .await?;
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let by_pair = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(email))
        .filter(login_failure::Column::Ip.eq(&ip))
        .filter(login_failure::Column::At.gt(since))
        .count(&state.db)
        .await?;
    let by_ip = match scope {
        Scope::Login { .. } => {
            login_failure::Entity::find()
                .filter(login_failure::Column::Ip.eq(&ip))
                .filter(login_failure::Column::At.gt(since))
                .count(&state.db)
                .await?
        }
        Scope::Reauth => 0,
    };
    if by_pair > MAX_PER_EMAIL || by_ip > MAX_PER_IP {
        login_failure::Entity::delete_by_id(row.id).exec(&state.writer).await?;
        return Err(refused());
    }
    Ok(Attempt { email: email.to_owned(), ip })
}

impl Attempt {
    /// The password was right: this e-mail's failures from this address are forgotten.
    pub async fn succeeded(self, state: &AppState) -> AppResult<()> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Email.eq(&self.email))
            .filter(login_failure::Column::Ip.eq(&self.ip))
            .exec(&state.writer)
            .await?;
        Ok(())
    }
}

/// Drops rows older than a day (a scheduled job); returns how many.
pub async fn purge_old(db: &impl ConnectionTrait, now: chrono::DateTime<chrono::Utc>) -> Result<u64, DbErr> {
    let res = login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
