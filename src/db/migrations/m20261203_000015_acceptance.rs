//! Formal acceptance (初验 / 终验) of deliverables: numbered rounds with a checklist, evidence,
//! signatures with the content hash, defects opened by rejection or inspection, quality checks
//! and the warranty period (质保期) that final acceptance starts.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261203_000014_contracts::{c, fk, index, one_of};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000015_acceptance"
    }
}

const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;
const VISIBILITY: &[&str] = &["internal", "party", "participants"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(c("deliverables")).add_column(integer(c("warranty_months")).default(0)).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(c("acceptances"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(big_integer(c("deliverable_id")))
                .col(string_len(c("stage"), 8))
                .col(integer(c("round")))
                .col(string_len(c("state"), 28))
                .col(text(c("note")).default(""))
                .col(text(c("conditions")).default(""))
                .col(text(c("required_parties")).default("[]"))
                .col(big_integer(c("submitted_by")))
                .col(big_integer(c("submitted_party_id")))
                .col(timestamp_with_time_zone(c("submitted_at")))
                .col(big_integer_null(c("decided_by")))
                .col(timestamp_with_time_zone_null(c("decided_at")))
                .col(string_len_null(c("content_sha256"), 64))
                .col(timestamp_with_time_zone_null(c("effective_at")))
                .col(string_len(c("visibility"), 16))
                .col(big_integer_null(c("visible_party_id")))
                .foreign_key(&mut fk("acceptances", "engagement_id", "engagements", RESTRICT))
                .foreign_key(&mut fk("acceptances", "deliverable_id", "deliverables", RESTRICT))
                .foreign_key(&mut fk("acceptances", "submitted_by", "users", RESTRICT))
                .check(one_of("stage", &["initial", "final"]))
                .check(one_of("state", &["submitted", "accepted", "accepted_with_conditions", "rejected"]))
                .check(one_of("visibility", VISIBILITY))
                .to_owned(),
        )
        .await?;
        index(m, "acceptances", &["deliverable_id", "stage", "round"], true).await?;
        index(m, "acceptances", &["engagement_id"], false).await?;

        m.create_table(
            Table::create()
                .table(c("acceptance_items"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("acceptance_id")))
                .col(integer(c("position")))
                .col(string_len(c("source"), 12))
                .col(big_integer_null(c("criterion_id")))
                .col(big_integer_null(c("requirement_id")))
                .col(text(c("text")))
                .col(boolean_null(c("passed")))
                .col(text(c("note")).default(""))
                .foreign_key(&mut fk("acceptance_items", "acceptance_id", "acceptances", CASCADE))
                .check(one_of("source", &["criterion", "requirement"]))
                .to_owned(),
        )
        .await?;
        index(m, "acceptance_items", &["acceptance_id", "position"], true).await?;

        m.create_table(
            Table::create()
                .table(c("acceptance_evidence"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("acceptance_id")))
                .col(big_integer(c("document_id")))
                // The version submitted: a later upload on the document changes nothing signed.
                .col(integer(c("version")))
                .col(string_len(c("sha256"), 64))
                .foreign_key(&mut fk("acceptance_evidence", "acceptance_id", "acceptances", CASCADE))
                .foreign_key(&mut fk("acceptance_evidence", "document_id", "documents", RESTRICT))
                .to_owned(),
        )
        .await?;
        index(m, "acceptance_evidence", &["acceptance_id", "document_id"], true).await?;

        m.create_table(
            Table::create()
                .table(c("acceptance_signatures"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("acceptance_id")))
                .col(big_integer(c("party_id")))
                .col(big_integer(c("user_id")))
                .col(string_len(c("content_sha256"), 64))
                .col(timestamp_with_time_zone(c("signed_at")))
                .foreign_key(&mut fk("acceptance_signatures", "acceptance_id", "acceptances", CASCADE))
                .foreign_key(&mut fk("acceptance_signatures", "user_id", "users", RESTRICT))
                .to_owned(),
        )
        .await?;
        index(m, "acceptance_signatures", &["acceptance_id", "party_id"], true).await?;

        m.create_table(
            Table::create()
                .table(c("quality_checks"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(big_integer(c("deliverable_id")))
                .col(date(c("checked_on")))
                .col(string_len(c("result"), 8))
                .col(text(c("findings")).default(""))
                .col(text(c("items")).default("[]"))
                .col(big_integer(c("inspector_id")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(string_len(c("visibility"), 16))
                .col(big_integer_null(c("visible_party_id")))
                .foreign_key(&mut fk("quality_checks", "engagement_id", "engagements", RESTRICT))
                .foreign_key(&mut fk("quality_checks", "deliverable_id", "deliverables", RESTRICT))
                .foreign_key(&mut fk("quality_checks", "inspector_id", "users", RESTRICT))
                .check(one_of("result", &["pass", "fail"]))
                .check(one_of("visibility", VISIBILITY))
                .to_owned(),
        )
        .await?;
        index(m, "quality_checks", &["deliverable_id"], false).await?;

        m.create_table(
            Table::create()
                .table(c("defects"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("engagement_id")))
                .col(big_integer(c("deliverable_id")))
                .col(big_integer_null(c("acceptance_id")))
                .col(big_integer_null(c("check_id")))
                .col(integer(c("seq")))
                .col(string_len(c("key"), 16))
                .col(string_len(c("title"), 300))
                .col(text(c("description")).default(""))
                .col(string_len(c("severity"), 8))
                .col(string_len(c("status"), 8))
                .col(big_integer_null(c("owner_party_id")))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone_null(c("resolved_at")))
                .col(timestamp_with_time_zone_null(c("closed_at")))
                .col(string_len(c("visibility"), 16))
                .col(big_integer_null(c("visible_party_id")))
                .foreign_key(&mut fk("defects", "engagement_id", "engagements", RESTRICT))
                .foreign_key(&mut fk("defects", "deliverable_id", "deliverables", RESTRICT))
                .foreign_key(&mut fk("defects", "acceptance_id", "acceptances", RESTRICT))
                .foreign_key(&mut fk("defects", "check_id", "quality_checks", RESTRICT))
                .foreign_key(&mut fk("defects", "created_by", "users", RESTRICT))
                .check(one_of("severity", &["critical", "major", "minor"]))
                .check(one_of("status", &["open", "resolved", "closed"]))
                .check(one_of("visibility", VISIBILITY))
                .to_owned(),
        )
        .await?;
        index(m, "defects", &["engagement_id", "seq"], true).await?;
        index(m, "defects", &["deliverable_id", "status"], false).await?;

        m.create_table(
            Table::create()
                .table(c("warranties"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("deliverable_id")))
                .col(big_integer(c("acceptance_id")))
                .col(integer(c("months")))
                .col(date(c("starts_on")))
                .col(date(c("ends_on")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("warranties", "deliverable_id", "deliverables", RESTRICT))
                .foreign_key(&mut fk("warranties", "acceptance_id", "acceptances", RESTRICT))
                .to_owned(),
        )
        .await?;
        index(m, "warranties", &["deliverable_id"], true).await?;
        index(m, "warranties", &["ends_on"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "warranties",
            "defects",
            "quality_checks",
            "acceptance_signatures",
            "acceptance_evidence",
            "acceptance_items",
            "acceptances",
        ] {
            m.drop_table(Table::drop().table(c(t)).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(c("deliverables")).drop_column(c("warranty_months")).to_owned()).await?;
        Ok(())
    }
}
