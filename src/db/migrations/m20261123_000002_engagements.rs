//! Engagements with their participating parties, milestones and WBS tasks. Records inside an
//! engagement carry a visibility (`internal`, `party` + `visible_party_id`, `participants`).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_engagements"
    }
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
    Code,
    Name,
    Kind,
    State,
    Health,
    StartDate,
    EndDate,
    Description,
    OwnerId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EngagementParticipants {
    Table,
    Id,
    EngagementId,
    PartyId,
    Relation,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Milestones {
    Table,
    Id,
    EngagementId,
    Name,
    DueDate,
    Status,
    OwnerPartyId,
    Visibility,
    VisiblePartyId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
    EngagementId,
    ParentId,
    Name,
    StartDate,
    FinishDate,
    AssigneeId,
    PartyId,
    Progress,
    Status,
    Visibility,
    VisiblePartyId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

const VISIBILITIES: [&str; 3] = ["internal", "party", "participants"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Engagements::Table)
                .col(big_pk_auto(Engagements::Id))
                .col(string_len(Engagements::Code, 32))
                .col(string_len(Engagements::Name, 200))
                .col(string_len(Engagements::Kind, 32))
                .col(string_len(Engagements::State, 16))
                .col(string_len(Engagements::Health, 8))
                .col(date(Engagements::StartDate))
                .col(date(Engagements::EndDate))
                .col(text(Engagements::Description))
                .col(big_integer_null(Engagements::OwnerId))
                .col(timestamp_with_time_zone(Engagements::CreatedAt))
                .col(timestamp_with_time_zone(Engagements::UpdatedAt))
                .foreign_key(&mut fk((Engagements::Table, Engagements::OwnerId), (Users::Table, Users::Id)))
                .check(Expr::col(Engagements::Kind).is_in([
                    "outsourced_development",
                    "vendor_delivery",
                    "client_project",
                    "after_sales",
                ]))
                .check(Expr::col(Engagements::State).is_in(["initiating", "active", "accepting", "closed", "archived"]))
                .check(Expr::col(Engagements::Health).is_in(["green", "amber", "red"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_engagements_code")
                .table(Engagements::Table)
                .col(Engagements::Code)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EngagementParticipants::Table)
                .col(big_pk_auto(EngagementParticipants::Id))
                .col(big_integer(EngagementParticipants::EngagementId))
                .col(big_integer(EngagementParticipants::PartyId))
                .col(string_len(EngagementParticipants::Relation, 16))
                .col(timestamp_with_time_zone(EngagementParticipants::CreatedAt))
                .foreign_key(&mut fk(
                    (EngagementParticipants::Table, EngagementParticipants::EngagementId),
                    (Engagements::Table, Engagements::Id),
                ))
                .foreign_key(&mut fk(
                    (EngagementParticipants::Table, EngagementParticipants::PartyId),
                    (Parties::Table, Parties::Id),
                ))
                .check(Expr::col(EngagementParticipants::Relation).is_in([
                    "client",
                    "vendor",
                    "subcontractor",
                    "supervisor",
                ]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_participants_engagement_party")
                .table(EngagementParticipants::Table)
                .col(EngagementParticipants::EngagementId)
                .col(EngagementParticipants::PartyId)
                .unique()
                .to_owned(),
        )
        .await?;
        // The visibility check asks "which engagements is this party in?" on every query.
        m.create_index(
            Index::create()
                .name("ix_participants_party")
                .table(EngagementParticipants::Table)
                .col(EngagementParticipants::PartyId)
                .col(EngagementParticipants::EngagementId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Milestones::Table)
                .col(big_pk_auto(Milestones::Id))
                .col(big_integer(Milestones::EngagementId))
                .col(string_len(Milestones::Name, 200))
                .col(date(Milestones::DueDate))
                .col(string_len(Milestones::Status, 16))
                .col(big_integer_null(Milestones::OwnerPartyId))
                .col(string_len(Milestones::Visibility, 16))
                .col(big_integer_null(Milestones::VisiblePartyId))
                .col(timestamp_with_time_zone(Milestones::CreatedAt))
                .col(timestamp_with_time_zone(Milestones::UpdatedAt))
                .foreign_key(&mut fk(
                    (Milestones::Table, Milestones::EngagementId),
                    (Engagements::Table, Engagements::Id),
                ))
                .foreign_key(&mut fk((Milestones::Table, Milestones::OwnerPartyId), (Parties::Table, Parties::Id)))
                .foreign_key(&mut fk((Milestones::Table, Milestones::VisiblePartyId), (Parties::Table, Parties::Id)))
                .check(Expr::col(Milestones::Status).is_in(["planned", "achieved", "missed"]))
                .check(Expr::col(Milestones::Visibility).is_in(VISIBILITIES))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_milestones_engagement")
                .table(Milestones::Table)
                .col(Milestones::EngagementId)
                .col(Milestones::DueDate)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tasks::Table)
                .col(big_pk_auto(Tasks::Id))
                .col(big_integer(Tasks::EngagementId))
                .col(big_integer_null(Tasks::ParentId))
                .col(string_len(Tasks::Name, 200))
                .col(date(Tasks::StartDate))
                .col(date(Tasks::FinishDate))
                .col(big_integer_null(Tasks::AssigneeId))
                .col(big_integer_null(Tasks::PartyId))
                .col(small_integer(Tasks::Progress))
                .col(string_len(Tasks::Status, 16))
                .col(string_len(Tasks::Visibility, 16))
                .col(big_integer_null(Tasks::VisiblePartyId))
                .col(timestamp_with_time_zone(Tasks::CreatedAt))
                .col(timestamp_with_time_zone(Tasks::UpdatedAt))
                .foreign_key(&mut fk((Tasks::Table, Tasks::EngagementId), (Engagements::Table, Engagements::Id)))
                .foreign_key(&mut fk((Tasks::Table, Tasks::ParentId), (Tasks::Table, Tasks::Id)))
                .foreign_key(&mut fk((Tasks::Table, Tasks::AssigneeId), (Users::Table, Users::Id)))
                .foreign_key(&mut fk((Tasks::Table, Tasks::PartyId), (Parties::Table, Parties::Id)))
                .foreign_key(&mut fk((Tasks::Table, Tasks::VisiblePartyId), (Parties::Table, Parties::Id)))
                .check(Expr::col(Tasks::Status).is_in(["todo", "in_progress", "done", "blocked"]))
                .check(Expr::col(Tasks::Visibility).is_in(VISIBILITIES))
                .check(Expr::col(Tasks::Progress).between(0, 100))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_tasks_engagement")
                .table(Tasks::Table)
                .col(Tasks::EngagementId)
                .col(Tasks::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Tasks::Table.into_iden(),
            Milestones::Table.into_iden(),
            EngagementParticipants::Table.into_iden(),
            Engagements::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
