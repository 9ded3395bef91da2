//! The seed's risk register: a risk in every visibility. The shared one is owned by vendor A's
//! manager and names A as the vendor concerned, so the client and vendor B see the risk but
//! must not learn who owns it or which vendor it is about; its response task is A's own.

use accord::{
    collab::SubjectKind,
    domain::Id,
    risks::service::{self, RiskInput},
};

use super::{
    rules::Code,
    seed::{Plan, Seed},
};

impl Seed<'_> {
    pub async fn risks(&mut self, p: &Plan) {
        let state = &self.app.state;
        let eng = p.eng;
        let raise = |title: String, category: &str, who: &str| RiskInput {
            title: Some(title.clone()),
            category: Some(category.into()),
            cause: Some(title),
            probability: Some(3),
            impact: Some(4),
            strategy: Some("mitigate".into()),
            review_on: Some("2026-12-01".into()),
            note: Some(format!("{who} 评估")),
            ..Default::default()
        };

        // R-001, shared: owned by vendor A's manager, about vendor A, answered by A's task.
        let title = self.w.text(Code::P, "risk", "共享风险 shared risk");
        let input = RiskInput {
            owner_id: Some(self.a_mgr.user.id.to_string()),
            vendor_id: Some(self.a.to_string()),
            task_ids: Some(vec![Id(p.tasks[1])]),
            milestone_id: Some(p.milestones[4].to_string()),
            trigger: Some(self.w.text(Code::P, "risk trigger", "人员流失 staff leaving")),
            visibility: Some("participants".into()),
            ..raise(title, "vendor", "PM")
        };
        let r1 = service::create(state, &self.pm, eng, input).await.expect("R-001").id;
        self.comment(eng, SubjectKind::Risk, r1, "a_mgr", Code::P).await;
        let again = RiskInput { probability: Some(5), note: Some("升级 escalated".into()), ..Default::default() };
        service::update(state, &self.a_mgr, r1, again).await.expect("A's manager reassesses R-001");

        // R-002, the host's internal one.
        let title = self.w.text(Code::H, "risk", "内部风险 internal risk");
        let r2 = service::create(state, &self.admin, eng, raise(title, "cost", "admin")).await.expect("R-002").id;

        // R-003, vendor A's own (party to A), about itself.
        let title = self.w.text(Code::A, "risk", "供应商 A 风险 vendor A's risk");
        let input = RiskInput { vendor_id: Some(self.a.to_string()), ..raise(title, "schedule", "A") };
        let r3 = service::create(state, &self.a_mgr, eng, input).await.expect("R-003").id;

        // R-004, vendor B's own, owned by B's QA.
        let title = self.w.text(Code::B, "risk", "供应商 B 风险 vendor B's risk");
        let input = RiskInput { owner_id: Some(self.b_qa.user.id.to_string()), ..raise(title, "quality", "B") };
        let r4 = service::create(state, &self.b_mgr, eng, input).await.expect("R-004").id;

        // R-005, the client's own, closed.
        let title = self.w.text(Code::C, "risk", "客户风险 client's risk");
        let r5 = service::create(state, &self.c_mgr, eng, raise(title, "scope", "C")).await.expect("R-005").id;
        let close = RiskInput { status: Some("closed".into()), ..Default::default() };
        service::update(state, &self.c_mgr, r5, close).await.expect("close R-005");

        for (r, code) in [(r1, Code::P), (r2, Code::H), (r3, Code::A), (r4, Code::B), (r5, Code::C)] {
            self.link(code, format!("/engagements/{eng}/risks/{r}"));
            self.w.add("risk", r, Some(eng));
        }
    }
}
