//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/calendar", get(super::api::calendar).post(super::api::set_calendar_day))
        .route("/engagements/{id}/calendar/{date}", axum::routing::delete(super::api::remove_calendar_day))
        .route("/engagements/{id}/members", get(super::api::members).post(super::api::add_member))
        .route("/engagements", get(super::api::list).post(super::api::create))
        .route("/engagements/{id}", get(super::api::get).patch(super::api::update))
        .route("/engagements/{id}/participants", get(super::api::participants).post(super::api::add_participant))
        .route("/engagements/{id}/milestones", get(super::api::milestones).post(super::api::create_milestone))
        .route("/engagements/{id}/tasks", get(super::api::tasks).post(super::api::create_task))
        .route("/engagements/{id}/tasks/{task_id}", get(super::api::get_task).patch(super::api::update_task))
        .route("/engagements/{id}/dependencies", get(super::api::dependencies).post(super::api::add_dependency))
        .route("/engagements/{id}/schedule", post(super::api::reschedule))
        .route("/engagements/{id}/baselines", get(super::api::baselines).post(super::api::save_baseline))
        .route("/engagements/{id}/baselines/{baseline_id}", get(super::api::compare_baseline))
        .route("/engagements/{id}/deliverables", get(super::api::deliverables).post(super::api::create_deliverable))
        .route("/engagements/{id}/deliverables/{deliverable_id}", get(super::api::get_deliverable))
        .route(
            "/engagements/{id}/milestones/{milestone_id}",
            get(super::api::get_milestone).patch(super::api::update_milestone),
        )
        .route("/engagements/{id}/dashboard", get(super::dashboard_api::dashboard))
        .route("/portfolio", get(super::dashboard_api::portfolio))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::get,
    super::api::update,
    super::api::participants,
    super::api::add_participant,
    super::api::milestones,
    super::api::create_milestone,
    super::api::tasks,
    super::api::create_task,
    super::api::get_task,
    super::api::update_task,
    super::api::dependencies,
    super::api::add_dependency,
    super::api::reschedule,
    super::api::baselines,
    super::api::save_baseline,
    super::api::compare_baseline,
    super::api::deliverables,
    super::api::create_deliverable,
    super::api::get_deliverable,
    super::api::members,
    super::api::add_member,
    super::api::calendar,
    super::api::set_calendar_day,
    super::api::remove_calendar_day,
    super::api::get_milestone,
    super::api::update_milestone,
    super::dashboard_api::dashboard,
    super::dashboard_api::portfolio,
))]
pub struct Paths;
