//! Takes out what approved changes wrote into records that a wider audience reads: the title of
//! an internal or one-party change on the baseline and the requirement version it left behind
//! (every participant reads those), and the change's cost (the client's price) in the amendment
//! reason of a vendor's contract. New approvals no longer write them (`changes::decide`).

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;

use crate::money::Money;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000020_public_change_labels"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        // Baselines and versions name a change that not everyone may read: its key alone.
        for (table, column) in [("baselines", "name"), ("requirement_versions", "note")] {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {column} = (SELECT c.key FROM change_requests c WHERE c.id = {table}.change_request_id) \
                 WHERE change_request_id IN (SELECT id FROM change_requests WHERE visibility <> 'participants')"
            ))
            .await?;
        }
        // Amendment reasons were "KEY title (cost)": drop the cost.
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, key, title, cost_delta_minor, currency FROM change_requests WHERE cost_delta_minor <> 0",
            ))
            .await?;
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            let key: String = r.try_get("", "key")?;
            let title: String = r.try_get("", "title")?;
            let minor: i64 = r.try_get("", "cost_delta_minor")?;
            let currency: String = r.try_get("", "currency")?;
            let old = format!("{key} {title} ({})", Money { minor, currency }.display());
            let new = format!("{key} {title}");
            let sql = |table: &str, column: &str, filter: &str| {
                let p =
                    |n: usize| if backend == sea_orm::DatabaseBackend::Postgres { format!("${n}") } else { "?".into() };
                Statement::from_sql_and_values(
                    backend,
                    format!("UPDATE {table} SET {column} = {} WHERE {column} = {} {filter}", p(1), p(2)),
                    [new.clone().into(), old.clone().into()],
                )
            };
            db.execute_raw(sql("contracts", "amendment_reason", "")).await?;
            db.execute_raw(sql("contract_versions", "reason", &format!("AND change_request_id = {id}"))).await?;
        }
        Ok(())
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        // What was taken out was a leak; it is not put back.
        Ok(())
    }
}
