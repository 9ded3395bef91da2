//! Indexes for the home desk: a person's own open tasks and the engagements they own, read
//! without walking every task of every engagement they take part in (bench/plan: the desk of a
//! member of 1,000 engagements scanned a million tasks).

use sea_orm_migration::prelude::*;

use super::m20261203_000014_contracts::{add_indexes, drop_indexes};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000023_desk_indexes"
    }
}

const INDEXES: &[(&str, &[&str])] = &[
    ("tasks", &["assignee_id", "finish_date"]),
    ("engagements", &["owner_id"]),
    ("review_reviewers", &["user_id"]),
    ("review_votes", &["user_id"]),
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
