//! The seed's vendor side: profiles with bank details, a status change, party descriptions and
//! contacts, certificates with scans, two selections (one both vendors bid on, evaluated and
//! awarded; one vendor A alone bids on, still sealed), evaluations and vendor A's published
//! scorecard, evaluation templates, and a new user of each vendor.

use accord::{
    documents::Upload,
    domain::Id,
    i18n::Lang,
    parties::service as parties,
    users::service as users,
    vendors::{award, bidding, directory, evaluations, files, scorecard, scoring, selection, templates},
};

use super::{
    rules::{Audience, Code, Party, bid_price},
    seed::Seed,
};
use crate::support::PASSWORD;

impl Seed<'_> {
    pub async fn vendors(&mut self) {
        let state = &self.app.state;
        for (party, code, mgr, bank) in [
            (Party::A, Code::A, self.a_mgr.clone(), ("宁波银行 BKNA7731", "6222620110031842", "BKACCTA7731")),
            (Party::B, Code::B, self.b_mgr.clone(), ("平安银行 BKNB5519", "6230580000217764", "BKACCTB5519")),
        ] {
            let id = self.party_id(party);
            // The vendor's own manager keeps its bank details; only finance and they may read them.
            let input = directory::VendorUpdate {
                bank_name: Some(bank.0.into()),
                bank_account: Some(bank.1.into()),
                bank_account_name: Some(bank.2.into()),
                ..Default::default()
            };
            directory::update(state, &mgr, id, input).await.expect("bank details");
            for needle in [bank.0, bank.1, bank.2] {
                self.w.secret(
                    format!("bank detail of vendor {party:?}: {needle}"),
                    vec![needle.to_owned()],
                    Audience::Bank(party),
                    "bank",
                    true,
                );
            }
            let input = directory::VendorUpdate {
                categories: Some(vec!["software".into(), "testing".into()]),
                regions: Some(vec!["east".into()]),
                size: Some("medium".into()),
                status: Some("qualified".into()),
                // Why the host moved a vendor is the host's record.
                status_reason: Some(self.w.text(Code::H, "vendor status reason", "资质审核通过 qualified")),
                ..Default::default()
            };
            directory::update(state, &self.admin, id, input).await.expect("profile");
            let description = self.w.text(code, "party description", "公司简介 about us");
            let input = parties::PartyInput { description: Some(description), ..Default::default() };
            parties::update(state, &mgr, id, input).await.expect("party description");
            let input = parties::ContactInput {
                name: "对接人 Contact".into(),
                title: self.w.text(code, "party contact", "商务 contact title"),
                email: format!("contact-{}@vendor{}.example", code.letter().to_ascii_lowercase(), id),
                phone: "010-0000 0000".into(),
            };
            parties::add_contact(state, &mgr, id, input).await.expect("contact");
            let input = directory::CertificateInput {
                kind: "iso9001".into(),
                name: Some(self.w.text(code, "certificate", "质量管理体系认证 ISO 9001")),
                number: Some(format!("CERT-{}", code.letter())),
                issuer: Some("认证中心 issuer".into()),
                issued_on: Some("2025-01-01".into()),
                expires_on: Some("2027-12-31".into()),
            };
            let bytes = format!("%PDF-1.4 {}", self.w.text(code, "certificate file", "scan"));
            let upload = Upload { file_name: "cert.pdf".into(), bytes: bytes.into_bytes() };
            let cert = directory::add_certificate(state, &mgr, id, input, Some(upload)).await.expect("certificate").id;
            let file = files::of(self.app.db(), "certificate", &[cert]).await.expect("files")[0].id;
            self.w.tuple(
                "certificate",
                vec![
                    ("vendor", id.to_string()),
                    ("certificate", cert.to_string()),
                    ("certificate_file", file.to_string()),
                ],
            );
        }
        // The client describes itself too: its party page is the host's and its own.
        let input = parties::PartyInput {
            description: Some(self.w.text(Code::C, "party description", "客户简介 about the client")),
            ..Default::default()
        };
        parties::update(state, &self.c_mgr, self.c, input).await.expect("client description");
        self.w.add("party", self.host, None);
        for p in [self.a, self.b, self.c] {
            self.w.add("party", p, None);
        }
    }

    pub async fn selections(&mut self) {
        let state = &self.app.state;
        let eng = self.w.eng;
        let evaluators = [&self.pm, &self.member, &self.approver].map(|v| Id(v.user.id)).to_vec();
        let deadline = (accord::clock::Clock::now(self.app.clock.as_ref()) + chrono::Duration::days(7)).to_rfc3339();
        let input = |title: String, scope: String| selection::SelectionInput {
            title,
            engagement_id: Some(Id(eng)),
            scope: Some(scope),
            category: Some("software".into()),
            deadline: deadline.clone(),
            criteria: vec![
                selection::CriterionInput { name: "价格".into(), weight: 60 },
                selection::CriterionInput { name: "能力".into(), weight: 40 },
            ],
            evaluator_ids: evaluators.clone(),
            ..Default::default()
        };
        // Both vendors invited: each sees the selection, never the other's bid nor name.
        let title = self.w.text(Code::V, "selection", "二期比选 RFQ for both vendors");
        let scope = self.w.text(Code::V, "selection scope", "范围 scope");
        let both = selection::create(state, &self.admin, input(title, scope)).await.expect("selection").id;
        let mut bids = Vec::new();
        for (party, code, mgr, price) in
            [(Party::A, Code::A, self.a_mgr.clone(), 356_812), (Party::B, Code::B, self.b_mgr.clone(), 298_437)]
        {
            let invite = selection::InvitationInput { vendor_id: Some(Id(self.party_id(party))) };
            selection::invite(state, &self.admin, both, invite).await.expect("invitation");
            bids.push((party, code, mgr, price));
        }
        for (party, code, mgr, price) in bids {
            let summary = self.w.text(code, "bid", "投标方案 proposal");
            let bytes = format!("%PDF-1.4 {}", self.w.text(code, "bid file", "proposal file"));
            let b = self.bid(both, &mgr, price, summary, bytes).await;
            self.w.price(price, bid_price(party, false), "bid price");
            self.w.tuple(
                "bid",
                vec![("selection", both.to_string()), ("bid", b.0.to_string()), ("bid_file", b.1.to_string())],
            );
        }
        bidding::close(state, &self.admin, both).await.expect("close bidding");
        let crits = ["价格", "能力"];
        for evaluator in [self.pm.clone(), self.member.clone(), self.approver.clone()] {
            for (party, s) in [(self.a, [80, 90]), (self.b, [90, 70])] {
                let input = scoring::ScoreInput {
                    vendor_id: Some(Id(party)),
                    scores: crits
                        .iter()
                        .zip(s)
                        .map(|(c, v)| scoring::CriterionScore { criterion: (*c).into(), score: Some(v) })
                        .collect(),
                };
                scoring::score(state, &evaluator, both, input).await.expect("score sheet");
            }
        }
        let award = award::AwardInput {
            vendor_id: Some(Id(self.a)),
            justification: self.w.text(Code::H, "award justification", "综合得分最高 best overall"),
            engagement_id: None,
        };
        award::award(state, &self.admin, both, award).await.expect("award");

        // Vendor A alone invited, still bidding: its bid is sealed even from the host.
        let title = self.w.text(Code::A, "selection", "单独邀请 RFQ for vendor A");
        let scope = self.w.text(Code::A, "selection scope", "范围 scope");
        let sealed = selection::create(state, &self.admin, input(title, scope)).await.expect("selection").id;
        let invite = selection::InvitationInput { vendor_id: Some(Id(self.a)) };
        selection::invite(state, &self.admin, sealed, invite).await.expect("invitation");
        let summary = self.w.text(Code::S, "sealed bid", "密封投标 sealed proposal");
        let bytes = format!("%PDF-1.4 {}", self.w.text(Code::S, "sealed bid file", "sealed file"));
        let a_mgr = self.a_mgr.clone();
        let b = self.bid(sealed, &a_mgr, 412_379, summary, bytes).await;
        self.w.price(412_379, bid_price(Party::A, true), "sealed bid price");
        self.w.tuple(
            "bid",
            vec![("selection", sealed.to_string()), ("bid", b.0.to_string()), ("bid_file", b.1.to_string())],
        );
        self.w.add("selection", both, None);
        self.w.add("selection", sealed, None);
    }

    async fn bid(
        &mut self,
        selection: i64,
        mgr: &accord::auth::Viewer,
        price: i64,
        summary: String,
        pdf: String,
    ) -> (i64, i64) {
        let input = bidding::BidInput {
            price: Some(accord::money::MoneyDto { amount: format!("{price}.00"), currency: None }),
            summary,
        };
        let file = Upload { file_name: "proposal.pdf".into(), bytes: pdf.into_bytes() };
        let b = bidding::submit_bid(&self.app.state, mgr, selection, input, Some(file)).await.expect("bid").id;
        let f = files::of(self.app.db(), "bid", &[b]).await.expect("files")[0].id;
        (b, f)
    }

    /// Evaluations of both vendors and vendor A's card for the quarter published. Vendor B is
    /// evaluated on the host's own template, whose name (a host marker) then shows on B's card:
    /// B must not see that card, it is not published.
    pub async fn scorecards(&mut self) {
        let state = &self.app.state;
        let mut custom = Vec::new();
        for kind in ["evaluation", "selection"] {
            let input = templates::TemplateInput {
                kind: kind.into(),
                name: self.w.text(Code::H, "evaluation template", "自定义模板 custom template"),
                criteria: vec![
                    selection::CriterionInput { name: "交付 delivery".into(), weight: 50 },
                    selection::CriterionInput { name: "质量 quality".into(), weight: 50 },
                ],
            };
            custom.push(templates::add(state, &self.admin, input).await.expect("template").id);
        }
        let all = templates::all(state, "evaluation", Lang::ZhCn).await.expect("templates");
        let custom_key = format!("custom-{}", custom[0]);
        for (vendor, who, key) in
            [(self.a, self.admin.clone(), "quarterly".to_owned()), (self.b, self.pm.clone(), custom_key)]
        {
            let template = all.iter().find(|t| t.key == key).expect("template");
            let input = evaluations::EvaluationInput {
                period: "2026Q4".into(),
                template: key.clone(),
                scores: template
                    .criteria
                    .iter()
                    .map(|(c, _)| scoring::CriterionScore { criterion: c.clone(), score: Some(80) })
                    .collect(),
                comment: self.w.text(Code::H, "evaluation comment", "季度评价 quarterly review"),
            };
            evaluations::evaluate(state, &who, vendor, input).await.expect("evaluation");
        }
        let period = scorecard::parse_period("2026Q4").expect("period");
        evaluations::publish(state, &self.pm, self.a, &period).await.expect("publish A's card");
    }

    /// A new user of each vendor, named by their own manager.
    pub async fn people(&mut self) {
        for (party, code, mgr, email) in [
            (Party::A, Code::A, self.a_mgr.clone(), "newdev@yunfan.example"),
            (Party::B, Code::B, self.b_mgr.clone(), "newqa@shuzhi.example"),
        ] {
            let input = users::NewUser {
                email: email.into(),
                name: self.w.text(code, "user", "新同事 new colleague"),
                password: Some(PASSWORD.into()),
                party_id: Id(self.party_id(party)),
                role: "member".into(),
                locale: None,
                time_zone: None,
            };
            users::create(&self.app.state, &mgr, input, Lang::ZhCn, Default::default()).await.expect("user");
        }
    }
}
