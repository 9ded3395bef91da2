//! Shared scenario data beyond the demo: an engagement with a vendor and a client taking part.

use crate::support::{PASSWORD, TestApp};

#[derive(Clone, Copy, Debug)]
pub struct EngagementIds {
    pub eng: i64,
    pub eng2: i64,
    pub task_vendor: i64,
    pub task_internal: i64,
    pub task_client: i64,
    /// Visible to every participant; owned by the vendor.
    pub milestone: i64,
    pub milestone_internal: i64,
}

/// Requirements of ENG-1: one shared with everyone (frozen into version 1), one internal.
#[derive(Clone, Copy, Debug)]
pub struct RequirementIds {
    pub shared: i64,
    pub internal: i64,
    pub version: i64,
}

/// Change requests of ENG-1 with a board of the host PM and the client's manager: `shared`
/// (every participant sees it; ¥12,000, so the board decides) and `client` (raised by the
/// client's manager for the host and the client only, with the host's internal notes).
#[derive(Clone, Copy, Debug)]
pub struct ChangeIds {
    pub shared: i64,
    pub client: i64,
}

/// Risks of ENG-1: `shared` (every participant; raised by the host PM, owned by the vendor's
/// manager) and `internal` (the host's own).
#[derive(Clone, Copy, Debug)]
pub struct RiskIds {
    pub shared: i64,
    pub internal: i64,
}

impl TestApp {
    /// Issues of ENG-1: (shared with every participant, raised by the host PM; the vendor's
    /// own, raised by its manager).
    pub async fn with_issues(&self, e: &EngagementIds) -> (i64, i64) {
        use accord::issues::service::{self, IssueInput};
        let pm = self.viewer("pm@xinghe.example").await;
        let vendor = self.viewer("manager@yunfan.example").await;
        let raise = |title: &str| IssueInput {
            title: Some(title.into()),
            kind: Some("issue".into()),
            severity: Some("high".into()),
            ..Default::default()
        };
        let shared = service::create(&self.state, &pm, e.eng, raise("接口定义待确认 API contract unclear"))
            .await
            .expect("issue")
            .id;
        let own = service::create(&self.state, &vendor, e.eng, raise("测试环境不稳定 test rig unstable"))
            .await
            .expect("issue")
            .id;
        (shared, own)
    }

    /// A budget of ¥1.00 of travel on ENG-1 and an expense of ¥2.00 that waits for an approver.
    pub async fn with_pending_expense(&self, e: &EngagementIds) -> i64 {
        use accord::{
            costs::service::{self, BudgetInput, BudgetLineInput, ExpenseInput},
            money::MoneyDto,
        };
        let pm = self.viewer("pm@xinghe.example").await;
        let money = |a: &str| MoneyDto { amount: a.into(), currency: None };
        let lines = vec![BudgetLineInput { category: "travel".into(), amount: money("1") }];
        service::set_budget(&self.state, &pm, e.eng, BudgetInput { lines }).await.expect("budget");
        let input = ExpenseInput {
            category: "travel".into(),
            amount: Some(money("2")),
            date: "2026-11-20".into(),
            description: "出差 trip".into(),
            document_id: None,
        };
        let x = service::add_expense(&self.state, &pm, e.eng, input).await.expect("expense");
        assert_eq!(x.state, "pending");
        x.id
    }

    pub async fn with_risks(&self, e: &EngagementIds) -> RiskIds {
        use accord::risks::service::{self, RiskInput};
        let pm = self.viewer("pm@xinghe.example").await;
        let raise = |title: &str| RiskInput {
            title: Some(title.into()),
            category: Some("vendor".into()),
            probability: Some(4),
            impact: Some(4),
            strategy: Some("mitigate".into()),
            ..Default::default()
        };
        let shared = RiskInput {
            owner_id: Some(self.user_id("manager@yunfan.example").await.to_string()),
            visibility: Some("participants".into()),
            ..raise("关键开发人员流失 key developers leaving")
        };
        let shared = service::create(&self.state, &pm, e.eng, shared).await.expect("shared risk").id;
        let internal = service::create(&self.state, &pm, e.eng, raise("供应商报价偏低 vendor under-priced"))
            .await
            .expect("internal risk")
            .id;
        RiskIds { shared, internal }
    }

