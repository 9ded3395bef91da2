//! Demo data: a host organisation, two vendors and a client with users for every role, so a
//! first look at Accord has something in it. Idempotent: running it twice changes nothing.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::password,
    db,
    domain::{PartyKind, Role},
    error::AppResult,
    parties::{
        entity::{contact, party},
        service::{audit_json as party_json, new_party},
    },
    users::{
        entity::user,
        service::{audit_json as user_json, new_user},
    },
};

pub const DEMO_PASSWORD: &str = "accord-demo";

struct DemoParty {
    kind: PartyKind,
    name: &'static str,
    legal_name: &'static str,
    credit_code: &'static str,
    address: &'static str,
    website: &'static str,
    contact: (&'static str, &'static str, &'static str, &'static str),
    users: &'static [(&'static str, &'static str, &'static str, Option<&'static str>)],
}

const PARTIES: &[DemoParty] = &[
    DemoParty {
        kind: PartyKind::Host,
        name: "星河数字科技 Xinghe Digital",
        legal_name: "星河数字科技有限公司",
        credit_code: "91350100M000100Y43",
        address: "上海市浦东新区张江路 88 号",
        website: "https://xinghe.example",
        contact: ("周敏", "项目管理办公室主任", "pmo@xinghe.example", "021-5080 1234"),
        users: &[
            ("admin@xinghe.example", "王立 Wang Li", "admin", Some("zh-CN")),
            ("pm@xinghe.example", "陈静 Chen Jing", "pm", Some("zh-CN")),
            ("member@xinghe.example", "刘洋 Liu Yang", "member", Some("zh-CN")),
            ("approver@xinghe.example", "赵磊 Zhao Lei", "approver", Some("zh-CN")),
        ],
    },
    DemoParty {
        kind: PartyKind::Vendor,
        name: "云帆软件 Yunfan Software",
        legal_name: "杭州云帆软件有限公司",
        credit_code: "91110000600037341L",
        address: "杭州市西湖区文三路 259 号",
        website: "https://yunfan.example",
        contact: ("孙浩", "交付总监", "delivery@yunfan.example", "0571-8888 2020"),
        users: &[
            ("manager@yunfan.example", "孙浩 Sun Hao", "manager", Some("zh-CN")),
            ("dev@yunfan.example", "李娜 Li Na", "member", Some("zh-CN")),
        ],
    },
    DemoParty {
        kind: PartyKind::Vendor,
        name: "数智测试 Shuzhi QA",
        legal_name: "深圳数智测试技术有限公司",
        credit_code: "91440300708461136T",
        address: "深圳市南山区科技园南区 R2-B",
        website: "https://shuzhi.example",
        contact: ("Grace Lin", "Account manager", "grace@shuzhi.example", "0755-2666 0101"),
        users: &[
            ("manager@shuzhi.example", "Grace Lin", "manager", Some("en")),
            ("qa@shuzhi.example", "黄涛 Huang Tao", "member", Some("zh-CN")),
        ],
    },
    DemoParty {
        kind: PartyKind::Client,
        name: "华东物流集团 East China Logistics",
        legal_name: "华东物流集团股份有限公司",
        credit_code: "",
        address: "南京市建邺区江东中路 100 号",
        website: "https://hdlogistics.example",
        contact: ("吴倩", "信息中心经理", "it@hdlogistics.example", "025-8686 7000"),
        users: &[
            ("manager@hdlogistics.example", "吴倩 Wu Qian", "manager", Some("zh-CN")),
            ("member@hdlogistics.example", "郑凯 Zheng Kai", "member", Some("zh-CN")),
        ],
    },
];

pub struct Login {
    pub party: &'static str,
    pub email: &'static str,
    pub role: &'static str,
}

