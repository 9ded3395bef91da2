//! Requirements: items with stable keys per engagement, frozen versions of the shared set
//! (content and its SHA-256), and the parties' signatures on a version.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000009_requirements"
    }
}

#[derive(DeriveIden)]
enum Requirements {
    Table,
    Id,
    EngagementId,
    Seq,
    Key,
    ParentId,
    Title,
    Description,
    Kind,
    Priority,
    SourcePartyId,
    Criteria,
    Status,
    Visibility,
    VisiblePartyId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RequirementVersions {
    Table,
    Id,
    EngagementId,
    Number,
    Content,
    ContentSha256,
    ItemCount,
    Note,
    RequiredParties,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RequirementSignatures {
    Table,
    Id,
    VersionId,
    PartyId,
    UserId,
    ContentSha256,
    SignedAt,
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn fk(from: impl IntoIden, col: impl IntoIden, to: impl IntoIden, to_col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, col).to(to, to_col).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Requirements as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(big_pk_auto(R::Id))
                .col(big_integer(R::EngagementId))
                .col(integer(R::Seq))
                .col(string_len(R::Key, 20))
                .col(big_integer_null(R::ParentId))
                .col(string_len(R::Title, 200))
                .col(text(R::Description))
                .col(string_len(R::Kind, 24))
                .col(string_len(R::Priority, 8))
                .col(big_integer_null(R::SourcePartyId))
                .col(text(R::Criteria))
                .col(string_len(R::Status, 16))
                .col(string_len(R::Visibility, 16))
                .col(big_integer_null(R::VisiblePartyId))
                .col(big_integer(R::CreatedBy))
                .col(timestamp_with_time_zone(R::CreatedAt))
                .col(timestamp_with_time_zone(R::UpdatedAt))
                .foreign_key(&mut fk(R::Table, R::EngagementId, Engagements::Table, Engagements::Id))
                .foreign_key(&mut fk(R::Table, R::ParentId, R::Table, R::Id))
                .foreign_key(&mut fk(R::Table, R::SourcePartyId, Parties::Table, Parties::Id))
                .foreign_key(&mut fk(R::Table, R::VisiblePartyId, Parties::Table, Parties::Id))
                .foreign_key(&mut fk(R::Table, R::CreatedBy, Users::Table, Users::Id))
                .check(Expr::col(R::Kind).is_in(["functional", "non_functional", "interface", "data", "constraint"]))
                .check(Expr::col(R::Priority).is_in(["must", "should", "could", "wont"]))
                .check(Expr::col(R::Status).is_in(["draft", "in_review", "approved", "changed", "obsolete"]))
                .check(Expr::col(R::Visibility).is_in(["internal", "party", "participants"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_requirements_engagement_seq")
                .table(R::Table)
                .col(R::EngagementId)
                .col(R::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        use RequirementVersions as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(big_pk_auto(V::Id))
                .col(big_integer(V::EngagementId))
                .col(integer(V::Number))
                .col(text(V::Content))
                .col(string_len(V::ContentSha256, 64))
                .col(integer(V::ItemCount))
                .col(string_len(V::Note, 500))
                .col(text(V::RequiredParties))
                .col(big_integer(V::CreatedBy))
                .col(timestamp_with_time_zone(V::CreatedAt))
                .foreign_key(&mut fk(V::Table, V::EngagementId, Engagements::Table, Engagements::Id))
                .foreign_key(&mut fk(V::Table, V::CreatedBy, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_requirement_versions_number")
                .table(V::Table)
                .col(V::EngagementId)
                .col(V::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        use RequirementSignatures as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(big_pk_auto(S::Id))
                .col(big_integer(S::VersionId))
                .col(big_integer(S::PartyId))
                .col(big_integer(S::UserId))
                .col(string_len(S::ContentSha256, 64))
                .col(timestamp_with_time_zone(S::SignedAt))
                .foreign_key(&mut fk(S::Table, S::VersionId, V::Table, V::Id))
                .foreign_key(&mut fk(S::Table, S::PartyId, Parties::Table, Parties::Id))
                .foreign_key(&mut fk(S::Table, S::UserId, Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_requirement_signatures_party")
                .table(S::Table)
                .col(S::VersionId)
                .col(S::PartyId)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RequirementSignatures::Table.into_iden(),
            RequirementVersions::Table.into_iden(),
            Requirements::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
