//! The audit chain: every write appends an event in its own transaction, and a sealer links
//! committed events into one chain afterwards: each sealed event's hash covers the previous hash,
//! its place in the chain and its content, so an edited, removed, reordered or cut-off sealed
//! event breaks the chain.
//!
//! Writes take no chain lock: an event gets its id when written (a sequence on PostgreSQL) and its
//! place (`seq`) when sealed, in the order the sealer finds it committed. Every instance seals about
//! once a second, taking turns on the head row; `verify` seals what is pending before it walks.
//! The price: an event removed in the moment between its commit and its sealing leaves no trace
//! (docs/dev/audit-chain.md).

pub mod entity;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, LockBehavior, LockType, Query},
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::db;
use entity::{event, head};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Events linked per sealing transaction.
const SEAL_BATCH: u64 = 500;

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

/// Writes `change` as an event inside `tx` (one statement, no lock) and returns its id. It joins
/// the chain when the sealer finds it committed; if `tx` rolls back, it never existed.
pub async fn record(
    tx: &DatabaseTransaction,
    at: DateTime<Utc>,
    actor: Actor,
    change: Change<'_>,
) -> Result<i64, DbErr> {
    let backend = tx.get_database_backend();
    let insert = Query::insert()
        .into_table(event::Entity)
        .columns([
            event::Column::Id,
            event::Column::At,
            event::Column::ActorUserId,
            event::Column::ActorPartyId,
            event::Column::Action,
            event::Column::EntityType,
            event::Column::EntityId,
            event::Column::Before,
            event::Column::After,
            event::Column::PrevHash,
            event::Column::Hash,
        ])
        .values_panic([
            Expr::cust(db::next_id(backend, "audit_events")),
            Expr::val(at),
            Expr::val(actor.user_id),
            Expr::val(actor.party_id),
            Expr::val(change.action),
            Expr::val(change.entity_type),
            Expr::val(change.entity_id),
            Expr::val(change.before.map(|v| v.to_string())),
            Expr::val(change.after.map(|v| v.to_string())),
            Expr::val(""),
            Expr::val(""),
        ])
        .returning_col(event::Column::Id)
        .to_owned();
    let row = tx.query_one(&insert).await?.ok_or_else(|| DbErr::RecordNotInserted)?;
    row.try_get_by_index(0)
}

/// Links the committed events that are not in the chain yet, lowest id first, in batches under
/// the head row's lock. Returns how many it sealed. With `wait: false` an instance that finds
/// another one sealing leaves the work to it (PostgreSQL's `SKIP LOCKED`).
pub async fn seal(writer: &DatabaseConnection, wait: bool) -> Result<u64, DbErr> {
    let mut sealed = 0;
    loop {
        let tx = db::begin_write_in(writer, db::WriteScope::Rows).await?;
        let select = head::Entity::find_by_id(1);
        let select = if wait {
            select.lock(LockType::Update)
        } else {
            select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        };
        let Some(h) = select.one(&tx).await? else {
            // Another instance holds the head: it seals what is pending.
            return Ok(sealed);
        };
        let batch = event::Entity::find()
            .filter(event::Column::Seq.is_null())
            .order_by_asc(event::Column::Id)
            .limit(SEAL_BATCH)
            .all(&tx)
            .await?;
        let n = batch.len() as u64;
        if n == 0 {
            return Ok(sealed);
        }
        let (mut seq, mut prev) = (h.seq, h.last_hash);
        for mut ev in batch {
            seq += 1;
            ev.seq = Some(seq);
            ev.prev_hash = prev;
            ev.hash = hash_event(&ev);
            prev = ev.hash.clone();
            event::Entity::update_many()
                .col_expr(event::Column::Seq, Expr::val(seq))
                .col_expr(event::Column::PrevHash, Expr::val(ev.prev_hash))
                .col_expr(event::Column::Hash, Expr::val(ev.hash))
                .filter(event::Column::Id.eq(ev.id))
                .exec(&tx)
                .await?;
        }
        head::ActiveModel { id: Set(1), seq: Set(seq), last_hash: Set(prev) }.update(&tx).await?;
        tx.commit().await?;
        sealed += n;
        if n < SEAL_BATCH {
            return Ok(sealed);
        }
    }
}

