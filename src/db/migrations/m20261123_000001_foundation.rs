//! Foundation tables: parties, users, credentials, sessions, audit chain, job queue, outbox.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
    Kind,
    Name,
    LegalName,
    CreditCode,
    Address,
    Website,
    Phone,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PartyContacts {
    Table,
    Id,
    PartyId,
    Name,
    Title,
    Email,
    Phone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    PartyId,
    Email,
    Name,
    Role,
    PasswordHash,
    Locale,
    TimeZone,
    Active,
    CreatedAt,
    UpdatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    AcceptedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorUserId,
    ActorPartyId,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    LastHash,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    State,
    RunAt,
    Attempts,
    MaxAttempts,
    LockedUntil,
    LockedBy,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ScheduleRuns {
    Table,
    Schedule,
    Slot,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboxEmails {
    Table,
    Id,
    ToAddress,
    Subject,
    Body,
    State,
    Attempts,
    LastError,
    CreatedAt,
    SentAt,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Parties::Table)
                .col(big_pk_auto(Parties::Id))
                .col(string_len(Parties::Kind, 16))
                .col(string_len(Parties::Name, 200))
                .col(string_len(Parties::LegalName, 200))
                .col(string_len_null(Parties::CreditCode, 18))
                .col(string_len(Parties::Address, 500))
                .col(string_len(Parties::Website, 300))
                .col(string_len(Parties::Phone, 50))
                .col(text(Parties::Description))
                .col(timestamp_with_time_zone(Parties::CreatedAt))
                .col(timestamp_with_time_zone(Parties::UpdatedAt))
                .check(Expr::col(Parties::Kind).is_in(["host", "vendor", "client"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_parties_name").table(Parties::Table).col(Parties::Name).unique().to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PartyContacts::Table)
                .col(big_pk_auto(PartyContacts::Id))
                .col(big_integer(PartyContacts::PartyId))
                .col(string_len(PartyContacts::Name, 100))
                .col(string_len(PartyContacts::Title, 100))
                .col(string_len(PartyContacts::Email, 254))
                .col(string_len(PartyContacts::Phone, 50))
                .col(timestamp_with_time_zone(PartyContacts::CreatedAt))
                .foreign_key(&mut fk((PartyContacts::Table, PartyContacts::PartyId), (Parties::Table, Parties::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_party_contacts_party")
                .table(PartyContacts::Table)
                .col(PartyContacts::PartyId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(big_integer(Users::PartyId))
                .col(string_len(Users::Email, 254))
                .col(string_len(Users::Name, 100))
                .col(string_len(Users::Role, 16))
                .col(string_null(Users::PasswordHash))
                .col(string_len_null(Users::Locale, 8))
                .col(string_len(Users::TimeZone, 64))
                .col(boolean(Users::Active))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                .foreign_key(&mut fk((Users::Table, Users::PartyId), (Parties::Table, Parties::Id)))
                .check(Expr::col(Users::Role).is_in(["admin", "pm", "member", "approver", "manager"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_users_email").table(Users::Table).col(Users::Email).unique().to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_users_party").table(Users::Table).col(Users::PartyId).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(big_pk_auto(Invitations::Id))
                .col(big_integer(Invitations::UserId))
                .col(string_len(Invitations::TokenHash, 64))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .foreign_key(&mut fk((Invitations::Table, Invitations::UserId), (Users::Table, Users::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_invitations_token")
                .table(Invitations::Table)
                .col(Invitations::TokenHash)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::UserId))
                .col(string_len(ApiTokens::Name, 100))
                .col(string_len(ApiTokens::TokenHash, 64))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(&mut fk((ApiTokens::Table, ApiTokens::UserId), (Users::Table, Users::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_api_tokens_hash")
                .table(ApiTokens::Table)
                .col(ApiTokens::TokenHash)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_api_tokens_user").table(ApiTokens::Table).col(ApiTokens::UserId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::Id, 64).primary_key())
                .col(text(Sessions::Data))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_sessions_expires").table(Sessions::Table).col(Sessions::ExpiresAt).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(big_pk_auto(LoginFailures::Id))
                .col(string_len(LoginFailures::Email, 254))
                .col(string_len(LoginFailures::Ip, 64))
                .col(timestamp_with_time_zone(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_login_failures_email")
                .table(LoginFailures::Table)
                .col(LoginFailures::Email)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_login_failures_ip")
                .table(LoginFailures::Table)
                .col(LoginFailures::Ip)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string_len(Settings::Key, 100).primary_key())
                .col(text(Settings::Value))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                // Assigned from audit_head.seq under a lock, so gaps or reordering are detectable.
                .col(big_integer(AuditEvents::Id).primary_key())
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(big_integer_null(AuditEvents::ActorUserId))
                .col(big_integer_null(AuditEvents::ActorPartyId))
                .col(string_len(AuditEvents::Action, 64))
                .col(string_len(AuditEvents::EntityType, 64))
                .col(string_len(AuditEvents::EntityId, 64))
                .col(text_null(AuditEvents::Before))
                .col(text_null(AuditEvents::After))
                .col(string_len(AuditEvents::PrevHash, 64))
                .col(string_len(AuditEvents::Hash, 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_entity")
                .table(AuditEvents::Table)
                .col(AuditEvents::EntityType)
                .col(AuditEvents::EntityId)
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_audit_at").table(AuditEvents::Table).col(AuditEvents::At).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(integer(AuditHead::Id).primary_key())
                .col(big_integer(AuditHead::Seq))
                .col(string_len(AuditHead::LastHash, 64))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::Seq, AuditHead::LastHash])
                .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(big_pk_auto(Jobs::Id))
                .col(string_len(Jobs::Kind, 64))
                .col(text(Jobs::Payload))
                .col(string_len(Jobs::State, 16))
                .col(timestamp_with_time_zone(Jobs::RunAt))
                .col(integer(Jobs::Attempts))
                .col(integer(Jobs::MaxAttempts))
                .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                .col(string_len_null(Jobs::LockedBy, 64))
                .col(text_null(Jobs::LastError))
                .col(timestamp_with_time_zone(Jobs::CreatedAt))
                .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_jobs_ready").table(Jobs::Table).col(Jobs::State).col(Jobs::RunAt).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ScheduleRuns::Table)
                .col(string_len(ScheduleRuns::Schedule, 64))
                .col(big_integer(ScheduleRuns::Slot))
                .col(timestamp_with_time_zone(ScheduleRuns::CreatedAt))
                .primary_key(Index::create().col(ScheduleRuns::Schedule).col(ScheduleRuns::Slot))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutboxEmails::Table)
                .col(big_pk_auto(OutboxEmails::Id))
                .col(string_len(OutboxEmails::ToAddress, 254))
                .col(string_len(OutboxEmails::Subject, 300))
                .col(text(OutboxEmails::Body))
                .col(string_len(OutboxEmails::State, 16))
                .col(integer(OutboxEmails::Attempts))
                .col(text_null(OutboxEmails::LastError))
                .col(timestamp_with_time_zone(OutboxEmails::CreatedAt))
                .col(timestamp_with_time_zone_null(OutboxEmails::SentAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OutboxEmails::Table.into_iden(),
            ScheduleRuns::Table.into_iden(),
            Jobs::Table.into_iden(),
            AuditHead::Table.into_iden(),
            AuditEvents::Table.into_iden(),
            Settings::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Invitations::Table.into_iden(),
            Users::Table.into_iden(),
            PartyContacts::Table.into_iden(),
            Parties::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
