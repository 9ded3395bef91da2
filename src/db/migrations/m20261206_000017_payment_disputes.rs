//! Payment disputes: one side of a contract contests an installment (its amount, its invoice,
//! its timing) with a reason; the host resolves it and says whose fault it was, which feeds the
//! vendor's scorecard.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000017_payment_disputes"
    }
}

pub const DISPUTE_STATES: &[&str] = &["open", "resolved", "withdrawn"];
pub const DISPUTE_FAULTS: &[&str] = &["counterparty", "host", "none"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
        const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
        m.create_table(
            Table::create()
                .table(c("payment_disputes"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(big_integer(c("installment_id")))
                .col(big_integer(c("raised_by_party_id")))
                .col(big_integer(c("raised_by")))
                .col(text(c("reason")))
                .col(big_integer_null(c("amount_minor")))
                .col(string_len(c("state"), 16))
                .col(string_len_null(c("fault"), 16))
                .col(text(c("resolution")).default(""))
                .col(big_integer_null(c("closed_by")))
                .col(timestamp_with_time_zone_null(c("closed_at")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("payment_disputes", "contract_id", "contracts", CASCADE))
                // A disputed installment is never deleted: the dispute is part of the vendor's record.
                .foreign_key(&mut fk("payment_disputes", "installment_id", "installments", RESTRICT))
                .foreign_key(&mut fk("payment_disputes", "raised_by_party_id", "parties", RESTRICT))
                .foreign_key(&mut fk("payment_disputes", "raised_by", "users", RESTRICT))
                .check(one_of("state", DISPUTE_STATES))
                .check(Expr::col(c("fault")).is_null().or(one_of("fault", DISPUTE_FAULTS)))
                .check(Expr::col(c("amount_minor")).is_null().or(Expr::col(c("amount_minor")).gt(0)))
                .to_owned(),
        )
        .await?;
        index(m, "payment_disputes", &["installment_id"], false).await?;
        index(m, "payment_disputes", &["contract_id", "created_at"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("payment_disputes")).to_owned()).await
    }
}
