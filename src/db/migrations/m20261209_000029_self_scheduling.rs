//! A plan that schedules itself: each task is scheduled automatically (a typed start holds as
//! *start no earlier than*; its predecessors may push it later) or by hand (it stays, and is
//! marked when its predecessors disagree); the last automatic move of each task, in working
//! days, for the chart to show what moved and by how much.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::c;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000029_self_scheduling"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for col in [
            string_len(c("scheduling"), 8).default("auto").to_owned(),
            date_null(c("start_no_earlier")).to_owned(),
            integer(c("shift_days")).default(0).to_owned(),
            boolean(c("schedule_conflict")).default(false).to_owned(),
        ] {
            m.alter_table(Table::alter().table(c("tasks")).add_column(col).to_owned()).await?;
        }
        // Every start typed so far holds from now on.
        m.get_connection().execute_unprepared("UPDATE tasks SET start_no_earlier = start_date").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["scheduling", "start_no_earlier", "shift_days", "schedule_conflict"] {
            m.alter_table(Table::alter().table(c("tasks")).drop_column(c(col)).to_owned()).await?;
        }
        Ok(())
    }
}
