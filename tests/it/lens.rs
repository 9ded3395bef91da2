//! The masking lens: inside records a viewer can see, other parties' names, people and prices
//! show only when the viewer may know them (requirement signatures, review rounds, the change
//! board and votes, change costs, published scorecard facts). The leak oracle sweeps every route;
//! these tests pin the cases one by one with their exact shapes.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{db_test, support::*};

const VENDOR: &str = "云帆";

fn mentions(v: &Value, needle: &str) -> bool {
    v.to_string().contains(needle)
}

db_test!(a_client_learns_another_party_signed_not_which, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let vendor = app.token("manager@yunfan.example").await;
    let client = app.token("manager@hdlogistics.example").await;
    let url = format!("/api/v1/requirement-versions/{}", reqs.version);
    let res = app.post(&format!("{url}/signatures")).bearer(&vendor).json(json!({"password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let vendor_person = app.viewer("manager@yunfan.example").await.user.name;

    let seen = app.get(&url).bearer(&client).send().await.json();
    assert_eq!(seen["required_count"], 3, "host, vendor and client sign: {seen}");
    assert_eq!(seen["signed_count"], 1);
    let named: Vec<&str> =
        seen["required_parties"].as_array().expect("parties").iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(named.len(), 2, "the client knows the host and itself only: {named:?}");
    let sig = &seen["signatures"][0];
    assert!(sig["party_id"].is_null() && sig["party_name"].is_null(), "{sig}");
    assert!(sig["user_id"].is_null() && sig["user_name"].is_null(), "{sig}");
    assert!(sig["content_sha256"].is_string() && sig["signed_at"].is_string(), "when and what stay: {sig}");
    assert!(!mentions(&seen, VENDOR) && !mentions(&seen, &vendor_person), "{seen}");
    let list = app.get(&format!("/api/v1/engagements/{}/requirement-versions", e.eng)).bearer(&client).send().await;
    assert!(!list.text().contains(VENDOR), "{}", list.text());

    // The page says "another party" where the vendor signed.
    let page = app
        .signed_in("manager@hdlogistics.example")
        .await
        .get(&format!("/requirement-versions/{}", reqs.version))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("其他参与方") && !page.text().contains(VENDOR), "{}", page.text());

    // The vendor knows the client (and its own signature).
    let seen = app.get(&url).bearer(&vendor).send().await.json();
    assert_eq!(seen["required_parties"].as_array().map(Vec::len), Some(3), "{seen}");
    assert_eq!(seen["signatures"][0]["user_name"], vendor_person.as_str());
});

db_test!(review_rounds_unname_reviewers_and_authors_of_unknown_parties, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let round = app.with_review(&e, &reqs).await;
    let vendor = app.token("manager@yunfan.example").await;
    let url = format!("/api/v1/review-rounds/{round}");
    let res = app
        .post(&format!("{url}/comments"))
        .bearer(&vendor)
        .json(json!({"requirement_id": reqs.shared.to_string(), "body": "离线时如何重试？"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app.post(&format!("{url}/votes")).bearer(&vendor).json(json!({"vote": "approve"})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    let seen = app.get(&url).bearer(&app.token("member@hdlogistics.example").await).send().await.json();
    let reviewers = seen["reviewers"].as_array().expect("reviewers");
    assert_eq!(reviewers.len(), 2, "both reviewers count: {seen}");
    let unnamed: Vec<&Value> = reviewers.iter().filter(|r| r["name"].is_null()).collect();
    assert_eq!(unnamed.len(), 1, "{seen}");
    assert!(unnamed[0]["user_id"].is_null() && unnamed[0]["party_name"].is_null());
    assert_eq!(unnamed[0]["vote"], "approve", "the vote shows, not who cast it");
    assert!(seen["comments"][0]["author_name"].is_null() && seen["comments"][0]["user_id"].is_null(), "{seen}");
    assert!(!mentions(&seen, VENDOR), "{seen}");
    let page =
        app.signed_in("member@hdlogistics.example").await.get(&format!("/engagements/{}/reviews/{round}", e.eng)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains(VENDOR) && page.text().contains("其他参与方"), "{}", page.text());

    // The host names everyone.
    let seen = app.get(&url).bearer(&app.token("pm@xinghe.example").await).send().await.json();
    assert!(seen["reviewers"].as_array().expect("reviewers").iter().all(|r| r["name"].is_string()), "{seen}");
});

db_test!(change_costs_are_the_clients_and_board_members_are_masked, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let crs = app.with_changes(&e).await;
    let (pm, vendor, client) = (
        app.token("pm@xinghe.example").await,
        app.token("manager@yunfan.example").await,
        app.token("manager@hdlogistics.example").await,
    );
    // The vendor's manager joins the board.
    let members = [
        app.user_id("pm@xinghe.example").await,
        app.user_id("manager@hdlogistics.example").await,
        app.user_id("manager@yunfan.example").await,
    ];
    let board = format!("/api/v1/engagements/{}/change-board", e.eng);
    let res = app
        .req(axum::http::Method::PUT, &board)
        .bearer(&pm)
        .json(json!({"pm_max_days": 3, "pm_max_cost": {"amount": "10000"},
                     "member_ids": members.iter().map(i64::to_string).collect::<Vec<_>>()}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    let as_client = app.get(&board).bearer(&client).send().await.json();
    assert_eq!(as_client["pm_max_cost"]["amount"], "10000.00", "the limit is the client's business too");
    let members = as_client["members"].as_array().expect("members");
    assert_eq!(members.len(), 3);
    assert_eq!(members.iter().filter(|m| m["name"].is_null() && m["party_id"].is_null()).count(), 1, "{as_client}");
    assert!(!mentions(&as_client, VENDOR));
    let as_vendor = app.get(&board).bearer(&vendor).send().await.json();
    assert!(as_vendor["pm_max_cost"].is_null(), "a vendor does not learn the client's price band: {as_vendor}");
    assert!(as_vendor["members"].as_array().expect("members").iter().all(|m| m["name"].is_string()));

    let change = format!("/api/v1/change-requests/{}", crs.shared);
    let seen = app.get(&change).bearer(&vendor).send().await.json();
    assert!(seen["cost_delta"].is_null() && !mentions(&seen, "12000"), "{seen}");
    let seen = app.get(&change).bearer(&client).send().await.json();
    assert_eq!(seen["cost_delta"]["amount"], "12000.00");
    let page = app.signed_in("manager@yunfan.example").await.get(&format!("/engagements/{}/changes", e.eng)).await;
    assert!(!page.text().contains("12,000") && !page.text().contains("10000"), "{}", page.text());

    // A change the vendor raises for everyone: the client sees the change, not who raised it.
    let res = app
        .post(&format!("/api/v1/engagements/{}/change-requests", e.eng))
        .bearer(&vendor)
        .json(json!({"title": "接口限流 rate limits", "reason": "高峰期压力", "visibility": "participants"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().expect("id").to_owned();
    let seen = app.get(&format!("/api/v1/change-requests/{id}")).bearer(&client).send().await.json();
    assert!(seen["raised_by"].is_null() && seen["raised_party_id"].is_null(), "{seen}");
    let page =
        app.signed_in("manager@hdlogistics.example").await.get(&format!("/engagements/{}/changes/{id}", e.eng)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains(VENDOR) && page.text().contains("其他参与方"), "{}", page.text());
});

db_test!(a_published_card_counts_facts_the_vendor_may_not_see_unnamed, |app: TestApp| async move {
    use accord::{domain::Id, engagements::plan};
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let admin = app.viewer("admin@xinghe.example").await;
    let yunfan = app.party_id(VENDOR).await;
    let input = plan::MilestoneInput {
        name: "内部罚则评审 penalty review".into(),
        due_date: "2026-11-10".into(),
        visibility: Some("internal".into()),
        owner_party_id: Some(Id(yunfan)),
        ..Default::default()
    };
    let hidden = plan::create_milestone(&app.state, &admin, e.eng, input).await.expect("milestone");
    let pm = app.token("pm@xinghe.example").await;
    let publish = format!("/api/v1/vendors/{yunfan}/scorecard/publish");
    let res = app.post(&publish).bearer(&pm).json(json!({"period": "2026Q4"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let host_card = res.json();
    assert!(mentions(&host_card, "penalty review"), "the host's card names it: {host_card}");

    let url = format!("/api/v1/vendors/{yunfan}/scorecard?period=2026Q4");
    let card = app.get(&url).bearer(&app.token("manager@yunfan.example").await).send().await.json();
    assert!(!mentions(&card, "penalty review"), "{card}");
    assert!(!mentions(&card, &format!("/milestones/{}", hidden.id)), "no link to it either: {card}");
    let on_time = card["kpis"].as_array().expect("kpis").iter().find(|k| k["key"] == "on_time").expect("on_time");
    let facts = on_time["facts"].as_array().expect("facts");
    assert!(facts.iter().any(|f| f["hidden"] == true && f["label"] == "" && f["url"] == ""), "{on_time}");
    assert_eq!(on_time["value"], host_card["kpis"][0]["value"], "it still counts");
    let page =
        app.signed_in("manager@yunfan.example").await.get(&format!("/vendors/{yunfan}/scorecard?period=2026Q4")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("penalty review") && page.text().contains("未向贵方公开的记录"), "{}", page.text());
});

db_test!(approved_changes_leave_no_hidden_title_or_price_behind_and_old_rows_are_repaired, |app: TestApp| async move {
    use accord::{
        changes::decide::{DecisionInput, decide},
        changes::service::{ChangeInput, create},
        contracts::entity::contract,
        db::Migrator,
        engagements::entity::baseline,
        money::MoneyDto,
    };
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    use sea_orm_migration::MigratorTrait;
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let k = app.with_contracts(&e).await;
    let pm = app.viewer("pm@xinghe.example").await;
    let approve = || DecisionInput { decision: "approve".into(), comment: Some("同意".into()), ..Default::default() };
    let raise = |title: &str, visibility: &str| ChangeInput {
        title: title.into(),
        reason: "客户要求".into(),
        cost_delta: Some(MoneyDto { amount: "8000".into(), currency: None }),
        visibility: Some(visibility.into()),
        ..Default::default()
    };
    // An internal change: the baseline every participant reads carries its key only.
    let internal =
        create(&app.state, &pm, e.eng, raise("内部调价 internal repricing", "internal")).await.expect("change");
    let internal = decide(&app.state, &pm, internal.id, approve()).await.expect("approve");
    let vendor = app.token("manager@yunfan.example").await;
    let seen = app.get(&format!("/api/v1/engagements/{}/baselines", e.eng)).bearer(&vendor).send().await;
    assert!(seen.text().contains(&internal.key) && !seen.text().contains("内部调价"), "{}", seen.text());
    // A shared change opens an amendment on the vendor's signed contract, without the client's price.
    let shared = create(&app.state, &pm, e.eng, raise("离线地图 offline maps", "participants")).await.expect("change");
    let shared = decide(&app.state, &pm, shared.id, approve()).await.expect("approve");
    let c = app.get(&format!("/api/v1/contracts/{}", k.signed)).bearer(&vendor).send().await.json();
    assert_eq!(c["amendment_reason"], format!("{} 离线地图 offline maps", shared.key));

    // Rows written before the fix said more; the migration takes it out.
    let b = baseline::Entity::find_by_id(internal.baseline_id.expect("baseline"))
        .one(app.db())
        .await
        .expect("q")
        .expect("b");
    let mut am: baseline::ActiveModel = b.into();
    am.name = Set(format!("{} 内部调价 internal repricing", internal.key));
    am.update(app.writer()).await.expect("old name");
    let row = contract::Entity::find_by_id(k.signed).one(app.db()).await.expect("q").expect("contract");
    let mut am: contract::ActiveModel = row.into();
    am.amendment_reason = Set(Some(format!("{} 离线地图 offline maps (¥8,000.00)", shared.key)));
    am.update(app.writer()).await.expect("old reason");
    // Undo every migration from the repairing one on, and run them again.
    let all = Migrator::migrations();
    let at = all.iter().position(|m| m.name() == "m20261207_000020_public_change_labels").expect("the repair");
    Migrator::down(app.writer(), Some(u32::try_from(all.len() - at).expect("few"))).await.expect("down");
    Migrator::up(app.writer(), None).await.expect("up");
    let seen = app.get(&format!("/api/v1/engagements/{}/baselines", e.eng)).bearer(&vendor).send().await;
    assert!(!seen.text().contains("内部调价"), "{}", seen.text());
    let c = app.get(&format!("/api/v1/contracts/{}", k.signed)).bearer(&vendor).send().await.json();
    assert_eq!(c["amendment_reason"], format!("{} 离线地图 offline maps", shared.key));
});
