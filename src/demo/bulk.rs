//! Bulk data for benchmarks: many users, and many engagements with a million tasks.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::DEMO_PASSWORD;
use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::password,
    db,
    domain::{PartyKind, Role},
    error::AppResult,
    parties::{entity::party, service::new_party},
    users::{entity::user, service::new_user},
};

/// Inserts `n` members of a "Bench Vendor" party in batches; one audit event records the load.
pub async fn seed_bulk_users(state: &AppState, n: u32) -> AppResult<u32> {
    let hash = password::hash(DEMO_PASSWORD).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let vendor = match party::Entity::find().filter(party::Column::Name.eq("Bench Vendor")).one(&tx).await? {
        Some(p) => p,
        None => new_party(PartyKind::Vendor, "Bench Vendor", "Bench Vendor Ltd.", now).insert(&tx).await?,
    };
    let start = user::Entity::find().filter(user::Column::PartyId.eq(vendor.id)).count(&tx).await?;
    let ids: Vec<u64> = (start..start + u64::from(n)).collect();
    for chunk in ids.chunks(500) {
        let rows = chunk.iter().map(|i| {
            let email = format!("bench{i:06}@bench.example");
            new_user(vendor.id, email, format!("测试用户 Bench {i}"), Role::Member, Some(hash.clone()), now)
        });
        user::Entity::insert_many(rows).exec_without_returning(&tx).await?;
    }
    audit::record(
        &tx,
        now,
        Actor::SYSTEM,
        Change {
            action: "dev.seed_users",
            entity_type: "party",
            entity_id: vendor.id.to_string(),
            before: None,
            after: Some(json!({"users_added": n})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// What `accord dev seed --engagements` created.
#[derive(Debug, serde::Serialize)]
pub struct BulkPlan {
    pub engagements: u32,
    pub tasks: u64,
    /// The engagement with the most tasks (for Gantt measurements).
    pub largest_engagement_id: i64,
    /// Its tasks are `first_task_id ..` (one in ten of them internal).
    pub first_task_id: i64,
    pub last_engagement_id: i64,
}

const VERBS: [&str; 10] = ["设计", "开发", "测试", "联调", "评审", "部署", "优化", "编写", "验证", "迁移"];
const NOUNS: [&str; 20] = [
    "接口",
    "订单模块",
    "支付网关",
    "报表",
    "权限体系",
    "消息推送",
    "司机端",
    "调度台",
    "结算服务",
    "地图服务",
    "数据同步",
    "日志平台",
    "告警规则",
    "用户中心",
    "库存服务",
    "发票服务",
    "签收流程",
    "运单追踪",
    "客服工单",
    "配置中心",
];

/// Inserts `engagements` engagements of `tasks_per` tasks each (the first one gets `first_tasks`,
/// with a chain of dependencies) for benchmarks, with plain multi-row INSERTs: a "Bench Vendor"
/// takes part in all of them, a "Bench Client" in every other one; tasks are shared with
/// everyone (60 %), with the vendor only (30 %) or internal (10 %), and indexed for search; and
/// what the portfolio board reads of each (`bulk_monitoring`).
pub async fn seed_bulk_plan(
    state: &AppState,
    engagements: u32,
    tasks_per: u32,
    first_tasks: u32,
) -> AppResult<BulkPlan> {
    use crate::engagements::entity::engagement;
    use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect};
    let now = state.clock.now();
    let ts = now.format("%Y-%m-%d %H:%M:%S%.6f+00:00").to_string();
    let tx = db::begin_write(&state.writer).await?;
    let party_of = |kind: PartyKind, name: &'static str| {
        let tx = &tx;
        async move {
            Ok::<_, crate::error::AppError>(
                match party::Entity::find().filter(party::Column::Name.eq(name)).one(tx).await? {
                    Some(p) => p,
                    None => new_party(kind, name, name, now).insert(tx).await?,
                },
            )
        }
    };
    let postgres = state.db.get_database_backend() == sea_orm::DbBackend::Postgres;
    if postgres {
        // Building the trigram index once at the end is several times faster than keeping it
        // up to date through a million inserts.
        tx.execute_unprepared("DROP INDEX IF EXISTS ix_search_entries_trgm").await?;
        // The rows are consistent by construction; checking five foreign keys per task row one
        // by one costs most of the seeding time. Only a superuser may skip them (replica role
        // disables the checking triggers for this transaction).
        let superuser = tx
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            ))
            .await?
            .map(|r| r.try_get_by_index::<bool>(0))
            .transpose()?
            .unwrap_or(false);
        if superuser {
            tx.execute_unprepared("SET LOCAL session_replication_role = replica").await?;
        }
    }
    let vendor = party_of(PartyKind::Vendor, "Bench Vendor").await?;
    let client = party_of(PartyKind::Client, "Bench Client").await?;
    let first_id: i64 = engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Id)
        .order_by_desc(engagement::Column::Id)
        .into_tuple::<i64>()
        .one(&tx)
        .await?
        .unwrap_or(0)
        + 1;
    let run = first_id; // keeps codes unique when run again
    let exec = |sql: String| {
        let tx = &tx;
        async move { tx.execute_unprepared(&sql).await.map(|_| ()) }
    };
    let mut rows = Vec::new();
    for i in 0..i64::from(engagements) {
        let id = first_id + i;
        let state_name = if i % 10 == 9 { "closed" } else { "active" };
        let health = ["green", "green", "amber", "red"][(i % 4) as usize];
        rows.push(format!(
            "({id}, 'BENCH-{run}-{i:04}', '基准项目 Bench engagement {i}', 'outsourced_development', '{state_name}', \
             '{health}', '2026-01-05', '2027-06-30', '', NULL, '{ts}', '{ts}', {auto})",
            auto = if i % 2 == 0 { "true" } else { "false" }
        ));
    }
    for chunk in rows.chunks(500) {
        exec(format!(
            "INSERT INTO engagements (id, code, name, kind, state, health, start_date, end_date, description, \
             owner_id, created_at, updated_at, health_auto) VALUES {}",
            chunk.join(",")
        ))
        .await?;
    }
    let mut parts = Vec::new();
    let mut entries = Vec::new();
    for i in 0..i64::from(engagements) {
        let id = first_id + i;
        parts.push(format!("({id}, {}, 'vendor', '{ts}')", vendor.id));
        if i % 2 == 0 {
            parts.push(format!("({id}, {}, 'client', '{ts}')", client.id));
        }
        entries.push(format!(
            "('engagement', {id}, {id}, 'participants', NULL, '基准项目 Bench engagement {i}', \
             '基准项目 bench engagement {i} bench-{run}-{i:04}')"
        ));
    }
    for chunk in parts.chunks(1000) {
        exec(format!(
            "INSERT INTO engagement_participants (engagement_id, party_id, relation, created_at) VALUES {}",
            chunk.join(",")
        ))
        .await?;
    }
    for chunk in entries.chunks(1000) {
        exec(format!(
            "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
             VALUES {}",
            chunk.join(",")
        ))
        .await?;
    }
    // Tasks: ids are assigned here so the search entries can point at them.
    let task_base: i64 = {
        use crate::engagements::entity::task;
        task::Entity::find()
            .select_only()
            .column(task::Column::Id)
            .order_by_desc(task::Column::Id)
            .into_tuple::<i64>()
            .one(&tx)
            .await?
            .unwrap_or(0)
            + 1
    };
    let task_run = TaskRun { first_id, task_base, engagements, tasks_per, first_tasks, vendor: vendor.id };
    let total =
        if postgres { seed_tasks_pg(&tx, task_run, &ts).await? } else { seed_tasks_rows(&tx, task_run, &ts).await? };
    // A chain of finish-to-start dependencies through the first engagement's tasks.
    let deps: Vec<String> = (0..i64::from(first_tasks.saturating_sub(1)))
        .step_by(2)
        .map(|k| format!("({first_id}, {}, {}, 'FS', 0, '{ts}')", task_base + k, task_base + k + 1))
        .collect();
    for chunk in deps.chunks(1000) {
        exec(format!(
            "INSERT INTO task_dependencies (engagement_id, predecessor_id, successor_id, kind, lag_days, created_at) \
             VALUES {}",
            chunk.join(",")
        ))
        .await?;
    }
    let host_user: Option<(i64, i64)> = user::Entity::find()
        .find_also_related(party::Entity)
        .filter(party::Column::Kind.eq(PartyKind::Host.as_str()))
        .one(&tx)
        .await?
        .and_then(|(u, p)| p.map(|p| (u.id, p.id)));
    if let Some((host_user, host)) = host_user {
        let run = super::bulk_monitoring::Run { first_id, engagements, host_user, host, vendor: vendor.id, now };
        super::bulk_monitoring::seed(&tx, &run).await?;
    }
    if postgres {
        tx.execute_unprepared("SET LOCAL maintenance_work_mem = '256MB'").await?;
        tx.execute_unprepared(
            "CREATE INDEX ix_search_entries_trgm ON search_entries USING gin (content public.gin_trgm_ops)",
        )
        .await?;
        // The replica role also skipped the triggers that keep `search_recent` in step: refill it.
        exec("DELETE FROM search_recent".to_owned()).await?;
        exec(
            "INSERT INTO search_recent SELECT * FROM search_entries \
             WHERE id > (SELECT coalesce(max(id), 0) - 20000 FROM search_entries)"
                .to_owned(),
        )
        .await?;
        // Ids were given explicitly: move the sequences past them.
        for (table, col) in [("engagements", "id"), ("tasks", "id")] {
            exec(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{col}'), (SELECT MAX({col}) FROM {table}))"
            ))
            .await?;
        }
    }
    audit::record(
        &tx,
        now,
        Actor::SYSTEM,
        Change {
            action: "dev.seed_users",
            entity_type: "party",
            entity_id: vendor.id.to_string(),
            before: None,
            after: Some(json!({"engagements_added": engagements, "tasks_added": total})),
        },
    )
    .await?;
    tx.commit().await?;
    for table in [
        "engagements",
        "engagement_participants",
        "tasks",
        "task_dependencies",
        "search_entries",
        "risks",
        "issues",
        "warnings",
        "evm_snapshots",
    ] {
        state.writer.execute_unprepared(&format!("ANALYZE {table}")).await?;
    }
    if postgres {
        state.writer.execute_unprepared("ANALYZE search_recent").await?;
    }
    if !postgres {
        // Keep the row counts (sqlite_stat1), drop the value samples: with samples, SQLite
        // re-prepares every statement that compares an indexed column with a bound value each
        // time it runs, which a database Accord created never has (it does not ANALYZE).
        let has_samples = state
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'",
            ))
            .await?
            .is_some();
        if has_samples {
            state.writer.execute_unprepared("DELETE FROM sqlite_stat4").await?;
        }
    }
    Ok(BulkPlan {
        engagements,
        tasks: total,
        largest_engagement_id: first_id,
        first_task_id: task_base,
        last_engagement_id: first_id + i64::from(engagements) - 1,
    })
}

