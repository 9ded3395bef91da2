//! Review rounds of requirements: the items under review, the reviewers (from any party of
//! the engagement), their comments per item, their votes and the round's outcome.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000012_reviews"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ReviewRounds {
    Table,
    Id,
    EngagementId,
    Title,
    Deadline,
    State,
    Outcome,
    CreatedBy,
    CreatedAt,
    ClosedBy,
    ClosedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReviewItems {
    Table,
    Id,
    RoundId,
    RequirementId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReviewReviewers {
    Table,
    Id,
    RoundId,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReviewComments {
    Table,
    Id,
    RoundId,
    RequirementId,
    UserId,
    PartyId,
    Body,
    TaskId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReviewVotes {
    Table,
    Id,
    RoundId,
    UserId,
    PartyId,
    Vote,
    Comment,
    VotedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Engagements {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Requirements {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

fn fk(
    from: (ReviewTable, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .to_owned()
}

type ReviewTable = DynIden;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ReviewRounds as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(big_pk_auto(R::Id))
                .col(big_integer(R::EngagementId))
                .col(string_len(R::Title, 200))
                .col(date(R::Deadline))
                .col(string_len(R::State, 8))
                .col(string_len_null(R::Outcome, 20))
                .col(big_integer(R::CreatedBy))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .col(big_integer_null(R::ClosedBy))
                .col(timestamp_with_time_zone_null(R::ClosedAt))
                .foreign_key(&mut fk(
                    (R::Table.into_iden(), R::EngagementId),
                    (Engagements::Table, Engagements::Id),
                    false,
                ))
                .foreign_key(&mut fk((R::Table.into_iden(), R::CreatedBy), (Users::Table, Users::Id), false))
                .check(Expr::col(R::State).is_in(["open", "closed"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_review_rounds").table(R::Table).col(R::EngagementId).col(R::State).to_owned(),
        )
        .await?;
        use ReviewItems as I;
        m.create_table(
            Table::create()
                .table(I::Table)
                .col(big_pk_auto(I::Id))
                .col(big_integer(I::RoundId))
                .col(big_integer(I::RequirementId))
                .foreign_key(&mut fk((I::Table.into_iden(), I::RoundId), (R::Table, R::Id), true))
                .foreign_key(&mut fk(
                    (I::Table.into_iden(), I::RequirementId),
                    (Requirements::Table, Requirements::Id),
                    false,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_review_items")
                .table(I::Table)
                .col(I::RoundId)
                .col(I::RequirementId)
                .unique()
                .to_owned(),
        )
        .await?;
        use ReviewReviewers as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(big_pk_auto(V::Id))
                .col(big_integer(V::RoundId))
                .col(big_integer(V::UserId))
                .foreign_key(&mut fk((V::Table.into_iden(), V::RoundId), (R::Table, R::Id), true))
                .foreign_key(&mut fk((V::Table.into_iden(), V::UserId), (Users::Table, Users::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_review_reviewers")
                .table(V::Table)
                .col(V::RoundId)
                .col(V::UserId)
                .unique()
                .to_owned(),
        )
        .await?;
        use ReviewComments as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(big_pk_auto(C::Id))
                .col(big_integer(C::RoundId))
                .col(big_integer(C::RequirementId))
                .col(big_integer(C::UserId))
                .col(big_integer(C::PartyId))
                .col(text(C::Body))
                .col(big_integer_null(C::TaskId))
                .col(timestamp_with_time_zone(C::CreatedAt))
                .foreign_key(&mut fk((C::Table.into_iden(), C::RoundId), (R::Table, R::Id), true))
                .foreign_key(&mut fk((C::Table.into_iden(), C::UserId), (Users::Table, Users::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_review_comments").table(C::Table).col(C::RoundId).to_owned()).await?;
        use ReviewVotes as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(big_pk_auto(T::Id))
                .col(big_integer(T::RoundId))
                .col(big_integer(T::UserId))
                .col(big_integer(T::PartyId))
                .col(string_len(T::Vote, 20))
                .col(text(T::Comment).default(""))
                .col(timestamp_with_time_zone(T::VotedAt))
                .foreign_key(&mut fk((T::Table.into_iden(), T::RoundId), (R::Table, R::Id), true))
                .foreign_key(&mut fk((T::Table.into_iden(), T::UserId), (Users::Table, Users::Id), false))
                .check(Expr::col(T::Vote).is_in(["approve", "request_changes"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_review_votes").table(T::Table).col(T::RoundId).col(T::UserId).unique().to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ReviewVotes::Table.into_iden(),
            ReviewComments::Table.into_iden(),
            ReviewReviewers::Table.into_iden(),
            ReviewItems::Table.into_iden(),
            ReviewRounds::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