/// Seals about once a second until `shutdown`, in every instance (they take turns). It looks
/// through `reader` first, so a quiet second does not take SQLite's one write connection.
pub fn spawn_sealer(
    writer: DatabaseConnection,
    reader: DatabaseConnection,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = interval.tick() => {
                    if let Err(e) = seal_pending(&writer, &reader).await {
                        tracing::warn!(error = %e, "sealing the audit chain failed");
                    }
                }
            }
        }
        // What committed before shutdown goes into the chain now rather than at the next start.
        if let Err(e) = seal(&writer, false).await {
            tracing::warn!(error = %e, "sealing the audit chain failed");
        }
    })
}

/// `seal` when `reader` sees an event waiting.
async fn seal_pending(writer: &DatabaseConnection, reader: &DatabaseConnection) -> Result<u64, DbErr> {
    let waiting = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::Seq.is_null())
        .limit(1)
        .into_tuple::<i64>()
        .all(reader)
        .await?;
    if waiting.is_empty() { Ok(0) } else { seal(writer, false).await }
}

/// The hash of one event: SHA-256 over the previous hash and every field, each length-prefixed
/// so that moving text between fields changes the hash.
pub fn hash_event(ev: &event::Model) -> String {
    let mut h = Sha256::new();
    let at = ev.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let user = ev.actor_user_id.map(|v| v.to_string()).unwrap_or_default();
    let party = ev.actor_party_id.map(|v| v.to_string()).unwrap_or_default();
    // The place in the chain (rows chained before sealing existed have seq = id).
    let seq = ev.seq.map(|v| v.to_string()).unwrap_or_default();
    let fields: [Option<&str>; 10] = [
        Some(&ev.prev_hash),
        Some(&seq),
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
    /// Sealed events walked.
    pub events: u64,
    /// Events not sealed when the walk began.
    pub pending: u64,
    pub head_hash: String,
    /// The place in the chain (`seq`) of the first event that does not fit, and why.
    pub first_bad: Option<(i64, String)>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Seals what is pending through `writer`, then walks the chain (`check`) through `reader`.
pub async fn verify(writer: &DatabaseConnection, reader: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    seal(writer, true).await?;
    check(reader).await
}

/// Recomputes every sealed event's hash, checks the links and that no place in the chain is
/// missing, and compares the end with the head.
pub async fn check(db: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    let head = head::Entity::find_by_id(1).one(db).await?.ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_seq = 1i64;
    let mut count = 0u64;
    let pending = event::Entity::find().filter(event::Column::Seq.is_null()).count(db).await?;
    let bad = |events: u64, seq: i64, why: String| Verification {
        events,
        pending,
        head_hash: head.last_hash.clone(),
        first_bad: Some((seq, why)),
    };
    loop {
        // Up to the head as read: events a sealer links during the walk lie beyond it.
        let batch = event::Entity::find()
            .filter(event::Column::Seq.gte(expected_seq))
            .filter(event::Column::Seq.lte(head.seq))
            .order_by_asc(event::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for ev in batch {
            if ev.seq != Some(expected_seq) {
                return Ok(bad(count, expected_seq, format!("event {expected_seq} of the chain is missing")));
            }
            if ev.prev_hash != expected_prev {
                return Ok(bad(count, expected_seq, "its previous hash does not match the event before it".into()));
            }
            if hash_event(&ev) != ev.hash {
                return Ok(bad(count, expected_seq, "its content does not match its hash".into()));
            }
            expected_prev = ev.hash;
            expected_seq += 1;
            count += 1;
        }
    }
    if head.seq != expected_seq - 1 || head.last_hash != expected_prev {
        let seq = expected_seq.min(head.seq.max(1));
        return Ok(bad(count, seq, "the chain ends before the recorded head".into()));
    }
    Ok(Verification { events: count, pending, head_hash: head.last_hash, first_bad: None })
}
