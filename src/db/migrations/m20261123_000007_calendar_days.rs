//! Per-engagement calendar exceptions: extra days off or extra working days on top of the
//! shipped national calendar.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000007_calendar_days"
    }
}

#[derive(DeriveIden)]
enum CalendarDays {
    Table,
    Id,
    EngagementId,
    Day,
    Working,
    Note,
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CalendarDays::Table)
                .col(big_pk_auto(CalendarDays::Id))
                .col(big_integer(CalendarDays::EngagementId))
                .col(date(CalendarDays::Day))
                .col(boolean(CalendarDays::Working))
                .col(string_len(CalendarDays::Note, 200))
                .foreign_key(
                    ForeignKey::create()
                        .from(CalendarDays::Table, CalendarDays::EngagementId)
                        .to(Engagements::Table, Engagements::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_calendar_days")
                .table(CalendarDays::Table)
                .col(CalendarDays::EngagementId)
                .col(CalendarDays::Day)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarDays::Table).to_owned()).await
    }
}
