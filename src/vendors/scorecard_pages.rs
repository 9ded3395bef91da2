//! Scorecard pages: one vendor's scorecard for a period (KPIs with the facts behind them, the
//! trend over four quarters, manual evaluations, publishing), the ranking of vendors per
//! category, and the settings (KPI weights, grade bands, criteria templates).

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use tower_sessions::Session;

use super::{
    directory::{self, CATEGORIES, runs_directory},
    evaluations::{self, EvaluationInput, RankingRow, SettingsInput},
    scorecard::{KPIS, Period, Scorecard, Settings, load_settings, parse_period, quarter_of},
    scoring::CriterionScore,
    selection::CriterionInput,
    templates::{self, Template as CriteriaTemplate, TemplateInput},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    contracts::detail_pages::Forms,
    engagements::pages::settle,
    error::{AppError, AppResult},
    web::{FormData, PageCtx, Path, render},
};

/// A fact's note in the viewer's language: the scorecard keeps machine words (states, stages,
/// severities, outcomes) for the API; the page says each in words where it has them.
fn note_in_words(page: &PageCtx, kpi: &str, note: &str) -> String {
    let prefix = match kpi {
        "on_time" => "milestone-status-",
        "first_pass" => "acceptance-state-",
        "rounds" => "acceptance-stage-",
        "defects" => "severity-",
        "changes" => "change-state-",
        "disputes" => "dispute-note-",
        "sla" => "sla-note-",
        _ => return note.to_owned(),
    };
    note.split(' ')
        .map(|w| {
            let key = format!("{prefix}{w}");
            if page.language.has(&key) { page.t(&key) } else { w.to_owned() }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn period_of(q: &HashMap<String, String>, state: &AppState) -> Period {
    q.get("period").and_then(|p| parse_period(p).ok()).unwrap_or_else(|| quarter_of(state.today()))
}

pub struct EvalRow {
    pub evaluator: String,
    pub template: String,
    pub total: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "vendors/scorecard.html")]
pub struct ScorecardPage {
    page: PageCtx,
    forms: Forms,
    id: i64,
    name: String,
    period: String,
    periods: Vec<String>,
    card: Option<Scorecard>,
    /// Trend points: (period, total, x, y) in the chart's units.
    trend: Vec<(String, String, f64, f64)>,
    trend_line: String,
    evaluations: Vec<EvalRow>,
    templates: Vec<CriteriaTemplate>,
    is_host: bool,
    runs: bool,
    published: bool,
}

impl ScorecardPage {
    fn fmt1(&self, v: &f64) -> String {
        format!("{v:.1}")
    }
}

pub async fn scorecard_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    id: i64,
    period: Period,
    forms: Forms,
) -> AppResult<ScorecardPage> {
    let (p, _) = directory::get(state, viewer, id).await?;
    let card = match evaluations::scorecard(state, viewer, id, &period).await {
        Ok(mut c) => {
            for k in &mut c.kpis {
                for f in &mut k.facts {
                    f.note = note_in_words(&page, &k.key, &f.note);
                }
            }
            Some(c)
        }
        Err(AppError::NotFound) if !viewer.is_host() => None,
        Err(e) => return Err(e),
    };
    let points = evaluations::trend(state, viewer, id, &period, 4).await?;
    let trend: Vec<(String, String, f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (k, t))| {
            let x = 60.0 + i as f64 * 160.0;
            let y = t.map(|v| 150.0 - v * 1.3).unwrap_or(150.0);
            (k.clone(), t.map(|v| format!("{v:.1}")).unwrap_or_default(), x, y)
        })
        .collect();
    let trend_line = points
        .iter()
        .zip(&trend)
        .filter(|((_, t), _)| t.is_some())
        .map(|(_, (_, _, x, y))| format!("{x:.0},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut periods = Vec::new();
    let mut p_iter = quarter_of(state.today());
    for _ in 0..8 {
        periods.push(p_iter.key.clone());
        p_iter = super::scorecard::previous(&p_iter);
    }
    let (evaluations, templates) = if viewer.is_host() {
        let evals = evaluations::evaluations(&state.db, id, &period.key).await?;
        let names = Lens::outside(state, viewer).await?.people(&state.db, evals.iter().map(|e| e.evaluator_id)).await?;
        let rows = evals
            .into_iter()
            .map(|e| EvalRow {
                evaluator: names.name(e.evaluator_id).unwrap_or_default(),
                total: format!("{:.1}", f64::from(e.total_bp) / 100.0),
                template: e.template,
                comment: e.comment,
            })
            .collect();
        (rows, templates::all(state, "evaluation", page.language).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    let published = evaluations::publications(&state.db, id).await?.iter().any(|x| x.period == period.key);
    Ok(ScorecardPage {
        page,
        forms,
        id,
        name: p.name,
        period: period.key,
        periods,
        card,
        trend,
        trend_line,
        evaluations,
        templates,
        is_host: viewer.is_host(),
        runs: runs_directory(viewer),
        published,
    })
}

pub async fn scorecard(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let period = period_of(&q, &state);
    render(&scorecard_page(&state, &viewer, page, id, period, Forms::none()).await?)
}

async fn finish<T>(
    (state, viewer, page, session): (&AppState, &Viewer, PageCtx, &Session),
    id: i64,
    form: &FormData,
    result: AppResult<T>,
    (which, success): (&str, &str),
) -> AppResult<Response> {
    let period = parse_period(form.get("period")).unwrap_or_else(|_| quarter_of(state.today()));
    let back = format!("/vendors/{id}/scorecard?period={}", period.key);
    settle((page, session), form, result, (success, back), |page, f| {
        scorecard_page(state, viewer, page, id, period.clone(), Forms::posted(which, f))
    })
    .await
}

pub async fn publish(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = match parse_period(form.get("period")) {
        Ok(p) => evaluations::publish(&state, &viewer, id, &p).await,
        Err(m) => {
            directory::get(&state, &viewer, id).await?;
            if !directory::runs_directory(&viewer) {
                return Err(AppError::Forbidden);
            }
            let mut e = crate::error::FieldErrors::default();
            e.add("period", m);
            Err(AppError::Validation(e))
        }
    };
    finish((&state, &viewer, page, &session), id, &form, result, ("publish", "flash-scorecard-published")).await
}

pub async fn evaluate(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    // Scores come as `score_{n}` with the criterion's name in `criterion_{n}`.
    let scores = (0..super::selection::MAX_CRITERIA)
        .filter_map(|n| {
            let name = form.get(&format!("criterion_{n}"));
            (!name.is_empty()).then(|| {
                let raw = form.get(&format!("score_{n}")).trim();
                CriterionScore {
                    criterion: name.to_owned(),
                    score: raw.parse().ok().or(Some(-1).filter(|_| !raw.is_empty())),
                }
            })
        })
        .filter(|s| s.score.is_some())
        .collect();
    let input = EvaluationInput {
        period: form.get("period").to_owned(),
        template: form.get("template").to_owned(),
        scores,
        comment: form.get("comment").to_owned(),
    };
    let which = format!("evaluate-{}", form.get("template"));
    let result = evaluations::evaluate(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-evaluation-saved")).await
}

#[derive(Template)]
#[template(path = "vendors/ranking.html")]
struct RankingPage {
    page: PageCtx,
    rows: Vec<RankingRow>,
    period: String,
    periods: Vec<String>,
    category: String,
    categories: &'static [&'static str],
}

impl RankingPage {
    fn fmt1(&self, v: &f64) -> String {
        format!("{v:.1}")
    }
}

pub async fn ranking(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let period = period_of(&q, &state);
    let category = q.get("category").cloned().filter(|c| CATEGORIES.contains(&c.as_str())).unwrap_or_default();
    let rows =
        evaluations::ranking(&state, &viewer, Some(category.as_str()).filter(|c| !c.is_empty()), &period).await?;
    let mut periods = Vec::new();
    let mut p = quarter_of(state.today());
    for _ in 0..8 {
        periods.push(p.key.clone());
        p = super::scorecard::previous(&p);
    }
    render(&RankingPage { page, rows, period: period.key, periods, category, categories: CATEGORIES })
}

#[derive(Template)]
#[template(path = "vendors/settings.html")]
pub struct SettingsPage {
    page: PageCtx,
    forms: Forms,
    settings: Settings,
    kpis: Vec<&'static str>,
    selection_templates: Vec<CriteriaTemplate>,
    evaluation_templates: Vec<CriteriaTemplate>,
    is_admin: bool,
    runs: bool,
}

impl SettingsPage {
    fn grades(&self) -> Vec<(&'static str, i32)> {
        vec![("grade_a", self.settings.grade_a), ("grade_b", self.settings.grade_b), ("grade_c", self.settings.grade_c)]
    }

    fn weight_value(&self, k: &str) -> String {
        let f = self.forms.get("weights");
        if f.has_errors() { f.value(&format!("weight_{k}")).to_owned() } else { self.settings.weight(k).to_string() }
    }
}

async fn settings_page(state: &AppState, viewer: &Viewer, page: PageCtx, forms: Forms) -> AppResult<SettingsPage> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    Ok(SettingsPage {
        settings: load_settings(&state.db).await?,
        kpis: KPIS.iter().map(|(k, _)| *k).collect(),
        selection_templates: templates::all(state, "selection", page.language).await?,
        evaluation_templates: templates::all(state, "evaluation", page.language).await?,
        is_admin: viewer.is_admin(),
        runs: runs_directory(viewer),
        forms,
        page,
    })
}

pub async fn settings(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    render(&settings_page(&state, &viewer, page, Forms::none()).await?)
}

pub async fn save_settings(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = crate::error::FieldErrors::default();
    let mut weights = std::collections::BTreeMap::new();
    for (k, _) in KPIS {
        let raw = form.get(&format!("weight_{k}")).trim();
        match raw.parse::<i32>() {
            Ok(w) => {
                weights.insert((*k).to_owned(), w);
            }
            Err(_) if raw.is_empty() => {
                weights.insert((*k).to_owned(), 0);
            }
            Err(_) => errors.add(format!("weight_{k}"), crate::error::Msg::new("error-integer")),
        }
    }
    let grade = |f: &str| form.get(f).trim().parse().ok();
    let result = if errors.is_empty() {
        let input =
            SettingsInput { weights, grade_a: grade("grade_a"), grade_b: grade("grade_b"), grade_c: grade("grade_c") };
        evaluations::save_settings(&state, &viewer, input).await
    } else if !viewer.is_admin() {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::Validation(errors))
    };
    settle((page, &session), &form, result, ("flash-settings-saved", "/vendors/settings".to_owned()), |page, mut f| {
        let state = &state;
        let viewer = &viewer;
        async move {
            if let Some(e) = f.error("weights").map(str::to_owned) {
                f.set_general(e);
            }
            settings_page(state, viewer, page, Forms::posted("weights", f)).await
        }
    })
    .await
}

pub async fn add_template(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let criteria = form
        .get("criteria")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, weight) = l.rsplit_once(char::is_whitespace).unwrap_or((l, ""));
            CriterionInput { name: name.trim().to_owned(), weight: weight.trim_end_matches('%').parse().unwrap_or(0) }
        })
        .collect();
    let input = TemplateInput { kind: form.get("kind").to_owned(), name: form.get("name").to_owned(), criteria };
    let result = templates::add(&state, &viewer, input).await;
    settle(
        (page, &session),
        &form,
        result,
        ("flash-criteria-template-added", "/vendors/settings#templates".to_owned()),
        |page, mut f| {
            let state = &state;
            let viewer = &viewer;
            async move {
                let line = (0..super::selection::MAX_CRITERIA).find_map(|i| {
                    f.error(&format!("criteria[{i}].weight"))
                        .or(f.error(&format!("criteria[{i}].name")))
                        .map(str::to_owned)
                });
                if let Some(e) = line {
                    f.set_error("criteria", e);
                }
                settings_page(state, viewer, page, Forms::posted("template", f)).await
            }
        },
    )
    .await
}
