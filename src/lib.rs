//! Accord: a self-hosted workspace for work that crosses company boundaries.
//! Shared plumbing (db, auth, web, i18n, audit, jobs, mail) sits beside one folder per capability.

pub mod acceptance;
pub mod account;
pub mod admin;
pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod changes;
pub mod cli;
pub mod clock;
pub mod collab;
pub mod config;
pub mod contracts;
pub mod costs;
pub mod db;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod engagements;
pub mod error;
pub mod home;
pub mod i18n;
pub mod issues;
pub mod jobs;
pub mod mail;
pub mod money;
pub mod monitoring;
pub mod ops;
pub mod parties;
pub mod requirements;
pub mod risks;
pub mod search;
pub mod state;
pub mod users;
pub mod vendors;
pub mod warnings;
pub mod web;

pub use app::app;
pub use error::{AppError, AppResult};
pub use state::AppState;
