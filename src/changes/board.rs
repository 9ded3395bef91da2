//! Who decides a change: small ones (within the engagement's limits of working days and money)
//! go to the PM alone, the rest to the change control board, a list of named people from any
//! party of the engagement (typically the PM and the client's representative). An engagement
//! without a board leaves every change to its PM.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::entity::{board, board_member};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::Id,
    engagements::{
        entity::participant,
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{DEFAULT_CURRENCY, Money, MoneyDto},
    parties::entity::party,
    users::entity::user,
};

pub const DEFAULT_PM_MAX_DAYS: i32 = 3;
/// ¥10,000 in fen.
pub const DEFAULT_PM_MAX_COST: i64 = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Pm,
    Board,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Pm => "pm",
            Route::Board => "board",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "board" { Route::Board } else { Route::Pm }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub pm_max_days: i32,
    pub pm_max_cost: Money,
}

pub async fn rules(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Rules> {
    let row = board::Entity::find().filter(board::Column::EngagementId.eq(engagement_id)).one(db).await?;
    Ok(match row {
        Some(b) => Rules {
            pm_max_days: b.pm_max_days,
            pm_max_cost: Money { minor: b.pm_max_cost_minor, currency: b.currency },
        },
        None => Rules {
            pm_max_days: DEFAULT_PM_MAX_DAYS,
            pm_max_cost: Money { minor: DEFAULT_PM_MAX_COST, currency: DEFAULT_CURRENCY.to_owned() },
        },
    })
}

/// User ids on the engagement's board, in the order they were named.
pub async fn members(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Vec<i64>> {
    Ok(board_member::Entity::find()
        .select_only()
        .column(board_member::Column::UserId)
        .filter(board_member::Column::EngagementId.eq(engagement_id))
        .order_by_asc(board_member::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// Where a change of this size goes. Money in another currency than the limit's is never
/// "small".
pub fn route(rules: &Rules, members: &[i64], impact_days: i64, cost: &Money) -> Route {
    let small_time = impact_days.abs() <= i64::from(rules.pm_max_days);
    let small_money =
        cost.minor == 0 || (cost.currency == rules.pm_max_cost.currency && cost.minor.abs() <= rules.pm_max_cost.minor);
    if members.is_empty() || (small_time && small_money) { Route::Pm } else { Route::Board }
}

/// A board member. Id, name and party are null when the caller may not know the member's
/// party (the client is not told which vendor sits on the board, only that another party does).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BoardMemberDto {
    pub user_id: Option<Id>,
    pub name: Option<String>,
    pub party_id: Option<Id>,
    pub party_name: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BoardDto {
    /// Changes moving the plan by at most this many working days…
    pub pm_max_days: i32,
    /// …and costing at most this much are decided by the PM alone. A change's cost is the
    /// host's and the client's price: null for anyone else.
    pub pm_max_cost: Option<MoneyDto>,
    /// Everyone else's changes need every member's approval.
    pub members: Vec<BoardMemberDto>,
}

/// The board as anyone in the engagement may see it (who decides is no secret).
pub async fn show(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<BoardDto> {
    get(state, viewer, engagement_id).await?;
    let r = rules(&state.db, engagement_id).await?;
    let ids = members(&state.db, engagement_id).await?;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let people = lens.people(&state.db, ids.iter().copied()).await?;
    let parties = lens.party_names(&state.db, ids.iter().filter_map(|u| people.get(*u)).map(|p| p.party_id)).await?;
    let members = ids
        .iter()
        .map(|u| match people.get(*u) {
            Some(p) => BoardMemberDto {
                user_id: Some(Id(*u)),
                name: Some(p.name.clone()),
                party_id: Some(Id(p.party_id)),
                party_name: parties.get(p.party_id).map(str::to_owned),
            },
            None => BoardMemberDto { user_id: None, name: None, party_id: None, party_name: None },
        })
        .collect();
    Ok(BoardDto { pm_max_days: r.pm_max_days, pm_max_cost: lens.client_price(r.pm_max_cost.dto()), members })
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BoardInput {
    pub pm_max_days: i32,
    pub pm_max_cost: MoneyDto,
    /// Active users of the host or of a participating party.
    #[serde(default)]
    pub member_ids: Vec<Id>,
}

/// Sets the routing limits and the board (engagement managers only).
pub async fn set(state: &AppState, viewer: &Viewer, engagement_id: i64, input: BoardInput) -> AppResult<BoardDto> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    if !(0..=250).contains(&input.pm_max_days) {
        errors.add("pm_max_days", Msg::new("error-range").arg("min", 0).arg("max", 250));
    }
    let cost = errors.take("pm_max_cost", Money::try_from(&input.pm_max_cost));
    if cost.as_ref().is_some_and(|c| c.minor < 0) {
        errors.add("pm_max_cost", Msg::new("error-amount-negative"));
    }
    let mut seen = std::collections::HashSet::new();
    let wanted: Vec<i64> = input.member_ids.iter().map(|i| i.0).filter(|u| seen.insert(*u)).collect();
    if wanted.len() > 20 {
        errors.add("member_ids", Msg::new("error-board-size").arg("max", 20));
    }
    let eligible = eligible(&state.db, engagement_id, &wanted).await?;
    if eligible.len() != wanted.len() {
        errors.add("member_ids", Msg::new("error-board-member"));
    }
    errors.into_result()?;
    let Some(cost) = cost else { return Err(AppError::Internal(anyhow::anyhow!("validated cost missing"))) };
    let before = show(state, viewer, engagement_id).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    board::Entity::delete_many().filter(board::Column::EngagementId.eq(engagement_id)).exec(&tx).await?;
    board::ActiveModel {
        engagement_id: Set(engagement_id),
        pm_max_days: Set(input.pm_max_days),
        pm_max_cost_minor: Set(cost.minor),
        currency: Set(cost.currency.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    board_member::Entity::delete_many().filter(board_member::Column::EngagementId.eq(engagement_id)).exec(&tx).await?;
    for u in &wanted {
        board_member::ActiveModel {
            engagement_id: Set(engagement_id),
            user_id: Set(*u),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    let after = json!({"pm_max_days": input.pm_max_days, "pm_max_cost": cost.dto(), "member_ids": wanted});
    let before = json!({"pm_max_days": before.pm_max_days, "pm_max_cost": before.pm_max_cost,
                        "member_ids": before.members.iter().map(|m| m.user_id).collect::<Vec<_>>()});
    record(&tx, state, viewer, "change_board.set", "engagement", engagement_id, Some(before), Some(after)).await?;
    tx.commit().await?;
    show(state, viewer, engagement_id).await
}

/// Of `ids`, the active users of the host or of a party taking part in the engagement.
pub async fn eligible(db: &impl ConnectionTrait, engagement_id: i64, ids: &[i64]) -> AppResult<Vec<i64>> {
    let parties: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(engagement_id))
        .into_tuple()
        .all(db)
        .await?;
    let found: Vec<(i64, i64, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::PartyId)
        .column(party::Column::Kind)
        .inner_join(party::Entity)
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().filter(|(_, p, kind)| kind == "host" || parties.contains(p)).map(|(u, _, _)| u).collect())
}

/// People who may be named on the board, for the board form: (user id, name, party name).
pub async fn candidates(state: &AppState, engagement_id: i64) -> AppResult<Vec<(i64, String, String)>> {
    let parties: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(engagement_id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let rows: Vec<(i64, String, String, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .column(party::Column::Name)
        .column(party::Column::Kind)
        .inner_join(party::Entity)
        .filter(user::Column::Active.eq(true))
        .filter(sea_orm::Condition::any().add(party::Column::Kind.eq("host")).add(user::Column::PartyId.is_in(parties)))
        .order_by_asc(party::Column::Kind)
        .order_by_asc(user::Column::Name)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().map(|(id, name, party, _)| (id, name, party)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(minor: i64) -> Money {
        Money { minor, currency: "CNY".into() }
    }

    #[test]
    fn small_changes_go_to_the_pm_and_the_rest_to_the_board() {
        let r = Rules { pm_max_days: 3, pm_max_cost: cny(1_000_000) };
        assert_eq!(route(&r, &[1, 2], 3, &cny(1_000_000)), Route::Pm);
        assert_eq!(route(&r, &[1, 2], 4, &cny(0)), Route::Board);
        assert_eq!(route(&r, &[1, 2], -4, &cny(0)), Route::Board, "a shorter plan is still a change of size 4");
        assert_eq!(route(&r, &[1, 2], 0, &cny(1_200_000)), Route::Board);
        assert_eq!(route(&r, &[1, 2], 0, &Money { minor: 100, currency: "USD".into() }), Route::Board);
        assert_eq!(route(&r, &[], 30, &cny(99_000_000)), Route::Pm, "no board: the PM decides everything");
    }
}
