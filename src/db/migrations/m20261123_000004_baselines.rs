//! Plan baselines: frozen copies of task and milestone dates to compare the current plan with.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000004_baselines"
    }
}

#[derive(DeriveIden)]
enum Baselines {
    Table,
    Id,
    EngagementId,
    Name,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BaselineItems {
    Table,
    Id,
    BaselineId,
    TaskId,
    MilestoneId,
    StartDate,
    FinishDate,
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Baselines::Table)
                .col(big_pk_auto(Baselines::Id))
                .col(big_integer(Baselines::EngagementId))
                .col(string_len(Baselines::Name, 100))
                .col(big_integer_null(Baselines::CreatedBy))
                .col(timestamp_with_time_zone(Baselines::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Baselines::Table, Baselines::EngagementId)
                        .to(Engagements::Table, Engagements::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Baselines::Table, Baselines::CreatedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_baselines_engagement")
                .table(Baselines::Table)
                .col(Baselines::EngagementId)
                .to_owned(),
        )
        .await?;
        // One row per task or milestone of the baseline; milestones keep their due date in both columns.
        m.create_table(
            Table::create()
                .table(BaselineItems::Table)
                .col(big_pk_auto(BaselineItems::Id))
                .col(big_integer(BaselineItems::BaselineId))
                .col(big_integer_null(BaselineItems::TaskId))
                .col(big_integer_null(BaselineItems::MilestoneId))
                .col(date(BaselineItems::StartDate))
                .col(date(BaselineItems::FinishDate))
                .foreign_key(
                    ForeignKey::create()
                        .from(BaselineItems::Table, BaselineItems::BaselineId)
                        .to(Baselines::Table, Baselines::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_baseline_items")
                .table(BaselineItems::Table)
                .col(BaselineItems::BaselineId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(BaselineItems::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Baselines::Table).to_owned()).await
    }
}
