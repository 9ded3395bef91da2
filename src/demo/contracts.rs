//! The demo's contracts on the driver app: the client contract (we are paid) and the vendor
//! contract (we pay), both signed; the driver-app build rejected at its first 初验 for a slow
//! cold start, fixed, accepted in round 2 and signed by all three parties, which made the
//! progress installments of both contracts due; the advances already paid. Yunfan disputed the
//! late advance (settled as the host's fault); the host disputes Yunfan's progress invoice.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::engagements::demo_viewer;
use crate::{
    AppState,
    acceptance::{
        defects::{self, DefectUpdate},
        entity::defect,
        service as acceptance,
    },
    auth::Viewer,
    contracts::{
        clauses::{self, ClauseInput},
        disputes::{self, DisputeInput, ResolveInput},
        entity::contract,
        lifecycle::{self, ReviewInput, TransitionInput},
        obligations::{self, ObligationInput},
        payments::{self, InstallmentInput, InvoiceInput, PaymentInput, TriggerInput},
        service::{self, ContractInput},
    },
    domain::Id,
    engagements::entity::{deliverable, engagement},
    error::AppResult,
    money::MoneyDto,
    parties::entity::party,
};

fn template(kind: &str, deliverable: Option<i64>, warranty: Option<i32>) -> ClauseInput {
    ClauseInput {
        kind: kind.into(),
        template: Some(format!("builtin:{kind}")),
        deliverable_id: deliverable.map(Id),
        warranty_months: warranty,
        ..Default::default()
    }
}

fn share(name: &str, kind: &str, percent: &str, trigger: TriggerInput) -> InstallmentInput {
    InstallmentInput {
        name: name.into(),
        kind: Some(kind.into()),
        percent: Some(percent.into()),
        trigger: Some(trigger),
        ..Default::default()
    }
}

fn on_date(date: &str) -> TriggerInput {
    TriggerInput { kind: "date".into(), date: Some(date.into()), ..Default::default() }
}

fn on_acceptance(deliverable: i64, stage: &str) -> TriggerInput {
    TriggerInput {
        kind: "acceptance".into(),
        deliverable_id: Some(Id(deliverable)),
        stage: Some(stage.into()),
        ..Default::default()
    }
}

fn on_warranty_end(deliverable: i64) -> TriggerInput {
    TriggerInput { kind: "warranty_end".into(), deliverable_id: Some(Id(deliverable)), ..Default::default() }
}

async fn sign_both(state: &AppState, host: &Viewer, other: &Viewer, id: i64) -> AppResult<()> {
    for who in [host, other] {
        lifecycle::sign(state, who, id, super::DEMO_PASSWORD).await?;
    }
    let active = TransitionInput { to: "active".into(), ..Default::default() };
    lifecycle::transition(state, host, id, active).await?;
    Ok(())
}

/// Pays an installment that is due: the invoice, then the money.
async fn pay(
    state: &AppState,
    pm: &Viewer,
    contract_id: i64,
    seq: i32,
    (invoice, paid_on): (&str, &str),
) -> AppResult<()> {
    let Some(i) = service::installments(&state.db, contract_id).await?.into_iter().find(|i| i.seq == seq) else {
        return Ok(());
    };
    let inv = InvoiceInput { number: invoice.into(), issued_on: paid_on.into(), ..Default::default() };
    payments::add_invoice(state, pm, i.id, inv).await?;
    let money = PaymentInput {
        paid_on: paid_on.into(),
        reference: Some(format!("HX{}", paid_on.replace('-', ""))),
        ..Default::default()
    };
    payments::add_payment(state, pm, i.id, money).await?;
    Ok(())
}

