//! Collaboration and findability: comments, the activity feed, in-app notifications,
//! documents with versions, one search index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL),
//! and derived engagement health.
//!
//! Comments, activities, notifications and search entries carry the visibility of the record
//! they are about, copied when written (record visibility is fixed at creation), so every list
//! filters with the same `record_scope` as the records themselves.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000008_collaboration"
    }
}

#[derive(DeriveIden)]
enum Engagements {
    Table,
    Id,
    HealthAuto,
}

#[derive(DeriveIden)]
enum Milestones {
    Table,
    Description,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    EngagementId,
    SubjectKind,
    SubjectId,
    AuthorId,
    Body,
    Visibility,
    VisiblePartyId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    EngagementId,
    ActorId,
    Verb,
    SubjectKind,
    SubjectId,
    Title,
    Visibility,
    VisiblePartyId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    EngagementId,
    Kind,
    SubjectKind,
    SubjectId,
    Title,
    ActorId,
    CommentId,
    DedupeKey,
    ReadAt,
    Visibility,
    VisiblePartyId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    EngagementId,
    SubjectKind,
    SubjectId,
    Name,
    Visibility,
    VisiblePartyId,
    CurrentVersion,
    Size,
    ContentType,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DocumentVersions {
    Table,
    Id,
    DocumentId,
    Version,
    ObjectKey,
    Size,
    ContentType,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SearchEntries {
    Table,
    Id,
    Kind,
    RecordId,
    EngagementId,
    Visibility,
    VisiblePartyId,
    Title,
    Content,
}

fn fk(from: (DynIden, DynIden), to: (DynIden, DynIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Engagements::Table)
                .add_column(boolean(Engagements::HealthAuto).default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Milestones::Table).add_column(text(Milestones::Description).default("")).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Comments::Table)
                .col(big_pk_auto(Comments::Id))
                .col(big_integer(Comments::EngagementId))
                .col(string_len(Comments::SubjectKind, 20))
                .col(big_integer(Comments::SubjectId))
                .col(big_integer(Comments::AuthorId))
                .col(text(Comments::Body))
                .col(string_len(Comments::Visibility, 16))
                .col(big_integer_null(Comments::VisiblePartyId))
                .col(timestamp_with_time_zone(Comments::CreatedAt))
                .foreign_key(&mut fk(
                    (Comments::Table.into_iden(), Comments::EngagementId.into_iden()),
                    (Engagements::Table.into_iden(), Engagements::Id.into_iden()),
                ))
                .foreign_key(&mut fk(
                    (Comments::Table.into_iden(), Comments::AuthorId.into_iden()),
                    (Users::Table.into_iden(), Users::Id.into_iden()),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_comments_subject")
                .table(Comments::Table)
                .col(Comments::SubjectKind)
                .col(Comments::SubjectId)
                .col(Comments::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(big_pk_auto(Activities::Id))
                .col(big_integer(Activities::EngagementId))
                .col(big_integer_null(Activities::ActorId))
                .col(string_len(Activities::Verb, 40))
                .col(string_len(Activities::SubjectKind, 20))
                .col(big_integer(Activities::SubjectId))
                .col(string_len(Activities::Title, 300))
                .col(string_len(Activities::Visibility, 16))
                .col(big_integer_null(Activities::VisiblePartyId))
                .col(timestamp_with_time_zone(Activities::CreatedAt))
                .foreign_key(&mut fk(
                    (Activities::Table.into_iden(), Activities::EngagementId.into_iden()),
                    (Engagements::Table.into_iden(), Engagements::Id.into_iden()),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_activities_engagement")
                .table(Activities::Table)
                .col(Activities::EngagementId)
                .col(Activities::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(big_pk_auto(Notifications::Id))
                .col(big_integer(Notifications::UserId))
                .col(big_integer(Notifications::EngagementId))
                .col(string_len(Notifications::Kind, 20))
                .col(string_len(Notifications::SubjectKind, 20))
                .col(big_integer(Notifications::SubjectId))
                .col(string_len(Notifications::Title, 300))
                .col(big_integer_null(Notifications::ActorId))
                .col(big_integer_null(Notifications::CommentId))
                .col(string_len_null(Notifications::DedupeKey, 120))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                .col(string_len(Notifications::Visibility, 16))
                .col(big_integer_null(Notifications::VisiblePartyId))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .foreign_key(&mut fk(
                    (Notifications::Table.into_iden(), Notifications::UserId.into_iden()),
                    (Users::Table.into_iden(), Users::Id.into_iden()),
                ))
                .foreign_key(&mut fk(
                    (Notifications::Table.into_iden(), Notifications::EngagementId.into_iden()),
                    (Engagements::Table.into_iden(), Engagements::Id.into_iden()),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_user")
                .table(Notifications::Table)
                .col(Notifications::UserId)
                .col(Notifications::ReadAt)
                .col(Notifications::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_notifications_dedupe")
                .table(Notifications::Table)
                .col(Notifications::UserId)
                .col(Notifications::DedupeKey)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Documents::Table)
                .col(big_pk_auto(Documents::Id))
                .col(big_integer(Documents::EngagementId))
                .col(string_len_null(Documents::SubjectKind, 20))
                .col(big_integer_null(Documents::SubjectId))
                .col(string_len(Documents::Name, 255))
                .col(string_len(Documents::Visibility, 16))
                .col(big_integer_null(Documents::VisiblePartyId))
                .col(integer(Documents::CurrentVersion))
                .col(big_integer(Documents::Size))
                .col(string_len(Documents::ContentType, 100))
                .col(big_integer(Documents::CreatedBy))
                .col(timestamp_with_time_zone(Documents::CreatedAt))
                .col(timestamp_with_time_zone(Documents::UpdatedAt))
                .foreign_key(&mut fk(
                    (Documents::Table.into_iden(), Documents::EngagementId.into_iden()),
                    (Engagements::Table.into_iden(), Engagements::Id.into_iden()),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_documents_engagement")
                .table(Documents::Table)
                .col(Documents::EngagementId)
                .col(Documents::SubjectKind)
                .col(Documents::SubjectId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DocumentVersions::Table)
                .col(big_pk_auto(DocumentVersions::Id))
                .col(big_integer(DocumentVersions::DocumentId))
                .col(integer(DocumentVersions::Version))
                .col(string_len(DocumentVersions::ObjectKey, 200))
                .col(big_integer(DocumentVersions::Size))
                .col(string_len(DocumentVersions::ContentType, 100))
                .col(string_len(DocumentVersions::Sha256, 64))
                .col(big_integer(DocumentVersions::UploadedBy))
                .col(timestamp_with_time_zone(DocumentVersions::CreatedAt))
                .foreign_key(&mut fk(
                    (DocumentVersions::Table.into_iden(), DocumentVersions::DocumentId.into_iden()),
                    (Documents::Table.into_iden(), Documents::Id.into_iden()),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_document_versions")
                .table(DocumentVersions::Table)
                .col(DocumentVersions::DocumentId)
                .col(DocumentVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SearchEntries::Table)
                .col(big_pk_auto(SearchEntries::Id))
                .col(string_len(SearchEntries::Kind, 20))
                .col(big_integer(SearchEntries::RecordId))
                .col(big_integer(SearchEntries::EngagementId))
                .col(string_len(SearchEntries::Visibility, 16))
                .col(big_integer_null(SearchEntries::VisiblePartyId))
                .col(string_len(SearchEntries::Title, 300))
                .col(text(SearchEntries::Content))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_search_entries_record")
                .table(SearchEntries::Table)
                .col(SearchEntries::Kind)
                .col(SearchEntries::RecordId)
                .unique()
                .to_owned(),
        )
        .await?;

        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in [
                    "CREATE VIRTUAL TABLE search_fts USING fts5(content, content='search_entries', \
                     content_rowid='id', tokenize='trigram')",
                    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN \
                     INSERT INTO search_fts(rowid, content) VALUES (new.id, new.content); END",
                    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN \
                     INSERT INTO search_fts(search_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
                    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN \
                     INSERT INTO search_fts(search_fts, rowid, content) VALUES ('delete', old.id, old.content); \
                     INSERT INTO search_fts(rowid, content) VALUES (new.id, new.content); END",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {
                // In `public`, so every schema of the database finds the operator class.
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").await?;
                db.execute_unprepared(
                    "CREATE INDEX ix_search_entries_trgm ON search_entries USING gin (content public.gin_trgm_ops)",
                )
                .await?;
            }
        }
        // Index what already exists.
        for sql in [
            "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
             SELECT 'engagement', id, id, 'participants', NULL, name, lower(name || ' ' || code || ' ' || description) \
             FROM engagements",
            "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
             SELECT 'milestone', id, engagement_id, visibility, visible_party_id, name, lower(name) FROM milestones",
            "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
             SELECT 'deliverable', id, engagement_id, visibility, visible_party_id, name, \
             lower(name || ' ' || description) FROM deliverables",
            "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
             SELECT 'task', id, engagement_id, visibility, visible_party_id, name, lower(name) FROM tasks",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            m.get_connection().execute_unprepared("DROP TABLE IF EXISTS search_fts").await?;
        }
        for t in [
            SearchEntries::Table.into_iden(),
            DocumentVersions::Table.into_iden(),
            Documents::Table.into_iden(),
            Notifications::Table.into_iden(),
            Activities::Table.into_iden(),
            Comments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Milestones::Table).drop_column(Milestones::Description).to_owned()).await?;
        m.alter_table(Table::alter().table(Engagements::Table).drop_column(Engagements::HealthAuto).to_owned()).await
    }
}
