//! Vendors: the directory's profiles and qualification certificates, status changes with their
//! reasons, selections (RFQ / 比选) with weighted criteria, invitations, sealed bids and blind
//! scores, manual evaluations and the scorecards published to a vendor.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000016_vendors"
    }
}

const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
pub const VENDOR_STATUSES: &[&str] = &["prospect", "qualified", "active", "suspended", "blacklisted"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(c("vendor_profiles"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("party_id")))
                .col(string_len(c("status"), 16))
                .col(text(c("categories")).default("[]"))
                .col(text(c("regions")).default("[]"))
                .col(string_len(c("size"), 16).default(""))
                .col(string_len(c("bank_name"), 200).default(""))
                .col(string_len(c("bank_account"), 64).default(""))
                .col(string_len(c("bank_account_name"), 200).default(""))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("vendor_profiles", "party_id", "parties", CASCADE))
                .check(one_of("status", VENDOR_STATUSES))
                .to_owned(),
        )
        .await?;
        index(m, "vendor_profiles", &["party_id"], true).await?;
        // Vendors that already work with the host start out active.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO vendor_profiles (party_id, status, updated_at) \
                 SELECT id, 'active', updated_at FROM parties WHERE kind = 'vendor'",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(c("vendor_status_changes"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("party_id")))
                .col(string_len(c("from_status"), 16))
                .col(string_len(c("to_status"), 16))
                .col(text(c("reason")))
                .col(big_integer_null(c("changed_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("vendor_status_changes", "party_id", "parties", CASCADE))
                .to_owned(),
        )
        .await?;
        index(m, "vendor_status_changes", &["party_id"], false).await?;

        m.create_table(
            Table::create()
                .table(c("vendor_certificates"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("party_id")))
                .col(string_len(c("kind"), 16))
                .col(string_len(c("name"), 200))
                .col(string_len(c("number"), 100).default(""))
                .col(string_len(c("issuer"), 200).default(""))
                .col(date_null(c("issued_on")))
                .col(date_null(c("expires_on")))
                .col(timestamp_with_time_zone_null(c("reminded_at")))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("vendor_certificates", "party_id", "parties", CASCADE))
                .check(one_of("kind", &["iso9001", "iso27001", "iso20000", "cmmi", "dengbao", "license", "other"]))
                .to_owned(),
        )
        .await?;
        index(m, "vendor_certificates", &["party_id"], false).await?;
        index(m, "vendor_certificates", &["expires_on"], false).await?;

        m.create_table(
            Table::create()
                .table(c("vendor_files"))
                .col(big_pk_auto(c("id")))
                .col(string_len(c("owner_kind"), 16))
                .col(big_integer(c("owner_id")))
                .col(string_len(c("file_name"), 255))
                .col(string_len(c("object_key"), 200))
                .col(big_integer(c("size")))
                .col(string_len(c("content_type"), 100))
                .col(string_len(c("sha256"), 64))
                .col(big_integer(c("uploaded_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .check(one_of("owner_kind", &["certificate", "bid"]))
                .to_owned(),
        )
        .await?;
        index(m, "vendor_files", &["owner_kind", "owner_id"], false).await?;

        m.create_table(
            Table::create()
                .table(c("selections"))
                .col(big_pk_auto(c("id")))
                .col(string_len(c("title"), 200))
                .col(big_integer_null(c("engagement_id")))
                .col(text(c("scope")).default(""))
                .col(string_len(c("category"), 32).default(""))
                .col(string_len(c("currency"), 3))
                .col(big_integer_null(c("budget_min_minor")))
                .col(big_integer_null(c("budget_max_minor")))
                .col(timestamp_with_time_zone(c("deadline")))
                .col(string_len(c("state"), 16))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone_null(c("closed_at")))
                .col(big_integer_null(c("awarded_party_id")))
                .col(text(c("justification")).default(""))
                .col(big_integer_null(c("awarded_by")))
                .col(timestamp_with_time_zone_null(c("awarded_at")))
                .col(big_integer_null(c("contract_id")))
                .foreign_key(&mut fk("selections", "engagement_id", "engagements", RESTRICT))
                .check(one_of("state", &["open", "closed", "awarded", "cancelled"]))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(c("selection_criteria"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("selection_id")))
                .col(integer(c("position")))
                .col(string_len(c("name"), 100))
                .col(integer(c("weight")))
                .foreign_key(&mut fk("selection_criteria", "selection_id", "selections", CASCADE))
                .to_owned(),
        )
        .await?;
        index(m, "selection_criteria", &["selection_id", "position"], true).await?;

        for (table, col, to) in
            [("selection_evaluators", "user_id", "users"), ("selection_invitations", "party_id", "parties")]
        {
            m.create_table(
                Table::create()
                    .table(c(table))
                    .col(big_pk_auto(c("id")))
                    .col(big_integer(c("selection_id")))
                    .col(big_integer(c(col)))
                    .col(big_integer(c("added_by")))
                    .col(timestamp_with_time_zone(c("created_at")))
                    .foreign_key(&mut fk(table, "selection_id", "selections", CASCADE))
                    .foreign_key(&mut fk(table, col, to, RESTRICT))
                    .to_owned(),
            )
            .await?;
            index(m, table, &["selection_id", col], true).await?;
        }

        m.create_table(
            Table::create()
                .table(c("selection_bids"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("selection_id")))
                .col(big_integer(c("party_id")))
                .col(big_integer(c("price_minor")))
                .col(string_len(c("currency"), 3))
                .col(text(c("summary")))
                .col(integer(c("revision")))
                .col(big_integer(c("submitted_by")))
                .col(timestamp_with_time_zone(c("submitted_at")))
                .foreign_key(&mut fk("selection_bids", "selection_id", "selections", CASCADE))
                .foreign_key(&mut fk("selection_bids", "party_id", "parties", RESTRICT))
                .to_owned(),
        )
        .await?;
        index(m, "selection_bids", &["selection_id", "party_id"], true).await?;

        m.create_table(
            Table::create()
                .table(c("selection_scores"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("selection_id")))
                .col(big_integer(c("evaluator_id")))
                .col(big_integer(c("party_id")))
                .col(big_integer(c("criterion_id")))
                .col(integer(c("score")))
                .col(timestamp_with_time_zone(c("scored_at")))
                .foreign_key(&mut fk("selection_scores", "selection_id", "selections", CASCADE))
                .foreign_key(&mut fk("selection_scores", "criterion_id", "selection_criteria", CASCADE))
                .check(Expr::col(c("score")).between(0, 100))
                .to_owned(),
        )
        .await?;
        index(m, "selection_scores", &["selection_id", "evaluator_id", "party_id", "criterion_id"], true).await?;

        m.create_table(
            Table::create()
                .table(c("evaluation_templates"))
                .col(big_pk_auto(c("id")))
                .col(string_len(c("kind"), 16))
                .col(string_len(c("name"), 100))
                .col(text(c("criteria")))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .check(one_of("kind", &["selection", "evaluation"]))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(c("vendor_evaluations"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("party_id")))
                .col(string_len(c("period"), 8))
                .col(string_len(c("template"), 100))
                .col(text(c("scores")))
                .col(integer(c("total_bp")))
                .col(text(c("comment")).default(""))
                .col(big_integer(c("evaluator_id")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("vendor_evaluations", "party_id", "parties", CASCADE))
                .to_owned(),
        )
        .await?;
        index(m, "vendor_evaluations", &["party_id", "period", "evaluator_id"], true).await?;

        m.create_table(
            Table::create()
                .table(c("scorecard_publications"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("party_id")))
                .col(string_len(c("period"), 8))
                .col(text(c("snapshot")))
                .col(big_integer(c("published_by")))
                .col(timestamp_with_time_zone(c("published_at")))
                .foreign_key(&mut fk("scorecard_publications", "party_id", "parties", CASCADE))
                .to_owned(),
        )
        .await?;
        index(m, "scorecard_publications", &["party_id", "period"], true).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "scorecard_publications",
            "vendor_evaluations",
            "evaluation_templates",
            "selection_scores",
            "selection_bids",
            "selection_invitations",
            "selection_evaluators",
            "selection_criteria",
            "selections",
            "vendor_files",
            "vendor_certificates",
            "vendor_status_changes",
            "vendor_profiles",
        ] {
            m.drop_table(Table::drop().table(c(t)).to_owned()).await?;
        }
        Ok(())
    }
}
