//! Tables of the risk register.

pub mod risk {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "risks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub seq: i32,
        /// Stable within the engagement: `R-001`.
        pub key: String,
        pub title: String,
        /// schedule | cost | quality | scope | vendor | contract | compliance | security
        pub category: String,
        #[sea_orm(column_type = "Text")]
        pub cause: String,
        #[sea_orm(column_type = "Text")]
        pub effect: String,
        /// 1–5.
        pub probability: i16,
        /// 1–5.
        pub impact: i16,
        /// probability × impact, 1–25 (kept for sorting; the database checks it).
        pub score: i16,
        /// avoid | mitigate | transfer | accept
        pub strategy: String,
        pub owner_id: Option<i64>,
        /// What tells that the risk is about to occur.
        #[sea_orm(column_type = "Text")]
        pub trigger_text: String,
        /// The response plan, in words; its actions are the tasks in `task_ids`.
        #[sea_orm(column_type = "Text")]
        pub response: String,
        /// JSON array of the ids of the tasks that respond to the risk (its response actions).
        #[sea_orm(column_type = "Text")]
        pub task_ids: String,
        /// The milestone the risk threatens.
        pub milestone_id: Option<i64>,
        pub contract_id: Option<i64>,
        /// The vendor the risk is about.
        pub vendor_id: Option<i64>,
        pub review_on: Option<Date>,
        /// open | monitoring | occurred | closed
        pub status: String,
        pub raised_by: i64,
        pub raised_party_id: i64,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assessment {
    use sea_orm::entity::prelude::*;

    /// One assessment of a risk: its score and status as someone left them.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "risk_assessments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub risk_id: i64,
        pub probability: i16,
        pub impact: i16,
        pub score: i16,
        pub status: String,
        pub user_id: i64,
        pub party_id: i64,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
