//! The risk register (风险登记册): risks per engagement, scored probability × impact, with an
//! owner, a strategy, response tasks, a review date, and the history of every assessment.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000024_risks"
    }
}

pub const RISK_CATEGORIES: &[&str] =
    &["schedule", "cost", "quality", "scope", "vendor", "contract", "compliance", "security"];
pub const RISK_STRATEGIES: &[&str] = &["avoid", "mitigate", "transfer", "accept"];
pub const RISK_STATUSES: &[&str] = &["open", "monitoring", "occurred", "closed"];
const VISIBILITIES: &[&str] = &["internal", "party", "participants"];

fn one_to_five(col: &str) -> SimpleExpr {
    Expr::col(c(col)).between(1, 5)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
        const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
        const SET_NULL: ForeignKeyAction = ForeignKeyAction::SetNull;
        m.create_table(
            Table::create()
                .table(c("risks"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(integer(c("seq")))
                .col(string_len(c("key"), 16))
                .col(string_len(c("title"), 200))
                .col(string_len(c("category"), 16))
                .col(text(c("cause")).default(""))
                .col(text(c("effect")).default(""))
                .col(small_integer(c("probability")))
                .col(small_integer(c("impact")))
                .col(small_integer(c("score")))
                .col(string_len(c("strategy"), 16))
                .col(big_integer_null(c("owner_id")))
                .col(text(c("trigger_text")).default(""))
                .col(text(c("response")).default(""))
                .col(text(c("task_ids")).default("[]"))
                .col(big_integer_null(c("milestone_id")))
                .col(big_integer_null(c("contract_id")))
                .col(big_integer_null(c("vendor_id")))
                .col(date_null(c("review_on")))
                .col(string_len(c("status"), 16))
                .col(big_integer(c("raised_by")))
                .col(big_integer(c("raised_party_id")))
                .col(string_len(c("visibility"), 16))
                .col(big_integer_null(c("visible_party_id")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .col(timestamp_with_time_zone_null(c("closed_at")))
                .foreign_key(&mut fk("risks", "engagement_id", "engagements", CASCADE))
                .foreign_key(&mut fk("risks", "owner_id", "users", RESTRICT))
                .foreign_key(&mut fk("risks", "milestone_id", "milestones", SET_NULL))
                .foreign_key(&mut fk("risks", "contract_id", "contracts", SET_NULL))
                .foreign_key(&mut fk("risks", "vendor_id", "parties", RESTRICT))
                .foreign_key(&mut fk("risks", "raised_by", "users", RESTRICT))
                .foreign_key(&mut fk("risks", "raised_party_id", "parties", RESTRICT))
                .foreign_key(&mut fk("risks", "visible_party_id", "parties", RESTRICT))
                .check(one_of("category", RISK_CATEGORIES))
                .check(one_of("strategy", RISK_STRATEGIES))
                .check(one_of("status", RISK_STATUSES))
                .check(one_of("visibility", VISIBILITIES))
                .check(one_to_five("probability"))
                .check(one_to_five("impact"))
                .check(Expr::col(c("score")).eq(Expr::col(c("probability")).mul(Expr::col(c("impact")))))
                .to_owned(),
        )
        .await?;
        index(m, "risks", &["engagement_id", "seq"], true).await?;
        index(m, "risks", &["engagement_id", "status", "score"], false).await?;
        index(m, "risks", &["review_on"], false).await?;
        index(m, "risks", &["contract_id"], false).await?;
        m.create_table(
            Table::create()
                .table(c("risk_assessments"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("risk_id")))
                .col(small_integer(c("probability")))
                .col(small_integer(c("impact")))
                .col(small_integer(c("score")))
                .col(string_len(c("status"), 16))
                .col(big_integer(c("user_id")))
                .col(big_integer(c("party_id")))
                .col(text(c("note")).default(""))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("risk_assessments", "risk_id", "risks", CASCADE))
                .foreign_key(&mut fk("risk_assessments", "user_id", "users", RESTRICT))
                .foreign_key(&mut fk("risk_assessments", "party_id", "parties", RESTRICT))
                .check(one_of("status", RISK_STATUSES))
                .check(one_to_five("probability"))
                .check(one_to_five("impact"))
                .to_owned(),
        )
        .await?;
        index(m, "risk_assessments", &["risk_id", "id"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("risk_assessments")).to_owned()).await?;
        m.drop_table(Table::drop().table(c("risks")).to_owned()).await
    }
}
