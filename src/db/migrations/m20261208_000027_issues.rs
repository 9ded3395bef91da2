//! The issue and conflict log (问题/冲突): raised by anyone taking part, with SLA targets per
//! severity for the first response and the resolution, counted in working hours.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000027_issues"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
        const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
        m.create_table(
            Table::create()
                .table(c("issues"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(integer(c("seq")))
                .col(string_len(c("key"), 16))
                .col(string_len(c("title"), 200))
                .col(text(c("description")).default(""))
                .col(string_len(c("kind"), 16))
                .col(string_len(c("severity"), 16))
                .col(string_len(c("status"), 16))
                .col(big_integer(c("raised_by")))
                .col(big_integer(c("raised_party_id")))
                .col(big_integer_null(c("owner_id")))
                .col(string_len(c("visibility"), 16))
                .col(big_integer_null(c("visible_party_id")))
                .col(timestamp_with_time_zone(c("response_due")))
                .col(timestamp_with_time_zone(c("resolve_due")))
                .col(integer(c("response_minutes")))
                .col(integer(c("resolve_minutes")))
                .col(timestamp_with_time_zone_null(c("responded_at")))
                .col(timestamp_with_time_zone_null(c("resolved_at")))
                .col(text(c("resolution")).default(""))
                .col(timestamp_with_time_zone_null(c("closed_at")))
                .col(integer(c("escalation")).default(0))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("issues", "engagement_id", "engagements", CASCADE))
                .foreign_key(&mut fk("issues", "raised_by", "users", RESTRICT))
                .foreign_key(&mut fk("issues", "raised_party_id", "parties", RESTRICT))
                .foreign_key(&mut fk("issues", "owner_id", "users", RESTRICT))
                .foreign_key(&mut fk("issues", "visible_party_id", "parties", RESTRICT))
                .check(one_of("kind", &["issue", "conflict", "question", "decision"]))
                .check(one_of("severity", &["critical", "high", "medium", "low"]))
                .check(one_of("status", &["open", "responded", "resolved", "closed"]))
                .check(one_of("visibility", &["internal", "party", "participants"]))
                .to_owned(),
        )
        .await?;
        index(m, "issues", &["engagement_id", "seq"], true).await?;
        index(m, "issues", &["status", "resolve_due"], false).await?;
        m.create_table(
            Table::create()
                .table(c("sla_policies"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(string_len(c("hours_start"), 5))
                .col(string_len(c("hours_end"), 5))
                .col(text(c("targets")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("sla_policies", "engagement_id", "engagements", CASCADE))
                .to_owned(),
        )
        .await?;
        index(m, "sla_policies", &["engagement_id"], true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(c("sla_policies")).to_owned()).await?;
        m.drop_table(Table::drop().table(c("issues")).to_owned()).await
    }
}
