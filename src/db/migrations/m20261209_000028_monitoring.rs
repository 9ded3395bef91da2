//! Portfolio monitoring: when each of an issue's SLA clocks goes at risk (stored beside its due,
//! so every page can tell ok, at risk and breached from the row alone), and a daily snapshot of
//! each engagement's earned value (the S-curve's history and the portfolio's SPI/CPI).

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000028_monitoring"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for col in ["response_risk_at", "resolve_risk_at"] {
            m.alter_table(
                Table::alter().table(c("issues")).add_column(timestamp_with_time_zone_null(c(col))).to_owned(),
            )
            .await?;
        }
        // Issues raised before this knew no calendar-exact moment: they go at risk at their due.
        m.get_connection()
            .execute_unprepared("UPDATE issues SET response_risk_at = response_due, resolve_risk_at = resolve_due")
            .await?;
        m.create_table(
            Table::create()
                .table(c("evm_snapshots"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(date(c("day")))
                .col(string_len(c("currency"), 3))
                .col(big_integer(c("bac")))
                .col(big_integer(c("pv")))
                .col(big_integer(c("ev")))
                .col(big_integer(c("ac")))
                .col(big_integer_null(c("spi_milli")))
                .col(big_integer_null(c("cpi_milli")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("evm_snapshots", "engagement_id", "engagements", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        index(m, "evm_snapshots", &["engagement_id", "day"], true).await?;
        index(m, "issues", &["engagement_id", "status"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("evm_snapshots")).to_owned()).await?;
        for col in ["response_risk_at", "resolve_risk_at"] {
            m.alter_table(Table::alter().table(c("issues")).drop_column(c(col)).to_owned()).await?;
        }
        Ok(())
    }
}
