//! The seed's acceptance and quality: the shared deliverable of vendor A accepted at both
//! stages and signed by the host, vendor A and the client (its warranty starts); vendor B's own
//! deliverable and the internal one (vendor A's work) rejected, which opens defects; a defect
//! by hand on vendor A's own deliverable; quality checks in three visibilities.

use accord::{
    acceptance::{defects, quality, service as acceptance, signing},
    collab::SubjectKind,
    domain::Id,
};

use super::{
    rules::Code,
    seed::{Plan, Seed},
};
use crate::support::PASSWORD;

impl Seed<'_> {
    pub async fn acceptance(&mut self, p: &Plan) {
        let eng = p.eng;
        // The shared deliverable, initial then final acceptance.
        for stage in ["initial", "final"] {
            let note = self.w.text(Code::P, "acceptance", "提交验收 submitted");
            let input = acceptance::SubmitInput {
                stage: stage.into(),
                note: Some(note),
                document_ids: vec![Id(p.documents[4])],
                ..Default::default()
            };
            let a = acceptance::submit(&self.app.state, &self.a_mgr, p.deliverables[4], input)
                .await
                .expect("submit shared")
                .id;
            self.decide(a, None).await;
            for who in ["pm", "a_mgr", "c_mgr"] {
                let signer = self.who(who).clone();
                let input = signing::SignInput { password: PASSWORD.into() };
                signing::sign(&self.app.state, &signer, a, input).await.expect("sign acceptance");
            }
            self.w.add("acceptance", a, Some(eng));
        }
        // Vendor B's own deliverable and the internal one, rejected at the first item.
        for (slice, code, who) in [(2, Code::B, "b_mgr"), (0, Code::H, "pm")] {
            let submitter = self.who(who).clone();
            let input = acceptance::SubmitInput {
                stage: "initial".into(),
                note: Some(self.w.text(code, "acceptance", "提交验收 submitted")),
                ..Default::default()
            };
            let a =
                acceptance::submit(&self.app.state, &submitter, p.deliverables[slice], input).await.expect("submit").id;
            let note = self.w.text(code, "acceptance finding", "不通过 failed");
            self.decide(a, Some(note)).await;
            self.link(code, format!("/engagements/{eng}/acceptances/{a}"));
            if code == Code::B {
                self.comment(eng, SubjectKind::Acceptance, a, "b_mgr", code).await;
            }
            self.w.add("acceptance", a, Some(eng));
        }
        let input = defects::DefectInput {
            deliverable_id: Some(Id(p.deliverables[1])),
            title: self.w.text(Code::A, "defect", "缺陷 defect"),
            description: Some("复现步骤 steps".into()),
            severity: Some("major".into()),
        };
        defects::create(&self.app.state, &self.pm, eng, input).await.expect("defect");
        for (slice, code) in [(4, Code::P), (3, Code::C), (0, Code::H)] {
            let input = quality::CheckInput {
                deliverable_id: Some(Id(p.deliverables[slice])),
                items: vec![quality::CheckItem {
                    text: self.w.text(code, "quality check", "检查项 check item"),
                    passed: true,
                    note: None,
                }],
                findings: Some(self.w.text(code, "quality finding", "检查结论 findings")),
                ..Default::default()
            };
            quality::create(&self.app.state, &self.pm, eng, input).await.expect("quality check");
        }
    }

    /// The PM records the result: every item passed, or the first one failed with `note`.
    async fn decide(&mut self, a: i64, failed: Option<String>) {
        let items = acceptance::items(self.app.db(), a).await.expect("items");
        let results = items
            .iter()
            .enumerate()
            .map(|(i, it)| acceptance::ItemResult {
                id: Id(it.id),
                passed: i != 0 || failed.is_none(),
                note: if i == 0 { failed.clone() } else { None },
                severity: None,
            })
            .collect();
        let outcome = if failed.is_some() { "rejected" } else { "accepted" };
        let input = acceptance::ResultInput { items: results, outcome: outcome.into(), conditions: None };
        acceptance::record_results(&self.app.state, &self.pm, a, input).await.expect("results");
    }
}
