//! Who is asking: the `Viewer` (user, party, role) resolved once per request from a bearer
//! token or the session cookie. Every query that must respect party boundaries asks the viewer
//! for its scope; no handler filters by party on its own.

pub mod lens;
pub mod password;
pub mod session_store;
pub mod throttle;
pub mod tokens;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use tower_sessions::Session;

use crate::{
    AppState,
    audit::Actor,
    domain::{PartyKind, Role},
    error::AppError,
    parties::entity::party,
    users::entity::user,
};

pub const SESSION_COOKIE: &str = "accord_session";
/// The session cookie's name over https: the `__Host-` prefix makes the browser refuse it unless
/// it is Secure, for the whole site and set by this host (no sibling domain can plant one).
pub const SECURE_SESSION_COOKIE: &str = "__Host-accord_session";
pub const SESSION_USER_KEY: &str = "uid";

/// The session cookie's name under this configuration.
pub fn session_cookie(config: &crate::config::Config) -> &'static str {
    if config.secure_cookies() { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

/// The credentials of an `Authorization: Bearer …` header; the scheme is matched without regard
/// to case (RFC 9110 §11.1).
pub fn bearer_of(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim()).filter(|t| !t.is_empty())
}

/// Compares secrets in time that depends on their length only.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// The signed-in user, their party and role.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user: user::Model,
    pub party: party::Model,
    pub kind: PartyKind,
    pub role: Role,
    pub via: Via,
}

impl Viewer {
    /// A viewer from a user and their party; `None` when stored values are not ones we know.
    pub fn new(user: user::Model, party: party::Model, via: Via) -> Option<Self> {
        let (Ok(kind), Ok(role)) = (PartyKind::parse(&party.kind), Role::parse(&user.role)) else {
            return None;
        };
        Some(Self { user, party, kind, role, via })
    }

    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, self.party.id)
    }

    /// A time as this viewer's clock shows it (their time zone).
    pub fn local_time(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        crate::clock::local_time(at, &self.user.time_zone)
    }

    pub fn is_host(&self) -> bool {
        self.kind == PartyKind::Host
    }

    /// The language the person chose (the default when none): what JSON answers that carry
    /// sentences are written in.
    pub fn lang(&self) -> crate::i18n::Lang {
        self.user.locale.as_deref().and_then(crate::i18n::Lang::parse).unwrap_or_default()
    }

    /// The host's administrator: manages parties, users, settings.
    pub fn is_admin(&self) -> bool {
        self.is_host() && self.role == Role::Admin
    }

    /// A vendor's or client's manager: manages the people of their own party.
    pub fn is_party_manager(&self) -> bool {
        !self.is_host() && self.role == Role::Manager
    }

    /// Whether the viewer may know that party `id` exists.
    pub fn can_see_party(&self, party_id: i64) -> bool {
        self.is_host() || party_id == self.party.id
    }

    pub fn can_manage_users_of(&self, party_id: i64) -> bool {
        self.is_admin() || (self.is_party_manager() && party_id == self.party.id)
    }

    pub fn can_edit_party(&self, party_id: i64) -> bool {
        self.can_manage_users_of(party_id)
    }

    /// Parties the viewer may see: all for the host, their own for anyone else.
    pub fn party_scope(&self) -> Condition {
        if self.is_host() { Condition::all() } else { Condition::all().add(party::Column::Id.eq(self.party.id)) }
    }

    /// Host administrators and PMs run engagements: create, plan, add parties.
    pub fn can_manage_engagements(&self) -> bool {
        self.is_host() && matches!(self.role, Role::Admin | Role::Pm)
    }

    /// Engagements the viewer may see: every one for the host, those its party takes part in
    /// for anyone else.
    pub fn engagement_scope(&self) -> Condition {
        use crate::engagements::entity::engagement;
        self.engagement_ids_scope(engagement::Column::Id)
    }

    /// Rows of any engagement-owned table whose engagement the viewer may see, by that table's
    /// engagement column.
    ///
    /// A correlated `EXISTS` probe of the (engagement, party) index per row: an `IN (SELECT …)`
    /// list makes SQLite build the party's whole engagement set for every statement, which
    /// costs a vendor in a thousand engagements more than the rest of a single-row read.
    pub fn engagement_ids_scope<C: sea_orm::ColumnTrait>(&self, engagement_id: C) -> Condition {
        use crate::engagements::entity::participant;
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
        if self.is_host() {
            return Condition::all();
        }
        let p = Alias::new("scope_participant");
        let mine = Query::select()
            .expr(Expr::val(1))
            .from_as(participant::Entity, p.clone())
            .and_where(
                Expr::col((p.clone(), participant::Column::EngagementId))
                    .equals((engagement_id.entity_name(), engagement_id)),
            )
            .and_where(Expr::col((p, participant::Column::PartyId)).eq(self.party.id))
            .to_owned();
        Condition::all().add(Expr::exists(mine))
    }

    /// Records inside an engagement (already known to be visible) that the viewer may see, from
    /// the record's visibility columns: `internal` → host only; `party` → host and the named
    /// party; `participants` → everyone in the engagement.
    pub fn record_scope<C: sea_orm::ColumnTrait>(&self, visibility: C, visible_party: C) -> Condition {
        if self.is_host() {
            return Condition::all();
        }
        Condition::any()
            .add(visibility.eq("participants"))
            .add(Condition::all().add(visibility.eq("party")).add(visible_party.eq(self.party.id)))
    }

    /// The same rule as `record_scope`, for a record already loaded.
    pub fn can_see_record(&self, visibility: &str, visible_party: Option<i64>) -> bool {
        self.is_host()
            || visibility == "participants"
            || (visibility == "party" && visible_party == Some(self.party.id))
    }

    /// Users the viewer may see: everyone for the host, their own party's for anyone else.
    pub fn user_scope(&self) -> Condition {
        if self.is_host() { Condition::all() } else { Condition::all().add(user::Column::PartyId.eq(self.party.id)) }
    }
}

/// Loads an active user with their party.
pub async fn load_viewer(state: &AppState, user_id: i64, via: Via) -> Result<Option<Viewer>, AppError> {
    // By primary key: no `LIMIT ?` (see `db::unique`).
    let found = user::Entity::find_by_id(user_id)
        .filter(user::Column::Active.eq(true))
        .find_also_related(party::Entity)
        .all(&state.db)
        .await?;
    let Some((user, Some(party))) = found.into_iter().next() else {
        return Ok(None);
    };
    Ok(Viewer::new(user, party, via))
}

/// The viewer if someone is signed in; cached in the request so it is loaded once.
#[derive(Clone)]
pub struct MaybeViewer(pub Option<Viewer>);

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<MaybeViewer>() {
            return Ok(cached.clone());
        }
        let bearer = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer_of);
        let viewer = if let Some(token) = bearer {
            // A wrong token is an error, not an anonymous request.
            Some(tokens::authenticate(state, token).await?.ok_or(AppError::Unauthorized)?)
        } else if let Some(session) = parts.extensions.get::<Session>() {
            match session.get::<i64>(SESSION_USER_KEY).await.map_err(anyhow::Error::from)? {
                Some(uid) => load_viewer(state, uid, Via::Session).await?,
                None => None,
            }
        } else {
            None
        };
        let found = MaybeViewer(viewer);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        MaybeViewer::from_request_parts(parts, state).await?.0.ok_or(AppError::Unauthorized)
    }
}
