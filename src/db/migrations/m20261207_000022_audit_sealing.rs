//! The audit chain is sealed after commit instead of inside every write: events get their id
//! when they are written (a sequence on PostgreSQL), and `seq`, their place in the chain, when a
//! sealer links them. Rows chained before this migration keep their hashes: their place is their id.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000022_audit_sealing"
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Seq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(AuditEvents::Table)
                .add_column(ColumnDef::new(AuditEvents::Seq).big_integer().null())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("UPDATE audit_events SET seq = id").await?;
        m.create_index(
            Index::create()
                .name("ux_audit_events_seq")
                .table(AuditEvents::Table)
                .col(AuditEvents::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        // The sealer's queue: the same partial-index syntax on both databases.
        db.execute_unprepared("CREATE INDEX ix_audit_events_unsealed ON audit_events (id) WHERE seq IS NULL").await?;
        if m.get_database_backend() == sea_orm::DbBackend::Postgres {
            db.execute_unprepared("CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id").await?;
            db.execute_unprepared(
                "SELECT setval('audit_events_id_seq', COALESCE((SELECT MAX(id) FROM audit_events), 0) + 1, false)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if m.get_database_backend() == sea_orm::DbBackend::Postgres {
            db.execute_unprepared("DROP SEQUENCE audit_events_id_seq").await?;
        }
        db.execute_unprepared("DROP INDEX ix_audit_events_unsealed").await?;
        m.drop_index(Index::drop().name("ux_audit_events_seq").table(AuditEvents::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(AuditEvents::Table).drop_column(AuditEvents::Seq).to_owned()).await?;
        Ok(())
    }
}