/// Where the bench tasks go: engagements `first_id ..`, task ids from `task_base`.
#[derive(Clone, Copy)]
struct TaskRun {
    first_id: i64,
    task_base: i64,
    engagements: u32,
    tasks_per: u32,
    first_tasks: u32,
    vendor: i64,
}

/// The tasks as multi-row INSERTs built here (SQLite: the statements are parsed in-process).
async fn seed_tasks_rows(tx: &DatabaseTransaction, run: TaskRun, ts: &str) -> AppResult<u64> {
    let TaskRun { first_id, task_base, engagements, tasks_per, first_tasks, vendor } = run;
    let mut next_task = task_base;
    let mut total: u64 = 0;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let mut task_rows = Vec::with_capacity(1000);
    let mut entry_rows = Vec::with_capacity(1000);
    for i in 0..i64::from(engagements) {
        let eid = first_id + i;
        let n = if i == 0 { first_tasks } else { tasks_per };
        for k in 0..i64::from(n) {
            let id = next_task;
            next_task += 1;
            let (visibility, visible) = match k % 10 {
                0 => ("internal", "NULL".to_owned()),
                1..=3 => ("party", vendor.to_string()),
                _ => ("participants", "NULL".to_owned()),
            };
            let name = format!("{}{} #{k}", VERBS[(k % 10) as usize], NOUNS[((k / 10) % 20) as usize]);
            let s = start + chrono::Duration::days((k * 3) % 500);
            let f = s + chrono::Duration::days(2 + k % 12);
            let progress = (k * 37) % 101;
            let status = match progress {
                100 => "done",
                0 => "todo",
                _ => "in_progress",
            };
            task_rows.push(format!(
                "({id}, {eid}, NULL, '{name}', '{s}', '{f}', NULL, {party}, {progress}, '{status}', '{visibility}', \
                 {visible}, '{ts}', '{ts}')",
                party = if visibility == "party" { vendor.to_string() } else { "NULL".into() }
            ));
            entry_rows.push(format!("('task', {id}, {eid}, '{visibility}', {visible}, '{name}', '{name}')"));
            total += 1;
            if task_rows.len() == 1000 {
                flush_tasks(tx, &mut task_rows, &mut entry_rows).await?;
            }
        }
        flush_tasks(tx, &mut task_rows, &mut entry_rows).await?;
    }
    Ok(total)
}

