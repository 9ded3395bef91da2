//! The JSON API: tokens, strict bodies, problem documents, pagination, string ids.

use axum::http::StatusCode;
use serde_json::json;

use crate::{db_test, support::*};

db_test!(token_for_scripts_then_me, |app: TestApp| async move {
    let app = app.with_demo().await;
    let res = app.post("/api/v1/tokens").json(json!({"email": "pm@xinghe.example", "password": PASSWORD})).send().await;
    assert_eq!(res.status, StatusCode::CREATED);
    let token = res.json()["token"].as_str().expect("token").to_owned();
    assert!(token.starts_with("acc_"));
    let me = app.get("/api/v1/me").bearer(&token).send().await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["email"], "pm@xinghe.example");
    assert!(me["id"].is_string() && me["party_id"].is_string(), "ids are strings: {me}");
    let bad = app.post("/api/v1/tokens").json(json!({"email": "pm@xinghe.example", "password": "nope"})).send().await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(app.get("/api/v1/me").bearer("acc_forged").send().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me").send().await.status, StatusCode::UNAUTHORIZED);
});

db_test!(tokens_are_stored_hashed_listed_and_revocable, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.signed_in("manager@yunfan.example").await;
    let page = b.post("/account/tokens", &[("name", "CI 脚本")]).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let start = html.find("acc_").expect("token shown once");
    let token: String = html[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    use accord::users::entity::api_token;
    use sea_orm::EntityTrait;
    let rows = api_token::Entity::find().all(app.db()).await.expect("rows");
    assert!(rows.iter().all(|r| r.token_hash != token && !r.token_hash.contains("acc_")), "only the hash is stored");
    assert_eq!(app.get("/api/v1/me").bearer(&token).send().await.status, StatusCode::OK);
    let listed = b.get("/account/tokens").await.text();
    assert!(listed.contains("CI 脚本") && !listed.contains(&token), "the secret is not shown again");
    let id = rows.iter().find(|r| r.name == "CI 脚本").expect("row").id;
    assert_eq!(b.post(&format!("/account/tokens/{id}/revoke"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/api/v1/me").bearer(&token).send().await.status, StatusCode::UNAUTHORIZED);
    let other = app.signed_in("dev@yunfan.example").await;
    assert_eq!(other.post(&format!("/account/tokens/{id}/revoke"), &[]).await.status, StatusCode::NOT_FOUND);
});

db_test!(bodies_are_parsed_strictly_and_errors_name_the_field, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("admin@xinghe.example").await;
    let unknown = app
        .post("/api/v1/parties")
        .bearer(&t)
        .json(json!({"kind": "vendor", "name": "X", "colour": "red"}))
        .send()
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.field_errors(), vec!["colour"]);
    let wrong_type = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "a@b.example", "name": "A", "party_id": 1, "role": "pm"}))
        .send()
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.field_errors(), vec!["party_id"], "{}", wrong_type.text());
    let invalid = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "not-an-email", "name": "", "party_id": "1", "role": "pm"}))
        .send()
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = invalid.field_errors();
    fields.sort();
    assert_eq!(fields, vec!["email", "name"]);
    let text = app.post("/api/v1/parties").bearer(&t).raw("text/plain", "{}").send().await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = format!("{{\"kind\":\"vendor\",\"name\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let big = app.post("/api/v1/parties").bearer(&t).raw("application/json", huge).send().await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    let problem = big.json();
    assert_eq!(problem["status"], 413);
    use accord::parties::entity::party;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(party::Entity::find().count(app.db()).await.expect("count"), 4, "nothing half-written");
});

db_test!(lists_are_paginated_with_an_opaque_cursor, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("admin@xinghe.example").await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=3&cursor={c}"),
            None => "/api/v1/users?limit=3".to_owned(),
        };
        let page = app.get(&path).bearer(&t).send().await.json();
        let items = page["items"].as_array().expect("items").clone();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|u| u["email"].as_str().unwrap_or("").to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 10, "every demo user exactly once: {seen:?}");
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 10);
    for bad in ["/api/v1/users?limit=0", "/api/v1/users?limit=501", "/api/v1/users?limit=x"] {
        let res = app.get(bad).bearer(&t).send().await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(res.field_errors(), vec!["limit"]);
    }
    let res = app.get("/api/v1/users?cursor=garbage").bearer(&t).send().await;
    assert_eq!(res.field_errors(), vec!["cursor"]);
    let filtered = app.get("/api/v1/users?q=YUNFAN&limit=500").bearer(&t).send().await.json();
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(2));
});

db_test!(users_created_over_the_api_with_or_without_password, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("admin@xinghe.example").await;
    let client = app.party_id("华东").await.to_string();
    let res = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "cfo@hdlogistics.example", "name": "CFO", "party_id": client, "role": "member", "password": "initial-pass"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["invitation_pending"], false);
    let login = app
        .post("/api/v1/tokens")
        .json(json!({"email": "cfo@hdlogistics.example", "password": "initial-pass"}))
        .send()
        .await;
    assert_eq!(login.status, StatusCode::CREATED);
    let dup = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "CFO@hdlogistics.example", "name": "Again", "party_id": client, "role": "member"}))
        .send()
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.field_errors(), vec!["email"]);
    let wrong_role = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "x@hdlogistics.example", "name": "X", "party_id": client, "role": "admin"}))
        .send()
        .await;
    assert_eq!(wrong_role.field_errors(), vec!["role"]);
    let invited = app
        .post("/api/v1/users")
        .bearer(&t)
        .json(json!({"email": "ops@hdlogistics.example", "name": "Ops", "party_id": client, "role": "member"}))
        .send()
        .await;
    assert_eq!(invited.status, StatusCode::CREATED);
    assert_eq!(invited.json()["invitation_pending"], true);
    app.run_jobs().await;
    assert!(app.smtp.messages().iter().any(|m| m.contains("ops@hdlogistics.example")));
});

db_test!(openapi_document_and_swagger_ui_are_served, |app: TestApp| async move {
    let doc = app.get("/api/openapi.json").send().await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3.1"), "{}", doc["openapi"]);
    for path in [
        "/api/v1/tokens",
        "/api/v1/me",
        "/api/v1/parties",
        "/api/v1/parties/{id}",
        "/api/v1/users",
        "/api/v1/users/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    // The guide is light and in the reader's language; the 2 MB reference loads on request.
    let guide = app.get("/api/docs").header("accept-language", "zh-CN").send().await;
    assert_eq!(guide.status, StatusCode::OK);
    let html = guide.text();
    assert!(html.contains("<title>API 文档") && html.contains("name=\"viewport\""), "{html}");
    assert!(html.contains("href=\"/api/docs/ui/\"") && !html.contains("swagger-ui-bundle.js"), "{html}");
    assert!(html.len() < 50_000, "the guide is {} bytes", html.len());
    let ui = app.get("/api/docs/ui/").header("accept-language", "en").send().await.text();
    assert!(ui.contains("<title>API reference") && ui.contains("name=\"viewport\""), "{ui}");
    assert!(ui.contains("lang=\"en\"") && ui.contains("swagger-ui-bundle.js"), "{ui}");
    let init = app.get("/api/docs/ui/swagger-initializer.js").send().await;
    assert_eq!(init.status, StatusCode::OK);
    assert!(init.text().contains("/api/openapi.json"), "the reference reads our document");
    assert_eq!(app.get("/api/docs/ui/swagger-ui-bundle.js").send().await.status, StatusCode::OK);
    assert_eq!(app.get("/api/docs/ui/nope.js").send().await.status, StatusCode::NOT_FOUND);
});
