//! In-app notifications. A notification is only ever created for someone who may see its
//! record, and lists filter again by the viewer's current scopes, so a person who leaves an
//! engagement (or whose party does) stops seeing its notices.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::OnConflict,
};

use crate::{
    AppState,
    auth::Viewer,
    collab::{Subject, entity::notification, party_sees},
    error::{AppError, AppResult},
    parties::entity::party,
    users::entity::user,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Assignment,
    Mention,
    DueSoon,
    Overdue,
    ChangeRaised,
    ChangeDecided,
    ChangeReturned,
    ReviewRequested,
    ReviewDue,
    ContractReview,
    ContractReviewed,
    ContractSigned,
    ContractExpiring,
    ContractCheckupDue,
    ObligationDue,
    ObligationOverdue,
    InstallmentDue,
    PaymentDisputed,
    DisputeClosed,
    AcceptanceSubmitted,
    AcceptanceDecided,
    AcceptanceSigned,
    WarrantyEnding,
    RiskAssigned,
    RiskReview,
    Warning,
    IssueRaised,
    IssueChanged,
    IssueEscalated,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Assignment => "assignment",
            Kind::Mention => "mention",
            Kind::DueSoon => "due_soon",
            Kind::Overdue => "overdue",
            Kind::ChangeRaised => "change_raised",
            Kind::ChangeDecided => "change_decided",
            Kind::ChangeReturned => "change_returned",
            Kind::ReviewRequested => "review_requested",
            Kind::ReviewDue => "review_due",
            Kind::ContractReview => "contract_review",
            Kind::ContractReviewed => "contract_reviewed",
            Kind::ContractSigned => "contract_signed",
            Kind::ContractExpiring => "contract_expiring",
            Kind::ContractCheckupDue => "contract_checkup_due",
            Kind::ObligationDue => "obligation_due",
            Kind::ObligationOverdue => "obligation_overdue",
            Kind::InstallmentDue => "installment_due",
            Kind::PaymentDisputed => "payment_disputed",
            Kind::DisputeClosed => "dispute_closed",
            Kind::AcceptanceSubmitted => "acceptance_submitted",
            Kind::AcceptanceDecided => "acceptance_decided",
            Kind::AcceptanceSigned => "acceptance_signed",
            Kind::WarrantyEnding => "warranty_ending",
            Kind::RiskAssigned => "risk_assigned",
            Kind::RiskReview => "risk_review",
            Kind::Warning => "warning",
            Kind::IssueRaised => "issue_raised",
            Kind::IssueChanged => "issue_changed",
            Kind::IssueEscalated => "issue_escalated",
        }
    }
}

/// What a notification says.
#[derive(Clone, Copy)]
pub struct Notice<'a> {
    pub kind: Kind,
    pub subject: &'a Subject,
    pub actor_id: Option<i64>,
    /// A user gets a notice with a given key once, however often it is sent.
    pub dedupe: Option<&'a str>,
    /// The comment that mentions the user, so opening the notice lands on it.
    pub comment_id: Option<i64>,
}

impl<'a> Notice<'a> {
    pub fn new(kind: Kind, subject: &'a Subject) -> Self {
        Self { kind, subject, actor_id: None, dedupe: None, comment_id: None }
    }
}

