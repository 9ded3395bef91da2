//! Cost control: an engagement's budget by category with its own baseline, and expenses, which
//! wait for an approver when they would take their category over its budget.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000025_costs"
    }
}

pub const COST_CATEGORIES: &[&str] = &["labour", "vendor", "hardware", "software", "travel", "other"];
pub const EXPENSE_STATES: &[&str] = &["counted", "pending", "rejected"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
        const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
        const SET_NULL: ForeignKeyAction = ForeignKeyAction::SetNull;
        m.create_table(
            Table::create()
                .table(c("budget_lines"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(string_len(c("category"), 16))
                .col(big_integer(c("amount_minor")))
                .col(big_integer_null(c("baseline_minor")))
                .col(string_len(c("currency"), 3))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("budget_lines", "engagement_id", "engagements", CASCADE))
                .check(one_of("category", COST_CATEGORIES))
                .check(Expr::col(c("amount_minor")).gte(0))
                .to_owned(),
        )
        .await?;
        index(m, "budget_lines", &["engagement_id", "category"], true).await?;
        m.create_table(
            Table::create()
                .table(c("expenses"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(string_len(c("category"), 16))
                .col(big_integer(c("amount_minor")))
                .col(string_len(c("currency"), 3))
                .col(date(c("spent_on")))
                .col(text(c("description")))
                .col(big_integer_null(c("document_id")))
                .col(string_len(c("state"), 16))
                .col(big_integer(c("created_by")))
                .col(big_integer_null(c("decided_by")))
                .col(timestamp_with_time_zone_null(c("decided_at")))
                .col(text(c("decision_reason")).default(""))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("expenses", "engagement_id", "engagements", CASCADE))
                .foreign_key(&mut fk("expenses", "document_id", "documents", SET_NULL))
                .foreign_key(&mut fk("expenses", "created_by", "users", RESTRICT))
                .foreign_key(&mut fk("expenses", "decided_by", "users", RESTRICT))
                .check(one_of("category", COST_CATEGORIES))
                .check(one_of("state", EXPENSE_STATES))
                .check(Expr::col(c("amount_minor")).gt(0))
                .to_owned(),
        )
        .await?;
        index(m, "expenses", &["engagement_id", "spent_on"], false).await?;
        index(m, "expenses", &["state"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("expenses")).to_owned()).await?;
        m.drop_table(Table::drop().table(c("budget_lines")).to_owned()).await
    }
}
