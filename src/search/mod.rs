//! One search index over engagements, milestones, deliverables, tasks, comments and document
//! names. Writers call [`index`] in their transaction; [`search`] filters hits by the same
//! engagement and record scopes as every list.
//!
//! How text is matched on each database is `db::text`'s business.

pub mod entity;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Set,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use serde::Serialize;

use crate::{AppState, auth::Viewer, db, domain::Id, engagements::entity::engagement, error::AppResult};
use entity::search_entry;

/// How many hits one search returns.
pub const LIMIT: u64 = 50;
const MAX_QUERY_CHARS: usize = 100;
/// How many of the newest index entries are searched first (PostgreSQL keeps them in
/// `search_recent`, see migration 13).
const RECENT_WINDOW: i64 = 20_000;

/// What one record contributes to the index.
pub struct Entry<'a> {
    pub kind: &'static str,
    pub record_id: i64,
    pub engagement_id: i64,
    pub visibility: &'a str,
    pub visible_party_id: Option<i64>,
    pub title: &'a str,
    /// Further text that should match (description, body); the title is always included.
    pub body: &'a str,
}

/// Adds or replaces a record's entry.
pub async fn index(db: &impl ConnectionTrait, e: Entry<'_>) -> AppResult<()> {
    search_entry::Entity::delete_many()
        .filter(search_entry::Column::Kind.eq(e.kind))
        .filter(search_entry::Column::RecordId.eq(e.record_id))
        .exec(db)
        .await?;
    index_new(db, e).await
}

