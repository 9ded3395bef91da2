//! PostgreSQL only: `search_recent`, a copy of the newest 20,000 search entries with a trigram
//! index of its own. A common word matches thousands of entries; finding its newest fifty among
//! the recent ones touches a small index instead of intersecting the big one with an id range.
//! Statement-level triggers keep the copy in step (bulk inserts stay one statement), and trim it.
//! SQLite needs none of this: FTS5 yields matches newest first.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000013_search_recent"
    }
}

/// How many of the newest entries the copy keeps (`search::RECENT_WINDOW`).
const KEEP: i64 = 20_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        let statements = [
            "CREATE TABLE search_recent (LIKE search_entries INCLUDING DEFAULTS)".to_owned(),
            "ALTER TABLE search_recent ADD PRIMARY KEY (id)".to_owned(),
            "CREATE INDEX ix_search_recent_trgm ON search_recent USING gin (content public.gin_trgm_ops)".to_owned(),
            format!(
                "INSERT INTO search_recent SELECT * FROM search_entries \
                 WHERE id > (SELECT coalesce(max(id), 0) - {KEEP} FROM search_entries)"
            ),
            format!(
                "CREATE FUNCTION search_recent_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 INSERT INTO search_recent SELECT * FROM new_rows \
                   WHERE id > (SELECT max(id) - {KEEP} FROM new_rows); \
                 DELETE FROM search_recent WHERE id <= (SELECT max(id) - {KEEP} FROM search_recent); \
                 RETURN NULL; END $$"
            ),
            "CREATE FUNCTION search_recent_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             DELETE FROM search_recent WHERE id IN (SELECT id FROM old_rows); RETURN NULL; END $$"
                .to_owned(),
            "CREATE FUNCTION search_recent_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE search_recent r SET kind = n.kind, record_id = n.record_id, engagement_id = n.engagement_id, \
               visibility = n.visibility, visible_party_id = n.visible_party_id, title = n.title, content = n.content \
             FROM new_rows n WHERE r.id = n.id; RETURN NULL; END $$"
                .to_owned(),
            "CREATE TRIGGER search_recent_ai AFTER INSERT ON search_entries REFERENCING NEW TABLE AS new_rows \
             FOR EACH STATEMENT EXECUTE FUNCTION search_recent_insert()"
                .to_owned(),
            "CREATE TRIGGER search_recent_ad AFTER DELETE ON search_entries REFERENCING OLD TABLE AS old_rows \
             FOR EACH STATEMENT EXECUTE FUNCTION search_recent_delete()"
                .to_owned(),
            "CREATE TRIGGER search_recent_au AFTER UPDATE ON search_entries REFERENCING NEW TABLE AS new_rows \
             FOR EACH STATEMENT EXECUTE FUNCTION search_recent_update()"
                .to_owned(),
        ];
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for sql in [
            "DROP TRIGGER IF EXISTS search_recent_ai ON search_entries",
            "DROP TRIGGER IF EXISTS search_recent_ad ON search_entries",
            "DROP TRIGGER IF EXISTS search_recent_au ON search_entries",
            "DROP FUNCTION IF EXISTS search_recent_insert()",
            "DROP FUNCTION IF EXISTS search_recent_delete()",
            "DROP FUNCTION IF EXISTS search_recent_update()",
            "DROP TABLE IF EXISTS search_recent",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
