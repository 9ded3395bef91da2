//! Tables of cost control.

pub mod budget_line {
    use sea_orm::entity::prelude::*;

    /// One category of an engagement's budget.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "budget_lines")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        /// labour | vendor | hardware | software | travel | other
        pub category: String,
        pub amount_minor: i64,
        /// The amount when the budget was last baselined (none before the first baseline).
        pub baseline_minor: Option<i64>,
        pub currency: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod expense {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "expenses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub category: String,
        pub amount_minor: i64,
        pub currency: String,
        pub spent_on: Date,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub document_id: Option<i64>,
        /// counted | pending (over budget, waiting for an approver) | rejected
        pub state: String,
        pub created_by: i64,
        pub decided_by: Option<i64>,
        pub decided_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text")]
        pub decision_reason: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod evm_snapshot {
    use sea_orm::entity::prelude::*;

    /// An engagement's earned value on one day, kept by the early-warning evaluation: the
    /// S-curve's history of EV and the portfolio's latest SPI and CPI.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "evm_snapshots")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub day: Date,
        pub currency: String,
        pub bac: i64,
        pub pv: i64,
        pub ev: i64,
        pub ac: i64,
        /// SPI and CPI × 1000 (none while nothing is due or spent).
        pub spi_milli: Option<i64>,
        pub cpi_milli: Option<i64>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod cost_hold {
    use sea_orm::entity::prelude::*;

    /// A commitment over budget, waiting for (or given) an approver's decision.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cost_holds")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub contract_id: i64,
        pub category: String,
        pub amount_minor: i64,
        pub currency: String,
        /// pending | approved (it counts) | rejected (it never does)
        pub state: String,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        pub decided_by: Option<i64>,
        pub decided_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
