//! Tables of the issue and conflict log.

pub mod issue {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "issues")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub seq: i32,
        /// Stable within the engagement: `I-001`.
        pub key: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        /// issue | conflict | question | decision
        pub kind: String,
        /// critical | high | medium | low
        pub severity: String,
        /// open | responded | resolved | closed (the raiser confirmed the resolution)
        pub status: String,
        pub raised_by: i64,
        pub raised_party_id: i64,
        pub owner_id: Option<i64>,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub response_due: DateTimeUtc,
        pub resolve_due: DateTimeUtc,
        /// The targets the dues were computed from, in working minutes.
        pub response_minutes: i32,
        pub resolve_minutes: i32,
        /// When three quarters of each clock's working time are gone (none: raised before this
        /// was kept; such a clock goes at risk at its due).
        pub response_risk_at: Option<DateTimeUtc>,
        pub resolve_risk_at: Option<DateTimeUtc>,
        pub responded_at: Option<DateTimeUtc>,
        pub resolved_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text")]
        pub resolution: String,
        pub closed_at: Option<DateTimeUtc>,
        /// 0 none, 1 the response is late (owner and PMs told), 2 the resolution is late (the
        /// other party's managers and the host's executives told).
        pub escalation: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sla_policy {
    use sea_orm::entity::prelude::*;

    /// An engagement's SLA: business hours and, per severity, the working minutes to the first
    /// response and to the resolution (JSON `{"critical": [60, 480], …}`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sla_policies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub hours_start: String,
        pub hours_end: String,
        #[sea_orm(column_type = "Text")]
        pub targets: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
