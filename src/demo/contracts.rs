//! The demo's contracts on the driver app: the client contract (we are paid) and the vendor
//! contract (we pay), both signed; the driver-app build rejected at its first 初验 for a slow
//! cold start, fixed, accepted in round 2 and signed by all three parties, which made the
//! progress installments of both contracts due; the advances already paid. Yunfan disputed the
//! late advance (settled as the host's fault); the host disputes Yunfan's progress invoice.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Story, engagements::demo_viewer};
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
        obligations::{self, ObligationInput, ObligationUpdate},
        payments::{self, InstallmentInput, InvoiceInput, PaymentInput, TriggerInput},
        service::{self, ContractInput},
    },
    domain::Id,
    engagements::entity::{deliverable, engagement},
    error::AppResult,
    money::MoneyDto,
    parties::entity::party,
};

/// A clause drafted from the shipped template of `kind`, with its blanks filled in (`body`).
fn template(kind: &str, body: String, deliverable: Option<i64>, warranty: Option<i32>) -> ClauseInput {
    ClauseInput {
        kind: kind.into(),
        template: Some(format!("builtin:{kind}")),
        body: Some(body),
        deliverable_id: deliverable.map(Id),
        warranty_months: warranty,
        ..Default::default()
    }
}

fn share(
    name: &str,
    kind: &str,
    percent: &str,
    trigger: TriggerInput,
    expected_on: Option<String>,
) -> InstallmentInput {
    InstallmentInput {
        name: name.into(),
        kind: Some(kind.into()),
        percent: Some(percent.into()),
        trigger: Some(trigger),
        expected_on,
        ..Default::default()
    }
}

/// A date of the story as a contract's text writes it: 2027 年 3 月 19 日.
fn written(story: Story, told: &str) -> String {
    story.date(told).format("%Y 年 %-m 月 %-d 日").to_string()
}

const ACCEPTANCE_TEXT: &str = "验收分初验与终验。乙方提交交付物后，甲方应在 10 个工作日内按验收标准逐项检查并出具书面结论；\
未通过的，乙方应在 10 个工作日内整改后重新提交。终验通过之日起进入质保期。";

fn warranty_text(months: i32) -> String {
    format!(
        "质保期为终验通过之日起 {months} 个月。质保期内乙方免费修复交付物的缺陷，严重缺陷须在 24 小时内响应、72 小时内修复。"
    )
}