    /// An open review round on ENG-1's shared requirement, reviewed by the vendor's and the
    /// client's managers; due in a week.
    pub async fn with_review(&self, e: &EngagementIds, reqs: &RequirementIds) -> i64 {
        use accord::{domain::Id, requirements::reviews};
        let admin = self.viewer("admin@xinghe.example").await;
        let input = reviews::RoundInput {
            title: "一期需求评审 phase 1 review".into(),
            deadline: "2026-11-30".into(),
            requirement_ids: vec![Id(reqs.shared)],
            reviewer_ids: vec![
                Id(self.user_id("manager@yunfan.example").await),
                Id(self.user_id("manager@hdlogistics.example").await),
            ],
        };
        reviews::open(&self.state, &admin, e.eng, input).await.expect("review round").id
    }

    pub async fn with_changes(&self, e: &EngagementIds) -> ChangeIds {
        use accord::{
            changes::{board, service},
            domain::Id,
            money::MoneyDto,
        };
        let admin = self.viewer("admin@xinghe.example").await;
        let client = self.viewer("manager@hdlogistics.example").await;
        let rules = board::BoardInput {
            pm_max_days: 3,
            pm_max_cost: MoneyDto { amount: "10000".into(), currency: None },
            member_ids: vec![Id(self.user_id("pm@xinghe.example").await), Id(client.user.id)],
        };
        board::set(&self.state, &admin, e.eng, rules).await.expect("board");
        let shared = service::ChangeInput {
            title: "增加电子围栏 geofence".into(),
            reason: "客户新需求".into(),
            cost_delta: Some(MoneyDto { amount: "12000.00".into(), currency: Some("CNY".into()) }),
            affected_task_ids: Some(vec![Id(e.task_vendor)]),
            schedule_delta_days: Some(2),
            impact_notes: Some("内部：供应商报价 8000".into()),
            ..Default::default()
        };
        let shared = service::create(&self.state, &admin, e.eng, shared).await.expect("change");
        let raised =
            service::ChangeInput {
                title: "报表导出 export".into(), reason: "月底对账".into(), ..Default::default()
            };
        let by_client = service::create(&self.state, &client, e.eng, raised).await.expect("client change");
        let impact =
            service::ImpactInput { impact_notes: Some("内部：先拖一拖 stall it".into()), ..Default::default() };
        service::record_impact(&self.state, &admin, by_client.id, impact).await.expect("impact");
        ChangeIds { shared: shared.id, client: by_client.id }
    }

    pub async fn with_requirements(&self, eng: i64) -> RequirementIds {
        use accord::requirements::{service, versions};
        let admin = self.viewer("admin@xinghe.example").await;
        let input = |title: &str, visibility: &str| service::RequirementInput {
            title: title.into(),
            description: Some("司机端扫码签收，**离线**可用".into()),
            priority: Some("must".into()),
            acceptance_criteria: vec!["签收后 5 秒内同步".into()],
            visibility: Some(visibility.into()),
            ..Default::default()
        };
        let shared = service::create(&self.state, &admin, eng, input("扫码签收 scan to sign", "participants"))
            .await
            .expect("requirement");
        let internal = service::create(&self.state, &admin, eng, input("报价策略 pricing notes", "internal"))
            .await
            .expect("internal requirement");
        let version =
            versions::freeze(&self.state, &admin, eng, versions::FreezeInput::default()).await.expect("version");
        RequirementIds { shared: shared.id, internal: internal.id, version: version.id }
    }

