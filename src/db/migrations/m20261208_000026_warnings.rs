//! Early warning: rules per engagement (defaults in the code, the PM's changes stored here) and
//! the warnings they raise, each open until its condition clears.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000026_warnings"
    }
}

const VISIBILITIES: &[&str] = &["internal", "party", "participants"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
        const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
        m.create_table(
            Table::create()
                .table(c("warning_rules"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(string_len(c("rule"), 32))
                .col(boolean(c("enabled")))
                .col(big_integer(c("threshold")))
                .col(text(c("notify_user_ids")).default("[]"))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("warning_rules", "engagement_id", "engagements", CASCADE))
                .to_owned(),
        )
        .await?;
        index(m, "warning_rules", &["engagement_id", "rule"], true).await?;
        m.create_table(
            Table::create()
                .table(c("warnings"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(string_len(c("rule"), 32))
                .col(string_len(c("subject_key"), 64))
                .col(string_len(c("severity"), 8))
                .col(text(c("args")))
                .col(string_len(c("visibility"), 16))
                .col(big_integer_null(c("visible_party_id")))
                .col(timestamp_with_time_zone(c("raised_at")))
                .col(timestamp_with_time_zone_null(c("cleared_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("warnings", "engagement_id", "engagements", CASCADE))
                .foreign_key(&mut fk("warnings", "visible_party_id", "parties", RESTRICT))
                .check(one_of("severity", &["amber", "red"]))
                .check(one_of("visibility", VISIBILITIES))
                .to_owned(),
        )
        .await?;
        index(m, "warnings", &["engagement_id", "cleared_at"], false).await?;
        index(m, "warnings", &["cleared_at", "severity"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("warnings")).to_owned()).await?;
        m.drop_table(Table::drop().table(c("warning_rules")).to_owned()).await
    }
}
