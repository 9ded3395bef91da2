//! Traceability: which tasks and deliverables serve which requirement.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000010_requirement_links"
    }
}

#[derive(DeriveIden)]
enum RequirementLinks {
    Table,
    Id,
    EngagementId,
    RequirementId,
    Kind,
    RecordId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Requirements {
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
        use RequirementLinks as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(big_pk_auto(L::Id))
                .col(big_integer(L::EngagementId))
                .col(big_integer(L::RequirementId))
                .col(string_len(L::Kind, 16))
                .col(big_integer(L::RecordId))
                .col(timestamp_with_time_zone(L::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(L::Table, L::RequirementId)
                        .to(Requirements::Table, Requirements::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(L::Table, L::EngagementId)
                        .to(Engagements::Table, Engagements::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .check(Expr::col(L::Kind).is_in(["task", "deliverable"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_requirement_links")
                .table(L::Table)
                .col(L::RequirementId)
                .col(L::Kind)
                .col(L::RecordId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_requirement_links_engagement")
                .table(L::Table)
                .col(L::EngagementId)
                .col(L::Kind)
                .col(L::RecordId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RequirementLinks::Table).to_owned()).await
    }
}