    /// An engagement "ENG-1" run by the host with Yunfan (vendor) and East China Logistics
    /// (client) taking part: a milestone for everyone, an internal one, and three tasks — one
    /// for the vendor, one internal, one shared with the client only. Returns the ids.
    pub async fn with_engagement(&self) -> EngagementIds {
        use accord::{
            domain::Id,
            engagements::{plan, service},
        };
        let admin = self.viewer("admin@xinghe.example").await;
        let vendor = self.party_id("云帆").await;
        let client = self.party_id("华东").await;
        let input = service::EngagementInput {
            code: Some("ENG-1".into()),
            name: Some("物流平台 App".into()),
            kind: Some("outsourced_development".into()),
            start_date: Some("2026-11-02".into()),
            end_date: Some("2027-03-31".into()),
            ..Default::default()
        };
        let e = service::create(&self.state, &admin, input).await.expect("engagement");
        for (party, relation) in [(vendor, "vendor"), (client, "client")] {
            let input = service::ParticipantInput { party_id: Id(party), relation: relation.into() };
            service::add_participant(&self.state, &admin, e.id, input).await.expect("participant");
        }
        let milestone = |name: &str, visibility: &str| plan::MilestoneInput {
            name: name.into(),
            due_date: "2026-12-15".into(),
            visibility: Some(visibility.into()),
            ..Default::default()
        };
        let mut uat = milestone("初验 UAT", "participants");
        uat.owner_party_id = Some(Id(vendor));
        let m1 = plan::create_milestone(&self.state, &admin, e.id, uat).await.expect("m1");
        let m2 = plan::create_milestone(&self.state, &admin, e.id, milestone("内部评审 internal review", "internal"))
            .await
            .expect("m2");
        let task = |name: &str, party: Option<i64>, visibility: &str, visible: Option<i64>| plan::TaskInput {
            name: name.into(),
            start_date: "2026-11-09".into(),
            finish_date: "2026-11-20".into(),
            party_id: party.map(Id),
            visibility: Some(visibility.into()),
            visible_party_id: visible.map(Id),
            ..Default::default()
        };
        let task_vendor = plan::create_task(
            &self.state,
            &admin,
            e.id,
            task("接口开发 API work", Some(vendor), "party", Some(vendor)),
        )
        .await
        .expect("t1");
        let task_internal =
            plan::create_task(&self.state, &admin, e.id, task("预算复核 budget check", None, "internal", None))
                .await
                .expect("t2");
        let task_client =
            plan::create_task(&self.state, &admin, e.id, task("需求确认 sign-off prep", None, "party", Some(client)))
                .await
                .expect("t3");
        // Shared with everyone, done by the vendor's developer: the client sees the task, not who does it.
        let mut shared = task("联调测试 joint test", Some(vendor), "participants", None);
        shared.assignee_id = Some(Id(self.user_id("dev@yunfan.example").await));
        plan::create_task(&self.state, &admin, e.id, shared).await.expect("t4");
        let input = service::EngagementInput {
            code: Some("ENG-2".into()),
            name: Some("内部项目 internal only".into()),
            kind: Some("client_project".into()),
            start_date: Some("2026-11-02".into()),
            end_date: Some("2027-01-31".into()),
            ..Default::default()
        };
        let e2 = service::create(&self.state, &admin, input).await.expect("engagement 2");
        EngagementIds {
            eng: e.id,
            eng2: e2.id,
            task_vendor: task_vendor.id,
            task_internal: task_internal.id,
            task_client: task_client.id,
            milestone: m1.id,
            milestone_internal: m2.id,
        }
    }
}

/// Contracts and acceptance on ENG-1 for the matrix: a draft vendor contract (legal review by the
/// approver), a draft client contract, a signed vendor contract with one installment due and one
/// planned and an obligation of the vendor; a shared deliverable of the vendor submitted for
/// initial acceptance, and a defect on it.
#[derive(Clone, Copy, Debug)]
pub struct ContractIds {
    pub vendor: i64,
    pub client: i64,
    pub signed: i64,
    pub due: i64,
    pub planned: i64,
    pub obligation: i64,
    pub deliverable: i64,
    pub acceptance: i64,
    pub defect: i64,
    /// The PM's open dispute on `due`.
    pub dispute_open: i64,
    /// The vendor's dispute on `planned`, resolved by the PM (no one at fault).
    pub dispute_closed: i64,
}

