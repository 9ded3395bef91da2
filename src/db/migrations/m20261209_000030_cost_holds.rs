//! Over-budget approval of commitments: a payable contract that goes into force while it takes
//! its category over budget waits as a hold until an approver decides; until approved it does
//! not count as committed.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000030_cost_holds"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
        m.create_table(
            Table::create()
                .table(c("cost_holds"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(big_integer(c("contract_id")))
                .col(string_len(c("category"), 16))
                .col(big_integer(c("amount_minor")))
                .col(string_len(c("currency"), 3))
                .col(string_len(c("state"), 16))
                .col(text(c("reason")).default(""))
                .col(big_integer_null(c("decided_by")))
                .col(timestamp_with_time_zone_null(c("decided_at")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("cost_holds", "engagement_id", "engagements", CASCADE))
                .foreign_key(&mut fk("cost_holds", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk("cost_holds", "decided_by", "users", ForeignKeyAction::Restrict))
                .check(one_of("state", &["pending", "approved", "rejected"]))
                .to_owned(),
        )
        .await?;
        index(m, "cost_holds", &["contract_id"], true).await?;
        index(m, "cost_holds", &["engagement_id", "state"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("cost_holds")).to_owned()).await
    }
}
