//! The seed's engagements and plan: the main engagement with every party taking part and its
//! members, milestones, tasks, deliverables and documents in every visibility; the host-only
//! engagement; comments (with mentions, so notifications go out) by people of every party.

use accord::{
    collab::{self, SubjectKind, comments},
    documents::{Upload, service as documents},
    domain::Id,
    engagements::{baseline, deliverables, members, network, plan, service, workdays},
};

use super::{
    rules::{Code, Party},
    seed::{Plan, SLICES, Seed},
};

impl Seed<'_> {
    pub async fn plan(&mut self) -> Plan {
        let state = &self.app.state;
        let name = self.w.text(Code::P, "engagement", "全员参与的项目 all parties");
        let input = service::EngagementInput {
            code: Some("ORC-1".into()),
            name: Some(name.clone()),
            kind: Some("outsourced_development".into()),
            start_date: Some("2026-10-01".into()),
            end_date: Some("2027-06-30".into()),
            description: Some(name),
            owner_id: Some(Id(self.pm.user.id)),
            ..Default::default()
        };
        let eng = service::create(state, &self.admin, input).await.expect("engagement").id;
        for (party, relation) in [(self.a, "vendor"), (self.b, "vendor"), (self.c, "client")] {
            let input = service::ParticipantInput { party_id: Id(party), relation: relation.into() };
            service::add_participant(state, &self.admin, eng, input).await.expect("participant");
        }
        let name = self.w.text(Code::H, "engagement", "主办方内部项目 host only");
        let input = service::EngagementInput {
            code: Some("ORC-2".into()),
            name: Some(name.clone()),
            kind: Some("client_project".into()),
            start_date: Some("2026-10-01".into()),
            end_date: Some("2027-03-31".into()),
            description: Some(name),
            ..Default::default()
        };
        let eng2 = service::create(state, &self.admin, input).await.expect("engagement 2").id;
        self.w.eng = eng;
        self.w.eng2 = eng2;
        let live = service::EngagementInput {
            state: Some("active".into()),
            state_reason: Some("合同已签 signed".into()),
            ..Default::default()
        };
        service::update(state, &self.admin, eng, live).await.expect("go live");
        let day = workdays::CalendarDayInput {
            date: "2026-12-12".into(),
            working: true,
            note: self.w.text(Code::P, "calendar day", "调休 make-up workday"),
        };
        workdays::set(state, &self.admin, eng, day).await.expect("calendar day");
        self.w.add("eng", eng, Some(eng));
        self.w.add("eng", eng2, Some(eng2));
        for (user, role) in [
            (self.member.user.id, "member"),
            (self.a_dev.user.id, "member"),
            (self.b_qa.user.id, "member"),
            (self.c_mem.user.id, "member"),
        ] {
            let input = members::MemberInput { user_id: Id(user), role: role.into() };
            members::add_member(state, &self.admin, eng, input).await.expect("member");
        }

        let mut p = Plan {
            eng,
            tasks: Vec::new(),
            milestones: Vec::new(),
            deliverables: Vec::new(),
            documents: Vec::new(),
            task_p_by_b: 0,
        };
        // Who does each slice's task: the host's member, vendor A's developer, vendor B's QA,
        // the client's member, vendor A's developer (everyone sees that task).
        let assignees =
            [self.member.user.id, self.a_dev.user.id, self.b_qa.user.id, self.c_mem.user.id, self.a_dev.user.id];
        // Milestones: vendor A owns the internal one (missed: it must not reach A's scorecard),
        // its own and the shared one (achieved late: facts on A's scorecard).
        let owners = [Some(Party::A), Some(Party::A), Some(Party::B), None, Some(Party::A)];
        let dues = ["2026-11-10", "2026-11-12", "2026-11-14", "2026-12-20", "2026-11-16"];
        for (i, (visibility, party)) in SLICES.into_iter().enumerate() {
            let code = Code::of(visibility, party);
            let visible = party.map(|x| Id(self.party_id(x)));
            let name = self.w.text(code, "milestone", "里程碑 milestone");
            let input = plan::MilestoneInput {
                name: name.clone(),
                due_date: dues[i].into(),
                visibility: Some(visibility.into()),
                visible_party_id: visible,
                owner_party_id: owners[i].map(|o| Id(self.party_id(o))),
            };
            let m = plan::create_milestone(state, &self.admin, eng, input).await.expect("milestone").id;
            let status = match i {
                0 => Some("missed"),
                3 => None,
                _ => Some("achieved"),
            };
            let patch = plan::MilestonePatch {
                description: Some(name),
                status: status.map(str::to_owned),
                ..Default::default()
            };
            plan::update_milestone(state, &self.admin, eng, m, patch).await.expect("milestone status");
            self.link(code, format!("/engagements/{eng}/milestones/{m}"));
            self.w.add("milestone", m, Some(eng));
            p.milestones.push(m);

            let name = self.w.text(code, "task", "任务 task");
            let input = plan::TaskInput {
                name,
                start_date: "2026-11-09".into(),
                finish_date: "2026-12-04".into(),
                visibility: Some(visibility.into()),
                visible_party_id: visible,
                party_id: party.filter(|x| *x != Party::C).map(|x| Id(self.party_id(x))),
                assignee_id: Some(Id(assignees[i])),
                ..Default::default()
            };
            let t = plan::create_task(state, &self.admin, eng, input).await.expect("task").id;
            self.link(code, format!("/engagements/{eng}/tasks/{t}"));
            self.w.add("task", t, Some(eng));
            p.tasks.push(t);

            // The internal deliverable is vendor A's work too: its defects must not reach A's card.
            let name = self.w.text(code, "deliverable", "交付物 deliverable");
            let criterion = self.w.text(code, "deliverable criterion", "验收标准 criterion");
            let owner = match (visibility, party) {
                ("internal", _) | ("participants", _) => Some(Party::A),
                (_, Some(Party::C)) => None,
                (_, x) => x,
            };
            let input = deliverables::DeliverableInput {
                name,
                due_date: "2026-11-20".into(),
                description: Some(format!("{criterion} 说明")),
                owner_party_id: owner.map(|o| Id(self.party_id(o))),
                criteria: vec![criterion, "第二条 second criterion".into()],
                warranty_months: (visibility == "participants").then_some(12),
                visibility: Some(visibility.into()),
                visible_party_id: visible,
                ..Default::default()
            };
            let d = deliverables::create(state, &self.admin, eng, input).await.expect("deliverable").id;
            self.link(code, format!("/engagements/{eng}/deliverables/{d}"));
            self.w.add("deliverable", d, Some(eng));
            p.deliverables.push(d);

            // A document on the task, its bytes with a marker of their own (only a download shows them).
            let name = self.w.text(code, "document", "文档 doc.txt");
            let bytes = self.w.text(code, "document file", "file bytes");
            let input = documents::DocumentInput {
                name: Some(name),
                visibility: Some(visibility.into()),
                visible_party_id: visible,
                subject_kind: Some("task".into()),
                subject_id: Some(Id(t)),
            };
            let upload = Upload { file_name: "leakprobe.txt".into(), bytes: bytes.into_bytes() };
            let doc = documents::create(state, &self.admin, eng, input, Some(upload)).await.expect("document").id;
            self.link(code, format!("/documents/{doc}"));
            self.w.add("document", doc, Some(eng));
            p.documents.push(doc);
        }
        // A second version of the shared document, and a shared document vendor A's developer
        // uploaded (the client must not learn who).
        let bytes = self.w.text(Code::P, "document file", "version 2 bytes");
        let upload = Upload { file_name: "leakprobe.txt".into(), bytes: bytes.into_bytes() };
        documents::add_version(state, &self.admin, p.documents[4], Some(upload)).await.expect("version 2");
        let name = self.w.text(Code::P, "document", "供应商上传 vendor upload.txt");
        let bytes = self.w.text(Code::P, "document file", "vendor bytes");
        let input = documents::DocumentInput {
            name: Some(name),
            visibility: Some("participants".into()),
            ..Default::default()
        };
        let upload = Upload { file_name: "vendor.txt".into(), bytes: bytes.into_bytes() };
        let doc = documents::create(state, &self.a_dev, eng, input, Some(upload)).await.expect("vendor document").id;
        self.w.add("document", doc, Some(eng));
        p.documents.push(doc);

        // A shared task vendor B's QA does, after the shared one.
        let input = plan::TaskInput {
            name: self.w.text(Code::P, "task", "联调测试 joint test by vendor B"),
            start_date: "2026-12-07".into(),
            finish_date: "2026-12-18".into(),
            visibility: Some("participants".into()),
            party_id: Some(Id(self.b)),
            assignee_id: Some(Id(self.b_qa.user.id)),
            ..Default::default()
        };
        p.task_p_by_b = plan::create_task(state, &self.admin, eng, input).await.expect("task by B").id;
        self.w.add("task", p.task_p_by_b, Some(eng));
        let dep = network::DependencyInput {
            predecessor_id: Id(p.tasks[4]),
            successor_id: Id(p.task_p_by_b),
            kind: Some("FS".into()),
            lag_days: 0,
        };
        network::add_dependency(state, &self.admin, eng, dep).await.expect("dependency");
        let input = baseline::BaselineInput { name: self.w.text(Code::P, "baseline", "基线 baseline") };
        let b = baseline::save(state, &self.pm, eng, input).await.expect("baseline").id;
        self.w.add("baseline", b, Some(eng));
        self.host_only(eng2).await;
        p
    }

    /// The host-only engagement: its records are the host's whatever their visibility says.
    async fn host_only(&mut self, eng2: i64) {
        let state = &self.app.state;
        let input = plan::MilestoneInput {
            name: self.w.text(Code::H, "milestone", "内部里程碑 host-only milestone"),
            due_date: "2026-12-01".into(),
            ..Default::default()
        };
        let m = plan::create_milestone(state, &self.admin, eng2, input).await.expect("milestone").id;
        self.link(Code::H, format!("/engagements/{eng2}/milestones/{m}"));
        self.w.add("milestone", m, Some(eng2));
        let input = plan::TaskInput {
            name: self.w.text(Code::H, "task", "内部任务 host-only task"),
            start_date: "2026-11-09".into(),
            finish_date: "2026-11-20".into(),
            visibility: Some("participants".into()),
            ..Default::default()
        };
        let t = plan::create_task(state, &self.admin, eng2, input).await.expect("task").id;
        self.link(Code::H, format!("/engagements/{eng2}/tasks/{t}"));
        self.w.add("task", t, Some(eng2));
        let input = deliverables::DeliverableInput {
            name: self.w.text(Code::H, "deliverable", "内部交付物 host-only deliverable"),
            due_date: "2026-12-01".into(),
            criteria: vec!["内部标准 internal criterion".into()],
            ..Default::default()
        };
        let d = deliverables::create(state, &self.admin, eng2, input).await.expect("deliverable").id;
        self.link(Code::H, format!("/engagements/{eng2}/deliverables/{d}"));
        self.w.add("deliverable", d, Some(eng2));
        let input = documents::DocumentInput {
            name: Some(self.w.text(Code::H, "document", "内部文档 host-only.txt")),
            visibility: Some("participants".into()),
            ..Default::default()
        };
        let bytes = self.w.text(Code::H, "document file", "host-only bytes");
        let upload = Upload { file_name: "host.txt".into(), bytes: bytes.into_bytes() };
        let doc = documents::create(state, &self.admin, eng2, input, Some(upload)).await.expect("document").id;
        self.link(Code::H, format!("/documents/{doc}"));
        self.w.add("document", doc, Some(eng2));
        let input =
            baseline::BaselineInput { name: self.w.text(Code::H, "baseline", "内部基线 host-only baseline") };
        let b = baseline::save(state, &self.admin, eng2, input).await.expect("baseline").id;
        self.w.add("baseline", b, Some(eng2));
    }

    /// Comments by people of every party, on records of every visibility; mentions notify.
    pub async fn collaboration(&mut self, p: &Plan) {
        let eng = p.eng;
        // (slice index of the task, who writes, mention)
        let talk: [(usize, &'static str, Option<&str>); 8] = [
            (0, "member", Some("@陈静")),
            (1, "admin", Some("@李娜")),
            (1, "a_dev", None),
            (2, "b_qa", Some("@Grace Lin")),
            (3, "c_mem", Some("@吴倩")),
            (4, "b_mgr", None),
            (4, "c_mgr", Some("@陈静")),
            (4, "a_mgr", None),
        ];
        for (slice, who, mention) in talk {
            let (visibility, party) = SLICES[slice];
            let code = Code::of(visibility, party);
            let author = self.who(who).clone();
            let s = collab::subject(&self.app.state, &author, eng, SubjectKind::Task, p.tasks[slice])
                .await
                .expect("subject");
            let body = format!("{} {}", self.w.text(code, "comment", "评论 comment"), mention.unwrap_or(""));
            let c = comments::create(&self.app.state, &author, &s, comments::CommentInput { body })
                .await
                .expect("comment")
                .id;
            self.w.add("comment", c, Some(eng));
        }
        // On a shared milestone, deliverable and task, by the client, vendor A and vendor B.
        for (kind, id, who) in [
            (SubjectKind::Milestone, p.milestones[4], "c_mgr"),
            (SubjectKind::Deliverable, p.deliverables[4], "a_mgr"),
            (SubjectKind::Task, p.task_p_by_b, "b_qa"),
        ] {
            self.comment(eng, kind, id, who, Code::P).await;
        }
    }

    /// A comment by `who` on a record, with a marker of `code`.
    pub async fn comment(&mut self, eng: i64, kind: SubjectKind, id: i64, who: &str, code: Code) {
        let author = self.who(who).clone();
        let s = collab::subject(&self.app.state, &author, eng, kind, id).await.expect("subject");
        let body = self.w.text(code, "comment", "评论 comment");
        let c =
            comments::create(&self.app.state, &author, &s, comments::CommentInput { body }).await.expect("comment").id;
        self.w.add("comment", c, Some(eng));
    }

    pub fn who(&self, name: &str) -> &accord::auth::Viewer {
        match name {
            "admin" => &self.admin,
            "pm" => &self.pm,
            "member" => &self.member,
            "approver" => &self.approver,
            "a_mgr" => &self.a_mgr,
            "a_dev" => &self.a_dev,
            "b_mgr" => &self.b_mgr,
            "b_qa" => &self.b_qa,
            "c_mgr" => &self.c_mgr,
            _ => &self.c_mem,
        }
    }
}
