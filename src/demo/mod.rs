//! Demo data: a host organisation, two vendors and a client with users for every role, so a
//! first look at Accord has something in it. Idempotent: running it twice changes nothing.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set};

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

mod bulk;
mod bulk_monitoring;
mod bulk_vendors;
mod changes;
mod contracts;
mod costs;
mod engagements;
mod requirements;
mod risks;
mod vendors;

pub use bulk::{BulkPlan, seed_bulk_plan, seed_bulk_users};
pub use bulk_vendors::{BulkVendors, seed_bulk_vendors};
use engagements::{demo_viewer, seed_after_sales, seed_engagement, seed_vendor_delivery};

pub const DEMO_PASSWORD: &str = "accord-demo";

/// The day the demo's story is told from (the test suite's clock stands on it too).
const STORY_DAY: (i32, u32, u32) = (2026, 11, 23);

/// The demo's calendar. Its dates are written as on [`STORY_DAY`]; seeded on another day, each
/// moves by as many days, so that the demo's "today" is the day it is generated and the same
/// things are done, due and late whenever someone tries it.
#[derive(Clone, Copy)]
struct Story {
    shift: chrono::Duration,
}

impl Story {
    fn of(state: &AppState) -> Self {
        let (y, m, d) = STORY_DAY;
        let told = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        Self { shift: state.today() - told }
    }

    /// A date of the story (`YYYY-MM-DD`), moved to today's world.
    fn date(self, told: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(told, "%Y-%m-%d").unwrap_or_default() + self.shift
    }

    /// The same, as a form or API field takes it.
    fn on(self, told: &str) -> String {
        self.date(told).to_string()
    }
}

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

/// A demo login of party `party_id`, unless its e-mail exists already.
async fn insert_user(
    tx: &DatabaseTransaction,
    state: &AppState,
    party_id: i64,
    (email, name, role, locale): (&str, &str, &str, Option<&str>),
    hash: &str,
) -> AppResult<()> {
    if user::Entity::find().filter(user::Column::Email.eq(email)).count(tx).await? > 0 {
        return Ok(());
    }
    let now = state.clock.now();
    let role = Role::parse(role).map_err(|_| anyhow::anyhow!("demo role {role}"))?;
    let mut u = new_user(party_id, email.into(), name.into(), role, Some(hash.to_owned()), now);
    u.locale = Set(locale.map(str::to_owned));
    let u = u.insert(tx).await?;
    let change = Change {
        action: "user.create",
        entity_type: "user",
        entity_id: u.id.to_string(),
        before: None,
        after: Some(user_json(&u)),
    };
    audit::record(tx, now, Actor::SYSTEM, change).await?;
    Ok(())
}

/// [`insert_user`] in a transaction of its own.
async fn ensure_user(
    state: &AppState,
    party_id: i64,
    user: (&str, &str, &str, Option<&str>),
    hash: &str,
) -> AppResult<()> {
    let tx = db::begin_write(&state.writer).await?;
    insert_user(&tx, state, party_id, user, hash).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the database holds accounts that are not demo accounts (a real installation).
async fn has_real_users(state: &AppState) -> AppResult<bool> {
    let demo: Vec<&str> =
        PARTIES.iter().flat_map(|p| p.users.iter().map(|u| u.0)).chain(vendors::USERS.iter().map(|u| u.1)).collect();
    Ok(user::Entity::find().filter(user::Column::Email.is_not_in(demo)).count(&state.db).await? > 0)
}

/// How much of the demo to create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extent {
    /// Parties, people and the first engagement's plan: the stable ground tests stand on.
    Plan,
    /// Everything: three engagements with comments, documents and notifications.
    Full,
}

/// Creates whatever part of the full demo is missing and returns every demo login.
pub async fn seed(state: &AppState) -> AppResult<Vec<Login>> {
    seed_to(state, Extent::Full).await
}

/// Creates whatever part of the demo is missing, up to `extent`. Refuses a database with
/// real accounts: the demo logins share a published password.
pub async fn seed_to(state: &AppState, extent: Extent) -> AppResult<Vec<Login>> {
    if has_real_users(state).await? {
        return Err(crate::error::AppError::Conflict(crate::error::Msg::new("error-demo-real-data")));
    }
    let hash = password::hash(DEMO_PASSWORD).await?;
    let tx = db::begin_write(&state.writer).await?;
    let mut logins = Vec::new();
    for d in PARTIES {
        let p = ensure_party(&tx, state, d).await?;
        for (email, name, role, locale) in d.users {
            logins.push(Login { party: d.name, email, role });
            insert_user(&tx, state, p.id, (email, name, role, *locale), &hash).await?;
        }
    }
    tx.commit().await?;
    seed_engagement(state, extent).await?;
    if extent == Extent::Full {
        let admin = demo_viewer(state, "admin@xinghe.example").await?;
        seed_vendor_delivery(state, &admin).await?;
        seed_after_sales(state, &admin).await?;
        requirements::seed_requirements(state).await?;
        changes::seed_changes(state).await?;
        risks::seed_risks(state).await?;
        costs::seed_costs(state).await?;
        contracts::seed_contracts(state).await?;
        vendors::seed_vendors(state, &hash).await?;
        logins.extend(vendors::USERS.iter().map(|(party, email, _, role)| Login { party, email, role }));
    }
    Ok(logins)
}

pub fn print_logins(logins: &[Login]) {
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    for l in logins {
        println!("  {:<32} {:<9} {}", l.email, l.role, l.party);
    }
}