/// The same tasks generated inside PostgreSQL by `generate_series`: sending a million rows as
/// statement text costs PostgreSQL most of its time in parsing.
async fn seed_tasks_pg(tx: &DatabaseTransaction, run: TaskRun, ts: &str) -> AppResult<u64> {
    use sea_orm::ConnectionTrait;
    let TaskRun { first_id, task_base, engagements, tasks_per, first_tasks, vendor } = run;
    let list = |words: &[&str]| words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(",");
    let (verbs, nouns) = (list(&VERBS), list(&NOUNS));
    let rest = i64::from(engagements.saturating_sub(1));
    tx.execute_unprepared(&format!(
        "INSERT INTO tasks (id, engagement_id, parent_id, name, start_date, finish_date, assignee_id, party_id, \
         progress, status, visibility, visible_party_id, created_at, updated_at) \
         SELECT t.id, t.eid, NULL, (ARRAY[{verbs}])[t.k % 10 + 1] || (ARRAY[{nouns}])[(t.k / 10) % 20 + 1] || ' #' || t.k, \
           DATE '2026-01-05' + ((t.k * 3) % 500)::int, DATE '2026-01-05' + ((t.k * 3) % 500 + 2 + t.k % 12)::int, NULL, \
           CASE WHEN t.k % 10 BETWEEN 1 AND 3 THEN {vendor} END, (t.k * 37) % 101, \
           CASE (t.k * 37) % 101 WHEN 100 THEN 'done' WHEN 0 THEN 'todo' ELSE 'in_progress' END, \
           CASE WHEN t.k % 10 = 0 THEN 'internal' WHEN t.k % 10 <= 3 THEN 'party' ELSE 'participants' END, \
           CASE WHEN t.k % 10 BETWEEN 1 AND 3 THEN {vendor} END, '{ts}', '{ts}' \
         FROM (SELECT {task_base} + k AS id, {first_id}::bigint AS eid, k FROM generate_series(0::bigint, {last_first}) k \
               UNION ALL \
               SELECT {task_base} + {first_tasks} + (e - 1) * {tasks_per} + k, {first_id} + e, k \
               FROM generate_series(1::bigint, {rest}) e, generate_series(0::bigint, {last_per}) k) t \
         ORDER BY t.id",
        last_first = i64::from(first_tasks) - 1,
        last_per = i64::from(tasks_per) - 1,
    ))
    .await?;
    let inserted = tx
        .execute_unprepared(&format!(
            "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
             SELECT 'task', id, engagement_id, visibility, visible_party_id, name, lower(name) FROM tasks \
             WHERE id >= {task_base} ORDER BY id"
        ))
        .await?
        .rows_affected();
    Ok(inserted)
}

async fn flush_tasks(tx: &DatabaseTransaction, tasks: &mut Vec<String>, entries: &mut Vec<String>) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    if tasks.is_empty() {
        return Ok(());
    }
    tx.execute_unprepared(&format!(
        "INSERT INTO tasks (id, engagement_id, parent_id, name, start_date, finish_date, assignee_id, party_id, \
         progress, status, visibility, visible_party_id, created_at, updated_at) VALUES {}",
        tasks.join(",")
    ))
    .await?;
    tx.execute_unprepared(&format!(
        "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, visible_party_id, title, content) \
         VALUES {}",
        entries.join(",")
    ))
    .await?;
    tasks.clear();
    entries.clear();
    Ok(())
}
