//! The search index table.

pub mod search_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "search_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kind: String,
        pub record_id: i64,
        pub engagement_id: i64,
        pub visibility: String,
        pub visible_party_id: Option<i64>,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub content: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