impl TestApp {
    pub async fn with_contracts(&self, e: &EngagementIds) -> ContractIds {
        use accord::{
            acceptance::{defects, service as acceptance},
            contracts::{clauses, disputes, lifecycle, obligations, payments, service},
            domain::Id,
            engagements::deliverables,
            money::MoneyDto,
        };
        let pm = self.viewer("pm@xinghe.example").await;
        let vendor = self.viewer("manager@yunfan.example").await;
        let yunfan = self.party_id("云帆").await;
        let d = deliverables::create(
            &self.state,
            &pm,
            e.eng,
            deliverables::DeliverableInput {
                name: "调度端 Web dispatch console".into(),
                due_date: "2027-01-20".into(),
                owner_party_id: Some(Id(yunfan)),
                criteria: vec!["派单在 1 秒内完成".into()],
                ..Default::default()
            },
        )
        .await
        .expect("deliverable");
        let contract = |number: &str, party: i64, legal: Option<i64>| service::ContractInput {
            number: number.into(),
            title: format!("合同 {number}"),
            counterparty_id: Some(Id(party)),
            engagement_ids: vec![Id(e.eng)],
            total: Some(MoneyDto { amount: "100000.00".into(), currency: None }),
            legal_approver_id: legal.map(Id),
            ..Default::default()
        };
        let approver = self.user_id("approver@xinghe.example").await;
        let draft = service::create(&self.state, &pm, contract("M-V", yunfan, Some(approver))).await.expect("vendor");
        let client = service::create(&self.state, &pm, contract("M-C", self.party_id("华东").await, None))
            .await
            .expect("client");
        let signed = service::create(&self.state, &pm, contract("M-S", yunfan, None)).await.expect("signed");
        for c in [draft.id, signed.id] {
            let clause = clauses::ClauseInput {
                kind: "scope".into(),
                template: Some("builtin:scope".into()),
                ..Default::default()
            };
            clauses::add(&self.state, &pm, c, clause).await.expect("clause");
        }
        let inst = |date: &str| payments::InstallmentInput {
            name: format!("款项 {date}"),
            percent: Some("10".into()),
            trigger: Some(payments::TriggerInput {
                kind: "date".into(),
                date: Some(date.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        payments::add(&self.state, &pm, draft.id, inst("2027-01-01")).await.expect("installment");
        let due = payments::add(&self.state, &pm, signed.id, inst("2026-11-01")).await.expect("due").id;
        let planned = payments::add(&self.state, &pm, signed.id, inst("2027-05-01")).await.expect("planned").id;
        let obligation = obligations::add(
            &self.state,
            &pm,
            signed.id,
            obligations::ObligationInput {
                title: "提交周报".into(),
                owed_by: "counterparty".into(),
                due_date: "2027-02-01".into(),
                ..Default::default()
            },
        )
        .await
        .expect("obligation")
        .id;
        lifecycle::submit(&self.state, &pm, signed.id).await.expect("submit");
        lifecycle::sign(&self.state, &pm, signed.id, PASSWORD).await.expect("host signs");
        lifecycle::sign(&self.state, &vendor, signed.id, PASSWORD).await.expect("vendor signs");
        let submitted = acceptance::submit(
            &self.state,
            &vendor,
            d.id,
            acceptance::SubmitInput { stage: "initial".into(), ..Default::default() },
        )
        .await
        .expect("acceptance");
        let defect = defects::create(
            &self.state,
            &pm,
            e.eng,
            defects::DefectInput {
                deliverable_id: Some(Id(d.id)), title: "派单偶发超时".into(), ..Default::default()
            },
        )
        .await
        .expect("defect")
        .id;
        let input = |reason: &str| disputes::DisputeInput { reason: reason.into(), amount: None };
        let dispute_open =
            disputes::raise(&self.state, &pm, due, input("发票税率与合同不符")).await.expect("dispute").id;
        let dispute_closed =
            disputes::raise(&self.state, &vendor, planned, input("触发条件已达成")).await.expect("dispute").id;
        let settled = disputes::ResolveInput { fault: "none".into(), resolution: "双方确认按合同执行".into() };
        disputes::resolve(&self.state, &pm, dispute_closed, settled).await.expect("resolve");
        ContractIds {
            dispute_open,
            dispute_closed,
            vendor: draft.id,
            client: client.id,
            signed: signed.id,
            due,
            planned,
            obligation,
            deliverable: d.id,
            acceptance: submitted.id,
            defect,
        }
    }
}

impl TestApp {
    /// A vendor contract `number` on `eng`, ¥100,000, drafted by the host admin and signed by the
    /// admin and `vendor_email`, with one 10 % installment on each date (due once the date has
    /// come, as on signing). Returns the contract and its installments.
    pub async fn signed_vendor_contract(
        &self,
        eng: i64,
        vendor_email: &str,
        number: &str,
        dates: &[&str],
    ) -> (i64, Vec<i64>) {
        use accord::{
            contracts::{clauses, lifecycle, payments, service},
            domain::Id,
            money::MoneyDto,
        };
        let admin = self.viewer("admin@xinghe.example").await;
        let vendor = self.viewer(vendor_email).await;
        let input = service::ContractInput {
            number: number.into(),
            title: format!("合同 {number}"),
            counterparty_id: Some(Id(vendor.party.id)),
            engagement_ids: vec![Id(eng)],
            total: Some(MoneyDto { amount: "100000.00".into(), currency: None }),
            ..Default::default()
        };
        let c = service::create(&self.state, &admin, input).await.expect("contract");
        let scope =
            clauses::ClauseInput { kind: "scope".into(), template: Some("builtin:scope".into()), ..Default::default() };
        clauses::add(&self.state, &admin, c.id, scope).await.expect("clause");
        let mut installments = Vec::new();
        for date in dates {
            let input = payments::InstallmentInput {
                name: format!("款项 {date}"),
                percent: Some("10".into()),
                trigger: Some(payments::TriggerInput {
                    kind: "date".into(),
                    date: Some((*date).into()),
                    ..Default::default()
                }),
                ..Default::default()
            };
            installments.push(payments::add(&self.state, &admin, c.id, input).await.expect("installment").id);
        }
        lifecycle::submit(&self.state, &admin, c.id).await.expect("submit");
        lifecycle::sign(&self.state, &admin, c.id, PASSWORD).await.expect("host signs");
        lifecycle::sign(&self.state, &vendor, c.id, PASSWORD).await.expect("vendor signs");
        (c.id, installments)
    }
}

/// Selections on ENG-1 for the matrix and the vendor tests, made by the host admin through the
/// services. Criteria 价格 60 / 能力 40 on both.
///
/// - `open`: still bidding (deadline seven days after the test clock's now), evaluators
///   member@ and approver@xinghe, only 云帆 invited; 云帆's manager has bid ¥98,000 with a PDF
///   (`bid`, `bid_file`). Scores and the ranking answer 409 here (bidding has not ended).
/// - `closed`: evaluators pm@ and approver@xinghe (so the host member is no evaluator and is
///   refused), only 数智 invited (so 云帆 does not see it: 404); 数智's manager has bid ¥86,000
///   with a PDF (`closed_bid`, `closed_bid_file`) and the admin closed bidding early, since every
///   invited vendor had bid. It is being evaluated, so a score sheet is checked (422 when
///   invalid) without moving the clock; no sheet is in, so its ranking answers 409.
///
/// The test clock is not moved.
#[derive(Clone, Copy, Debug)]
pub struct SelectionIds {
    pub open: i64,
    pub bid: i64,
    pub bid_file: i64,
    pub closed: i64,
    pub closed_bid: i64,
    pub closed_bid_file: i64,
}

/// A certificate of 云帆 (ISO 9001, valid until 2027-12-31) with its scan as a PDF.
#[derive(Clone, Copy, Debug)]
pub struct CertificateIds {
    pub certificate: i64,
    pub file: i64,
}

impl TestApp {
    pub async fn with_selection(&self, e: &EngagementIds) -> SelectionIds {
        use accord::vendors::{bidding, selection};
        let admin = self.viewer("admin@xinghe.example").await;
        let yunfan = self.party_id("云帆").await;
        let shuzhi = self.party_id("数智").await;

        let open =
            self.selection_input(e, "司机端二期比选 phase 2 RFQ", ["member@xinghe.example", "approver@xinghe.example"]);
        let open = selection::create(&self.state, &admin, open.await).await.expect("selection").id;
        self.invite(open, yunfan).await;
        let (bid, bid_file) = self.bid(open, "manager@yunfan.example", "98000.00").await;

        let closed = self.selection_input(e, "测试服务比选 QA RFQ", ["pm@xinghe.example", "approver@xinghe.example"]);
        let closed = selection::create(&self.state, &admin, closed.await).await.expect("selection").id;
        self.invite(closed, shuzhi).await;
        let (closed_bid, closed_bid_file) = self.bid(closed, "manager@shuzhi.example", "86000.00").await;
        bidding::close(&self.state, &admin, closed).await.expect("close");

        SelectionIds { open, bid, bid_file, closed, closed_bid, closed_bid_file }
    }

    async fn selection_input(
        &self,
        e: &EngagementIds,
        title: &str,
        evaluators: [&str; 2],
    ) -> accord::vendors::selection::SelectionInput {
        use accord::{clock::Clock as _, domain::Id, vendors::selection};
        let mut evaluator_ids = Vec::new();
        for email in evaluators {
            evaluator_ids.push(Id(self.user_id(email).await));
        }
        selection::SelectionInput {
            title: title.into(),
            engagement_id: Some(Id(e.eng)),
            scope: Some("司机端 App 二期外包开发".into()),
            category: Some("software".into()),
            deadline: (self.clock.now() + chrono::Duration::days(7)).to_rfc3339(),
            criteria: vec![
                selection::CriterionInput { name: "价格".into(), weight: 60 },
                selection::CriterionInput { name: "能力".into(), weight: 40 },
            ],
            evaluator_ids,
            ..Default::default()
        }
    }

    async fn invite(&self, selection_id: i64, vendor: i64) {
        use accord::{domain::Id, vendors::selection};
        let admin = self.viewer("admin@xinghe.example").await;
        let input = selection::InvitationInput { vendor_id: Some(Id(vendor)) };
        selection::invite(&self.state, &admin, selection_id, input).await.expect("invitation");
    }

    /// A bid with a PDF by the vendor manager `email`: (bid id, file id).
    async fn bid(&self, selection_id: i64, email: &str, amount: &str) -> (i64, i64) {
        use accord::{
            documents::Upload,
            money::MoneyDto,
            vendors::{bidding, files},
        };
        let vendor = self.viewer(email).await;
        let input = bidding::BidInput {
            price: Some(MoneyDto { amount: amount.into(), currency: None }),
            summary: "三人团队，八周交付".into(),
        };
        let file = Upload { file_name: "技术方案.pdf".into(), bytes: b"%PDF-1.4 proposal".to_vec() };
        let b = bidding::submit_bid(&self.state, &vendor, selection_id, input, Some(file)).await.expect("bid");
        let f = files::of(self.db(), "bid", &[b.id]).await.expect("files");
        (b.id, f[0].id)
    }

    pub async fn with_certificate(&self) -> CertificateIds {
        use accord::{
            documents::Upload,
            vendors::{directory, files},
        };
        let admin = self.viewer("admin@xinghe.example").await;
        let yunfan = self.party_id("云帆").await;
        let input = directory::CertificateInput {
            kind: "iso9001".into(),
            name: Some("ISO 9001 质量管理体系认证".into()),
            number: Some("00124Q31234R2M".into()),
            issuer: Some("中国质量认证中心".into()),
            issued_on: Some("2025-01-01".into()),
            expires_on: Some("2027-12-31".into()),
        };
        let file = Upload { file_name: "ISO9001.pdf".into(), bytes: b"%PDF-1.4 certificate scan".to_vec() };
        let c = directory::add_certificate(&self.state, &admin, yunfan, input, Some(file)).await.expect("certificate");
        let f = files::of(self.db(), "certificate", &[c.id]).await.expect("files");
        CertificateIds { certificate: c.id, file: f[0].id }
    }
}
