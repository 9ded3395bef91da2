//! Engagements: the unit of work shared by the host, its vendors and its clients, with the
//! parties taking part and the plan (milestones, tasks) each party sees its slice of.

pub mod api;
pub mod baseline;
pub mod calendar;
pub mod deliverables;
pub mod entity;
pub mod gantt;
pub mod network;
pub mod pages;
pub mod plan;
pub mod plan_pages;
pub mod schedule;
pub mod search;
pub mod service;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements", get(pages::list).post(pages::create))
        .route("/search", get(pages::search_page))
        .route("/engagements/new", get(pages::new_form))
        .route("/engagements/{id}", get(pages::overview).post(pages::update))
        .route("/engagements/{id}/edit", get(pages::edit_form))
        .route("/engagements/{id}/transition", post(pages::transition))
        .route("/engagements/{id}/participants", post(pages::add_participant))
        .route("/engagements/{id}/participants/{party_id}/delete", post(pages::remove_participant))
        .route("/engagements/{id}/milestones", post(pages::create_milestone))
        .route("/engagements/{id}/members", post(pages::add_member))
        .route("/engagements/{id}/members/{user_id}/delete", post(pages::remove_member))
        .route("/engagements/{id}/deliverables", post(pages::create_deliverable))
        .route("/engagements/{id}/tasks", post(pages::create_task))
        .route("/engagements/{id}/tasks/{task_id}/progress", post(pages::task_progress))
        .route("/engagements/{id}/gantt", get(plan_pages::page))
        .route("/engagements/{id}/gantt.svg", get(plan_pages::svg))
        .route("/engagements/{id}/dependencies", post(plan_pages::add_dependency))
        .route("/engagements/{id}/schedule", post(plan_pages::reschedule))
        .route("/engagements/{id}/baselines", post(plan_pages::save_baseline))
}
