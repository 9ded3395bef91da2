//! A small key/value table for instance-wide settings (e.g. the one-time setup token).

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, sea_query::OnConflict};

pub mod setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        #[sea_orm(column_type = "Text")]
        pub value: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_owned()).one(db).await?.map(|s| s.value))
}

pub async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), DbErr> {
    setting::Entity::insert(setting::ActiveModel { key: Set(key.to_owned()), value: Set(value.to_owned()) })
        .on_conflict(OnConflict::column(setting::Column::Key).update_column(setting::Column::Value).to_owned())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    setting::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Stores `value` under `key` unless something is there already; returns what is stored. Two
/// instances starting at once agree on one value.
pub async fn get_or_insert(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<String, DbErr> {
    setting::Entity::insert(setting::ActiveModel { key: Set(key.to_owned()), value: Set(value.to_owned()) })
        .on_conflict_do_nothing_on([setting::Column::Key])
        .exec(db)
        .await?;
    Ok(get(db, key).await?.unwrap_or_else(|| value.to_owned()))
}
