//! The seed's contracts and money: a contract with each vendor and with the client, with
//! clauses, a legal review, signatures, installments, invoices, payments, obligations, a
//! periodic review and disputes — every figure distinctive, so the sweep can find it.

use accord::{
    collab::SubjectKind,
    contracts::{clauses, disputes, invoices, lifecycle, obligations, payments, service},
    domain::Id,
    money::MoneyDto,
};

use super::{
    rules::{Code, MIXED_MONEY, Party, contract_money},
    seed::{Money, Plan, Seed},
};
use crate::support::PASSWORD;

/// One contract's figures in whole yuan: total, the installment due now, the later one, the
/// part of the first paid; and the months of the two installments (each its own month, so a
/// month of the cash flow never mixes two contracts).
struct Terms {
    party: Party,
    code: Code,
    number: &'static str,
    total: i64,
    due: (i64, &'static str),
    later: (i64, &'static str),
    paid: i64,
}

const TERMS: [Terms; 3] = [
    Terms {
        party: Party::A,
        code: Code::A,
        number: "ORC-KA",
        total: 683_917,
        due: (120_453, "2026-11-01"),
        later: (98_761, "2027-02-01"),
        paid: 61_847,
    },
    Terms {
        party: Party::B,
        code: Code::B,
        number: "ORC-KB",
        total: 457_219,
        due: (87_329, "2026-10-20"),
        later: (65_183, "2027-03-01"),
        paid: 43_219,
    },
    Terms {
        party: Party::C,
        code: Code::C,
        number: "ORC-KC",
        total: 1_294_853,
        due: (258_971, "2026-09-25"),
        later: (193_847, "2027-04-01"),
        paid: 129_467,
    },
];

fn yuan(v: i64) -> Option<MoneyDto> {
    Some(MoneyDto { amount: format!("{v}.00"), currency: None })
}

impl Seed<'_> {
    pub async fn contracts(&mut self, p: &Plan) -> Money {
        let state = &self.app.state;
        let mut out = Money { contracts: Vec::new() };
        for t in TERMS {
            let who = contract_money(t.party);
            let title = self.w.text(t.code, "contract", "合同 contract");
            let input = service::ContractInput {
                number: t.number.into(),
                title: title.clone(),
                description: Some(title),
                counterparty_id: Some(Id(self.party_id(t.party))),
                engagement_ids: vec![Id(p.eng)],
                total: yuan(t.total),
                tax_rate: Some("6".into()),
                start_date: Some("2026-10-01".into()),
                end_date: Some("2027-06-30".into()),
                legal_approver_id: Some(Id(self.approver.user.id)),
                review_every_months: Some(3),
                ..Default::default()
            };
            let c = service::create(state, &self.pm, input).await.expect("contract").id;
            self.w.price(t.total, who, &format!("contract {} total", t.number));
            // What the total gives away: its VAT (6 %) and the amount before tax.
            let tax = accord::money::tax_included(t.total * 100, 600);
            self.w.figure(tax, who, &format!("VAT of {}", t.number));
            self.w.figure(t.total * 100 - tax, who, &format!("{} before VAT", t.number));
            self.link(t.code, format!("/contracts/{c}"));
            self.w.add("contract", c, None);
            out.contracts.push(c);
            let body = self.w.text(t.code, "contract clause", "范围条款 scope clause");
            let clause = clauses::ClauseInput {
                kind: "scope".into(),
                title: Some(body.clone()),
                body: Some(body),
                ..Default::default()
            };
            clauses::add(state, &self.pm, c, clause).await.expect("clause");
            let mut installments = Vec::new();
            for (amount, date) in [t.due, t.later] {
                let input = payments::InstallmentInput {
                    name: self.w.text(t.code, "installment", "款项 installment"),
                    amount: yuan(amount),
                    trigger: Some(payments::TriggerInput {
                        kind: "date".into(),
                        date: Some(date.into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                installments.push(payments::add(state, &self.pm, c, input).await.expect("installment").id);
                self.w.price(amount, who, &format!("installment of {}", t.number));
            }
            let input = obligations::ObligationInput {
                title: self.w.text(t.code, "obligation", "义务 obligation"),
                owed_by: "counterparty".into(),
                due_date: "2027-01-15".into(),
                ..Default::default()
            };
            obligations::add(state, &self.pm, c, input).await.expect("obligation");
            lifecycle::submit(state, &self.pm, c).await.expect("submit");
            // The host's own legal review and periodic checkups stay the host's.
            let comment = self.w.text(Code::H, "contract review", "法务意见 legal review");
            let review = lifecycle::ReviewInput { decision: "approve".into(), comment: Some(comment) };
            lifecycle::review(state, &self.approver, c, review).await.expect("legal review");
            lifecycle::sign(state, &self.pm, c, PASSWORD).await.expect("host signs");
            let signer = match t.party {
                Party::A => self.a_mgr.clone(),
                Party::B => self.b_mgr.clone(),
                _ => self.c_mgr.clone(),
            };
            lifecycle::sign(state, &signer, c, PASSWORD).await.expect("counterparty signs");
            self.w.tuple("contract_version", vec![("contract", c.to_string()), ("number", "1".into())]);
            let author = match t.party {
                Party::A => "a_mgr",
                Party::B => "b_mgr",
                _ => "c_mgr",
            };
            self.comment(p.eng, SubjectKind::Contract, c, author, t.code).await;

            // The installment due now: invoiced in full, paid in part, both by finance.
            let number = self.w.mark(t.code, "invoice");
            let input = invoices::InvoiceInput {
                number: format!("{number}-FP"),
                amount: yuan(t.due.0),
                issued_on: "2026-11-20".into(),
                ..Default::default()
            };
            invoices::add_invoice(state, &self.approver, installments[0], input).await.expect("invoice");
            let reference = self.w.mark(t.code, "payment");
            let input = invoices::PaymentInput {
                amount: yuan(t.paid),
                paid_on: "2026-11-23".into(),
                reference: Some(format!("{reference}-LS")),
                ..Default::default()
            };
            invoices::add_payment(state, &self.approver, installments[0], input).await.expect("payment");
            self.w.price(t.paid, who, &format!("payment on {}", t.number));
            self.w.figure((t.due.0 - t.paid) * 100, who, &format!("left to pay on {}", t.number));
            let input = obligations::CheckupInput {
                rating: "attention".into(),
                findings: self.w.text(Code::H, "contract checkup", "履约检查 checkup"),
                ..Default::default()
            };
            obligations::add_checkup(state, &self.pm, c, input).await.expect("checkup");
            // The counterparty disputes the later installment; the host settles it.
            if t.party != Party::C {
                let reason = self.w.text(t.code, "dispute", "争议 dispute");
                let input = disputes::DisputeInput { reason, amount: None };
                let d = disputes::raise(state, &signer, installments[0], input).await.expect("dispute").id;
                let resolution = self.w.text(t.code, "dispute resolution", "已协商 settled");
                let input = disputes::ResolveInput { fault: "none".into(), resolution };
                disputes::resolve(state, &self.pm, d, input).await.expect("resolve");
            }
        }
        // Sums the host's cash flow shows: no vendor may see them (they mix the contracts).
        let both = |a: i64, b: i64| (a + b) * 100;
        self.w.figure(both(120_453 - 61_847, 87_329 - 43_219), MIXED_MONEY, "payables outstanding, both vendors");
        self.w.figure(both(98_761, 65_183), MIXED_MONEY, "payables planned, both vendors");
        self.w.figure(both(61_847, 43_219), MIXED_MONEY, "paid to both vendors");
        self.w.figure(both(120_453, 87_329), MIXED_MONEY, "payables due in November, both vendors");
        // An organisation's own clause template: the host's.
        let input = clauses::TemplateInput {
            kind: "confidentiality".into(),
            locale: Some("zh-CN".into()),
            title: self.w.text(Code::H, "clause template", "保密模板 template"),
            body: "双方对合作中知悉的信息保密。".into(),
        };
        clauses::add_template(state, &self.admin, input).await.expect("clause template");
        out
    }
}
