//! One set of migrations for SQLite and PostgreSQL. Migrations are append-only:
//! a released migration is never edited, a new one is added.

use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_engagements;
mod m20261123_000003_dependencies;
mod m20261123_000004_baselines;
mod m20261123_000005_deliverables;
mod m20261123_000006_members;
mod m20261123_000007_calendar_days;
mod m20261123_000008_collaboration;
mod m20261123_000009_requirements;
mod m20261123_000010_requirement_links;
mod m20261123_000011_change_control;
mod m20261123_000012_reviews;
mod m20261123_000013_search_recent;
mod m20261203_000014_contracts;
mod m20261203_000015_acceptance;
mod m20261203_000016_vendors;
mod m20261206_000017_payment_disputes;
mod m20261206_000018_scorecard_indexes;
mod m20261207_000020_public_change_labels;
mod m20261207_000021_token_expiry;
mod m20261207_000022_audit_sealing;
mod m20261207_000023_desk_indexes;
mod m20261208_000024_risks;
mod m20261208_000025_costs;
mod m20261208_000026_warnings;
mod m20261208_000027_issues;
mod m20261209_000028_monitoring;
mod m20261209_000029_self_scheduling;
mod m20261209_000030_cost_holds;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_engagements::Migration),
            Box::new(m20261123_000003_dependencies::Migration),
            Box::new(m20261123_000004_baselines::Migration),
            Box::new(m20261123_000005_deliverables::Migration),
            Box::new(m20261123_000006_members::Migration),
            Box::new(m20261123_000007_calendar_days::Migration),
            Box::new(m20261123_000008_collaboration::Migration),
            Box::new(m20261123_000009_requirements::Migration),
            Box::new(m20261123_000010_requirement_links::Migration),
            Box::new(m20261123_000011_change_control::Migration),
            Box::new(m20261123_000012_reviews::Migration),
            Box::new(m20261123_000013_search_recent::Migration),
            Box::new(m20261203_000014_contracts::Migration),
            Box::new(m20261203_000015_acceptance::Migration),
            Box::new(m20261203_000016_vendors::Migration),
            Box::new(m20261206_000017_payment_disputes::Migration),
            Box::new(m20261206_000018_scorecard_indexes::Migration),
            Box::new(m20261207_000020_public_change_labels::Migration),
            Box::new(m20261207_000021_token_expiry::Migration),
            Box::new(m20261207_000022_audit_sealing::Migration),
            Box::new(m20261207_000023_desk_indexes::Migration),
            Box::new(m20261208_000024_risks::Migration),
            Box::new(m20261208_000025_costs::Migration),
            Box::new(m20261208_000026_warnings::Migration),
            Box::new(m20261208_000027_issues::Migration),
            Box::new(m20261209_000028_monitoring::Migration),
            Box::new(m20261209_000029_self_scheduling::Migration),
            Box::new(m20261209_000030_cost_holds::Migration),
        ]
    }
}
