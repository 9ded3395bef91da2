//! Tables of change control.

pub mod change_request {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "change_requests")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub seq: i32,
        /// Stable within the engagement: `CR-001`.
        pub key: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        /// pending | approved | rejected | deferred
        pub state: String,
        /// `pm` or `board`, fixed by the first decision of a round.
        pub route: Option<String>,
        /// Deferred changes come back as a new round; votes count within their round.
        pub round: i32,
        pub raised_by: i64,
        pub raised_party_id: i64,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        /// JSON array of task ids.
        #[sea_orm(column_type = "Text")]
        pub affected_task_ids: String,
        /// Working days added to each affected task (negative shortens).
        pub schedule_delta_days: i32,
        pub cost_delta_minor: i64,
        pub currency: String,
        /// For the host only.
        #[sea_orm(column_type = "Text")]
        pub impact_notes: String,
        pub impact_recorded_by: Option<i64>,
        pub impact_recorded_at: Option<DateTimeUtc>,
        /// The schedule impact in working days as last computed (what routing and statistics use).
        pub impact_days: Option<i32>,
        pub revisit_on: Option<Date>,
        pub decided_at: Option<DateTimeUtc>,
        /// JSON of the plan moves an approval made.
        #[sea_orm(column_type = "Text")]
        pub applied_moves: String,
        pub baseline_id: Option<i64>,
        pub requirement_version_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod scope_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "change_scope_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub change_request_id: i64,
        /// add | change | remove
        pub action: String,
        pub requirement_id: Option<i64>,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        /// One acceptance criterion per line.
        #[sea_orm(column_type = "Text")]
        pub criteria: String,
        pub priority: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod decision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "change_decisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub change_request_id: i64,
        pub round: i32,
        pub user_id: i64,
        pub party_id: i64,
        /// approve | reject | defer
        pub decision: String,
        #[sea_orm(column_type = "Text")]
        pub comment: String,
        pub revisit_on: Option<Date>,
        pub decided_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod board {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "change_boards")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        /// Changes up to this many working days (and up to the cost below) go to the PM alone.
        pub pm_max_days: i32,
        pub pm_max_cost_minor: i64,
        pub currency: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod board_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "change_board_members")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub user_id: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
