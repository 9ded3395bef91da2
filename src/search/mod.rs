//! One search index over engagements, milestones, deliverables, tasks, comments and document
//! names. Writers call [`index`] in their transaction; [`search`] filters hits by the same
//! engagement and record scopes as every list.
//!
//! Matching: SQLite uses an FTS5 trigram index (`search_fts`, kept in step by triggers), which
//! works for Chinese without word segmentation; queries of one or two characters are shorter
//! than a trigram and fall back to a substring scan. PostgreSQL uses a pg_trgm GIN index that
//! serves `ILIKE '%…%'` directly.

pub mod entity;

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::Expr,
};
use serde::Serialize;

use crate::{AppState, auth::Viewer, domain::Id, engagements::entity::engagement, error::AppResult};
use entity::search_entry;

/// How many hits one search returns.
pub const LIMIT: u64 = 50;
const MAX_QUERY_CHARS: usize = 100;

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
    let title: String = e.title.chars().take(300).collect();
    let content = if e.body.is_empty() { e.title.to_owned() } else { format!("{} {}", e.title, e.body) };
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

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// engagement | milestone | deliverable | task | comment | document
    pub kind: String,
    pub id: Id,
    pub engagement_id: Id,
    pub title: String,
    /// Where the hit lives, for display: the engagement's code and name.
    pub context: String,
    pub url: String,
}

/// The page a hit opens.
fn url_of(kind: &str, id: i64, engagement_id: i64) -> String {
    match kind {
        "engagement" => format!("/engagements/{id}"),
        "milestone" | "deliverable" | "task" => format!("/engagements/{engagement_id}/{kind}s/{id}"),
        "comment" => format!("/comments/{id}"),
        "document" => format!("/documents/{id}"),
        _ => format!("/engagements/{engagement_id}"),
    }
}

/// The matching condition for `q` on this database.
fn matches(backend: DbBackend, q: &str) -> Expr {
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    match backend {
        DbBackend::Sqlite if q.chars().count() >= 3 => {
            // One FTS5 phrase: quotes inside are doubled, so the query is never FTS syntax.
            let phrase = format!("\"{}\"", q.replace('"', "\"\""));
            Expr::cust_with_values("search_entries.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)", [
                phrase,
            ])
        }
        DbBackend::Postgres => {
            Expr::cust_with_values("search_entries.content ILIKE $1", [format!("%{escaped}%")])
        }
        _ => crate::db::icontains(search_entry::Column::Content, q),
    }
}

pub async fn search(state: &AppState, viewer: &Viewer, q: &str) -> AppResult<Vec<Hit>> {
    let q: String = q.trim().chars().take(MAX_QUERY_CHARS).collect();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let rows = search_entry::Entity::find()
        .filter(matches(state.db.get_database_backend(), &q))
        .filter(viewer.engagement_ids_scope(search_entry::Column::EngagementId))
        .filter(viewer.record_scope(search_entry::Column::Visibility, search_entry::Column::VisiblePartyId))
        // Newest first, by an expression rather than the key: ordering by the key itself invites
        // both planners to walk the whole table backwards looking for rare old matches.
        .order_by(Expr::cust("search_entries.id + 0"), sea_orm::Order::Desc)
        .limit(LIMIT)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.engagement_id).collect();
    let parents: HashMap<i64, String> = engagement::Entity::find()
        .select_only()
        .columns([engagement::Column::Id, engagement::Column::Code, engagement::Column::Name])
        .filter(engagement::Column::Id.is_in(ids))
        .into_tuple::<(i64, String, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|(id, code, name)| (id, format!("{code} {name}")))
        .collect();
    let mut hits: Vec<Hit> = rows
        .into_iter()
        .map(|r| Hit {
            url: url_of(&r.kind, r.record_id, r.engagement_id),
            context: parents.get(&r.engagement_id).cloned().unwrap_or_default(),
            kind: r.kind,
            id: Id(r.record_id),
            engagement_id: Id(r.engagement_id),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_queries_on_sqlite_fall_back_to_a_substring_scan() {
        let fts = matches(DbBackend::Sqlite, "里程碑");
        let scan = matches(DbBackend::Sqlite, "验收");
        let q = |e: Expr| {
            sea_orm::sea_query::Query::select()
                .expr(e)
                .to_string(sea_orm::sea_query::SqliteQueryBuilder)
        };
        assert!(q(fts).contains("MATCH"));
        assert!(q(scan).contains("LIKE"));
    }

    #[test]
    fn fts_phrases_cannot_carry_query_syntax() {
        let e = matches(DbBackend::Sqlite, "a\" OR b");
        let sql = sea_orm::sea_query::Query::select().expr(e).to_string(sea_orm::sea_query::SqliteQueryBuilder);
        assert!(sql.contains("'\"a\"\" OR b\"'"), "{sql}");
    }

    #[test]
    fn like_wildcards_are_literal() {
        let e = matches(DbBackend::Postgres, "50%_x");
        let sql = sea_orm::sea_query::Query::select().expr(e).to_string(sea_orm::sea_query::PostgresQueryBuilder);
        assert!(sql.contains(r"E'%50\\%\\_x%'"), "{sql}");
    }
}
