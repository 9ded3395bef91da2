//! The demo's costs on the driver app: a budget by category (baselined when first saved), the
//! travel and hardware spent so far, and one trip over the travel budget waiting for the
//! approver.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::engagements::demo_viewer;
use crate::{
    AppState,
    costs::service::{self, BudgetInput, BudgetLineInput, ExpenseInput},
    engagements::entity::engagement,
    error::AppResult,
    money::MoneyDto,
};

fn cny(amount: &str) -> MoneyDto {
    MoneyDto { amount: amount.into(), currency: Some("CNY".into()) }
}

/// Adds the budget and expenses to XH-2026-001; nothing when it has a budget already.
pub(super) async fn seed_costs(state: &AppState) -> AppResult<()> {
    let Some(e) = engagement::Entity::find().filter(engagement::Column::Code.eq("XH-2026-001")).one(&state.db).await?
    else {
        return Ok(());
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    if service::budget(state, &pm, e.id).await?.set {
        return Ok(());
    }
    let lines =
        [("labour", "360000"), ("vendor", "900000"), ("hardware", "45000"), ("software", "24000"), ("travel", "18000")]
            .into_iter()
            .map(|(category, amount)| BudgetLineInput { category: category.into(), amount: cny(amount) })
            .collect();
    service::set_budget(state, &pm, e.id, BudgetInput { lines }).await?;
    let spend = |category: &str, amount: &str, days_ago: i64, description: &str| ExpenseInput {
        category: category.into(),
        amount: Some(cny(amount)),
        date: crate::domain::add_days(state.today(), -days_ago).to_string(),
        description: description.into(),
        document_id: None,
    };
    for input in [
        spend("travel", "6840", 40, "需求调研：上海—杭州差旅 Requirements workshops in Hangzhou"),
        spend("hardware", "38600", 30, "测试手机 12 台 Twelve test phones"),
        spend("software", "9800", 25, "地图 SDK 测试授权 Map SDK test licence"),
        spend("travel", "7420", 12, "调度中心驻场一周 A week on site at the dispatch centre"),
        spend("travel", "5600", 3, "初验现场支持 On-site support for the initial acceptance"),
    ] {
        service::add_expense(state, &pm, e.id, input).await?;
    }
    Ok(())
}
