//! Search across everything a person may see: the index of engagement records, the contract
//! register (number, title, counterparty) and the vendor directory (name, legal name, credit
//! code), each through its own scope.

use crate::{
    AppState,
    auth::Viewer,
    contracts::{self, register::Register},
    domain::Id,
    error::AppResult,
    search::{self, Hit},
    vendors::directory,
};

/// How many contracts and how many vendors one search adds.
const OTHER_LIMIT: u64 = 10;

pub async fn everything(state: &AppState, viewer: &Viewer, q: &str) -> AppResult<Vec<Hit>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut hits = search::search(state, viewer, q).await?;
    let register = Register { q: Some(q.to_owned()), limit: OTHER_LIMIT, ..Default::default() };
    let (found, _) = contracts::register::list(state, viewer, &register).await?;
    let names = contracts::register::counterparty_names(state, &found).await?;
    let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
    let firsts = contracts::service::first_engagements(&state.db, &ids).await?;
    for c in found {
        let engagement = firsts.get(&c.id).copied();
        let counterparty = names.get(&c.counterparty_id).cloned().unwrap_or_default();
        hits.push(Hit {
            kind: "contract".into(),
            id: Id(c.id),
            engagement_id: engagement.map(Id),
            url: format!("/contracts/{}", c.id),
            context: format!("{} · {counterparty}", c.number),
            title: c.title,
        });
    }
    for v in directory::search(state, viewer, q, OTHER_LIMIT).await? {
        hits.push(Hit {
            kind: "vendor".into(),
            id: Id(v.id),
            engagement_id: None,
            url: format!("/vendors/{}", v.id),
            context: v.credit_code.unwrap_or_default(),
            title: v.name,
        });
    }
    Ok(hits)
}
