//! Parties and users through the pages and the API, including what each party may see.

use axum::http::StatusCode;
use serde_json::json;

use crate::{db_test, support::*};

fn emails(list: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> =
        list["items"].as_array().expect("items").iter().map(|u| u["email"].as_str().unwrap_or("").to_owned()).collect();
    v.sort();
    v
}

db_test!(admin_creates_a_vendor_with_contacts_through_the_pages, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.signed_in("admin@xinghe.example").await;
    let bad = admin
        .post("/parties", &[("kind", "vendor"), ("name", "新供应商"), ("credit_code", "123"), ("website", "ftp://x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text();
    assert!(html.contains("value=\"新供应商\""), "input kept");
    assert!(html.contains("统一社会信用代码") || html.contains("credit code"), "field message shown");
    let ok = admin
        .post(
            "/parties",
            &[
                ("kind", "vendor"),
                ("name", "新供应商"),
                ("legal_name", "新供应商有限公司"),
                ("credit_code", "91330106MA27XK7Q1Y"),
                ("website", "https://new.example"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let detail_path = ok.location();
    let page = admin.get(&detail_path).await;
    assert!(page.text().contains("新供应商有限公司"));
    let contact = admin
        .post(
            &format!("{detail_path}/contacts"),
            &[("name", "马工"), ("title", "项目经理"), ("email", ""), ("phone", "")],
        )
        .await;
    assert_eq!(contact.status, StatusCode::UNPROCESSABLE_ENTITY, "needs a way to reach them");
    let contact = admin
        .post(
            &format!("{detail_path}/contacts"),
            &[("name", "马工"), ("title", "项目经理"), ("email", "ma@new.example"), ("phone", "")],
        )
        .await;
    assert_eq!(contact.status, StatusCode::SEE_OTHER);
    assert!(admin.get(&detail_path).await.text().contains("ma@new.example"));
    let dup = admin.post("/parties", &[("kind", "client"), ("name", "新供应商")]).await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY, "names are unique");
    let host = admin.post("/parties", &[("kind", "host"), ("name", "Second host")]).await;
    assert_eq!(host.status, StatusCode::UNPROCESSABLE_ENTITY, "one host only");
});

db_test!(each_party_sees_only_its_own_slice_in_lists, |app: TestApp| async move {
    let app = app.with_demo().await;
    let vendor = app.token("manager@yunfan.example").await;
    let client = app.token("member@hdlogistics.example").await;
    let host = app.token("member@xinghe.example").await;
    let parties = |t: String| {
        let app = &app;
        async move {
            app.get("/api/v1/parties").bearer(&t).send().await.json()["items"].as_array().map(Vec::len).unwrap_or(0)
        }
    };
    assert_eq!(parties(vendor.clone()).await, 1);
    assert_eq!(parties(client.clone()).await, 1);
    assert_eq!(parties(host.clone()).await, 4);
    let users = app.get("/api/v1/users?limit=500").bearer(&vendor).send().await.json();
    assert_eq!(emails(&users), vec!["dev@yunfan.example", "manager@yunfan.example"]);
    let users = app.get("/api/v1/users?limit=500").bearer(&client).send().await.json();
    assert_eq!(emails(&users), vec!["manager@hdlogistics.example", "member@hdlogistics.example"]);
    // Filtering by another party's id reveals nothing.
    let shuzhi = app.party_id("数智").await;
    let users = app.get(&format!("/api/v1/users?party_id={shuzhi}")).bearer(&vendor).send().await.json();
    assert!(users["items"].as_array().is_some_and(Vec::is_empty));
    let b = app.signed_in("manager@yunfan.example").await;
    let page = b.get("/parties").await.text();
    assert!(page.contains("云帆软件") && !page.contains("数智测试") && !page.contains("华东物流"), "{page}");
    let page = b.get("/users").await.text();
    assert!(
        page.contains("dev@yunfan.example")
            && !page.contains("qa@shuzhi.example")
            && !page.contains("admin@xinghe.example")
    );
});

db_test!(vendor_manager_manages_own_people_only, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("manager@yunfan.example").await;
    let own = app.party_id("云帆").await.to_string();
    let other = app.party_id("数智").await.to_string();
    let res = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "tester@yunfan.example", "name": "测试", "party_id": own, "role": "member", "password": "vendor-pass-1"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "spy@shuzhi.example", "name": "Spy", "party_id": other, "role": "member", "password": "vendor-pass-1"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["party_id"]);
    let res = app.patch(&format!("/api/v1/parties/{own}")).bearer(&t).json(json!({"phone": "0571-1"})).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let res = app.patch(&format!("/api/v1/parties/{other}")).bearer(&t).json(json!({"phone": "0571-1"})).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // The party's identity is the host's: a rename is refused without saying whether the name
    // is taken elsewhere.
    let res = app
        .patch(&format!("/api/v1/parties/{own}"))
        .bearer(&t)
        .json(json!({"name": "数智测试 Shuzhi QA"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["name"]);
    assert!(!res.text().contains("already"), "{}", res.text());
    // Someone else's address is not confirmed to exist.
    let res = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "qa@shuzhi.example", "name": "X", "party_id": own, "role": "member", "password": "vendor-pass-1"}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["email"]);
    assert!(res.text().contains("can't be used here"), "{}", res.text());
    let member = app.token("dev@yunfan.example").await;
    let res = app.patch(&format!("/api/v1/parties/{own}")).bearer(&member).json(json!({"phone": "x"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
});

db_test!(user_form_errors_keep_the_input, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.signed_in("admin@xinghe.example").await;
    let vendor = app.party_id("云帆").await.to_string();
    let res = admin
        .post(
            "/users",
            &[
                ("email", "not-an-email"),
                ("name", "王五"),
                ("party_id", &vendor),
                ("role", "manager"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text();
    assert!(html.contains("value=\"王五\""), "name kept");
    assert!(html.contains("value=\"not-an-email\""), "email kept");
    assert!(html.contains("请输入有效的邮箱地址"), "message under the field, in the user's language");
    use accord::users::entity::user;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(user::Entity::find().count(app.db()).await.expect("count"), 10, "nothing written");
});

db_test!(party_profile_changes_are_validated_and_kind_is_fixed, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("admin@xinghe.example").await;
    let id = app.party_id("华东").await;
    let res = app.patch(&format!("/api/v1/parties/{id}")).bearer(&t).json(json!({"kind": "vendor"})).send().await;
    assert_eq!(res.field_errors(), vec!["kind"]);
    let res = app.patch(&format!("/api/v1/parties/{id}")).bearer(&t).json(json!({"name": "  "})).send().await;
    assert_eq!(res.field_errors(), vec!["name"]);
    let res = app
        .patch(&format!("/api/v1/parties/{id}"))
        .bearer(&t)
        .json(json!({"credit_code": "91440300708461136t"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["credit_code"], "91440300708461136T");
    assert_eq!(
        app.get(&format!("/api/v1/parties/{id}")).bearer(&t).send().await.json()["contacts"].as_array().map(Vec::len),
        Some(1)
    );
});
