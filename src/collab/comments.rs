//! Comments on milestones, deliverables and tasks. `@name` or `@email` mentions someone who
//! may see the record; they get a notification. Mentions of people who may not see it are
//! left as plain text and notify no one.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use serde_json::json;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{Subject, activity, entity::comment, notifications},
    db, domain,
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors},
    search,
    users::entity::user,
};

pub const MAX_BODY: usize = 5000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    /// Plain text; `@name` or `@email` mentions someone who may see the record.
    pub body: String,
}

/// A comment as shown: author masked when the viewer may not know the author's party.
pub struct Shown {
    pub id: i64,
    pub author_name: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

pub async fn list(state: &AppState, viewer: &Viewer, subject: &Subject) -> AppResult<Vec<Shown>> {
    let rows = comment::Entity::find()
        .filter(comment::Column::SubjectKind.eq(subject.kind.as_str()))
        .filter(comment::Column::SubjectId.eq(subject.id))
        .filter(viewer.record_scope(comment::Column::Visibility, comment::Column::VisiblePartyId))
        .order_by_asc(comment::Column::Id)
        .all(&state.db)
        .await?;
    let lens = Lens::of(state, viewer, subject.engagement_id).await?;
    let authors = lens.people(&state.db, rows.iter().map(|c| c.author_id)).await?;
    Ok(rows
        .into_iter()
        .map(|c| Shown {
            id: c.id,
            author_name: authors.name(c.author_id).unwrap_or_default(),
            body: c.body,
            at: c.created_at,
        })
        .collect())
}

/// People who may see `subject`: active users of the host and of participating parties the
/// record is visible to. Returns (id, name, email).
pub async fn audience(state: &AppState, subject: &Subject) -> AppResult<Vec<(i64, String, String)>> {
    use crate::engagements::entity::participant;
    let participants: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(subject.engagement_id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let hosts = crate::parties::service::host_ids(&state.db).await?;
    let parties: Vec<i64> = hosts
        .iter()
        .copied()
        .chain(
            participants
                .into_iter()
                .filter(|p| crate::collab::party_sees(false, *p, &subject.visibility, subject.visible_party_id)),
        )
        .collect();
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name, user::Column::Email])
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::PartyId.is_in(parties))
        .into_tuple()
        .all(&state.db)
        .await?)
}

/// Who `body` mentions among `people`: at each `@`, the longest name, e-mail, e-mail user or
/// part of a name (`@李娜` for "李娜 Li Na") that follows. A mention that fits two people
/// equally well names no one.
pub fn mentioned(body: &str, people: &[(i64, String, String)]) -> Vec<i64> {
    let keys: Vec<(i64, &str)> = people
        .iter()
        .flat_map(|(id, name, email)| {
            let local = email.split('@').next().unwrap_or_default();
            let parts = name.split_whitespace().filter(|p| p.chars().count() >= 2);
            [name.as_str(), email.as_str(), local].into_iter().chain(parts).map(move |k| (*id, k))
        })
        .filter(|(_, k)| !k.is_empty())
        .collect();
    let mut found = Vec::new();
    for (at, _) in body.match_indices('@') {
        let rest = &body[at + 1..];
        let matching: Vec<(i64, usize)> =
            keys.iter().filter(|(_, k)| starts_with_ci(rest, k)).map(|(id, k)| (*id, k.len())).collect();
        let Some(best) = matching.iter().map(|(_, len)| *len).max() else { continue };
        let mut ids: Vec<i64> = matching.iter().filter(|(_, len)| *len == best).map(|(id, _)| *id).collect();
        ids.dedup();
        if let [id] = ids[..]
            && !found.contains(&id)
        {
            found.push(id);
        }
    }
    found
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    subject: &Subject,
    input: CommentInput,
) -> AppResult<comment::Model> {
    let mut errors = FieldErrors::default();
    let body = errors.take("body", domain::text(&input.body, true, MAX_BODY));
    errors.into_result()?;
    let Some(body) = body else { return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete"))) };
    let people = audience(state, subject).await?;
    let mentions: Vec<i64> = mentioned(&body, &people).into_iter().filter(|id| *id != viewer.user.id).collect();
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let c = comment::Entity::insert(comment::ActiveModel {
        engagement_id: Set(subject.engagement_id),
        subject_kind: Set(subject.kind.as_str().to_owned()),
        subject_id: Set(subject.id),
        author_id: Set(viewer.user.id),
        body: Set(body.clone()),
        visibility: Set(subject.visibility.clone()),
        visible_party_id: Set(subject.visible_party_id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    search::index(
        &tx,
        search::Entry {
            kind: "comment",
            record_id: c.id,
            engagement_id: subject.engagement_id,
            visibility: &subject.visibility,
            visible_party_id: subject.visible_party_id,
            title: &subject.title,
            body: &body,
        },
    )
    .await?;
    activity::record(&tx, now, Some(viewer.user.id), subject, "commented").await?;
    let notice = notifications::Notice {
        actor_id: Some(viewer.user.id),
        comment_id: Some(c.id),
        ..notifications::Notice::new(notifications::Kind::Mention, subject)
    };
    notifications::send(&tx, now, &mentions, &notice).await?;
    let after = json!({"subject_kind": subject.kind.as_str(), "subject_id": subject.id, "mentions": mentions});
    record(&tx, state, viewer, "comment.create", "comment", c.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_name_after_an_at_sign_wins() {
        let people = vec![
            (1, "张伟".to_owned(), "zw@example.com".to_owned()),
            (2, "张伟明".to_owned(), "zwm@example.com".to_owned()),
            (3, "Li Na".to_owned(), "lina@example.com".to_owned()),
        ];
        assert_eq!(mentioned("@张伟明 请看一下", &people), vec![2]);
        assert_eq!(mentioned("@张伟请确认，@li na too", &people), vec![1, 3]);
        assert_eq!(mentioned("mail ZWM@example.com or @zw@example.com", &people), vec![1]);
        assert_eq!(mentioned("@nobody", &people), Vec::<i64>::new());
        assert_eq!(mentioned("@张伟 @张伟", &people), vec![1]);
        let people = vec![
            (4, "李娜 Li Na".to_owned(), "dev@yunfan.example".to_owned()),
            (5, "李娜 Lina".to_owned(), "lina2@example.com".to_owned()),
            (6, "孙浩 Sun Hao".to_owned(), "manager@yunfan.example".to_owned()),
        ];
        assert_eq!(mentioned("@孙浩 please", &people), vec![6], "a part of the name");
        assert_eq!(mentioned("@dev 看一下", &people), vec![4], "the e-mail's user");
        assert_eq!(mentioned("@李娜 看一下", &people), Vec::<i64>::new(), "two people called 李娜: no one");
        assert_eq!(mentioned("@李娜 Lina 看一下", &people), vec![5], "the full name settles it");
    }
}
