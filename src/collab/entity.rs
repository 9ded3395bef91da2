//! Tables of collaboration: comments, activities and notifications. Each row carries the
//! visibility of the record it is about, so lists filter with `Viewer::record_scope`.

pub mod comment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "comments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub subject_kind: String,
        pub subject_id: i64,
        pub author_id: i64,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub engagement_id: i64,
        pub actor_id: Option<i64>,
        pub verb: String,
        pub subject_kind: String,
        pub subject_id: i64,
        pub title: String,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub engagement_id: i64,
        pub kind: String,
        pub subject_kind: String,
        pub subject_id: i64,
        pub title: String,
        pub actor_id: Option<i64>,
        pub comment_id: Option<i64>,
        pub dedupe_key: Option<String>,
        pub read_at: Option<DateTimeUtc>,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
