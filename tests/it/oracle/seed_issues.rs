//! The seed's issue log: an issue in every visibility, each raised by its audience; the
//! shared one is owned by vendor A's manager (the client and vendor B must not learn who).

use accord::{
    collab::SubjectKind,
    issues::service::{self, IssueInput},
};

use super::{
    rules::Code,
    seed::{Plan, Seed},
};

impl Seed<'_> {
    pub async fn issues(&mut self, p: &Plan) {
        let state = &self.app.state;
        let eng = p.eng;
        let raise = |title: String, kind: &str| IssueInput {
            description: Some(title.clone()),
            title: Some(title),
            kind: Some(kind.into()),
            severity: Some("high".into()),
            ..Default::default()
        };
        let title = self.w.text(Code::P, "issue", "共享问题 shared issue");
        let input = IssueInput {
            owner_id: Some(self.a_mgr.user.id.to_string()),
            visibility: Some("participants".into()),
            ..raise(title, "conflict")
        };
        let i1 = service::create(state, &self.pm, eng, input).await.expect("I-001").id;
        self.comment(eng, SubjectKind::Issue, i1, "a_mgr", Code::P).await;
        let title = self.w.text(Code::H, "issue", "内部问题 internal issue");
        let input = IssueInput { visibility: Some("internal".into()), ..raise(title, "decision") };
        let i2 = service::create(state, &self.admin, eng, input).await.expect("I-002").id;
        let title = self.w.text(Code::A, "issue", "供应商 A 问题 vendor A's issue");
        let i3 = service::create(state, &self.a_mgr, eng, raise(title, "question")).await.expect("I-003").id;
        let title = self.w.text(Code::B, "issue", "供应商 B 问题 vendor B's issue");
        let i4 = service::create(state, &self.b_mgr, eng, raise(title, "issue")).await.expect("I-004").id;
        let title = self.w.text(Code::C, "issue", "客户问题 client's issue");
        let i5 = service::create(state, &self.c_mgr, eng, raise(title, "issue")).await.expect("I-005").id;
        let resolution = self.w.text(Code::C, "issue resolution", "已处理 handled");
        let done = IssueInput { status: Some("resolved".into()), resolution: Some(resolution), ..Default::default() };
        service::update(state, &self.pm, i5, done).await.expect("resolve I-005");
        for (i, code) in [(i1, Code::P), (i2, Code::H), (i3, Code::A), (i4, Code::B), (i5, Code::C)] {
            self.link(code, format!("/engagements/{eng}/issues/{i}"));
            self.w.add("issue", i, Some(eng));
        }
    }
}
