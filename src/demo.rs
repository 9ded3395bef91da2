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
    seed_engagement(state, extent).await?;
    if extent == Extent::Full {
        let admin = demo_viewer(state, "admin@xinghe.example").await?;
        seed_vendor_delivery(state, &admin).await?;
        seed_after_sales(state, &admin).await?;
    }
    Ok(logins)
}

/// An outsourced app build: the host runs it, Yunfan delivers, East China Logistics receives.
async fn seed_engagement(state: &AppState, extent: Extent) -> AppResult<()> {
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
        let m = plan::create_milestone(state, &admin, e.id, input).await?;
        if due < "2026-11-01" {
            let done = plan::MilestonePatch { status: Some("achieved".into()), ..Default::default() };
            plan::update_milestone(state, &admin, e.id, m.id, done).await?;
        }
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
    let d = crate::engagements::deliverables::create(state, &admin, e.id, deliverable).await?;
    if extent == Extent::Plan {
        return Ok(());
    }
    // The conversation so far, and the files both sides work from.
    let pm = load_viewer(state, pm.id, Via::Token).await?.ok_or(crate::error::AppError::NotFound)?;
    let dev_user = find("dev@yunfan.example").await?.ok_or(crate::error::AppError::NotFound)?;
    let dev_viewer = load_viewer(state, dev_user.id, Via::Token).await?.ok_or(crate::error::AppError::NotFound)?;
    let driver = crate::collab::subject(state, &pm, e.id, crate::collab::SubjectKind::Task, ids[0]).await?;
    comment(
        state,
        &pm,
        &driver,
        "@李娜 司机端签收流程需要支持离线拍照，请评估工作量。Please estimate offline photo capture.",
    )
    .await?;
    comment(
        state,
        &dev_viewer,
        &driver,
        "已评估：离线拍照约 3 人天，不影响初验日期。About 3 days; the UAT date holds.",
    )
    .await?;
    document(
        state,
        &dev_viewer,
        e.id,
        Some(&driver),
        "司机端接口清单 Driver API list.csv",
        "接口,方法,状态\n/orders,GET,完成\n/orders/{id}/sign,POST,开发中\n",
    )
    .await?;
    let build = crate::collab::subject(state, &pm, e.id, crate::collab::SubjectKind::Deliverable, d.id).await?;
    comment(state, &pm, &build, "验收标准已与客户确认，初验按此清单逐项检查。Criteria confirmed with the client.")
        .await?;
    document(
        state,
        &pm,
        e.id,
        None,
        "项目章程 Project charter.md",
        "# 项目章程\n\n目标：2027 年 3 月上线司机端与调度端。\nGoal: go live in March 2027.\n",
    )
    .await?;
    Ok(())
}

async fn comment(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    subject: &crate::collab::Subject,
    body: &str,
) -> AppResult<()> {
    crate::collab::comments::create(
        state,
        viewer,
        subject,
        crate::collab::comments::CommentInput { body: body.into() },
    )
    .await?;
    Ok(())
}

async fn document(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    engagement_id: i64,
    subject: Option<&crate::collab::Subject>,
    name: &str,
    text: &str,
) -> AppResult<()> {
    let input = crate::documents::service::DocumentInput {
        subject_kind: subject.map(|s| s.kind.as_str().to_owned()),
        subject_id: subject.map(|s| crate::domain::Id(s.id)),
        visibility: subject.is_none().then(|| "participants".to_owned()),
        ..Default::default()
    };
    let file = crate::documents::Upload { file_name: name.into(), bytes: text.as_bytes().to_vec() };
    crate::documents::service::create(state, viewer, engagement_id, input, Some(file)).await?;
    Ok(())
}

/// The host's viewer of a demo user.
async fn demo_viewer(state: &AppState, email: &str) -> AppResult<crate::auth::Viewer> {
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&state.db)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    crate::auth::load_viewer(state, u.id, crate::auth::Via::Token).await?.ok_or(crate::error::AppError::NotFound)
}

/// A new engagement with its parties, moved to `active`; none when the code exists already.
async fn demo_engagement(
    state: &AppState,
    admin: &crate::auth::Viewer,
    input: crate::engagements::service::EngagementInput,
    parties: &[(&str, &str)],
) -> AppResult<Option<i64>> {
    use crate::{
        domain::Id,
        engagements::{entity::engagement, service},
    };
    let code = input.code.clone().unwrap_or_default();
    if engagement::Entity::find().filter(engagement::Column::Code.eq(code)).count(&state.db).await? > 0 {
        return Ok(None);
    }
    let e = service::create(state, admin, input).await?;
    for (name, relation) in parties {
        let Some(p) = party::Entity::find().filter(party::Column::Name.eq(*name)).one(&state.db).await? else {
            continue;
        };
        let input = service::ParticipantInput { party_id: Id(p.id), relation: (*relation).into() };
        service::add_participant(state, admin, e.id, input).await?;
    }
    let go = service::EngagementInput {
        state: Some("active".into()),
        state_reason: Some("启动会已召开 / kick-off held".into()),
        ..Default::default()
    };
    service::update(state, admin, e.id, go).await?;
    Ok(Some(e.id))
}

