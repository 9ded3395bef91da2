//! Tables of the parties capability.

pub mod party {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "parties")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kind: String,
        pub name: String,
        pub legal_name: String,
        pub credit_code: Option<String>,
        pub address: String,
        pub website: String,
        pub phone: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    impl Model {
        /// Reads a party from `Column::iter()` columns selected in order.
        pub fn read(c: &mut crate::db::Cols<'_>) -> Result<Self, DbErr> {
            Ok(Self {
                id: c.take()?,
                kind: c.take()?,
                name: c.take()?,
                legal_name: c.take()?,
                credit_code: c.take()?,
                address: c.take()?,
                website: c.take()?,
                phone: c.take()?,
                description: c.take()?,
                created_at: c.take()?,
                updated_at: c.take()?,
            })
        }
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contact {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "party_contacts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub party_id: i64,
        pub name: String,
        pub title: String,
        pub email: String,
        pub phone: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
