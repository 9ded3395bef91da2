//! Task dependencies (FS/SS/FF/SF with a lag in working days).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000003_dependencies"
    }
}

#[derive(DeriveIden)]
enum TaskDependencies {
    Table,
    Id,
    EngagementId,
    PredecessorId,
    SuccessorId,
    Kind,
    LagDays,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let fk = |col: TaskDependencies, table: DynIden, to: DynIden| {
            ForeignKey::create()
                .from(TaskDependencies::Table, col)
                .to(table, to)
                .on_delete(ForeignKeyAction::Restrict)
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(TaskDependencies::Table)
                .col(big_pk_auto(TaskDependencies::Id))
                .col(big_integer(TaskDependencies::EngagementId))
                .col(big_integer(TaskDependencies::PredecessorId))
                .col(big_integer(TaskDependencies::SuccessorId))
                .col(string_len(TaskDependencies::Kind, 2))
                .col(integer(TaskDependencies::LagDays))
                .col(timestamp_with_time_zone(TaskDependencies::CreatedAt))
                .foreign_key(&mut fk(
                    TaskDependencies::EngagementId,
                    Engagements::Table.into_iden(),
                    Engagements::Id.into_iden(),
                ))
                .foreign_key(&mut fk(TaskDependencies::PredecessorId, Tasks::Table.into_iden(), Tasks::Id.into_iden()))
                .foreign_key(&mut fk(TaskDependencies::SuccessorId, Tasks::Table.into_iden(), Tasks::Id.into_iden()))
                .check(Expr::col(TaskDependencies::Kind).is_in(["FS", "SS", "FF", "SF"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_dependencies_pair")
                .table(TaskDependencies::Table)
                .col(TaskDependencies::PredecessorId)
                .col(TaskDependencies::SuccessorId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_dependencies_engagement")
                .table(TaskDependencies::Table)
                .col(TaskDependencies::EngagementId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TaskDependencies::Table).to_owned()).await
    }
}