fn demo_task(
    name: &str,
    start: &str,
    finish: &str,
    party: Option<i64>,
    assignee: Option<i64>,
) -> crate::engagements::plan::TaskInput {
    crate::engagements::plan::TaskInput {
        name: name.into(),
        start_date: start.into(),
        finish_date: finish.into(),
        party_id: party.map(crate::domain::Id),
        assignee_id: assignee.map(crate::domain::Id),
        ..Default::default()
    }
}

/// A vendor delivering to the host: Shuzhi builds a monitoring platform for Xinghe's own use.
async fn seed_vendor_delivery(state: &AppState, admin: &crate::auth::Viewer) -> AppResult<()> {
    use crate::{
        domain::Id,
        engagements::{deliverables, plan, service},
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    let input = service::EngagementInput {
        code: Some("XH-2026-002".into()),
        name: Some("数据中台监控平台采购交付 Monitoring platform delivery".into()),
        kind: Some("vendor_delivery".into()),
        start_date: Some("2026-09-01".into()),
        end_date: Some("2027-02-28".into()),
        description: Some(
            "数智科技交付监控平台（软件 + 实施），星河数字内部使用。Shuzhi delivers and installs a monitoring platform for Xinghe's own operations.".into(),
        ),
        owner_id: Some(Id(pm.user.id)),
        ..Default::default()
    };
    let Some(id) = demo_engagement(state, admin, input, &[(PARTIES[2].name, "vendor")]).await? else { return Ok(()) };
    let vendor =
        party::Entity::find().filter(party::Column::Name.eq(PARTIES[2].name)).one(&state.db).await?.map(|p| p.id);
    let qa = demo_viewer(state, "qa@shuzhi.example").await?;
    let grace = demo_viewer(state, "manager@shuzhi.example").await?;
    for (name, due, status) in [
        ("到货验收 Delivery check", "2026-10-15", Some("achieved")),
        ("安装部署完成 Installed", "2026-11-30", None),
        ("终验 Final acceptance", "2027-02-15", None),
    ] {
        let m = plan::create_milestone(
            state,
            admin,
            id,
            plan::MilestoneInput {
                name: name.into(),
                due_date: due.into(),
                owner_party_id: vendor.map(Id),
                ..Default::default()
            },
        )
        .await?;
        if let Some(s) = status {
            let patch = plan::MilestonePatch { status: Some(s.into()), ..Default::default() };
            plan::update_milestone(state, admin, id, m.id, patch).await?;
        }
    }
    let install = plan::create_task(
        state,
        admin,
        id,
        demo_task("生产环境安装 Production install", "2026-11-02", "2026-11-27", vendor, Some(qa.user.id)),
    )
    .await?;
    let progress = plan::TaskPatch { progress: Some(60), status: Some("in_progress".into()), ..Default::default() };
    plan::update_task(state, &qa, id, install.id, progress).await?;
    plan::create_task(
        state,
        admin,
        id,
        demo_task("告警规则配置 Alert rules", "2026-11-23", "2026-12-11", vendor, None),
    )
    .await?;
    plan::create_task(
        state,
        admin,
        id,
        demo_task("运维人员培训 Operator training", "2026-12-14", "2026-12-18", vendor, None),
    )
    .await?;
    let mut own = demo_task("内部账号与权限审批 Access approvals", "2026-11-16", "2026-11-20", None, Some(pm.user.id));
    own.visibility = Some("internal".into());
    plan::create_task(state, admin, id, own).await?;
    let d = deliverables::create(
        state,
        admin,
        id,
        deliverables::DeliverableInput {
            name: "监控平台 V2.3 安装与配置报告 Installation report".into(),
            due_date: "2026-11-30".into(),
            owner_party_id: vendor.map(Id),
            criteria: vec![
                "三个机房的采集节点全部在线 / collectors online in all three sites".into(),
                "告警 5 分钟内送达值班手机 / alerts reach on-call phones within 5 minutes".into(),
                "提供备份与恢复演练记录 / backup and restore drill recorded".into(),
            ],
            ..Default::default()
        },
    )
    .await?;
    let install = crate::collab::subject(state, &pm, id, crate::collab::SubjectKind::Task, install.id).await?;
    comment(state, &qa, &install, "Production install is 60% done; the third site is waiting for firewall rules. @陈静 could you chase the network team?")
        .await?;
    comment(state, &pm, &install, "已联系网络组，预计周三开通。Network team will open the ports on Wednesday.").await?;
    document(
        state,
        &qa,
        id,
        Some(&install),
        "Install checklist.md",
        "# Install checklist\n\n- [x] Site A\n- [x] Site B\n- [ ] Site C (firewall)\n",
    )
    .await?;
    let report = crate::collab::subject(state, &pm, id, crate::collab::SubjectKind::Deliverable, d.id).await?;
    comment(state, &grace, &report, "We will submit the installation report together with the drill recording.")
        .await?;
    Ok(())
}

/// After-sales support for a client, with the vendor as subcontractor for second-line fixes.
async fn seed_after_sales(state: &AppState, admin: &crate::auth::Viewer) -> AppResult<()> {
    use crate::{
        domain::Id,
        engagements::{plan, service},
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    let input = service::EngagementInput {
        code: Some("XH-2027-S01".into()),
        name: Some("调度系统运维与售后支持 2027 Dispatch system support".into()),
        kind: Some("after_sales".into()),
        start_date: Some("2026-11-01".into()),
        end_date: Some("2027-10-31".into()),
        description: Some(
            "上线后一年的运维与售后：7×24 故障响应、季度服务回顾、补丁发布。One year of support after go-live.".into(),
        ),
        owner_id: Some(Id(pm.user.id)),
        ..Default::default()
    };
    let Some(id) =
        demo_engagement(state, admin, input, &[(PARTIES[3].name, "client"), (PARTIES[1].name, "subcontractor")])
            .await?
    else {
        return Ok(());
    };
    let vendor =
        party::Entity::find().filter(party::Column::Name.eq(PARTIES[1].name)).one(&state.db).await?.map(|p| p.id);
    let client =
        party::Entity::find().filter(party::Column::Name.eq(PARTIES[3].name)).one(&state.db).await?.map(|p| p.id);
    for (name, due) in
        [("Q1 服务回顾 Quarterly service review", "2027-01-29"), ("Q2 服务回顾 Quarterly service review", "2027-04-30")]
    {
        plan::create_milestone(
            state,
            admin,
            id,
            plan::MilestoneInput {
                name: name.into(),
                due_date: due.into(),
                owner_party_id: client.map(Id),
                ..Default::default()
            },
        )
        .await?;
    }
    let mut incident =
        demo_task("故障 #1024 签收照片上传失败 Photo upload fails", "2026-11-19", "2026-11-24", None, None);
    incident.visibility = Some("participants".into());
    let incident = plan::create_task(state, admin, id, incident).await?;
    let dev = demo_viewer(state, "dev@yunfan.example").await?;
    plan::create_task(
        state,
        admin,
        id,
        demo_task("补丁 1.0.3 修复上传重试 Patch 1.0.3", "2026-11-23", "2026-11-27", vendor, Some(dev.user.id)),
    )
    .await?;
    let wu = demo_viewer(state, "manager@hdlogistics.example").await?;
    let incident = crate::collab::subject(state, &pm, id, crate::collab::SubjectKind::Task, incident.id).await?;
    comment(
        state,
        &wu,
        &incident,
        "南京片区 30 多名司机无法上传签收照片，影响结算。Drivers in Nanjing can't upload delivery photos.",
    )
    .await?;
    comment(
        state,
        &pm,
        &incident,
        "已定位为弱网重试问题，补丁 1.0.3 周五发布。Root cause found; patch 1.0.3 ships Friday.",
    )
    .await?;
    document(
        state,
        &wu,
        id,
        Some(&incident),
        "故障截图说明 Screenshots.txt",
        "10:02 上传失败 / upload failed (timeout)\n10:05 重试失败 / retry failed\n",
    )
    .await?;
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
/// everyone (60 %), with the vendor only (30 %) or internal (10 %), and indexed for search.
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
    let tx = db::begin_write(&state.db).await?;
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
                1..=3 => ("party", vendor.id.to_string()),
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
                party = if visibility == "party" { vendor.id.to_string() } else { "NULL".into() }
            ));
            entry_rows.push(format!("('task', {id}, {eid}, '{visibility}', {visible}, '{name}', '{name}')"));
            total += 1;
            if task_rows.len() == 1000 {
                flush_tasks(&tx, &mut task_rows, &mut entry_rows).await?;
            }
        }
        flush_tasks(&tx, &mut task_rows, &mut entry_rows).await?;
    }
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
    if postgres {
        tx.execute_unprepared("SET LOCAL maintenance_work_mem = '256MB'").await?;
        tx.execute_unprepared(
            "CREATE INDEX ix_search_entries_trgm ON search_entries USING gin (content public.gin_trgm_ops)",
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
    state.db.execute_unprepared("ANALYZE").await?;
    Ok(BulkPlan {
        engagements,
        tasks: total,
        largest_engagement_id: first_id,
        first_task_id: task_base,
        last_engagement_id: first_id + i64::from(engagements) - 1,
    })
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
