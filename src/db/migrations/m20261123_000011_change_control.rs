//! Change control: change requests with their impact, scope items, decisions per round, the
//! engagement's routing rules and change board; baselines and requirement versions remember the
//! change that produced them.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000011_change_control"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeRequests {
    Table,
    Id,
    EngagementId,
    Seq,
    Key,
    Title,
    Reason,
    Description,
    State,
    Route,
    Round,
    RaisedBy,
    RaisedPartyId,
    Visibility,
    VisiblePartyId,
    AffectedTaskIds,
    ScheduleDeltaDays,
    CostDeltaMinor,
    Currency,
    ImpactNotes,
    ImpactRecordedBy,
    ImpactRecordedAt,
    ImpactDays,
    RevisitOn,
    DecidedAt,
    AppliedMoves,
    BaselineId,
    RequirementVersionId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeScopeItems {
    Table,
    Id,
    ChangeRequestId,
    Action,
    RequirementId,
    Title,
    Description,
    Criteria,
    Priority,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeDecisions {
    Table,
    Id,
    ChangeRequestId,
    Round,
    UserId,
    PartyId,
    Decision,
    Comment,
    RevisitOn,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeBoards {
    Table,
    Id,
    EngagementId,
    PmMaxDays,
    PmMaxCostMinor,
    Currency,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeBoardMembers {
    Table,
    Id,
    EngagementId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Engagements {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Requirements {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Baselines {
    Table,
    ChangeRequestId,
}

#[derive(DeriveIden, Clone, Copy)]
enum RequirementVersions {
    Table,
    ChangeRequestId,
}

fn to_engagement(table: impl IntoIden + Clone, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Engagements::Table, Engagements::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn to_user(table: impl IntoIden + Clone, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Users::Table, Users::Id).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ChangeRequests as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(big_pk_auto(C::Id))
                .col(big_integer(C::EngagementId))
                .col(integer(C::Seq))
                .col(string_len(C::Key, 16))
                .col(string_len(C::Title, 200))
                .col(text(C::Reason))
                .col(text(C::Description).default(""))
                .col(string_len(C::State, 16))
                .col(string_len_null(C::Route, 8))
                .col(integer(C::Round).default(1))
                .col(big_integer(C::RaisedBy))
                .col(big_integer(C::RaisedPartyId))
                .col(string_len(C::Visibility, 16))
                .col(big_integer_null(C::VisiblePartyId))
                .col(text(C::AffectedTaskIds).default("[]"))
                .col(integer(C::ScheduleDeltaDays).default(0))
                .col(big_integer(C::CostDeltaMinor).default(0))
                .col(string_len(C::Currency, 3).default("CNY"))
                .col(text(C::ImpactNotes).default(""))
                .col(big_integer_null(C::ImpactRecordedBy))
                .col(timestamp_with_time_zone_null(C::ImpactRecordedAt))
                .col(integer_null(C::ImpactDays))
                .col(date_null(C::RevisitOn))
                .col(timestamp_with_time_zone_null(C::DecidedAt))
                .col(text(C::AppliedMoves).default(""))
                .col(big_integer_null(C::BaselineId))
                .col(big_integer_null(C::RequirementVersionId))
                .col(timestamp_with_time_zone(C::CreatedAt))
                .col(timestamp_with_time_zone(C::UpdatedAt))
                .foreign_key(&mut to_engagement(C::Table, C::EngagementId))
                .foreign_key(&mut to_user(C::Table, C::RaisedBy))
                .check(Expr::col(C::State).is_in(["pending", "approved", "rejected", "deferred"]))
                .check(Expr::col(C::Visibility).is_in(["internal", "party", "participants"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_change_requests_seq")
                .table(C::Table)
                .col(C::EngagementId)
                .col(C::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_change_requests_state").table(C::Table).col(C::State).col(C::RevisitOn).to_owned(),
        )
        .await?;

        use ChangeScopeItems as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(big_pk_auto(S::Id))
                .col(big_integer(S::ChangeRequestId))
                .col(string_len(S::Action, 8))
                .col(big_integer_null(S::RequirementId))
                .col(string_len(S::Title, 200).default(""))
                .col(text(S::Description).default(""))
                .col(text(S::Criteria).default(""))
                .col(string_len(S::Priority, 8).default(""))
                .col(timestamp_with_time_zone(S::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(S::Table, S::ChangeRequestId)
                        .to(C::Table, C::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(S::Table, S::RequirementId)
                        .to(Requirements::Table, Requirements::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .check(Expr::col(S::Action).is_in(["add", "change", "remove"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_change_scope_items").table(S::Table).col(S::ChangeRequestId).to_owned(),
        )
        .await?;

        use ChangeDecisions as D;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(big_pk_auto(D::Id))
                .col(big_integer(D::ChangeRequestId))
                .col(integer(D::Round))
                .col(big_integer(D::UserId))
                .col(big_integer(D::PartyId))
                .col(string_len(D::Decision, 8))
                .col(text(D::Comment).default(""))
                .col(date_null(D::RevisitOn))
                .col(timestamp_with_time_zone(D::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(D::Table, D::ChangeRequestId)
                        .to(C::Table, C::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(&mut to_user(D::Table, D::UserId))
                .check(Expr::col(D::Decision).is_in(["approve", "reject", "defer"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_change_decisions_vote")
                .table(D::Table)
                .col(D::ChangeRequestId)
                .col(D::Round)
                .col(D::UserId)
                .unique()
                .to_owned(),
        )
        .await?;

        use ChangeBoards as B;
        m.create_table(
            Table::create()
                .table(B::Table)
                .col(big_pk_auto(B::Id))
                .col(big_integer(B::EngagementId))
                .col(integer(B::PmMaxDays))
                .col(big_integer(B::PmMaxCostMinor))
                .col(string_len(B::Currency, 3))
                .col(timestamp_with_time_zone(B::UpdatedAt))
                .foreign_key(&mut to_engagement(B::Table, B::EngagementId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_change_boards").table(B::Table).col(B::EngagementId).unique().to_owned(),
        )
        .await?;

        use ChangeBoardMembers as M;
        m.create_table(
            Table::create()
                .table(M::Table)
                .col(big_pk_auto(M::Id))
                .col(big_integer(M::EngagementId))
                .col(big_integer(M::UserId))
                .col(timestamp_with_time_zone(M::CreatedAt))
                .foreign_key(&mut to_engagement(M::Table, M::EngagementId))
                .foreign_key(&mut to_user(M::Table, M::UserId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_change_board_members")
                .table(M::Table)
                .col(M::EngagementId)
                .col(M::UserId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter().table(Baselines::Table).add_column(big_integer_null(Baselines::ChangeRequestId)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RequirementVersions::Table)
                .add_column(big_integer_null(RequirementVersions::ChangeRequestId))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RequirementVersions::Table)
                .drop_column(RequirementVersions::ChangeRequestId)
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Baselines::Table).drop_column(Baselines::ChangeRequestId).to_owned())
            .await?;
        for t in [
            ChangeBoardMembers::Table.into_iden(),
            ChangeBoards::Table.into_iden(),
            ChangeDecisions::Table.into_iden(),
            ChangeScopeItems::Table.into_iden(),
            ChangeRequests::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
