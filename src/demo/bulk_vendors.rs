//! Bulk vendors for the scorecard benchmark: many active vendors, each with a quarter of
//! delivery facts in one shared engagement — milestones (on time, late, missed), deliverables
//! with acceptance rounds and defects, change requests, a paid contract with a disputed
//! installment, and manual evaluations — so every KPI of a scorecard has facts to read.

use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::{
    AppState,
    acceptance::entity::{acceptance, defect},
    audit::{self, Actor, Change},
    changes::entity::change_request,
    collab::entity::activity,
    contracts::entity::{contract, dispute, installment},
    db,
    domain::PartyKind,
    engagements::entity::{deliverable, engagement, milestone, participant},
    error::{AppError, AppResult},
    parties::{entity::party, service::new_party},
    users::entity::user,
    vendors::{
        entity::{evaluation, profile},
        scorecard::quarter_of,
    },
};

/// What `accord dev seed --vendors` made.
#[derive(Debug, serde::Serialize)]
pub struct BulkVendors {
    pub vendors: u32,
    /// The quarter the facts fall in (e.g. `2026Q4`).
    pub period: String,
    pub first_vendor_id: i64,
    pub engagement_id: i64,
}

const CATEGORIES: [&str; 4] = ["software", "testing", "operations", "data"];

