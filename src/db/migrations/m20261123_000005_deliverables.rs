//! Deliverables with their acceptance criteria (the checklist acceptance will use).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000005_deliverables"
    }
}

#[derive(DeriveIden)]
enum Deliverables {
    Table,
    Id,
    EngagementId,
    Name,
    Description,
    OwnerPartyId,
    MilestoneId,
    DueDate,
    Status,
    Visibility,
    VisiblePartyId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DeliverableCriteria {
    Table,
    Id,
    DeliverableId,
    Position,
    Text,
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Milestones {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let fk = |col: Deliverables, table: DynIden, to: DynIden| {
            ForeignKey::create()
                .from(Deliverables::Table, col)
                .to(table, to)
                .on_delete(ForeignKeyAction::Restrict)
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(Deliverables::Table)
                .col(big_pk_auto(Deliverables::Id))
                .col(big_integer(Deliverables::EngagementId))
                .col(string_len(Deliverables::Name, 200))
                .col(text(Deliverables::Description))
                .col(big_integer_null(Deliverables::OwnerPartyId))
                .col(big_integer_null(Deliverables::MilestoneId))
                .col(date(Deliverables::DueDate))
                .col(string_len(Deliverables::Status, 16))
                .col(string_len(Deliverables::Visibility, 16))
                .col(big_integer_null(Deliverables::VisiblePartyId))
                .col(timestamp_with_time_zone(Deliverables::CreatedAt))
                .col(timestamp_with_time_zone(Deliverables::UpdatedAt))
                .foreign_key(&mut fk(
                    Deliverables::EngagementId,
                    Engagements::Table.into_iden(),
                    Engagements::Id.into_iden(),
                ))
                .foreign_key(&mut fk(Deliverables::OwnerPartyId, Parties::Table.into_iden(), Parties::Id.into_iden()))
                .foreign_key(&mut fk(Deliverables::VisiblePartyId, Parties::Table.into_iden(), Parties::Id.into_iden()))
                .foreign_key(&mut fk(
                    Deliverables::MilestoneId,
                    Milestones::Table.into_iden(),
                    Milestones::Id.into_iden(),
                ))
                .check(Expr::col(Deliverables::Status).is_in(["planned", "submitted", "accepted", "rejected"]))
                .check(Expr::col(Deliverables::Visibility).is_in(["internal", "party", "participants"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_deliverables_engagement")
                .table(Deliverables::Table)
                .col(Deliverables::EngagementId)
                .col(Deliverables::DueDate)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DeliverableCriteria::Table)
                .col(big_pk_auto(DeliverableCriteria::Id))
                .col(big_integer(DeliverableCriteria::DeliverableId))
                .col(integer(DeliverableCriteria::Position))
                .col(string_len(DeliverableCriteria::Text, 500))
                .foreign_key(
                    ForeignKey::create()
                        .from(DeliverableCriteria::Table, DeliverableCriteria::DeliverableId)
                        .to(Deliverables::Table, Deliverables::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_criteria_deliverable")
                .table(DeliverableCriteria::Table)
                .col(DeliverableCriteria::DeliverableId)
                .col(DeliverableCriteria::Position)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DeliverableCriteria::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Deliverables::Table).to_owned()).await
    }
}
