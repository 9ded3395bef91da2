//! The demo's requirement set for the outsourced driver app: a parent with its children,
//! version 1 signed by the host, the vendor and the client, and a new wish still in draft.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{DEMO_PASSWORD, engagements::demo_viewer};
use crate::{
    AppState,
    domain::Id,
    engagements::entity::{deliverable, engagement, task},
    error::AppResult,
    requirements::{service, trace, versions},
};

struct Item {
    title: &'static str,
    /// The tasks and deliverables that serve it: `task` or `deliverable`, and how its name starts.
    served_by: &'static [(&'static str, &'static str)],
    kind: &'static str,
    priority: &'static str,
    description: &'static str,
    criteria: &'static [&'static str],
    /// Index of the parent among the items before it.
    parent: Option<usize>,
}

const ITEMS: &[Item] = &[
    Item {
        title: "司机端接单与签收 Driver orders and proof of delivery",
        served_by: &[("task", "司机端 App Driver"), ("deliverable", "司机端 App 安装包")],
        kind: "functional",
        priority: "must",
        description: "司机在 App 中接单、导航并完成签收。\n\nDrivers accept orders, navigate and record delivery in the app.",
        criteria: &["主流程全部用例通过 / all main-flow cases pass"],
        parent: None,
    },
    Item {
        title: "扫码签收 Scan to sign",
        served_by: &[("task", "司机端 App Driver"), ("task", "接口联调"), ("deliverable", "司机端 App 安装包")],
        kind: "functional",
        priority: "must",
        description: "- 扫描运单二维码完成签收\n- 签收后 **5 秒内** 同步到调度台\n\nScan the waybill code; the dispatch desk sees it within 5 s.",
        criteria: &[
            "签收 5 秒内同步 / synced within 5 s",
            "重复扫码给出提示 / a second scan is refused with a message",
        ],
        parent: Some(0),
    },
    Item {
        title: "断网留证 Offline photo evidence",
        served_by: &[("task", "司机端 App Driver"), ("deliverable", "司机端 App 安装包")],
        kind: "functional",
        priority: "should",
        description: "无网络时可拍照并暂存，恢复网络后自动上传。\n\nPhotos taken offline upload once the network is back.",
        criteria: &["断网拍照 10 张后恢复网络全部上传 / 10 offline photos all upload"],
        parent: Some(0),
    },
    Item {
        title: "冷启动性能 Cold start",
        served_by: &[("task", "司机端 App Driver"), ("deliverable", "司机端 App 安装包")],
        kind: "non_functional",
        priority: "must",
        description: "中端安卓机冷启动 < 2 秒。\n\nCold start under 2 s on a mid-range Android phone.",
        criteria: &["红米 Note 12 上 10 次冷启动中位数 < 2 秒 / median of 10 cold starts < 2 s"],
        parent: None,
    },
    Item {
        title: "调度台订单接口 Dispatch order API",
        served_by: &[("task", "调度端 Web"), ("task", "接口联调"), ("deliverable", "调度端 Web 发布包")],
        kind: "interface",
        priority: "must",
        description: "| 方法 | 路径 | 说明 |\n|---|---|---|\n| GET | /orders | 待派订单 |\n| POST | /orders/{id}/sign | 签收 |",
        criteria: &["接口文档与实现一致 / the API matches its document"],
        parent: None,
    },
];

/// Adds the requirement set to XH-2026-001; nothing when it has one already.
pub(super) async fn seed_requirements(state: &AppState) -> AppResult<()> {
    let Some(e) = engagement::Entity::find().filter(engagement::Column::Code.eq("XH-2026-001")).one(&state.db).await?
    else {
        return Ok(());
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    if !service::list(state, &pm, e.id).await?.is_empty() {
        return Ok(());
    }
    let client = demo_viewer(state, "manager@hdlogistics.example").await?;
    let mut ids: Vec<i64> = Vec::new();
    for item in ITEMS {
        let input = service::RequirementInput {
            title: item.title.into(),
            description: Some(item.description.into()),
            kind: Some(item.kind.into()),
            priority: Some(item.priority.into()),
            source_party_id: Some(Id(client.party.id)),
            acceptance_criteria: item.criteria.iter().map(|c| (*c).to_owned()).collect(),
            parent_id: item.parent.and_then(|i| ids.get(i)).copied().map(Id),
            ..Default::default()
        };
        ids.push(service::create(state, &pm, e.id, input).await?.id);
    }
    // What does the work and what is delivered for each, for the traceability matrix.
    let tasks = task::Entity::find().filter(task::Column::EngagementId.eq(e.id)).all(&state.db).await?;
    let deliverables =
        deliverable::Entity::find().filter(deliverable::Column::EngagementId.eq(e.id)).all(&state.db).await?;
    for (item, requirement) in ITEMS.iter().zip(&ids) {
        for (kind, start) in item.served_by {
            let found = match *kind {
                "task" => tasks.iter().find(|t| t.name.starts_with(start)).map(|t| t.id),
                _ => deliverables.iter().find(|d| d.name.starts_with(start)).map(|d| d.id),
            };
            if let Some(id) = found {
                let link = trace::LinkInput { kind: (*kind).into(), record_id: Id(id) };
                trace::link(state, &pm, e.id, *requirement, link).await?;
            }
        }
    }
    let note = Some("一期范围，三方确认 Phase 1 scope, confirmed by all three parties".to_owned());
    let v1 = versions::freeze(state, &pm, e.id, versions::FreezeInput { note }).await?;
    for who in ["pm@xinghe.example", "manager@yunfan.example", "manager@hdlogistics.example"] {
        let signer = demo_viewer(state, who).await?;
        versions::sign(state, &signer, v1.id, versions::SignInput { password: DEMO_PASSWORD.into() }).await?;
    }
    // What the client asked for after signing: in draft until a change request takes it in.
    let wish = service::RequirementInput {
        title: "电子围栏到站提醒 Geofence arrival alert".into(),
        description: Some(
            "车辆进入收货点 500 米范围时提醒收货人。\n\nNotify the consignee 500 m before arrival.".into(),
        ),
        priority: Some("could".into()),
        source_party_id: Some(Id(client.party.id)),
        ..Default::default()
    };
    service::create(state, &pm, e.id, wish).await?;
    Ok(())
}
