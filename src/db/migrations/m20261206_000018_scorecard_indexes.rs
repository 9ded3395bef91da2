//! Indexes for reading a vendor's delivery facts (scorecards, the vendor ranking): what a party
//! owns or raised, and what happened to a record, without scanning whole tables.

use sea_orm_migration::prelude::*;

use super::m20261203_000014_contracts::{add_indexes, drop_indexes};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000018_scorecard_indexes"
    }
}

const INDEXES: &[(&str, &[&str])] = &[
    ("milestones", &["owner_party_id", "due_date"]),
    ("deliverables", &["owner_party_id"]),
    ("defects", &["owner_party_id", "created_at"]),
    ("change_requests", &["raised_party_id", "created_at"]),
    ("activities", &["subject_kind", "subject_id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_indexes(m, INDEXES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_indexes(m, INDEXES).await
    }
}
