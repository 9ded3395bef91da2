//! One integration test binary (linked once). Every database test runs on SQLite and PostgreSQL.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "a test fails loudly")]

mod conformance;
mod desk;
mod fixtures;
mod s3;
mod smtp_sink;
mod support;

mod accounts;
mod api;
mod audit_chain;
mod changes;
mod collaboration;
mod contracts;
mod contracts_rules;
mod costs;
mod disputes;
mod documents_search;
mod engagements;
mod hardening;
mod issues;
mod jobs_queue;
mod lens;
mod matrix;
mod monitoring;
mod openapi;
mod openapi_fuzz;
mod openapi_gen;
mod ops_and_i18n;
mod oracle;
mod parties_users;
mod requirements;
mod reviews;
mod risks;
mod scheduling;
mod scorecards;
mod selections;
mod startup;
mod strict_input;
mod vendors;
mod warnings;