/// Adds the contract and acceptance story to XH-2026-001; nothing when it has contracts already.
pub(super) async fn seed_contracts(state: &AppState) -> AppResult<()> {
    let Some(e) = engagement::Entity::find().filter(engagement::Column::Code.eq("XH-2026-001")).one(&state.db).await?
    else {
        return Ok(());
    };
    if contract::Entity::find().filter(contract::Column::Number.eq("HT-2026-001")).one(&state.db).await?.is_some() {
        return Ok(());
    }
    let Some(d) = deliverable::Entity::find()
        .filter(deliverable::Column::EngagementId.eq(e.id))
        .filter(deliverable::Column::Name.contains("Driver app build"))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    let approver = demo_viewer(state, "approver@xinghe.example").await?;
    let client = demo_viewer(state, "manager@hdlogistics.example").await?;
    let vendor = demo_viewer(state, "manager@yunfan.example").await?;
    let party_id = |name: &'static str| async move {
        AppResult::Ok(
            party::Entity::find().filter(party::Column::Name.eq(name)).one(&state.db).await?.map(|p| Id(p.id)),
        )
    };

    // The client contract: what East China Logistics pays us.
    let input = ContractInput {
        number: "HT-2026-001".into(),
        title: "华东物流移动调度 App 开发合同 Dispatch app development".into(),
        description: Some("司机端与调度端 App 的开发、部署与一年质保。".into()),
        counterparty_id: party_id(super::PARTIES[3].name).await?,
        engagement_ids: vec![Id(e.id)],
        total: Some(MoneyDto { amount: "1280000.00".into(), currency: Some("CNY".into()) }),
        tax_rate: Some("6".into()),
        start_date: Some("2026-10-08".into()),
        end_date: Some("2027-12-31".into()),
        review_every_months: Some(3),
        ..Default::default()
    };
    let hc = service::create(state, &pm, input).await?;
    for c in [
        template("scope", None, None),
        template("schedule", None, None),
        template("acceptance", Some(d.id), None),
        template("payment", None, None),
        template("warranty", Some(d.id), Some(12)),
        template("confidentiality", None, None),
    ] {
        clauses::add(state, &pm, hc.id, c).await?;
    }
    for i in [
        share("预付款 Advance", "advance", "30", on_date("2026-10-15")),
        share("初验款 On initial acceptance", "progress", "40", on_acceptance(d.id, "initial")),
        share("终验款 On final acceptance", "final", "25", on_acceptance(d.id, "final")),
        share("质保金 Retention", "retention", "5", on_warranty_end(d.id)),
    ] {
        payments::add(state, &pm, hc.id, i).await?;
    }
    lifecycle::submit(state, &pm, hc.id).await?;
    sign_both(state, &pm, &client, hc.id).await?;
    pay(state, &pm, hc.id, 1, ("No. 31022871", "2026-10-22")).await?;

    // The vendor contract: what we pay Yunfan, reviewed by legal and finance first.
    let input = ContractInput {
        number: "WB-2026-007".into(),
        title: "司机端与调度端外包开发 Outsourced driver and dispatch apps".into(),
        counterparty_id: party_id(super::PARTIES[1].name).await?,
        engagement_ids: vec![Id(e.id)],
        total: Some(MoneyDto { amount: "680000.00".into(), currency: Some("CNY".into()) }),
        tax_rate: Some("6".into()),
        start_date: Some("2026-10-08".into()),
        end_date: Some("2027-06-30".into()),
        legal_approver_id: Some(Id(approver.user.id)),
        finance_approver_id: Some(Id(approver.user.id)),
        ..Default::default()
    };
    let vc = service::create(state, &pm, input).await?;
    let mut delivery = template("delivery_standard", Some(d.id), None);
    delivery.due_date = Some("2027-01-08".into());
    delivery.owed_by = Some("counterparty".into());
    for c in [
        template("scope", None, None),
        delivery,
        template("acceptance", Some(d.id), None),
        template("payment", None, None),
        template("liability", None, None),
        template("ip", None, None),
        template("warranty", Some(d.id), Some(6)),
    ] {
        clauses::add(state, &pm, vc.id, c).await?;
    }
    for i in [
        share("预付款 Advance", "advance", "20", on_date("2026-10-20")),
        share("初验款 On initial acceptance", "progress", "50", on_acceptance(d.id, "initial")),
        share("终验款 On final acceptance", "final", "30", on_acceptance(d.id, "final")),
    ] {
        payments::add(state, &pm, vc.id, i).await?;
    }
    lifecycle::submit(state, &pm, vc.id).await?;
    let approve = ReviewInput {
        decision: "approve".into(),
        comment: Some("条款与付款节点无误 Terms and milestones fine".into()),
    };
    lifecycle::review(state, &approver, vc.id, approve).await?;
    sign_both(state, &pm, &vendor, vc.id).await?;
    pay(state, &pm, vc.id, 1, ("No. 55810392", "2026-10-28")).await?;
    let env = ObligationInput {
        title: "提供测试环境与测试账号 Test environment and accounts".into(),
        owed_by: "host".into(),
        due_date: "2026-11-30".into(),
        ..Default::default()
    };
    obligations::add(state, &pm, vc.id, env).await?;

    // 初验 round 1: rejected for a slow cold start; the defect is fixed and closed.
    let submit =
        |note: &str| acceptance::SubmitInput { stage: "initial".into(), note: Some(note.into()), ..Default::default() };
    let round1 = acceptance::submit(state, &vendor, d.id, submit("1.0.0 候选版 release candidate")).await?;
    let items = acceptance::items(&state.db, round1.id).await?;
    let results = items
        .iter()
        .map(|i| {
            let slow = i.text.contains("冷启动");
            acceptance::ItemResult {
                id: Id(i.id),
                passed: !slow,
                note: slow.then(|| "实测冷启动 3.4 秒 / measured 3.4 s".to_owned()),
                severity: None,
            }
        })
        .collect();
    let rejected = acceptance::ResultInput { items: results, outcome: "rejected".into(), conditions: None };
    acceptance::record_results(state, &client, round1.id, rejected).await?;
    for f in defect::Entity::find().filter(defect::Column::AcceptanceId.eq(round1.id)).all(&state.db).await? {
        defects::update(state, &vendor, f.id, DefectUpdate { status: "resolved".into() }).await?;
        defects::update(state, &pm, f.id, DefectUpdate { status: "closed".into() }).await?;
    }

    // Round 2 passes; the three signatures put it in force and the progress payments fall due.
    let round2 = acceptance::submit(state, &vendor, d.id, submit("1.0.1 优化启动 faster start")).await?;
    let all_pass = acceptance::items(&state.db, round2.id)
        .await?
        .iter()
        .map(|i| acceptance::ItemResult { id: Id(i.id), passed: true, note: None, severity: None })
        .collect();
    let accepted = acceptance::ResultInput { items: all_pass, outcome: "accepted".into(), conditions: None };
    acceptance::record_results(state, &client, round2.id, accepted).await?;
    for who in [&client, &vendor, &pm] {
        let sign = acceptance::SignInput { password: super::DEMO_PASSWORD.into() };
        acceptance::sign(state, who, round2.id, sign).await?;
    }
    seed_disputes(state, (&pm, &vendor), vc.id).await
}

