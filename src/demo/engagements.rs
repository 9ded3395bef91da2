//! The demo's three engagements: plans, comments, documents and the notices they cause.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{Extent, PARTIES, Story};
use crate::{AppState, error::AppResult, parties::entity::party, users::entity::user};

/// An outsourced app build: the host runs it, Yunfan delivers, East China Logistics receives.
pub(super) async fn seed_engagement(state: &AppState, extent: Extent) -> AppResult<()> {
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
    let story = Story::of(state);
    let input = service::EngagementInput {
        code: Some("XH-2026-001".into()),
        name: Some("华东物流 移动调度 App 外包开发".into()),
        kind: Some("outsourced_development".into()),
        start_date: Some(story.on("2026-09-21")),
        end_date: Some(story.on("2027-03-31")),
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
    // Requirements were signed in October and the driver app passed its 初验 (in a second
    // round); the dispatch console is half built.
    for (name, due, visibility, owner) in [
        ("需求签署 Requirements signed", "2026-10-16", "participants", Some(client.id)),
        ("司机端初验 Driver app initial acceptance", "2026-11-20", "participants", Some(vendor.id)),
        ("调度端初验 Dispatch console initial acceptance", "2027-01-15", "participants", Some(vendor.id)),
        ("终验 Final acceptance", "2027-03-19", "participants", Some(client.id)),
        ("预算复核 Budget review", "2026-12-18", "internal", None),
    ] {
        let input = plan::MilestoneInput {
            name: name.into(),
            due_date: story.on(due),
            visibility: Some(visibility.into()),
            owner_party_id: owner.map(Id),
            ..Default::default()
        };
        let m = plan::create_milestone(state, &admin, e.id, input).await?;
        if due < "2026-11-23" {
            let done = plan::MilestonePatch { status: Some("achieved".into()), ..Default::default() };
            plan::update_milestone(state, &admin, e.id, m.id, done).await?;
        }
    }
    let dev_user = find("dev@yunfan.example").await?.map(|u| u.id);
    let member = find("member@xinghe.example").await?.map(|u| u.id);
    let task =
        |name: &str, (start, finish): (&str, &str), party: Option<i64>, who: Option<i64>, parent: Option<i64>| {
            plan::TaskInput {
                name: name.into(),
                start_date: story.on(start),
                finish_date: story.on(finish),
                party_id: party.map(Id),
                assignee_id: who.map(Id),
                parent_id: parent.map(Id),
                ..Default::default()
            }
        };
    let mut workshop = task("需求调研 Requirements workshops", ("2026-09-21", "2026-10-16"), None, Some(pm.id), None);
    workshop.visibility = Some("participants".into());
    let workshop = plan::create_task(state, &admin, e.id, workshop).await?;
    let dev = plan::create_task(
        state,
        &admin,
        e.id,
        task("开发 Development", ("2026-10-19", "2027-01-08"), Some(vendor.id), None, None),
    )
    .await?;
    let mut ids = Vec::new();
    for (name, dates) in [
        ("司机端 App Driver app", ("2026-10-19", "2026-11-13")),
        ("调度端 Web Dispatch console", ("2026-11-02", "2027-01-08")),
        ("接口联调 API integration", ("2026-12-07", "2027-01-08")),
    ] {
        let input = task(name, dates, Some(vendor.id), dev_user, Some(dev.id));
        ids.push(plan::create_task(state, &admin, e.id, input).await?.id);
    }
    let uat = task("验收测试准备 UAT preparation", ("2026-12-21", "2027-01-12"), None, member, None);
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
    // Where the work stands today.
    for (id, progress, status) in [(workshop.id, 100, "done"), (ids[0], 100, "done"), (ids[1], 45, "in_progress")] {
        let patch = plan::TaskPatch { progress: Some(progress), status: Some(status.into()), ..Default::default() };
        plan::update_task(state, &admin, e.id, id, patch).await?;
    }
    let deliverable = crate::engagements::deliverables::DeliverableInput {
        name: "司机端 App 安装包与源代码 Driver app build and source".into(),
        due_date: story.on("2026-11-20"),
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
    let console = crate::engagements::deliverables::DeliverableInput {
        name: "调度端 Web 发布包 Dispatch console release".into(),
        due_date: story.on("2027-01-08"),
        owner_party_id: Some(Id(vendor.id)),
        criteria: vec![
            "派单到司机端 1 秒内送达 / an order reaches the driver within 1 s".into(),
            "接口与《调度台订单接口》文档一致 / the API matches its document".into(),
        ],
        ..Default::default()
    };
    crate::engagements::deliverables::create(state, &admin, e.id, console).await?;
    if extent == Extent::Plan {
        return Ok(());
    }
    // The conversation so far, and the files both sides work from.
    let pm = load_viewer(state, pm.id, Via::Token).await?.ok_or(crate::error::AppError::NotFound)?;
    let dev_user = dev_user.ok_or(crate::error::AppError::NotFound)?;
    let dev_viewer = load_viewer(state, dev_user, Via::Token).await?.ok_or(crate::error::AppError::NotFound)?;
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
        "已评估：离线拍照约 3 人天，不影响初验日期。About 3 days; the acceptance date holds.",
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
pub(super) async fn demo_viewer(state: &AppState, email: &str) -> AppResult<crate::auth::Viewer> {
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
    story: Story,
    name: &str,
    start: &str,
    finish: &str,
    party: Option<i64>,
    assignee: Option<i64>,
) -> crate::engagements::plan::TaskInput {
    crate::engagements::plan::TaskInput {
        name: name.into(),
        start_date: story.on(start),
        finish_date: story.on(finish),
        party_id: party.map(crate::domain::Id),
        assignee_id: assignee.map(crate::domain::Id),
        ..Default::default()
    }
}

/// A vendor delivering to the host: Shuzhi builds a monitoring platform for Xinghe's own use.
pub(super) async fn seed_vendor_delivery(state: &AppState, admin: &crate::auth::Viewer) -> AppResult<()> {
    use crate::{
        domain::Id,
        engagements::{deliverables, plan, service},
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    let story = Story::of(state);
    let input = service::EngagementInput {
        code: Some("XH-2026-002".into()),
        name: Some("数据中台监控平台采购交付 Monitoring platform delivery".into()),
        kind: Some("vendor_delivery".into()),
        start_date: Some(story.on("2026-09-01")),
        end_date: Some(story.on("2027-02-28")),
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
                due_date: story.on(due),
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
        demo_task(story, "生产环境安装 Production install", "2026-11-02", "2026-11-27", vendor, Some(qa.user.id)),
    )
    .await?;
    let progress = plan::TaskPatch { progress: Some(60), status: Some("in_progress".into()), ..Default::default() };
    plan::update_task(state, &qa, id, install.id, progress).await?;
    plan::create_task(
        state,
        admin,
        id,
        demo_task(story, "告警规则配置 Alert rules", "2026-11-23", "2026-12-11", vendor, None),
    )
    .await?;
    plan::create_task(
        state,
        admin,
        id,
        demo_task(story, "运维人员培训 Operator training", "2026-12-14", "2026-12-18", vendor, None),
    )
    .await?;
    let mut own =
        demo_task(story, "内部账号与权限审批 Access approvals", "2026-11-16", "2026-11-20", None, Some(pm.user.id));
    own.visibility = Some("internal".into());
    let own = plan::create_task(state, admin, id, own).await?;
    let done = plan::TaskPatch { progress: Some(100), status: Some("done".into()), ..Default::default() };
    plan::update_task(state, admin, id, own.id, done).await?;
    let d = deliverables::create(
        state,
        admin,
        id,
        deliverables::DeliverableInput {
            name: "监控平台 V2.3 安装与配置报告 Installation report".into(),
            due_date: story.on("2026-11-30"),
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
pub(super) async fn seed_after_sales(state: &AppState, admin: &crate::auth::Viewer) -> AppResult<()> {
    use crate::{
        domain::Id,
        engagements::{plan, service},
    };
    let pm = demo_viewer(state, "pm@xinghe.example").await?;
    let story = Story::of(state);
    let input = service::EngagementInput {
        code: Some("XH-2027-S01".into()),
        name: Some("调度系统运维与售后支持 2027 Dispatch system support".into()),
        kind: Some("after_sales".into()),
        start_date: Some(story.on("2026-11-01")),
        end_date: Some(story.on("2027-10-31")),
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
                due_date: story.on(due),
                owner_party_id: client.map(Id),
                ..Default::default()
            },
        )
        .await?;
    }
    let mut incident =
        demo_task(story, "故障 #1024 签收照片上传失败 Photo upload fails", "2026-11-19", "2026-11-24", None, None);
    incident.visibility = Some("participants".into());
    let incident = plan::create_task(state, admin, id, incident).await?;
    let dev = demo_viewer(state, "dev@yunfan.example").await?;
    plan::create_task(
        state,
        admin,
        id,
        demo_task(story, "补丁 1.0.3 修复上传重试 Patch 1.0.3", "2026-11-23", "2026-11-27", vendor, Some(dev.user.id)),
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