/// Notifies `users`, skipping anyone who may not see the record (inactive, from a party
/// outside the engagement or outside the record's visibility).
pub async fn send(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    users: &[i64],
    notice: &Notice<'_>,
) -> AppResult<usize> {
    let Notice { kind, subject, actor_id, dedupe, comment_id } = *notice;
    if users.is_empty() {
        return Ok(0);
    }
    use crate::engagements::entity::participant;
    let found: Vec<(i64, i64, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::PartyId)
        .column(party::Column::Kind)
        .inner_join(party::Entity)
        .filter(user::Column::Id.is_in(users.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let participants: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(subject.engagement_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut sent = 0;
    for (uid, party_id, party_kind) in found {
        let host = party_kind == "host";
        if !(host || participants.contains(&party_id))
            || !party_sees(host, party_id, &subject.visibility, subject.visible_party_id)
        {
            continue;
        }
        let row = notification::ActiveModel {
            user_id: Set(uid),
            engagement_id: Set(subject.engagement_id),
            kind: Set(kind.as_str().to_owned()),
            subject_kind: Set(subject.kind.as_str().to_owned()),
            subject_id: Set(subject.id),
            title: Set(subject.title.chars().take(300).collect()),
            actor_id: Set(actor_id),
            comment_id: Set(comment_id),
            dedupe_key: Set(dedupe.map(str::to_owned)),
            read_at: Set(None),
            visibility: Set(subject.visibility.clone()),
            visible_party_id: Set(subject.visible_party_id),
            created_at: Set(now),
            ..Default::default()
        };
        let n = notification::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([notification::Column::UserId, notification::Column::DedupeKey])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        sent += usize::try_from(n).unwrap_or(0);
    }
    Ok(sent)
}

/// Notifies each of `users` who may see the record, and mails each one notified (not those
/// already told under the notice's dedupe key) in their own language: `mail` gives the subject
/// line and the body for a language. Returns how many were told.
pub async fn send_and_mail(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    users: &[i64],
    notice: &Notice<'_>,
    mail: impl Fn(crate::i18n::Lang) -> (String, String),
) -> AppResult<usize> {
    let people = user::Entity::find().filter(user::Column::Id.is_in(users.iter().copied())).all(db).await?;
    let mut told = 0;
    for u in people {
        if send(db, now, &[u.id], notice).await? == 0 {
            continue;
        }
        let lang = u.locale.as_deref().and_then(crate::i18n::Lang::parse).unwrap_or_default();
        let (subject, body) = mail(lang);
        crate::mail::queue(db, now, &u.email, &subject, &body).await?;
        told += 1;
    }
    Ok(told)
}

/// The viewer's notifications that are still visible to them.
fn mine(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(notification::Column::UserId.eq(viewer.user.id))
        .add(viewer.engagement_ids_scope(notification::Column::EngagementId))
        .add(viewer.record_scope(notification::Column::Visibility, notification::Column::VisiblePartyId))
}

pub async fn unread_count(state: &AppState, viewer: &Viewer) -> AppResult<u64> {
    Ok(notification::Entity::find()
        .filter(mine(viewer))
        .filter(notification::Column::ReadAt.is_null())
        .count(&state.db)
        .await?)
}

/// Newest first, `limit` per page, older than `before` (a notification id).
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    unread_only: bool,
    limit: u64,
    before: Option<i64>,
) -> AppResult<(Vec<notification::Model>, Option<i64>)> {
    let mut q = notification::Entity::find().filter(mine(viewer));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    if let Some(b) = before {
        q = q.filter(notification::Column::Id.lt(b));
    }
    let mut rows = q.order_by_desc(notification::Column::Id).limit(limit + 1).all(&state.db).await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more { rows.last().map(|n| n.id) } else { None };
    Ok((rows, next))
}

/// Marks one notification read and returns it; 404 unless it is the viewer's and still visible.
pub async fn open(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<notification::Model> {
    let n =
        notification::Entity::find_by_id(id).filter(mine(viewer)).one(&state.db).await?.ok_or(AppError::NotFound)?;
    if n.read_at.is_none() {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, sea_orm::sea_query::Expr::value(state.clock.now()))
            .filter(notification::Column::Id.eq(n.id))
            .exec(&state.writer)
            .await?;
    }
    Ok(n)
}

pub async fn read_all(state: &AppState, viewer: &Viewer) -> AppResult<u64> {
    let res = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, sea_orm::sea_query::Expr::value(state.clock.now()))
        .filter(notification::Column::UserId.eq(viewer.user.id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&state.writer)
        .await?;
    Ok(res.rows_affected)
}

/// Where a notification leads: the record, at the comment when one mentions the user.
pub fn url(n: &notification::Model) -> String {
    let anchor = n.comment_id.map(|c| format!("#comment-{c}")).unwrap_or_default();
    // Contracts live outside any one engagement.
    if n.subject_kind == "contract" {
        return format!("/contracts/{}{anchor}", n.subject_id);
    }
    if n.subject_kind == "warning" {
        return format!("/engagements/{}/warnings#warning-{}", n.engagement_id, n.subject_id);
    }
    format!("/engagements/{}/{}s/{}{anchor}", n.engagement_id, n.subject_kind, n.subject_id)
}
