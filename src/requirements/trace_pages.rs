//! The traceability page: the matrix with its gaps, and the form that links a task or a
//! deliverable to a requirement.

use askama::Template;
use axum::{extract::State, response::Response};
use tower_sessions::Session;

use super::trace::{self, LinkInput, Trace};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    engagements::{
        pages::unprocessable,
        service::{self as engagements, manages},
    },
    error::AppResult,
    web::{self, FormData, FormState, PageCtx, Path, render, see_other},
};

#[derive(Template)]
#[template(path = "requirements/trace.html")]
struct TracePage {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    t: Trace,
    can_manage: bool,
    form: FormState,
    /// `task:ID` / `deliverable:ID` choices for the link form.
    records: Vec<(String, String)>,
}

async fn trace_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    form: FormState,
) -> AppResult<TracePage> {
    let e = engagements::get(state, viewer, id).await?;
    let t = trace::matrix(state, viewer, id).await?;
    let can_manage = manages(state, viewer, id).await?;
    let mut records = Vec::new();
    if can_manage {
        let deliverables = crate::engagements::deliverables::list(state, viewer, id).await?;
        records.extend(deliverables.into_iter().map(|(d, _)| {
            (format!("deliverable:{}", d.id), format!("{} · {}", page.t("record-kind-deliverable"), d.name))
        }));
        let (tasks, _) = crate::engagements::plan::tasks(state, viewer, id, 500, None).await?;
        records.extend(
            tasks
                .into_iter()
                .map(|t| (format!("task:{}", t.id), format!("{} · {}", page.t("record-kind-task"), t.name))),
        );
    }
    Ok(TracePage { page, id, code: e.code, name: e.name, t, can_manage, form, records })
}

pub async fn page(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&trace_page(&state, page, &viewer, id, FormState::new()).await?)
}

pub async fn link(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    engagements::get_to_manage(&state, &viewer, id).await?;
    let requirement = crate::domain::parse_id(form.get("requirement_id")).ok();
    let (kind, record) = form.get("record").split_once(':').unwrap_or(("", ""));
    let record = crate::domain::parse_id(record).ok();
    let (Some(requirement), Some(record)) = (requirement, record) else {
        let mut f = FormState::from_form(&form);
        for (name, missing) in [("requirement_id", requirement.is_none()), ("record", record.is_none())] {
            if missing {
                f.set_error(name, crate::error::Msg::new("error-required").render(page.language));
            }
        }
        return unprocessable(render(&trace_page(&state, page, &viewer, id, f).await?));
    };
    let input = LinkInput { kind: kind.to_owned(), record_id: Id(record) };
    match trace::link(&state, &viewer, id, requirement, input).await {
        Ok(_) => {
            web::flash(&session, "success", page.t("flash-link-added")).await?;
            Ok(see_other(&format!("/engagements/{id}/traceability")))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&trace_page(&state, page, &viewer, id, f).await?))
        }
    }
}

pub async fn unlink(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid, link_id)): Path<(i64, i64, i64)>,
) -> AppResult<Response> {
    trace::unlink(&state, &viewer, id, rid, link_id).await?;
    web::flash(&session, "success", page.t("flash-link-removed")).await?;
    Ok(see_other(&format!("/engagements/{id}/traceability")))
}