/// The payment clause of a schedule: the same shares as the installments.
fn payment_text(advance: u8, initial: u8, final_: u8, retention: Option<u8>) -> String {
    let rest = match retention {
        Some(r) => format!("终验通过后支付 {final_}%；质保期满后支付剩余 {r}% 质保金"),
        None => format!("终验通过后支付剩余 {final_}%"),
    };
    format!(
        "合同总价为含税价。甲方按以下节点付款：合同签订后支付 {advance}% 预付款；司机端初验通过后支付 {initial}%；{rest}。\
乙方应在每期付款前开具等额增值税专用发票（税率 6%）。"
    )
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

    let story = Story::of(state);
    // The client contract: what East China Logistics pays us.
    let input = ContractInput {
        number: "HT-2026-001".into(),
        title: "华东物流移动调度 App 开发合同 Dispatch app development".into(),
        description: Some("司机端与调度端 App 的开发、部署与一年质保。".into()),
        counterparty_id: party_id(super::PARTIES[3].name).await?,
        engagement_ids: vec![Id(e.id)],
        total: Some(MoneyDto { amount: "1280000.00".into(), currency: Some("CNY".into()) }),
        tax_rate: Some("6".into()),
        start_date: Some(story.on("2026-10-08")),
        end_date: Some(story.on("2027-12-31")),
        review_every_months: Some(3),
        ..Default::default()
    };
    let hc = service::create(state, &pm, input).await?;
    let scope = "乙方按本合同附件《需求规格说明书》V1 完成华东物流移动调度系统（司机端 App 与调度端 Web）的设计、开发、测试与部署。\
范围以外的工作须经双方书面确认的变更单后方可实施。";
    let schedule = format!(
        "乙方应于 {} 前完成司机端初验，于 {} 前完成调度端初验，于 {} 前完成终验。因甲方原因造成的延误，工期相应顺延；\
因乙方原因延误的，按违约责任条款处理。",
        written(story, "2026-11-20"),
        written(story, "2027-01-15"),
        written(story, "2027-03-19"),
    );
    let secrets = "双方对在合作中获知的对方商业秘密和个人信息负有保密义务，未经对方书面同意不得向第三方披露。\
保密义务在合同终止后 3 年内继续有效。";
    for c in [
        template("scope", scope.into(), None, None),
        template("schedule", schedule, None, None),
        template("acceptance", ACCEPTANCE_TEXT.into(), Some(d.id), None),
        template("payment", payment_text(30, 40, 25, Some(5)), None, None),
        template("warranty", warranty_text(12), Some(d.id), Some(12)),
        template("confidentiality", secrets.into(), None, None),
    ] {
        clauses::add(state, &pm, hc.id, c).await?;
    }
    for i in [
        share("预付款 Advance", "advance", "30", on_date(&story.on("2026-10-15")), None),
        share("初验款 On initial acceptance", "progress", "40", on_acceptance(d.id, "initial"), None),
        share("终验款 On final acceptance", "final", "25", on_acceptance(d.id, "final"), Some(story.on("2027-03-19"))),
        share("质保金 Retention", "retention", "5", on_warranty_end(d.id), Some(story.on("2028-03-20"))),
    ] {
        payments::add(state, &pm, hc.id, i).await?;
    }
    lifecycle::submit(state, &pm, hc.id).await?;
    sign_both(state, &pm, &client, hc.id).await?;
    pay(state, &pm, hc.id, 1, ("No. 31022871", &story.on("2026-10-22"))).await?;

    // The vendor contract: what we pay Yunfan, reviewed by legal and finance first.
    let input = ContractInput {
        number: "WB-2026-007".into(),
        title: "司机端与调度端外包开发 Outsourced driver and dispatch apps".into(),
        counterparty_id: party_id(super::PARTIES[1].name).await?,
        engagement_ids: vec![Id(e.id)],
        total: Some(MoneyDto { amount: "680000.00".into(), currency: Some("CNY".into()) }),
        tax_rate: Some("6".into()),
        start_date: Some(story.on("2026-10-08")),
        end_date: Some(story.on("2027-06-30")),
        legal_approver_id: Some(Id(approver.user.id)),
        finance_approver_id: Some(Id(approver.user.id)),
        ..Default::default()
    };
    let vc = service::create(state, &pm, input).await?;
    let scope = "乙方按《需求规格说明书》V1 完成司机端 App 与调度端 Web 的开发、测试与交付，并配合甲方完成部署与验收。\
范围以外的工作须经双方书面确认的变更单后方可实施。";
    let standard = format!(
        "司机端交付物（源代码、安装包、部署文档、用户手册及测试报告）应于 {} 前提交初验。代码须通过甲方的静态扫描，\
单元测试覆盖率不低于 80%，无未关闭的严重缺陷。",
        written(story, "2026-11-20")
    );
    let mut delivery = template("delivery_standard", standard, Some(d.id), None);
    delivery.due_date = Some(story.on("2026-11-20"));
    delivery.owed_by = Some("counterparty".into());
    let liability = "乙方逾期交付的，每逾期一日按合同总价的 0.5‰ 支付违约金，累计不超过合同总价的 10%。\
甲方逾期付款的，按同样标准承担违约责任。";
    let ip = "本合同项下为甲方定制开发的成果（含源代码与文档）的知识产权自甲方付清相应款项之日起归甲方所有。\
乙方保证交付物不侵犯任何第三方的知识产权。";
    for c in [
        template("scope", scope.into(), None, None),
        delivery,
        template("acceptance", ACCEPTANCE_TEXT.into(), Some(d.id), None),
        template("payment", payment_text(20, 50, 30, None), None, None),
        template("liability", liability.into(), None, None),
        template("ip", ip.into(), None, None),
        template("warranty", warranty_text(6), Some(d.id), Some(6)),
    ] {
        clauses::add(state, &pm, vc.id, c).await?;
    }
    for i in [
        share("预付款 Advance", "advance", "20", on_date(&story.on("2026-10-20")), None),
        share("初验款 On initial acceptance", "progress", "50", on_acceptance(d.id, "initial"), None),
        share("终验款 On final acceptance", "final", "30", on_acceptance(d.id, "final"), Some(story.on("2027-03-26"))),
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
    pay(state, &pm, vc.id, 1, ("No. 55810392", &story.on("2026-10-28"))).await?;
    let env = ObligationInput {
        title: "提供测试环境与测试账号 Test environment and accounts".into(),
        owed_by: "host".into(),
        // A week late on the story's day: the contract watch escalates it.
        due_date: story.on("2026-11-16"),
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
    // The build was handed over: the vendor's delivery obligation is met.
    for o in obligations::list(state, vc.id).await? {
        if o.owed_by_party_id == vendor.party.id {
            let done =
                ObligationUpdate { status: "done".into(), note: Some("第 2 轮初验通过 / round 2 passed".into()) };
            obligations::update(state, &pm, o.id, done).await?;
        }
    }
    seed_disputes(state, story, (&pm, &vendor), vc.id).await
}

/// Yunfan contested the advance paid eight days late (the host's fault, settled); the PM
/// contests the tax rate on the progress invoice (open).
async fn seed_disputes(
    state: &AppState,
    story: Story,
    (pm, vendor): (&Viewer, &Viewer),
    contract_id: i64,
) -> AppResult<()> {
    let installments = service::installments(&state.db, contract_id).await?;
    let (Some(advance), Some(progress)) = (installments.first(), installments.get(1)) else { return Ok(()) };
    let late = DisputeInput {
        reason: format!(
            "预付款应于 {} 支付，实际 {} 到账，逾期 8 天。Advance paid 8 days late.",
            story.on("2026-10-20"),
            story.on("2026-10-28")
        ),
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
