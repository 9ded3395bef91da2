//! The seed's costs: a budget and two expenses, one over budget and approved with a reason.
//! All of it is the host's: its text is host-only, and so are its figures.

use accord::{
    costs::service::{self, BudgetInput, BudgetLineInput, ExpenseDecisionInput, ExpenseInput},
    money::MoneyDto,
};

use super::{
    rules::Code,
    seed::{Plan, Seed},
};

impl Seed<'_> {
    pub async fn costs(&mut self, p: &Plan) {
        let state = &self.app.state;
        let money = |a: &str| MoneyDto { amount: a.into(), currency: None };
        let lines = vec![
            BudgetLineInput { category: "labour".into(), amount: money("486193") },
            BudgetLineInput { category: "travel".into(), amount: money("3000") },
        ];
        service::set_budget(state, &self.pm, p.eng, BudgetInput { lines }).await.expect("budget");
        let description = self.w.text(Code::H, "expense", "驻场差旅 on-site travel");
        let input = ExpenseInput {
            category: "travel".into(),
            amount: Some(money("2000")),
            date: "2026-11-20".into(),
            description,
            document_id: None,
        };
        service::add_expense(state, &self.member, p.eng, input).await.expect("expense");
        let description = self.w.text(Code::H, "expense", "加急机票 urgent flights");
        let input = ExpenseInput {
            category: "travel".into(),
            amount: Some(money("1500")),
            date: "2026-11-21".into(),
            description,
            document_id: None,
        };
        let over = service::add_expense(state, &self.pm, p.eng, input).await.expect("over budget");
        let reason = self.w.text(Code::H, "expense decision", "客户要求 the client asked");
        let input = ExpenseDecisionInput { decision: "approve".into(), reason };
        service::decide(state, &self.approver, over.id, input).await.expect("approve");
    }
}
