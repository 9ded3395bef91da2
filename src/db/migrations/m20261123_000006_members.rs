//! Engagement members: who works on an engagement, with an engagement role (a host member can
//! be the PM of one engagement and a member of another).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_members"
    }
}

#[derive(DeriveIden)]
enum EngagementMembers {
    Table,
    Id,
    EngagementId,
    UserId,
    Role,
    CreatedAt,
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
                .table(EngagementMembers::Table)
                .col(big_pk_auto(EngagementMembers::Id))
                .col(big_integer(EngagementMembers::EngagementId))
                .col(big_integer(EngagementMembers::UserId))
                .col(string_len(EngagementMembers::Role, 16))
                .col(timestamp_with_time_zone(EngagementMembers::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(EngagementMembers::Table, EngagementMembers::EngagementId)
                        .to(Engagements::Table, Engagements::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EngagementMembers::Table, EngagementMembers::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .check(Expr::col(EngagementMembers::Role).is_in(["pm", "member"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_members_engagement_user")
                .table(EngagementMembers::Table)
                .col(EngagementMembers::EngagementId)
                .col(EngagementMembers::UserId)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EngagementMembers::Table).to_owned()).await
    }
}
