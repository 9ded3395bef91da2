//! The seed's requirements: items in every visibility, traced to tasks and deliverables the
//! vendors may not see, two versions signed by several parties, and a review round with
//! reviewers, comments and votes from every party.

use accord::{
    domain::Id,
    requirements::{reviews, service, trace, versions},
};

use super::{
    rules::Code,
    seed::{Plan, SLICES, Seed},
};
use crate::support::PASSWORD;

impl Seed<'_> {
    pub async fn requirements(&mut self, p: &Plan) {
        let state = &self.app.state;
        let eng = p.eng;
        let mut shared = Vec::new();
        let mut by_slice = Vec::new();
        for (visibility, party) in SLICES {
            let code = Code::of(visibility, party);
            let title = self.w.text(code, "requirement", "需求 requirement");
            let criterion = self.w.text(code, "requirement criterion", "验收 criterion");
            let input = service::RequirementInput {
                title: title.clone(),
                description: Some(title),
                priority: Some("must".into()),
                acceptance_criteria: vec![criterion],
                visibility: Some(visibility.into()),
                visible_party_id: party.map(|x| Id(self.party_id(x))),
                ..Default::default()
            };
            let r = service::create(state, &self.admin, eng, input).await.expect("requirement").id;
            self.link(code, format!("/engagements/{eng}/requirements/{r}"));
            self.w.add("requirement", r, Some(eng));
            by_slice.push(r);
        }
        shared.push(by_slice[4]);
        // A second shared item asked for by vendor B: its source must not name B to the others.
        let title = self.w.text(Code::P, "requirement", "供应商 B 提出 asked by vendor B");
        let input = service::RequirementInput {
            title: title.clone(),
            description: Some(title),
            priority: Some("should".into()),
            source_party_id: Some(Id(self.b)),
            acceptance_criteria: vec!["可验证 verifiable".into()],
            visibility: Some("participants".into()),
            ..Default::default()
        };
        let r = service::create(state, &self.admin, eng, input).await.expect("requirement").id;
        self.w.add("requirement", r, Some(eng));
        shared.push(r);
        // The shared item traced to the internal task and deliverable and to vendor B's task.
        for (kind, id) in [("task", p.tasks[0]), ("deliverable", p.deliverables[0]), ("task", p.tasks[2])] {
            let input = trace::LinkInput { kind: kind.into(), record_id: Id(id) };
            trace::link(state, &self.admin, eng, shared[0], input).await.expect("link");
        }
        let input = trace::LinkInput { kind: "task".into(), record_id: Id(p.tasks[1]) };
        trace::link(state, &self.admin, eng, by_slice[1], input).await.expect("link");

        // Version 1, signed by all four parties; version 2 (one more item) by the host and the client.
        let note = self.w.text(Code::P, "requirement version", "第一版 version 1");
        let v1 = versions::freeze(state, &self.pm, eng, versions::FreezeInput { note: Some(note) })
            .await
            .expect("version 1")
            .id;
        for who in ["pm", "a_mgr", "b_mgr", "c_mgr"] {
            let signer = self.who(who).clone();
            let input = versions::SignInput { password: PASSWORD.into() };
            versions::sign(state, &signer, v1, input).await.expect("sign v1");
        }
        let title = self.w.text(Code::P, "requirement", "第二版新增 added in version 2");
        let input = service::RequirementInput {
            title,
            priority: Some("could".into()),
            acceptance_criteria: vec!["可演示 demonstrable".into()],
            visibility: Some("participants".into()),
            source_party_id: Some(Id(self.c)),
            ..Default::default()
        };
        let r = service::create(state, &self.admin, eng, input).await.expect("requirement").id;
        self.w.add("requirement", r, Some(eng));
        shared.push(r);
        let note = self.w.text(Code::P, "requirement version", "第二版 version 2");
        let v2 = versions::freeze(state, &self.pm, eng, versions::FreezeInput { note: Some(note) })
            .await
            .expect("version 2")
            .id;
        for who in ["pm", "c_mgr"] {
            let signer = self.who(who).clone();
            let input = versions::SignInput { password: PASSWORD.into() };
            versions::sign(state, &signer, v2, input).await.expect("sign v2");
        }
        self.w.add("req_version", v1, Some(eng));
        self.w.add("req_version", v2, Some(eng));

        // A review round with a reviewer of every party; vendor B and the client comment,
        // vendor A approves, vendor B asks for changes.
        let reviewers = [&self.member, &self.a_mgr, &self.b_mgr, &self.c_mgr].map(|v| Id(v.user.id)).to_vec();
        let input = reviews::RoundInput {
            title: self.w.text(Code::P, "review round", "需求评审 review"),
            deadline: "2026-12-01".into(),
            requirement_ids: vec![Id(shared[1]), Id(shared[2])],
            reviewer_ids: reviewers,
        };
        let round = reviews::open(state, &self.pm, eng, input).await.expect("review round").id;
        self.w.add("review", round, Some(eng));
        for who in ["b_mgr", "c_mgr", "member"] {
            let author = self.who(who).clone();
            let body = self.w.text(Code::P, "review comment", "评审意见 review comment");
            let input = reviews::ReviewCommentInput { requirement_id: Some(Id(shared[1])), body };
            reviews::comment(state, &author, round, input).await.expect("review comment");
        }
        self.comment(eng, accord::collab::SubjectKind::Review, round, "c_mem", Code::P).await;
        let approve = reviews::VoteInput { vote: "approve".into(), comment: None };
        reviews::vote(state, &self.a_mgr, round, approve).await.expect("vote A");
        let comment = self.w.text(Code::P, "review vote", "请修改 please change");
        let change = reviews::VoteInput { vote: "request_changes".into(), comment: Some(comment) };
        reviews::vote(state, &self.b_mgr, round, change).await.expect("vote B");
    }
}
