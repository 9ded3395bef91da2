//! The seed's change control: a board with members of three parties, and change requests in
//! every visibility — a shared one the board approves (it freezes a requirement version, saves
//! a baseline and opens amendments of the contracts in force), one the client raised and the PM
//! approved, the host's internal one, a vendor's rejected and the other vendor's deferred.
//! A change's cost is the price agreed with the client: the host and the client only.

use accord::{
    changes::{board, decide, service},
    collab::SubjectKind,
    domain::Id,
    money::MoneyDto,
};

use super::{
    rules::{Code, change_cost},
    seed::{Plan, Seed},
};

fn yuan(v: i64) -> Option<MoneyDto> {
    Some(MoneyDto { amount: format!("{v}.00"), currency: None })
}

impl Seed<'_> {
    pub async fn changes(&mut self, p: &Plan) {
        let state = &self.app.state;
        let eng = p.eng;
        // Changes over three working days go to the board; smaller ones the PM decides.
        let rules = board::BoardInput {
            pm_max_days: 3,
            pm_max_cost: MoneyDto { amount: "40000".into(), currency: None },
            member_ids: vec![Id(self.pm.user.id), Id(self.a_mgr.user.id), Id(self.c_mgr.user.id)],
        };
        board::set(state, &self.admin, eng, rules).await.expect("board");

        // CR-001, shared: ¥23,761, five days on the shared task, adds a shared requirement.
        let title = self.w.text(Code::P, "change request", "共享变更 shared change");
        let input = service::ChangeInput {
            title: title.clone(),
            reason: title.clone(),
            description: Some(title),
            schedule_delta_days: Some(5),
            cost_delta: yuan(23_761),
            affected_task_ids: Some(vec![Id(p.tasks[4])]),
            impact_notes: Some(self.w.text(Code::H, "change impact notes", "内部：供应商报价 internal")),
            ..Default::default()
        };
        let cr1 = service::create(state, &self.pm, eng, input).await.expect("CR-001").id;
        self.w.price(23_761, change_cost(Code::P), "cost of shared CR-001");
        let item = service::ScopeItemInput {
            action: "add".into(),
            title: Some(self.w.text(Code::P, "change scope item", "新增需求 added requirement")),
            acceptance_criteria: vec!["可验证 verifiable".into()],
            ..Default::default()
        };
        service::add_scope_item(state, &self.pm, cr1, item).await.expect("scope item");
        self.comment(eng, SubjectKind::Change, cr1, "b_mgr", Code::P).await;
        for who in ["pm", "a_mgr", "c_mgr"] {
            let voter = self.who(who).clone();
            let input = decide::DecisionInput { decision: "approve".into(), ..Default::default() };
            decide::decide(state, &voter, cr1, input).await.expect("board approves CR-001");
        }

        // CR-002, the client's (party to the client): ¥31,847 recorded by the PM, with the host's
        // internal notes; its scope item becomes a shared requirement once approved.
        let title = self.w.text(Code::C, "change request", "客户变更 client's change");
        let input = service::ChangeInput { title: title.clone(), reason: title, ..Default::default() };
        let cr2 = service::create(state, &self.c_mgr, eng, input).await.expect("CR-002").id;
        let impact = service::ImpactInput {
            cost_delta: yuan(31_847),
            impact_notes: Some(self.w.text(Code::H, "change impact notes", "内部：压价 internal")),
            ..Default::default()
        };
        service::record_impact(state, &self.pm, cr2, impact).await.expect("impact CR-002");
        self.w.price(31_847, change_cost(Code::C), "cost of the client's CR-002");
        let item = service::ScopeItemInput {
            action: "add".into(),
            title: Some(self.w.text(Code::P, "change scope item", "客户新增需求 client's requirement")),
            ..Default::default()
        };
        service::add_scope_item(state, &self.pm, cr2, item).await.expect("scope item");
        self.comment(eng, SubjectKind::Change, cr2, "c_mgr", Code::C).await;
        let input = decide::DecisionInput { decision: "approve".into(), ..Default::default() };
        decide::decide(state, &self.pm, cr2, input).await.expect("PM approves CR-002");
        self.w.figure((23_761 + 31_847) * 100, change_cost(Code::C), "approved change cost");

        // CR-003, the host's internal one, pending.
        let title = self.w.text(Code::H, "change request", "内部变更 internal change");
        let input = service::ChangeInput {
            title: title.clone(),
            reason: title,
            cost_delta: yuan(17_293),
            visibility: Some("internal".into()),
            ..Default::default()
        };
        let cr3 = service::create(state, &self.admin, eng, input).await.expect("CR-003").id;
        self.w.price(17_293, change_cost(Code::H), "cost of internal CR-003");

        // CR-004, vendor A's (party to A): costed by the PM (not for the vendor), rejected.
        let title = self.w.text(Code::A, "change request", "供应商 A 变更 vendor A's change");
        let input = service::ChangeInput { title: title.clone(), reason: title, ..Default::default() };
        let cr4 = service::create(state, &self.a_mgr, eng, input).await.expect("CR-004").id;
        let impact = service::ImpactInput { cost_delta: yuan(12_587), ..Default::default() };
        service::record_impact(state, &self.pm, cr4, impact).await.expect("impact CR-004");
        self.w.price(12_587, change_cost(Code::A), "cost of vendor A's CR-004");
        let comment = self.w.text(Code::A, "change decision", "不予批准 rejected");
        let input = decide::DecisionInput { decision: "reject".into(), comment: Some(comment), ..Default::default() };
        decide::decide(state, &self.pm, cr4, input).await.expect("reject CR-004");

        // CR-005, vendor B's (party to B): deferred.
        let title = self.w.text(Code::B, "change request", "供应商 B 变更 vendor B's change");
        let input = service::ChangeInput { title: title.clone(), reason: title, ..Default::default() };
        let cr5 = service::create(state, &self.b_mgr, eng, input).await.expect("CR-005").id;
        let comment = self.w.text(Code::B, "change decision", "暂缓 deferred");
        let input = decide::DecisionInput {
            decision: "defer".into(),
            comment: Some(comment),
            revisit_on: Some("2026-12-15".into()),
        };
        decide::decide(state, &self.pm, cr5, input).await.expect("defer CR-005");

        // CR-006, raised by vendor B for every participant, pending: who raised it is B's.
        let title = self.w.text(Code::P, "change request", "供应商 B 提出的共享变更 shared, raised by vendor B");
        let input = service::ChangeInput {
            title: title.clone(),
            reason: title,
            visibility: Some("participants".into()),
            ..Default::default()
        };
        let cr6 = service::create(state, &self.b_mgr, eng, input).await.expect("CR-006").id;

        for (cr, code) in
            [(cr1, Code::P), (cr2, Code::C), (cr3, Code::H), (cr4, Code::A), (cr5, Code::B), (cr6, Code::P)]
        {
            self.link(code, format!("/engagements/{eng}/changes/{cr}"));
            self.w.add("cr", cr, Some(eng));
        }
    }
}
