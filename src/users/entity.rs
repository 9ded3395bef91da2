//! Tables of the users capability: accounts, invitations and API tokens.

pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub party_id: i64,
        pub email: String,
        pub name: String,
        pub role: String,
        pub password_hash: Option<String>,
        pub locale: Option<String>,
        pub time_zone: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub last_login_at: Option<DateTimeUtc>,
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

    impl Model {
        /// Reads a user from `Column::iter()` columns selected in order.
        pub fn read(c: &mut crate::db::Cols<'_>) -> Result<Self, DbErr> {
            Ok(Self {
                id: c.take()?,
                party_id: c.take()?,
                email: c.take()?,
                name: c.take()?,
                role: c.take()?,
                password_hash: c.take()?,
                locale: c.take()?,
                time_zone: c.take()?,
                active: c.take()?,
                created_at: c.take()?,
                updated_at: c.take()?,
                last_login_at: c.take()?,
            })
        }
    }

    impl Related<crate::parties::entity::party::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Party.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub accepted_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod api_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub name: String,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        /// Absent: the token never expires (an administrator's choice for service accounts).
        pub expires_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id")]
        User,
    }

    impl Related<super::user::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::User.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}
