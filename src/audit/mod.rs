//! The audit chain: every write appends an event in its own transaction; each event's hash
//! covers the previous hash and its own content, so an edited or removed row breaks the chain.

pub mod entity;
pub mod pages;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use entity::{event, head};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it. `None` ids mean the system (a CLI command or a background job).
#[derive(Clone, Copy, Debug, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub party_id: Option<i64>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor { user_id: None, party_id: None };

    pub fn user(user_id: i64, party_id: i64) -> Self {
        Self { user_id: Some(user_id), party_id: Some(party_id) }
    }
}

/// One change to record.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends `change` to the chain inside `tx`. Takes the head row's lock first, so appends from
/// several processes form one line; the lock is held until `tx` ends.
pub async fn record(
    tx: &DatabaseTransaction,
    at: DateTime<Utc>,
    actor: Actor,
    change: Change<'_>,
) -> Result<i64, DbErr> {
    let head = head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let seq = head.seq + 1;
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let mut ev = event::Model {
        id: seq,
        at,
        actor_user_id: actor.user_id,
        actor_party_id: actor.party_id,
        action: change.action.to_owned(),
        entity_type: change.entity_type.to_owned(),
        entity_id: change.entity_id,
        before,
        after,
        prev_hash: head.last_hash.clone(),
        hash: String::new(),
    };
    ev.hash = hash_event(&ev);
    let hash = ev.hash.clone();
    event::ActiveModel::from(ev).insert(tx).await?;
    head::ActiveModel { id: Set(1), seq: Set(seq), last_hash: Set(hash) }.update(tx).await?;
    Ok(seq)
}

/// The hash of one event: SHA-256 over the previous hash and every field, each length-prefixed
/// so that moving text between fields changes the hash.
pub fn hash_event(ev: &event::Model) -> String {
    let mut h = Sha256::new();
    let at = ev.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let user = ev.actor_user_id.map(|v| v.to_string()).unwrap_or_default();
    let party = ev.actor_party_id.map(|v| v.to_string()).unwrap_or_default();
    let id = ev.id.to_string();
    let fields: [Option<&str>; 10] = [
        Some(&ev.prev_hash),
        Some(&id),
        Some(&at),
        Some(&user),
        Some(&party),
        Some(&ev.action),
        Some(&ev.entity_type),
        Some(&ev.entity_id),
        ev.before.as_deref(),
        ev.after.as_deref(),
    ];
    for f in fields {
        match f {
            Some(s) => {
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    hex::encode(h.finalize())
}

/// The outcome of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub struct Verification {
    pub events: u64,
    pub head_hash: String,
    /// The first event that does not fit, and why.
    pub first_bad: Option<(i64, String)>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Recomputes every hash, checks the links and the sequence, and compares the end with the head.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    let head = head::Entity::find_by_id(1).one(db).await?.ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_id = 1i64;
    let mut count = 0u64;
    loop {
        let batch = event::Entity::find()
            .filter(event::Column::Id.gte(expected_id))
            .order_by_asc(event::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for ev in batch {
            if ev.id != expected_id {
                return Ok(bad(count, head, expected_id, format!("event {expected_id} is missing")));
            }
            if ev.prev_hash != expected_prev {
                return Ok(bad(count, head, ev.id, "its previous hash does not match the event before it".into()));
            }
            if hash_event(&ev) != ev.hash {
                return Ok(bad(count, head, ev.id, "its content does not match its hash".into()));
            }
            expected_prev = ev.hash;
            expected_id += 1;
            count += 1;
        }
    }
    if head.seq != expected_id - 1 || head.last_hash != expected_prev {
        let id = expected_id.min(head.seq.max(1));
        return Ok(bad(count, head, id, "the chain ends before the recorded head".into()));
    }
    Ok(Verification { events: count, head_hash: head.last_hash, first_bad: None })
}

fn bad(events: u64, head: head::Model, id: i64, why: String) -> Verification {
    Verification { events, head_hash: head.last_hash, first_bad: Some((id, why)) }
}