/// Indexes a record created in this transaction: nothing to replace. Records are never deleted,
/// so no old entry can hold its key; if one ever did, the unique (kind, record_id) index refuses
/// the insert rather than leave it behind.
pub async fn index_new(db: &impl ConnectionTrait, e: Entry<'_>) -> AppResult<()> {
    let title: String = e.title.chars().take(300).collect();
    // Stored lowercased, so matching needs no case folding per row.
    let content =
        if e.body.is_empty() { e.title.to_lowercase() } else { format!("{} {}", e.title, e.body).to_lowercase() };
    search_entry::Entity::insert(search_entry::ActiveModel {
        kind: Set(e.kind.to_owned()),
        record_id: Set(e.record_id),
        engagement_id: Set(e.engagement_id),
        visibility: Set(e.visibility.to_owned()),
        visible_party_id: Set(e.visible_party_id),
        title: Set(title),
        content: Set(content),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One hit as read: the entry's own fields and its engagement's code and name.
#[derive(Debug, sea_orm::FromQueryResult)]
struct Found {
    kind: String,
    record_id: i64,
    engagement_id: i64,
    title: String,
    code: String,
    name: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// engagement | milestone | deliverable | task | requirement | change | review | acceptance |
    /// comment | document | contract | vendor
    pub kind: String,
    pub id: Id,
    /// The engagement the hit lives in; none for a vendor, a contract's first one.
    pub engagement_id: Option<Id>,
    pub title: String,
    /// Where the hit lives, for display: the engagement's code and name.
    pub context: String,
    pub url: String,
}

/// The page a hit opens.
fn url_of(kind: &str, id: i64, engagement_id: i64) -> String {
    match kind {
        "engagement" => format!("/engagements/{id}"),
        "milestone" | "deliverable" | "task" | "requirement" | "change" | "acceptance" | "review" | "risk"
        | "issue" => {
            format!("/engagements/{engagement_id}/{kind}s/{id}")
        }
        "comment" => format!("/comments/{id}"),
        "document" => format!("/documents/{id}"),
        "contract" => format!("/contracts/{id}"),
        _ => format!("/engagements/{engagement_id}"),
    }
}

pub async fn search(state: &AppState, viewer: &Viewer, q: &str) -> AppResult<Vec<Hit>> {
    search_from_recent(state, viewer, q, RECENT_WINDOW).await
}

/// [`search`], looking at the newest `window` entries first (a parameter for tests).
pub async fn search_from_recent(state: &AppState, viewer: &Viewer, q: &str, window: i64) -> AppResult<Vec<Hit>> {
    let q: String = q.trim().chars().take(MAX_QUERY_CHARS).collect();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let backend = state.db.get_database_backend();
    let scope = Condition::all()
        .add(viewer.engagement_ids_scope(search_entry::Column::EngagementId))
        .add(viewer.record_scope(search_entry::Column::Visibility, search_entry::Column::VisiblePartyId));
    let fts = db::text::uses_fts5(backend, &q);
    // `recent`: search only the newest entries (`window` of them at most); otherwise all.
    let find = |recent: Option<i64>| {
        let scope = scope.clone();
        let q = q.clone();
        async move {
            let mut stmt = if fts {
                // Driven by the FTS index, newest match first: FTS5 yields rowids in descending
                // order itself, so the scan stops at the fiftieth visible hit.
                Query::select()
                    .from(Alias::new("search_fts"))
                    .cross_join(search_entry::Entity)
                    .and_where(Expr::cust("search_entries.id = search_fts.rowid"))
                    .and_where(db::text::fts_match(&q))
                    .order_by_expr(Expr::cust("search_fts.rowid"), sea_orm::Order::Desc)
                    .to_owned()
            } else {
                let mut s = Query::select();
                match recent {
                    // PostgreSQL's copy of the newest entries, under the big table's name so every
                    // condition reads the same.
                    Some(window) => {
                        s.from_as(Alias::new("search_recent"), search_entry::Entity);
                        if window < RECENT_WINDOW {
                            s.and_where(Expr::cust_with_values(
                                "search_entries.id > (SELECT max(id) FROM search_recent) - $1",
                                [window],
                            ));
                        }
                    }
                    None => {
                        s.from(search_entry::Entity);
                    }
                }
                // By an expression rather than the key: ordering by the key invites the planner
                // to walk the table backwards looking for rare old matches instead of using the
                // index.
                s.and_where(db::text::contains_lowercase(backend, "search_entries.content", &q))
                    .order_by_expr(Expr::cust("search_entries.id + 0"), sea_orm::Order::Desc)
                    .to_owned()
            };
            // The hit's own fields and its engagement's code and name, in one statement.
            stmt.columns([
                (search_entry::Entity, search_entry::Column::Kind),
                (search_entry::Entity, search_entry::Column::RecordId),
                (search_entry::Entity, search_entry::Column::EngagementId),
                (search_entry::Entity, search_entry::Column::Title),
            ])
            .columns([(engagement::Entity, engagement::Column::Code), (engagement::Entity, engagement::Column::Name)])
            .inner_join(
                engagement::Entity,
                Expr::col((engagement::Entity, engagement::Column::Id))
                    .equals((search_entry::Entity, search_entry::Column::EngagementId)),
            )
            .cond_where(scope);
            // The page size as a literal: a bound LIMIT makes SQLite re-prepare the statement
            // at every execution (see `db::unique`).
            let mut built = backend.build(&stmt);
            built.sql.push_str(&format!(" LIMIT {LIMIT}"));
            Found::find_by_statement(built).all(&state.db).await
        }
    };
    // The newest entries first: a common word matches thousands of rows, and visiting each to
    // rank them costs more than the answer is worth. When the newest entries hold a full page,
    // it is the right page (everything else is older); otherwise search everything. FTS5 already
    // walks its matches newest first and stops at the page; PostgreSQL's trigram index yields
    // matches in no order, so it looks in `search_recent` first. (The substring scan of one- and
    // two-character queries on SQLite reads the table either way.)
    let recent = if db::text::has_recent_copy(backend) { find(Some(window)).await? } else { Vec::new() };
    let rows = if recent.len() as u64 >= LIMIT { recent } else { find(None).await? };
    let mut hits: Vec<Hit> = rows
        .into_iter()
        .map(|r| Hit {
            url: url_of(&r.kind, r.record_id, r.engagement_id),
            context: format!("{} {}", r.code, r.name),
            kind: r.kind,
            id: Id(r.record_id),
            engagement_id: Some(Id(r.engagement_id)),
            title: r.title,
        })
        .collect();
    hits.sort_by_key(|h| kind_rank(&h.kind));
    Ok(hits)
}

/// Engagements first, then plan records, then conversation and files.
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "engagement" => 0,
        "milestone" => 1,
        "deliverable" => 2,
        "task" => 3,
        "comment" => 4,
        _ => 5,
    }
}
