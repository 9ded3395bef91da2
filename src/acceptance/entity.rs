//! Tables of acceptance and quality.
/// One acceptance round (初验 or 终验) of a deliverable.
pub mod acceptance {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "acceptances")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub deliverable_id: i64,
        /// initial | final
        pub stage: String,
        /// 1, 2, … per deliverable and stage; a rejection is followed by the next round.
        pub round: i32,
        /// submitted | accepted | accepted_with_conditions | rejected
        pub state: String,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        #[sea_orm(column_type = "Text")]
        pub conditions: String,
        /// JSON array of the party ids that must sign.
        #[sea_orm(column_type = "Text")]
        pub required_parties: String,
        pub submitted_by: i64,
        pub submitted_party_id: i64,
        pub submitted_at: DateTimeUtc,
        pub decided_by: Option<i64>,
        pub decided_at: Option<DateTimeUtc>,
        /// SHA-256 of the recorded result, what each party signs.
        pub content_sha256: Option<String>,
        /// When the last required signature came in.
        pub effective_at: Option<DateTimeUtc>,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One checklist line of an acceptance round.
pub mod item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "acceptance_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub acceptance_id: i64,
        pub position: i32,
        /// criterion | requirement
        pub source: String,
        pub criterion_id: Option<i64>,
        pub requirement_id: Option<i64>,
        #[sea_orm(column_type = "Text")]
        pub text: String,
        pub passed: Option<bool>,
        #[sea_orm(column_type = "Text")]
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A document submitted as evidence with an acceptance round.
pub mod evidence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "acceptance_evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub acceptance_id: i64,
        pub document_id: i64,
        /// The document's version when it was submitted, and that version's SHA-256.
        pub version: i32,
        pub sha256: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One party's signature on an acceptance record.
pub mod signature {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "acceptance_signatures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub acceptance_id: i64,
        pub party_id: i64,
        pub user_id: i64,
        pub content_sha256: String,
        pub signed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An inspection of a deliverable.
pub mod quality_check {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quality_checks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub deliverable_id: i64,
        pub checked_on: Date,
        /// pass | fail
        pub result: String,
        #[sea_orm(column_type = "Text")]
        pub findings: String,
        /// JSON array of {"text", "passed"}.
        #[sea_orm(column_type = "Text")]
        pub items: String,
        pub inspector_id: i64,
        pub created_at: DateTimeUtc,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A defect found in acceptance or inspection, owned by the delivering party.
pub mod defect {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "defects")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub deliverable_id: i64,
        pub acceptance_id: Option<i64>,
        pub check_id: Option<i64>,
        pub seq: i32,
        /// `DEF-001` within the engagement.
        pub key: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        /// critical | major | minor
        pub severity: String,
        /// open | resolved | closed
        pub status: String,
        pub owner_party_id: Option<i64>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
        pub closed_at: Option<DateTimeUtc>,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The warranty period (质保期) a final acceptance started.
pub mod warranty {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warranties")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub deliverable_id: i64,
        pub acceptance_id: i64,
        pub months: i32,
        pub starts_on: Date,
        pub ends_on: Date,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
