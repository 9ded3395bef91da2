//! Tables of the engagements capability.

pub mod engagement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "engagements")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub code: String,
        pub name: String,
        pub kind: String,
        pub state: String,
        pub health: String,
        pub start_date: Date,
        pub end_date: Date,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub owner_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Health follows the plan (overdue milestones and tasks) instead of being set by hand.
        pub health_auto: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod participant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "engagement_participants")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub party_id: i64,
        pub relation: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::parties::entity::party::Entity",
            from = "Column::PartyId",
            to = "crate::parties::entity::party::Column::Id"
        )]
        Party,
    }

    impl Related<crate::parties::entity::party::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Party.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod milestone {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "milestones")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub name: String,
        pub due_date: Date,
        pub status: String,
        pub owner_party_id: Option<i64>,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        #[sea_orm(column_type = "Text")]
        pub description: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod task {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tasks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub parent_id: Option<i64>,
        pub name: String,
        pub start_date: Date,
        pub finish_date: Date,
        pub assignee_id: Option<i64>,
        pub party_id: Option<i64>,
        pub progress: i16,
        pub status: String,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// auto (the plan places it) | manual (it stays where the PM put it)
        pub scheduling: String,
        /// The start the PM typed: an automatically scheduled task starts no earlier.
        pub start_no_earlier: Option<Date>,
        /// Working days the last automatic pass moved it (later when positive).
        pub shift_days: i32,
        /// Scheduled by hand while its predecessors want it to start later.
        pub schedule_conflict: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod dependency {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "task_dependencies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub predecessor_id: i64,
        pub successor_id: i64,
        pub kind: String,
        pub lag_days: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod baseline {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "baselines")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub name: String,
        pub created_by: Option<i64>,
        pub created_at: DateTimeUtc,
        /// The approved change request that saved this baseline, if one did.
        pub change_request_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod baseline_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "baseline_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub baseline_id: i64,
        pub task_id: Option<i64>,
        pub milestone_id: Option<i64>,
        pub start_date: Date,
        pub finish_date: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod deliverable {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "deliverables")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub name: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub owner_party_id: Option<i64>,
        pub milestone_id: Option<i64>,
        pub due_date: Date,
        pub status: String,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// The warranty period (质保期) final acceptance starts; 0 = none unless a contract's
        /// warranty clause names one.
        pub warranty_months: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod criterion {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "deliverable_criteria")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub deliverable_id: i64,
        pub position: i32,
        pub text: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "engagement_members")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub user_id: i64,
        pub role: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::users::entity::user::Entity",
            from = "Column::UserId",
            to = "crate::users::entity::user::Column::Id"
        )]
        User,
    }

    impl Related<crate::users::entity::user::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::User.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod calendar_day {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub day: Date,
        pub working: bool,
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An early warning raised by a rule (see `warnings`), open until its condition clears. Open
/// warnings feed the derived health.
pub mod warning {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warnings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub rule: String,
        /// What the warning is about within the rule (`risk:12`), empty for the engagement itself.
        pub subject_key: String,
        /// amber | red
        pub severity: String,
        /// JSON object: the message's arguments.
        #[sea_orm(column_type = "Text")]
        pub args: String,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub raised_at: DateTimeUtc,
        pub cleared_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A rule of early warning as the PM tuned it (rules without a row run with their defaults).
pub mod warning_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warning_rules")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub rule: String,
        pub enabled: bool,
        /// In the rule's unit: thousandths for SPI and CPI, a score, or days.
        pub threshold: i64,
        /// JSON array of user ids told besides the engagement's managers.
        #[sea_orm(column_type = "Text")]
        pub notify_user_ids: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
