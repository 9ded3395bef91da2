//! The issue and conflict log (问题/冲突): raised by anyone taking part, with SLA targets per
//! severity for the first response and the resolution in the engagement's working hours,
//! escalation when a target is breached, resolution and the raiser's confirmation.

pub mod api;
pub mod api_routes;
pub mod entity;
pub mod escalation;
pub mod pages;
pub mod service;
pub mod sla;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

/// An issue as a subject of comments, documents and notices (`collab::register`).
pub const SUBJECT: (crate::collab::SubjectKind, crate::collab::SubjectLookup) =
    (crate::collab::SubjectKind::Issue, |state, viewer, engagement_id, id| {
        Box::pin(async move {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            Ok(entity::issue::Entity::find_by_id(id)
                .filter(entity::issue::Column::EngagementId.eq(engagement_id))
                .filter(service::scope(viewer))
                .one(&state.db)
                .await?
                .map(|i| crate::collab::Subject::from(&i)))
        })
    });

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/issues", get(pages::list).post(pages::create))
        .route("/engagements/{id}/issues/{record_id}", get(pages::detail).post(pages::update))
        .route("/engagements/{id}/issues/{record_id}/comments", post(pages::comment))
}
