//! Text search as each database does it best. SQLite matches with an FTS5 trigram index
//! (`search_fts`, kept in step by triggers), which works for Chinese without word segmentation;
//! queries of one or two characters are shorter than a trigram and fall back to a substring
//! scan. PostgreSQL matches `LIKE '%…%'` over lowercased text through a pg_trgm GIN index, and
//! keeps a copy of the newest entries (`search_recent`) to look in first, because the trigram
//! index yields matches in no order.

use sea_orm::{DbBackend, sea_query::Expr};

/// Whether the FTS5 index serves `q` here.
pub fn uses_fts5(backend: DbBackend, q: &str) -> bool {
    backend == DbBackend::Sqlite && q.chars().count() >= 3
}

/// Whether the newest entries have a table of their own to search first.
pub fn has_recent_copy(backend: DbBackend) -> bool {
    backend == DbBackend::Postgres
}

/// The FTS5 condition matching `q` as one phrase (`search_fts MATCH "…"`).
pub fn fts_match(q: &str) -> Expr {
    Expr::cust_with_values("search_fts MATCH ?", [fts_phrase(q)])
}

/// One FTS5 phrase: quotes inside are doubled, so the query is never FTS syntax.
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// `column LIKE '%q%'` over lowercased text, with the query's own wildcards taken literally.
/// `column` is trusted SQL (a qualified column name), never input.
pub fn contains_lowercase(backend: DbBackend, column: &str, q: &str) -> Expr {
    let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    match backend {
        DbBackend::Postgres => Expr::cust_with_values(format!("{column} LIKE $1"), [pattern]),
        _ => Expr::cust_with_values(format!("{column} LIKE ? ESCAPE '\\'"), [pattern]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder};

    #[test]
    fn short_queries_on_sqlite_fall_back_to_a_substring_scan() {
        assert!(!uses_fts5(DbBackend::Sqlite, "验收"));
        assert!(uses_fts5(DbBackend::Sqlite, "验收单"));
        assert!(!uses_fts5(DbBackend::Postgres, "验收单"));
        let scan = contains_lowercase(DbBackend::Sqlite, "t.content", "验收");
        let sql = Query::select().expr(scan).to_string(SqliteQueryBuilder);
        assert!(sql.contains("t.content LIKE"), "{sql}");
    }

    #[test]
    fn fts_phrases_cannot_carry_query_syntax() {
        assert_eq!(fts_phrase("a\" OR b"), "\"a\"\" OR b\"");
        assert_eq!(fts_phrase("里程碑"), "\"里程碑\"");
    }

    #[test]
    fn like_wildcards_are_literal() {
        let e = contains_lowercase(DbBackend::Postgres, "t.content", "50%_x");
        let sql = Query::select().expr(e).to_string(PostgresQueryBuilder);
        assert!(sql.contains(r"E'%50\\%\\_x%'") && sql.contains("LIKE"), "{sql}");
    }
}
