//! The risk register (风险登记册): risks per engagement (and the portfolio's), each scored
//! probability × impact on a 5 × 5 heat map, owned, answered by a strategy and response tasks,
//! reviewed on a date with a reminder, and assessed again as it moves.

pub mod api;
pub mod api_routes;
pub mod entity;
pub mod heatmap;
pub mod pages;
pub mod reviews;
pub mod service;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

/// A risk as a subject of comments, documents and notices (`collab::register`).
pub const SUBJECT: (crate::collab::SubjectKind, crate::collab::SubjectLookup) =
    (crate::collab::SubjectKind::Risk, |state, viewer, engagement_id, id| {
        Box::pin(async move {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            Ok(entity::risk::Entity::find_by_id(id)
                .filter(entity::risk::Column::EngagementId.eq(engagement_id))
                .filter(service::scope(viewer))
                .one(&state.db)
                .await?
                .map(|r| crate::collab::Subject::from(&r)))
        })
    });

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risks", get(pages::portfolio))
        .route("/engagements/{id}/risks", get(pages::list).post(pages::create))
        .route("/engagements/{id}/risks/{record_id}", get(pages::detail).post(pages::update))
        .route("/engagements/{id}/risks/{record_id}/comments", post(pages::comment))
}
