//! The demo's change control on the driver app: baseline 1 of the signed plan, a board of the
//! PM and the client's manager, one change the board approved (the geofence alert the client
//! asked for after signing) and one the vendor raised that waits for the PM.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::engagements::demo_viewer;
use crate::{
    AppState,
    changes::{board, decide, service},
    domain::Id,
    engagements::{
        baseline,
        entity::{engagement, task},
    },
    error::AppResult,
    money::MoneyDto,
    requirements::entity::requirement,
};

fn cny(amount: &str) -> Option<MoneyDto> {
    Some(MoneyDto { amount: amount.into(), currency: Some("CNY".into()) })
}

/// Adds the change control story to XH-2026-001; nothing when it has change requests already.
pub(super) async fn seed_changes(state: &AppState) -> AppResult<()> {
    let Some(e) = engagement::Entity::find().filter(engagement::Column::Code.eq("XH-2026-001")).one(&state.db).await?
    else {
        return Ok(());
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    let filter = service::ChangeFilter { limit: 1, ..Default::default() };
    if !service::list(state, &pm, e.id, &filter).await?.0.is_empty() {
        return Ok(());
    }
    let client = demo_viewer(state, "manager@hdlogistics.example").await?;
    let vendor = demo_viewer(state, "manager@yunfan.example").await?;
    let task_id = |name: &'static str| async move {
        AppResult::Ok(
            task::Entity::find()
                .filter(task::Column::EngagementId.eq(e.id))
                .filter(task::Column::Name.eq(name))
                .one(&state.db)
                .await?
                .map(|t| Id(t.id)),
        )
    };
    let b1 = baseline::BaselineInput { name: "基线 1 签署计划 Baseline 1: signed plan".into() };
    baseline::save(state, &pm, e.id, b1).await?;
    let rules = board::BoardInput {
        pm_max_days: board::DEFAULT_PM_MAX_DAYS,
        pm_max_cost: MoneyDto { amount: "10000".into(), currency: Some("CNY".into()) },
        member_ids: vec![Id(pm.user.id), Id(client.user.id)],
    };
    board::set(state, &pm, e.id, rules).await?;

    // The client's wish after signing, through the board.
    let raised = service::ChangeInput {
        title: "电子围栏到站提醒 Geofence arrival alert".into(),
        reason:
            "收货人投诉等待时间长，需要到站前提醒。\n\nConsignees wait too long; they want an alert before arrival."
                .into(),
        visibility: Some("participants".into()),
        ..Default::default()
    };
    let cr1 = service::create(state, &client, e.id, raised).await?;
    let impact = service::ImpactInput {
        schedule_delta_days: Some(3),
        cost_delta: cny("12000"),
        affected_task_ids: task_id("司机端 App Driver app").await?.map(|t| vec![t]),
        impact_notes: Some(
            "供应商报价 8,000；余量用于回归测试。Vendor quoted 8,000; the rest covers regression.".into(),
        ),
    };
    service::record_impact(state, &pm, cr1.id, impact).await?;
    let wish = requirement::Entity::find()
        .filter(requirement::Column::EngagementId.eq(e.id))
        .filter(requirement::Column::Title.contains("Geofence"))
        .one(&state.db)
        .await?;
    if let Some(w) = wish {
        let scope = service::ScopeItemInput {
            action: "change".into(),
            requirement_id: Some(Id(w.id)),
            priority: Some("should".into()),
            acceptance_criteria: vec!["进入 500 米范围 30 秒内推送 / pushed within 30 s of entering 500 m".into()],
            ..Default::default()
        };
        service::add_scope_item(state, &pm, cr1.id, scope).await?;
    }
    for who in [&pm, &client] {
        let yes = decide::DecisionInput {
            decision: "approve".into(),
            comment: Some("同意 Agreed".into()),
            ..Default::default()
        };
        decide::decide(state, who, cr1.id, yes).await?;
    }

    // The vendor's proposal, small enough for the PM, still waiting.
    let raised = service::ChangeInput {
        title: "运单导出 Excel Export waybills to Excel".into(),
        reason: "调度员每周手工汇总运单。\n\nDispatchers compile waybills by hand every week.".into(),
        visibility: Some("participants".into()),
        ..Default::default()
    };
    let cr2 = service::create(state, &vendor, e.id, raised).await?;
    let impact = service::ImpactInput {
        schedule_delta_days: Some(2),
        cost_delta: cny("6000"),
        affected_task_ids: task_id("调度端 Web Dispatch console").await?.map(|t| vec![t]),
        ..Default::default()
    };
    service::record_impact(state, &pm, cr2.id, impact).await?;
    Ok(())
}