async fn ensure_party(tx: &DatabaseTransaction, state: &AppState, d: &DemoParty) -> AppResult<party::Model> {
    if let Some(p) = party::Entity::find().filter(party::Column::Name.eq(d.name)).one(tx).await? {
        return Ok(p);
    }
    // A host party may already exist from setup; the demo then uses it.
    if d.kind == PartyKind::Host
        && let Some(p) = party::Entity::find().filter(party::Column::Kind.eq("host")).one(tx).await?
    {
        return Ok(p);
    }
    let now = state.clock.now();
    let mut am = new_party(d.kind, d.name, d.legal_name, now);
    am.credit_code = Set(Some(d.credit_code.to_owned()).filter(|c| !c.is_empty()));
    am.address = Set(d.address.into());
    am.website = Set(d.website.into());
    am.phone = Set(d.contact.3.into());
    let p = am.insert(tx).await?;
    let (name, title, email, phone) = d.contact;
    contact::ActiveModel {
        party_id: Set(p.id),
        name: Set(name.into()),
        title: Set(title.into()),
        email: Set(email.into()),
        phone: Set(phone.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        now,
        Actor::SYSTEM,
        Change {
            action: "party.create",
            entity_type: "party",
            entity_id: p.id.to_string(),
            before: None,
            after: Some(party_json(&p)),
        },
    )
    .await?;
    Ok(p)
}

/// Whether the database holds accounts that are not demo accounts (a real installation).
async fn has_real_users(state: &AppState) -> AppResult<bool> {
    let demo: Vec<&str> = PARTIES.iter().flat_map(|p| p.users.iter().map(|u| u.0)).collect();
    Ok(user::Entity::find().filter(user::Column::Email.is_not_in(demo)).count(&state.db).await? > 0)
}

/// Creates whatever part of the demo is missing and returns every demo login. Refuses a
/// database with real accounts: the demo logins share a published password.
pub async fn seed(state: &AppState) -> AppResult<Vec<Login>> {
    if has_real_users(state).await? {
        return Err(crate::error::AppError::Conflict(crate::error::Msg::new("error-demo-real-data")));
    }
    let hash = password::hash(DEMO_PASSWORD).await?;
    let tx = db::begin_write(&state.db).await?;
    let mut logins = Vec::new();
    for d in PARTIES {
        let p = ensure_party(&tx, state, d).await?;
        for (email, name, role, locale) in d.users {
            logins.push(Login { party: d.name, email, role });
            if user::Entity::find().filter(user::Column::Email.eq(*email)).count(&tx).await? > 0 {
                continue;
            }
            let now = state.clock.now();
            let role = Role::parse(role).map_err(|_| anyhow::anyhow!("demo role {role}"))?;
            let mut u = new_user(p.id, (*email).into(), (*name).into(), role, Some(hash.clone()), now);
            u.locale = Set(locale.map(str::to_owned));
            let u = u.insert(&tx).await?;
            audit::record(
                &tx,
                now,
                Actor::SYSTEM,
                Change {
                    action: "user.create",
                    entity_type: "user",
                    entity_id: u.id.to_string(),
                    before: None,
                    after: Some(user_json(&u)),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    seed_engagement(state).await?;
    Ok(logins)
}

/// An outsourced app build: the host runs it, Yunfan delivers, East China Logistics receives.
async fn seed_engagement(state: &AppState) -> AppResult<()> {
    use crate::{
        auth::{Via, load_viewer},
        domain::Id,
        engagements::{entity::engagement, plan, service},
    };
    if engagement::Entity::find().filter(engagement::Column::Code.eq("XH-2026-001")).count(&state.db).await? > 0 {
        return Ok(());
    }
    let find = |email: &'static str| user::Entity::find().filter(user::Column::Email.eq(email)).one(&state.db);
    let (Some(admin), Some(pm)) = (find("admin@xinghe.example").await?, find("pm@xinghe.example").await?) else {
        return Ok(());
    };
    let Some(admin) = load_viewer(state, admin.id, Via::Token).await? else { return Ok(()) };
    let party = |name: &'static str| party::Entity::find().filter(party::Column::Name.eq(name)).one(&state.db);
    let (Some(vendor), Some(client)) = (party(PARTIES[1].name).await?, party(PARTIES[3].name).await?) else {
        return Ok(());
    };
    let input = service::EngagementInput {
        code: Some("XH-2026-001".into()),
        name: Some("华东物流 移动调度 App 外包开发".into()),
        kind: Some("outsourced_development".into()),
        start_date: Some("2026-10-08".into()),
        end_date: Some("2027-03-31".into()),
        description: Some(
            "为华东物流集团开发司机端与调度端 App；外包团队负责开发交付，星河数字负责项目管理与验收。".into(),
        ),
        owner_id: Some(Id(pm.id)),
        ..Default::default()
    };
    let e = service::create(state, &admin, input).await?;
    for (p, relation) in [(vendor.id, "vendor"), (client.id, "client")] {
        service::add_participant(
            state,
            &admin,
            e.id,
            service::ParticipantInput { party_id: Id(p), relation: relation.into() },
        )
        .await?;
    }
    let go_live = service::EngagementInput {
        state: Some("active".into()),
        state_reason: Some("合同已签署，需求已确认 / contract signed".into()),
        ..Default::default()
    };
    service::update(state, &admin, e.id, go_live).await?;
    for (name, due, visibility, owner) in [
        ("需求签署 Requirements signed", "2026-10-30", "participants", Some(client.id)),
        ("初验 Preliminary acceptance", "2027-01-15", "participants", Some(vendor.id)),
        ("终验 Final acceptance", "2027-03-20", "participants", Some(client.id)),
        ("预算复核 Budget review", "2026-12-20", "internal", None),
    ] {
        let input = plan::MilestoneInput {
            name: name.into(),
            due_date: due.into(),
            visibility: Some(visibility.into()),
            owner_party_id: owner.map(Id),
            ..Default::default()
        };
        plan::create_milestone(state, &admin, e.id, input).await?;
    }
    let task = |name: &str, start: &str, finish: &str, party: Option<i64>, parent: Option<i64>| plan::TaskInput {
        name: name.into(),
        start_date: start.into(),
        finish_date: finish.into(),
        party_id: party.map(Id),
        parent_id: parent.map(Id),
        ..Default::default()
    };
    let dev = plan::create_task(
        state,
        &admin,
        e.id,
        task("开发 Development", "2026-11-02", "2027-01-08", Some(vendor.id), None),
    )
    .await?;
    let mut ids = Vec::new();
    for (name, start, finish) in [
        ("司机端 App Driver app", "2026-11-02", "2026-12-18"),
        ("调度端 Web Dispatch console", "2026-11-16", "2027-01-08"),
        ("接口联调 API integration", "2026-12-14", "2027-01-08"),
    ] {
        ids.push(
            plan::create_task(state, &admin, e.id, task(name, start, finish, Some(vendor.id), Some(dev.id))).await?.id,
        );
    }
    let uat = task("验收测试准备 UAT preparation", "2026-12-21", "2027-01-12", None, None);
    let uat = plan::create_task(state, &admin, e.id, uat).await?;
    for (p, s, kind, lag) in [(ids[0], ids[2], "FS", -5), (ids[1], ids[2], "FF", 0), (ids[2], uat.id, "SS", 5)] {
        let input = crate::engagements::network::DependencyInput {
            predecessor_id: Id(p),
            successor_id: Id(s),
            kind: Some(kind.into()),
            lag_days: lag,
        };
        crate::engagements::network::add_dependency(state, &admin, e.id, input).await?;
    }
    let deliverable = crate::engagements::deliverables::DeliverableInput {
        name: "司机端 App 安装包与源代码 Driver app build and source".into(),
        due_date: "2027-01-08".into(),
        owner_party_id: Some(Id(vendor.id)),
        criteria: vec![
            "主流程（接单、导航、签收）全部用例通过 / all main-flow cases pass".into(),
            "安卓 10 及以上机型安装成功率 100% / installs on Android 10+".into(),
            "冷启动时间 < 2 秒 / cold start under 2 s".into(),
            "源代码与构建说明已移交 / source and build notes handed over".into(),
        ],
        ..Default::default()
    };
    crate::engagements::deliverables::create(state, &admin, e.id, deliverable).await?;
    Ok(())
}

pub fn print_logins(logins: &[Login]) {
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    for l in logins {
        println!("  {:<32} {:<9} {}", l.email, l.role, l.party);
    }
}

/// Inserts `n` members of a "Bench Vendor" party in batches; one audit event records the load.
pub async fn seed_bulk_users(state: &AppState, n: u32) -> AppResult<u32> {
    let hash = password::hash(DEMO_PASSWORD).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
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
