//! Contracts and their money: contracts between the host and one party, the engagements they
//! cover, structured clauses, frozen versions with reviews and signatures, obligations,
//! periodic reviews, the payment schedule with invoices and payments, and the clause library.
//!
//! Column names are spelled once, as strings, through `c()`: sixteen tables of `DeriveIden`
//! enums would triple this file without making a name harder to get wrong.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000014_contracts"
    }
}

pub(super) fn c(name: &str) -> Alias {
    Alias::new(name)
}

pub(super) fn fk(from: &str, col: &str, to: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(c(from), c(col)).to(c(to), c("id")).on_delete(on_delete).to_owned()
}

pub(super) async fn index(m: &SchemaManager<'_>, table: &str, cols: &[&str], unique: bool) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(format!("{}_{}_{}", if unique { "ux" } else { "ix" }, table, cols.join("_"))).table(c(table));
    for col in cols {
        i.col(c(col));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

/// Creates plain indexes, each on (table, columns): the body of an index-only migration.
pub(super) async fn add_indexes(m: &SchemaManager<'_>, list: &[(&str, &[&str])]) -> Result<(), DbErr> {
    for (table, cols) in list {
        index(m, table, cols, false).await?;
    }
    Ok(())
}

/// Drops what [`add_indexes`] made.
pub(super) async fn drop_indexes(m: &SchemaManager<'_>, list: &[(&str, &[&str])]) -> Result<(), DbErr> {
    for (table, cols) in list {
        let name = format!("ix_{table}_{}", cols.join("_"));
        m.drop_index(Index::drop().name(name).table(Alias::new(*table)).to_owned()).await?;
    }
    Ok(())
}

pub(super) fn one_of(col: &str, values: &[&str]) -> SimpleExpr {
    Expr::col(c(col)).is_in(values.iter().copied())
}

const RESTRICT: ForeignKeyAction = ForeignKeyAction::Restrict;
const CASCADE: ForeignKeyAction = ForeignKeyAction::Cascade;

pub const CONTRACT_STATES: &[&str] =
    &["draft", "in_review", "signed", "active", "amended", "completed", "terminated", "archived"];
pub const CLAUSE_KINDS: &[&str] = &[
    "scope",
    "schedule",
    "delivery_standard",
    "acceptance",
    "payment",
    "liability",
    "ip",
    "confidentiality",
    "warranty",
    "termination",
    "other",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(c("contracts"))
                .col(big_pk_auto(c("id")))
                .col(string_len(c("number"), 50))
                .col(string_len(c("title"), 200))
                .col(text(c("description")).default(""))
                .col(string_len(c("direction"), 12))
                .col(big_integer(c("counterparty_id")))
                .col(string_len(c("currency"), 3))
                .col(big_integer(c("total_minor")))
                .col(integer(c("tax_rate_bp")).default(0))
                .col(big_integer(c("tax_minor")).default(0))
                .col(string_len(c("state"), 12))
                .col(date_null(c("start_date")))
                .col(date_null(c("end_date")))
                .col(big_integer_null(c("owner_id")))
                .col(big_integer_null(c("host_signatory_id")))
                .col(big_integer_null(c("counterparty_signatory_id")))
                .col(big_integer_null(c("legal_approver_id")))
                .col(big_integer_null(c("finance_approver_id")))
                .col(integer(c("review_every_months")).default(0))
                .col(date_null(c("next_review_on")))
                .col(integer(c("renewal_notice_days")).default(30))
                .col(integer(c("current_version")).default(0))
                .col(text_null(c("amendment_reason")))
                .col(big_integer_null(c("amendment_change_request_id")))
                .col(text(c("terminated_reason")).default(""))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("contracts", "counterparty_id", "parties", RESTRICT))
                .foreign_key(&mut fk("contracts", "owner_id", "users", RESTRICT))
                .foreign_key(&mut fk("contracts", "created_by", "users", RESTRICT))
                .check(one_of("state", CONTRACT_STATES))
                .check(one_of("direction", &["payable", "receivable"]))
                .check(Expr::col(c("total_minor")).gte(0))
                .check(Expr::col(c("tax_rate_bp")).between(0, 10_000))
                .to_owned(),
        )
        .await?;
        index(m, "contracts", &["number"], true).await?;
        index(m, "contracts", &["counterparty_id"], false).await?;
        index(m, "contracts", &["state", "end_date"], false).await?;

        m.create_table(
            Table::create()
                .table(c("contract_engagements"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(big_integer(c("engagement_id")))
                .foreign_key(&mut fk("contract_engagements", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk("contract_engagements", "engagement_id", "engagements", RESTRICT))
                .to_owned(),
        )
        .await?;
        index(m, "contract_engagements", &["contract_id", "engagement_id"], true).await?;
        index(m, "contract_engagements", &["engagement_id"], false).await?;

        m.create_table(
            Table::create()
                .table(c("contract_clauses"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(integer(c("position")))
                .col(string_len(c("kind"), 20))
                .col(string_len(c("title"), 200))
                .col(text(c("body")))
                .col(date_null(c("due_date")))
                .col(big_integer_null(c("amount_minor")))
                .col(big_integer_null(c("milestone_id")))
                .col(big_integer_null(c("deliverable_id")))
                .col(integer_null(c("warranty_months")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("contract_clauses", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk("contract_clauses", "milestone_id", "milestones", RESTRICT))
                .foreign_key(&mut fk("contract_clauses", "deliverable_id", "deliverables", RESTRICT))
                .check(one_of("kind", CLAUSE_KINDS))
                .to_owned(),
        )
        .await?;
        index(m, "contract_clauses", &["contract_id", "position"], false).await?;

        m.create_table(
            Table::create()
                .table(c("clause_templates"))
                .col(big_pk_auto(c("id")))
                .col(string_len(c("kind"), 20))
                .col(string_len(c("locale"), 8))
                .col(string_len(c("title"), 200))
                .col(text(c("body")))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("clause_templates", "created_by", "users", RESTRICT))
                .check(one_of("kind", CLAUSE_KINDS))
                .check(one_of("locale", &["zh-CN", "en"]))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(c("contract_versions"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(integer(c("number")))
                .col(string_len(c("status"), 12))
                .col(text(c("content")))
                .col(string_len(c("content_sha256"), 64))
                .col(text(c("reason")).default(""))
                .col(big_integer_null(c("change_request_id")))
                .col(big_integer(c("submitted_by")))
                .col(timestamp_with_time_zone(c("submitted_at")))
                .col(timestamp_with_time_zone_null(c("decided_at")))
                .col(timestamp_with_time_zone_null(c("signed_at")))
                .foreign_key(&mut fk("contract_versions", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk("contract_versions", "submitted_by", "users", RESTRICT))
                .check(one_of("status", &["in_review", "returned", "approved", "signed"]))
                .to_owned(),
        )
        .await?;
        index(m, "contract_versions", &["contract_id", "number"], true).await?;

        m.create_table(
            Table::create()
                .table(c("contract_reviews"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("version_id")))
                .col(big_integer(c("user_id")))
                .col(string_len(c("capacity"), 8))
                .col(string_len(c("decision"), 8))
                .col(text(c("comment")).default(""))
                .col(timestamp_with_time_zone(c("decided_at")))
                .foreign_key(&mut fk("contract_reviews", "version_id", "contract_versions", CASCADE))
                .foreign_key(&mut fk("contract_reviews", "user_id", "users", RESTRICT))
                .check(one_of("capacity", &["legal", "finance"]))
                .check(one_of("decision", &["approve", "return"]))
                .to_owned(),
        )
        .await?;
        index(m, "contract_reviews", &["version_id", "capacity"], true).await?;

        m.create_table(
            Table::create()
                .table(c("contract_signatures"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("version_id")))
                .col(big_integer(c("party_id")))
                .col(big_integer(c("user_id")))
                .col(string_len(c("content_sha256"), 64))
                .col(timestamp_with_time_zone(c("signed_at")))
                .foreign_key(&mut fk("contract_signatures", "version_id", "contract_versions", CASCADE))
                .foreign_key(&mut fk("contract_signatures", "user_id", "users", RESTRICT))
                .to_owned(),
        )
        .await?;
        index(m, "contract_signatures", &["version_id", "party_id"], true).await?;

        m.create_table(
            Table::create()
                .table(c("contract_obligations"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(big_integer_null(c("clause_id")))
                .col(string_len(c("title"), 200))
                .col(text(c("description")).default(""))
                .col(big_integer(c("owed_by_party_id")))
                .col(date(c("due_date")))
                .col(string_len(c("status"), 8))
                .col(text(c("note")).default(""))
                .col(big_integer_null(c("done_by")))
                .col(timestamp_with_time_zone_null(c("done_at")))
                .col(big_integer(c("created_by")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("contract_obligations", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk(
                    "contract_obligations",
                    "clause_id",
                    "contract_clauses",
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk("contract_obligations", "owed_by_party_id", "parties", RESTRICT))
                .check(one_of("status", &["open", "done", "waived"]))
                .to_owned(),
        )
        .await?;
        index(m, "contract_obligations", &["status", "due_date"], false).await?;
        index(m, "contract_obligations", &["contract_id"], false).await?;

        m.create_table(
            Table::create()
                .table(c("contract_checkups"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(date(c("held_on")))
                .col(string_len(c("rating"), 12))
                .col(text(c("findings")))
                .col(text(c("actions")).default(""))
                .col(big_integer(c("reviewer_id")))
                .col(timestamp_with_time_zone(c("created_at")))
                .foreign_key(&mut fk("contract_checkups", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk("contract_checkups", "reviewer_id", "users", RESTRICT))
                .check(one_of("rating", &["on_track", "attention", "at_risk"]))
                .to_owned(),
        )
        .await?;
        index(m, "contract_checkups", &["contract_id", "held_on"], false).await?;

        m.create_table(
            Table::create()
                .table(c("installments"))
                .col(big_pk_auto(c("id")))
                .col(big_integer(c("contract_id")))
                .col(integer(c("seq")))
                .col(string_len(c("name"), 200))
                .col(string_len(c("kind"), 12))
                .col(big_integer(c("amount_minor")))
                .col(integer_null(c("percent_bp")))
                .col(string_len(c("trigger_kind"), 16))
                .col(date_null(c("trigger_date")))
                .col(big_integer_null(c("deliverable_id")))
                .col(big_integer_null(c("milestone_id")))
                .col(string_len_null(c("stage"), 8))
                .col(date_null(c("expected_on")))
                .col(string_len(c("state"), 12))
                .col(date_null(c("due_on")))
                .col(big_integer(c("invoiced_minor")).default(0))
                .col(big_integer(c("paid_minor")).default(0))
                .col(big_integer_null(c("override_by")))
                .col(text(c("override_reason")).default(""))
                .col(timestamp_with_time_zone_null(c("override_at")))
                .col(timestamp_with_time_zone(c("created_at")))
                .col(timestamp_with_time_zone(c("updated_at")))
                .foreign_key(&mut fk("installments", "contract_id", "contracts", CASCADE))
                .foreign_key(&mut fk("installments", "deliverable_id", "deliverables", RESTRICT))
                .foreign_key(&mut fk("installments", "milestone_id", "milestones", RESTRICT))
                .foreign_key(&mut fk("installments", "override_by", "users", RESTRICT))
                .check(one_of("kind", &["advance", "progress", "final", "retention"]))
                .check(one_of("trigger_kind", &["date", "acceptance", "warranty_end"]))
                .check(one_of("state", &["planned", "due", "invoiced", "paid", "cancelled"]))
                .check(Expr::col(c("amount_minor")).gt(0))
                .check(Expr::col(c("paid_minor")).lte(Expr::col(c("amount_minor"))))
                .check(Expr::col(c("invoiced_minor")).lte(Expr::col(c("amount_minor"))))
                // The rule the whole chain rests on, kept by the database too: nothing owed
                // is paid, invoiced or due without a date it became due.
                .check(
                    Expr::col(c("state"))
                        .eq("planned")
                        .or(Expr::col(c("state")).eq("cancelled"))
                        .or(Expr::col(c("due_on")).is_not_null()),
                )
                .to_owned(),
        )
        .await?;
        index(m, "installments", &["contract_id", "seq"], true).await?;
        index(m, "installments", &["state", "trigger_kind"], false).await?;
        index(m, "installments", &["deliverable_id"], false).await?;

        for (table, extra) in [("invoices", "number"), ("payments", "reference")] {
            let on = if table == "invoices" { "issued_on" } else { "paid_on" };
            m.create_table(
                Table::create()
                    .table(c(table))
                    .col(big_pk_auto(c("id")))
                    .col(big_integer(c("installment_id")))
                    .col(string_len(c(extra), 100).default(""))
                    .col(big_integer(c("amount_minor")))
                    .col(date(c(on)))
                    .col(big_integer_null(c("document_id")))
                    .col(big_integer(c("recorded_by")))
                    .col(timestamp_with_time_zone(c("created_at")))
                    .foreign_key(&mut fk(table, "installment_id", "installments", CASCADE))
                    .foreign_key(&mut fk(table, "document_id", "documents", RESTRICT))
                    .foreign_key(&mut fk(table, "recorded_by", "users", RESTRICT))
                    .check(Expr::col(c("amount_minor")).gt(0))
                    .to_owned(),
            )
            .await?;
            index(m, table, &["installment_id"], false).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "payments",
            "invoices",
            "installments",
            "contract_checkups",
            "contract_obligations",
            "contract_signatures",
            "contract_reviews",
            "contract_versions",
            "clause_templates",
            "contract_clauses",
            "contract_engagements",
            "contracts",
        ] {
            m.drop_table(Table::drop().table(c(t)).to_owned()).await?;
        }
        Ok(())
    }
}
