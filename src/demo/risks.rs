//! The demo's risk register on the driver app: the PM's internal worry about the vendor's price,
//! a shared staffing risk the vendor's manager owns (reassessed after two developers left), the
//! client's own worry about the scope of the pilot, and a closed one.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::engagements::demo_viewer;
use crate::{
    AppState,
    engagements::entity::engagement,
    error::AppResult,
    risks::service::{self, RiskFilter, RiskInput},
};

fn risk(title: &str, category: &str, (probability, impact): (i64, i64), strategy: &str) -> RiskInput {
    RiskInput {
        title: Some(title.into()),
        category: Some(category.into()),
        probability: Some(probability),
        impact: Some(impact),
        strategy: Some(strategy.into()),
        ..Default::default()
    }
}

/// Adds the risk register to XH-2026-001; nothing when it has risks already.
pub(super) async fn seed_risks(state: &AppState) -> AppResult<()> {
    let Some(e) = engagement::Entity::find().filter(engagement::Column::Code.eq("XH-2026-001")).one(&state.db).await?
    else {
        return Ok(());
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    if !service::list(state, &pm, e.id, &RiskFilter { limit: 1, ..Default::default() }).await?.0.is_empty() {
        return Ok(());
    }
    let vendor = demo_viewer(state, "manager@yunfan.example").await?;
    let client = demo_viewer(state, "manager@hdlogistics.example").await?;
    let soon = |days: i64| crate::domain::add_days(state.today(), days).to_string();

    let input = RiskInput {
        cause: Some("云帆的报价比第二名低 18%，人天单价低于市场水平。\nYunfan bid 18% under the runner-up.".into()),
        effect: Some(
            "二期可能以变更名义加价，或减少投入导致质量下降。\nPhase 2 may come back as price changes.".into(),
        ),
        response: Some(
            "合同中锁定二期单价；按里程碑付款。\nLock phase 2 day rates in the contract; pay by milestone.".into(),
        ),
        review_on: Some(soon(14)),
        ..risk("供应商报价偏低，二期可能加价 Vendor under-priced; phase 2 may cost more", "cost", (3, 4), "transfer")
    };
    service::create(state, &pm, e.id, input).await?;

    let input = RiskInput {
        owner_id: Some(vendor.user.id.to_string()),
        vendor_id: Some(vendor.party.id.to_string()),
        visibility: Some("participants".into()),
        trigger: Some(
            "核心开发提出离职或连续两周工时不足。\nA core developer resigns or logs too few hours two weeks running."
                .into(),
        ),
        response: Some("安排 AB 角，关键模块文档周更。\nPair every key module; update its documents weekly.".into()),
        review_on: Some(soon(2)),
        ..risk("关键开发人员流失 Key developers may leave", "vendor", (3, 4), "mitigate")
    };
    let staffing = service::create(state, &pm, e.id, input).await?;
    let again = RiskInput {
        probability: Some(4),
        note: Some("两名安卓开发已提出离职，补充人员两周后到岗。\nTwo Android developers resigned; replacements arrive in two weeks.".into()),
        ..Default::default()
    };
    service::update(state, &vendor, staffing.id, again).await?;

    let input = RiskInput {
        cause: Some("试点线路尚未确定，司机端的离线范围随之变化。\nThe pilot routes are not fixed yet.".into()),
        review_on: Some(soon(7)),
        ..risk("试点范围未定，验收标准可能变化 Pilot scope not settled", "scope", (2, 3), "avoid")
    };
    service::create(state, &client, e.id, input).await?;

    let input = RiskInput {
        visibility: Some("participants".into()),
        ..risk("地图 SDK 授权到期 Map SDK licence expiring", "compliance", (2, 5), "avoid")
    };
    let licence = service::create(state, &pm, e.id, input).await?;
    let close = RiskInput {
        status: Some("closed".into()),
        note: Some("已续签三年授权。\nRenewed for three years.".into()),
        ..Default::default()
    };
    service::update(state, &pm, licence.id, close).await?;
    Ok(())
}