/// Yunfan contested the advance paid eight days late (the host's fault, settled); the PM
/// contests the tax rate on the progress invoice (open).
async fn seed_disputes(state: &AppState, (pm, vendor): (&Viewer, &Viewer), contract_id: i64) -> AppResult<()> {
    let installments = service::installments(&state.db, contract_id).await?;
    let (Some(advance), Some(progress)) = (installments.first(), installments.get(1)) else { return Ok(()) };
    let late = DisputeInput {
        reason: "预付款应于 2026-10-20 支付，实际 2026-10-28 到账，逾期 8 天。Advance paid 8 days late.".into(),
        amount: None,
    };
    let d = disputes::raise(state, vendor, advance.id, late).await?;
    let settled = ResolveInput {
        fault: "host".into(),
        resolution: "财务审批流程延误，已将付款审批纳入周例会跟踪。Finance approval was late; now tracked weekly."
            .into(),
    };
    disputes::resolve(state, pm, d.id, settled).await?;
    let tax = DisputeInput {
        reason: "初验款发票税率开为 13%，合同约定 6%，请重开发票。The invoice shows 13 % VAT; the contract says 6 %."
            .into(),
        amount: Some(MoneyDto { amount: "23000.00".into(), currency: None }),
    };
    disputes::raise(state, pm, progress.id, tax).await?;
    Ok(())
}