/// Inserts `n` vendors with a quarter of facts each (all dated in the current quarter, up to
/// today), in one transaction; one audit event records the load. Needs a host user (the first
/// host admin) to stand as the one who recorded the facts.
pub async fn seed_bulk_vendors(state: &AppState, n: u32) -> AppResult<BulkVendors> {
    let now = state.clock.now();
    let today = state.today();
    let period = quarter_of(today);
    // Facts fall on days 0 … span-1 of the quarter, all before today.
    let span = (today - period.start).num_days().max(1);
    let day = |k: i64| period.start + Duration::days(k % span);
    let tx = db::begin_write(&state.writer).await?;
    let host_user = user::Entity::find()
        .inner_join(party::Entity)
        .filter(party::Column::Kind.eq("host"))
        .filter(user::Column::Role.eq("admin"))
        .one(&tx)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no host admin: run `accord admin create` first")))?;
    let run = engagement::Entity::find().all(&tx).await?.len() + 1;
    let e = engagement::ActiveModel {
        code: Set(format!("BENCH-V-{run}")),
        name: Set(format!("供应商基准 Vendor bench {run}")),
        kind: Set("outsourced_development".into()),
        state: Set("active".into()),
        health: Set("green".into()),
        start_date: Set(period.start),
        end_date: Set(period.end),
        description: Set(String::new()),
        owner_id: Set(Some(host_user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        health_auto: Set(false),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let mut first_vendor_id = 0;
    for i in 0..n {
        let name = format!("基准供应商 Bench vendor {run}-{i:04}");
        let v = new_party(PartyKind::Vendor, &name, &name, now).insert(&tx).await?;
        if i == 0 {
            first_vendor_id = v.id;
        }
        profile::ActiveModel {
            party_id: Set(v.id),
            status: Set("active".into()),
            categories: Set(json!([CATEGORIES[i as usize % CATEGORIES.len()]]).to_string()),
            regions: Set("[]".into()),
            size: Set(String::new()),
            bank_name: Set(String::new()),
            bank_account: Set(String::new()),
            bank_account_name: Set(String::new()),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        participant::ActiveModel {
            engagement_id: Set(e.id),
            party_id: Set(v.id),
            relation: Set("vendor".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let k = i64::from(i);
        seed_facts(&tx, (&e, &v, &host_user), k, &day, now).await?;
        evaluation::ActiveModel {
            party_id: Set(v.id),
            period: Set(period.key.clone()),
            template: Set("季度评价".into()),
            scores: Set("[]".into()),
            total_bp: Set(8_200 - i32::try_from(k % 7).unwrap_or(0) * 100),
            comment: Set(String::new()),
            evaluator_id: Set(host_user.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    audit::record(
        &tx,
        now,
        Actor::SYSTEM,
        Change {
            action: "dev.seed_vendors",
            entity_type: "engagement",
            entity_id: e.id.to_string(),
            before: None,
            after: Some(json!({"vendors_added": n})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(BulkVendors { vendors: n, period: period.key, first_vendor_id, engagement_id: e.id })
}

type Ts = chrono::DateTime<chrono::Utc>;

/// One vendor's facts: six milestones (four on time, one late, one missed), four deliverables
/// (one rejected once, one still submitted), three defects, two change requests, a contract with
/// four installments due and one dispute resolved as the vendor's fault; one manual evaluation.
async fn seed_facts(
    tx: &DatabaseTransaction,
    (e, v, host): (&engagement::Model, &party::Model, &user::Model),
    k: i64,
    day: &impl Fn(i64) -> NaiveDate,
    now: Ts,
) -> AppResult<()> {
    let at = |d: NaiveDate| d.and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or(now);
    for m in 0..6 {
        let due = day(k + m * 7);
        let (status, done) = match m {
            0..=3 => ("achieved", Some(due - Duration::days(1))),
            4 => ("achieved", Some(due + Duration::days(3))),
            _ => ("missed", None),
        };
        let row = milestone::ActiveModel {
            engagement_id: Set(e.id),
            name: Set(format!("里程碑 M{m}")),
            due_date: Set(due),
            status: Set(status.into()),
            owner_party_id: Set(Some(v.id)),
            visibility: Set("participants".into()),
            visible_party_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            description: Set(String::new()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        if let Some(d) = done {
            activity::ActiveModel {
                engagement_id: Set(e.id),
                actor_id: Set(Some(host.id)),
                verb: Set("achieved".into()),
                subject_kind: Set("milestone".into()),
                subject_id: Set(row.id),
                title: Set(row.name.clone()),
                visibility: Set("participants".into()),
                visible_party_id: Set(None),
                created_at: Set(at(d)),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    // Defect numbers are per engagement, which every bench vendor shares.
    let mut defect_seq = i32::try_from(k * 10).unwrap_or(i32::MAX - 10);
    for d in 0..4 {
        let due = day(k + d * 11);
        let del = deliverable::ActiveModel {
            engagement_id: Set(e.id),
            name: Set(format!("交付物 D{d}")),
            description: Set(String::new()),
            owner_party_id: Set(Some(v.id)),
            milestone_id: Set(None),
            due_date: Set(due),
            status: Set(if d == 3 { "submitted" } else { "accepted" }.into()),
            visibility: Set("participants".into()),
            visible_party_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            warranty_months: Set(0),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        let rounds: &[&str] = match d {
            1 => &["rejected", "accepted"],
            3 => &["submitted"],
            _ => &["accepted"],
        };
        for (r, outcome) in rounds.iter().enumerate() {
            let decided = (*outcome != "submitted").then(|| at(due + Duration::days(i64::try_from(r).unwrap_or(0))));
            let a = acceptance::ActiveModel {
                engagement_id: Set(e.id),
                deliverable_id: Set(del.id),
                stage: Set("initial".into()),
                round: Set(i32::try_from(r).unwrap_or(0) + 1),
                state: Set((*outcome).into()),
                note: Set(String::new()),
                conditions: Set(String::new()),
                required_parties: Set("[]".into()),
                submitted_by: Set(host.id),
                submitted_party_id: Set(v.id),
                submitted_at: Set(at(due)),
                decided_by: Set(decided.map(|_| host.id)),
                decided_at: Set(decided),
                content_sha256: Set(None),
                effective_at: Set(decided),
                visibility: Set("participants".into()),
                visible_party_id: Set(None),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            if *outcome == "rejected" {
                for severity in ["major", "minor"] {
                    defect_seq += 1;
                    seed_defect(tx, (e, v, host), (del.id, Some(a.id)), (defect_seq, severity), at(due)).await?;
                }
            }
        }
        if d == 0 {
            defect_seq += 1;
            seed_defect(tx, (e, v, host), (del.id, None), (defect_seq, "minor"), at(due)).await?;
        }
    }
    for c in 0..2 {
        let seq = i32::try_from(k * 2 + c + 1).unwrap_or(i32::MAX);
        change_request::ActiveModel {
            engagement_id: Set(e.id),
            seq: Set(seq),
            key: Set(format!("CR-{seq:04}")),
            title: Set(format!("供应商变更 {c}")),
            reason: Set("客户新增需求".into()),
            description: Set(String::new()),
            state: Set("pending".into()),
            route: Set(None),
            round: Set(1),
            raised_by: Set(host.id),
            raised_party_id: Set(v.id),
            visibility: Set("participants".into()),
            visible_party_id: Set(None),
            affected_task_ids: Set("[]".into()),
            schedule_delta_days: Set(0),
            cost_delta_minor: Set(0),
            currency: Set("CNY".into()),
            impact_notes: Set(String::new()),
            applied_moves: Set(String::new()),
            created_at: Set(at(day(k + c * 13))),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    seed_contract(tx, (v, host), k, day, now).await
}

async fn seed_defect(
    tx: &DatabaseTransaction,
    (e, v, host): (&engagement::Model, &party::Model, &user::Model),
    (deliverable_id, acceptance_id): (i64, Option<i64>),
    (seq, severity): (i32, &str),
    at: Ts,
) -> AppResult<()> {
    defect::ActiveModel {
        engagement_id: Set(e.id),
        deliverable_id: Set(deliverable_id),
        acceptance_id: Set(acceptance_id),
        check_id: Set(None),
        seq: Set(seq),
        key: Set(format!("DEF-{seq:03}")),
        title: Set("验收发现问题".into()),
        description: Set(String::new()),
        severity: Set(severity.into()),
        status: Set("closed".into()),
        owner_party_id: Set(Some(v.id)),
        created_by: Set(host.id),
        created_at: Set(at),
        resolved_at: Set(Some(at)),
        closed_at: Set(Some(at)),
        visibility: Set("participants".into()),
        visible_party_id: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

async fn seed_contract(
    tx: &DatabaseTransaction,
    (v, host): (&party::Model, &user::Model),
    k: i64,
    day: &impl Fn(i64) -> NaiveDate,
    now: Ts,
) -> AppResult<()> {
    let c = contract::ActiveModel {
        number: Set(format!("BV-{}-{k:04}", v.id)),
        title: Set("基准外包合同".into()),
        description: Set(String::new()),
        direction: Set("payable".into()),
        counterparty_id: Set(v.id),
        currency: Set("CNY".into()),
        total_minor: Set(40_000_000),
        tax_rate_bp: Set(0),
        tax_minor: Set(0),
        state: Set("active".into()),
        created_by: Set(host.id),
        current_version: Set(1),
        terminated_reason: Set(String::new()),
        renewal_notice_days: Set(30),
        review_every_months: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for seq in 0..4 {
        let due = day(k + i64::from(seq) * 9);
        let i = installment::ActiveModel {
            contract_id: Set(c.id),
            seq: Set(seq + 1),
            name: Set(format!("第 {} 期", seq + 1)),
            kind: Set("progress".into()),
            amount_minor: Set(10_000_000),
            percent_bp: Set(Some(2_500)),
            trigger_kind: Set("date".into()),
            trigger_date: Set(Some(due)),
            expected_on: Set(Some(due)),
            state: Set("paid".into()),
            due_on: Set(Some(due)),
            invoiced_minor: Set(10_000_000),
            paid_minor: Set(10_000_000),
            override_reason: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        if seq == 0 {
            dispute::ActiveModel {
                contract_id: Set(c.id),
                installment_id: Set(i.id),
                raised_by_party_id: Set(host.party_id),
                raised_by: Set(host.id),
                reason: Set("发票金额有误".into()),
                amount_minor: Set(None),
                state: Set("resolved".into()),
                fault: Set(Some("counterparty".into())),
                resolution: Set("已重开发票".into()),
                closed_by: Set(Some(host.id)),
                closed_at: Set(Some(now)),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    Ok(())
}
