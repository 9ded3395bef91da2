//! Engagements: the unit of work shared by the host, its vendors and its clients, with the
//! parties taking part and the plan (milestones, tasks) each party sees its slice of.

pub mod api;
pub mod api_routes;
pub mod baseline;
pub mod calendar;
pub mod dashboard;
pub mod dashboard_api;
pub mod deliverables;
pub mod desk;
pub mod entity;
pub mod gantt;
pub mod health;
pub mod members;
pub mod network;
pub mod overview;
pub mod pages;
pub mod participants;
pub mod plan;
pub mod plan_pages;
pub mod schedule;
pub mod service;
pub mod watch;
pub mod workdays;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements", get(pages::list).post(pages::create))
        .route("/engagements/new", get(pages::new_form))
        .route("/engagements/{id}", get(overview::overview).post(pages::update))
        .route("/engagements/{id}/edit", get(pages::edit_form))
        .route("/engagements/{id}/transition", post(overview::transition))
        .route("/engagements/{id}/participants", post(overview::add_participant))
        .route("/engagements/{id}/participants/{party_id}/delete", post(overview::remove_participant))
        .route("/engagements/{id}/milestones", post(overview::create_milestone))
        .route("/engagements/{id}/members", post(overview::add_member))
        .route("/engagements/{id}/members/{user_id}/delete", post(overview::remove_member))
        .route("/engagements/{id}/deliverables", post(overview::create_deliverable))
        .route("/engagements/{id}/tasks", post(overview::create_task))
        .route("/engagements/{id}/tasks/{task_id}/progress", post(overview::task_progress))
        .route("/engagements/{id}/milestones/{milestone_id}/status", post(overview::milestone_status))
        .route("/engagements/{id}/gantt", get(plan_pages::page))
        .route("/engagements/{id}/gantt.svg", get(plan_pages::svg))
        .route("/engagements/{id}/dependencies", post(plan_pages::add_dependency))
        .route("/engagements/{id}/schedule", post(plan_pages::reschedule))
        .route("/engagements/{id}/task-plan", post(plan_pages::plan_task))
        .route("/engagements/{id}/baselines", post(plan_pages::save_baseline))
        .route("/engagements/{id}/calendar", post(plan_pages::set_calendar_day))
        .route("/engagements/{id}/calendar/{date}/delete", post(plan_pages::remove_calendar_day))
}
