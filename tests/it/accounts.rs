//! Sign-in, throttling, CSRF, sessions, invitations by e-mail, passwords and preferences.

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{db_test, support::*};

db_test!(login_page_speaks_the_browser_language, |app: TestApp| async move {
    let zh = app.get("/login").header("accept-language", "zh-CN,zh;q=0.9").send().await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.text().contains("lang=\"zh-CN\""), "{}", zh.text());
    assert!(zh.text().contains("登录"));
    let en = app.get("/login").header("accept-language", "en-US,en;q=0.9").send().await;
    assert!(en.text().contains("lang=\"en\""));
    assert!(en.text().contains("Sign in"));
});

db_test!(wrong_password_is_refused_with_a_clear_message_and_keeps_the_email, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.browser();
    b.set_cookie("accord_lang", "en");
    let res = b.login("pm@xinghe.example", "not-the-password").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let html = res.text();
    assert!(html.contains("Email or password is incorrect."), "{html}");
    assert!(html.contains("value=\"pm@xinghe.example\""), "email not kept: {html}");
    assert!(!b.has_session() || b.get("/").await.status == StatusCode::SEE_OTHER);
});

db_test!(sign_in_and_out, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.browser();
    assert_eq!(b.get("/").await.location(), "/login?next=%2F");
    let res = b.login("PM@Xinghe.example ", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("陈静"), "home shows the user");
    let out = b.post("/logout", &[]).await;
    assert_eq!(out.location(), "/login?signed_out=1");
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER);
});

db_test!(repeated_failures_throttle_logins, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.browser();
    b.set_cookie("accord_lang", "en");
    for _ in 0..5 {
        assert_eq!(b.login("member@xinghe.example", "wrong-password").await.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while throttled.
    let res = b.login("member@xinghe.example", PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().contains("Too many failed sign-in attempts"), "{}", res.text());
    // The API token exchange is throttled the same way.
    let api = app
        .post("/api/v1/tokens")
        .json(serde_json::json!({"email": "member@xinghe.example", "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    // After the window the user gets in.
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(b.login("member@xinghe.example", PASSWORD).await.status, StatusCode::SEE_OTHER);
});

db_test!(forms_without_the_csrf_token_are_rejected, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.signed_in("admin@xinghe.example").await;
    let before = accord::parties::entity::party::Entity::find().count(app.db()).await.expect("count");
    let res = b.post_without_csrf("/parties", &[("kind", "vendor"), ("name", "Forged Ltd")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = b
        .post_without_csrf("/parties", &[("kind", "vendor"), ("name", "Forged Ltd"), ("_csrf", &"0".repeat(64))])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let after = accord::parties::entity::party::Entity::find().count(app.db()).await.expect("count");
    assert_eq!(before, after, "nothing was written");
    // A session-authenticated API write needs the header too.
    let res = b.send(axum::http::Method::PATCH, "/api/v1/users/1", None, &[("content-type", "application/json")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
});

db_test!(cross_site_posts_in_other_encodings_are_refused, |app: TestApp| async move {
    let app = app.with_demo().await;
    // A page elsewhere can post text/plain without a preflight; it carries no CSRF token.
    let res = app.post("/login").raw("text/plain", "email=admin@xinghe.example&password=accord-demo").send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let b = app.browser();
    b.get("/login").await;
    let res = b
        .send(
            axum::http::Method::POST,
            "/login",
            None,
            &[("content-type", "text/plain"), ("x-csrf-token", &b.csrf().await)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "forms are urlencoded only");
    // Redirect targets stay on this site.
    let res =
        b.post("/login", &[("email", "pm@xinghe.example"), ("password", PASSWORD), ("next", "/\t/evil.example")]).await;
    assert_eq!(res.location(), "/");
});

db_test!(invitation_email_travels_over_smtp_and_sets_the_password, |app: TestApp| async move {
    let app = app.with_demo().await;
    let vendor = app.party_id("云帆").await;
    let admin = app.signed_in("admin@xinghe.example").await;
    let res = admin
        .post(
            "/users",
            &[
                ("email", "new.dev@yunfan.example"),
                ("name", "新同事"),
                ("party_id", &vendor.to_string()),
                ("role", "member"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(app.smtp.messages().is_empty(), "mail goes out through the job, not the request");
    assert_eq!(app.run_jobs().await, 1);
    let mails = app.smtp.messages();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("new.dev@yunfan.example"));
    let body = decoded_body(&mails[0]);
    let link = body.lines().find(|l| l.contains("/invite/")).expect("link in mail").trim().to_owned();
    let path = link.trim_start_matches("http://accord.test");
    let invitee = app.browser();
    let page = invitee.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("new.dev@yunfan.example"));
    let mismatch = invitee.post(path, &[("password", "long-enough-1"), ("password_confirm", "other-value")]).await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = invitee.post(path, &[("password", "long-enough-1"), ("password_confirm", "long-enough-1")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(invitee.get("/").await.status, StatusCode::OK);
    let stored = accord::mail::entity::outbox_email::Entity::find().all(app.db()).await.expect("outbox");
    assert!(
        stored.iter().all(|m| m.state == "sent" && !m.body.contains(path.trim_start_matches("/invite/"))),
        "the sent copy keeps no working link"
    );
    // The link is used up.
    assert_eq!(app.browser().get(path).await.status, StatusCode::NOT_FOUND);
    let again = app.browser();
    assert_eq!(again.login("new.dev@yunfan.example", "long-enough-1").await.status, StatusCode::SEE_OTHER);
});

db_test!(password_change_checks_the_current_one_and_signs_out_elsewhere, |app: TestApp| async move {
    let app = app.with_demo().await;
    let laptop = app.signed_in("pm@xinghe.example").await;
    let phone = app.signed_in("pm@xinghe.example").await;
    let wrong = laptop
        .post(
            "/account/password",
            &[
                ("current_password", "nope-nope"),
                ("new_password", "brand-new-pass"),
                ("new_password_confirm", "brand-new-pass"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = laptop
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "brand-new-pass"),
                ("new_password_confirm", "brand-new-pass"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/account").await.status, StatusCode::OK, "this browser stays signed in");
    assert_eq!(phone.get("/account").await.status, StatusCode::SEE_OTHER, "other sessions end");
    assert_eq!(app.browser().login("pm@xinghe.example", "brand-new-pass").await.status, StatusCode::SEE_OTHER);
});

db_test!(preferences_switch_language_and_time_zone, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.signed_in("member@xinghe.example").await;
    let bad = b.post("/account/preferences", &[("name", ""), ("locale", "en"), ("time_zone", "Mars/Olympus")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok =
        b.post("/account/preferences", &[("name", "Liu Yang"), ("locale", "en"), ("time_zone", "Europe/Berlin")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = b.get("/account").await;
    assert!(page.text().contains("lang=\"en\""));
    assert!(page.text().contains("Europe/Berlin"));
    use accord::users::entity::user;
    let u = user::Entity::find()
        .filter(user::Column::Email.eq("member@xinghe.example"))
        .one(app.db())
        .await
        .expect("q")
        .expect("u");
    assert_eq!((u.name.as_str(), u.locale.as_deref(), u.time_zone.as_str()), ("Liu Yang", Some("en"), "Europe/Berlin"));
});

db_test!(deactivated_users_lose_sessions_and_tokens, |app: TestApp| async move {
    let app = app.with_demo().await;
    let token = app.token("dev@yunfan.example").await;
    let dev = app.signed_in("dev@yunfan.example").await;
    let admin = app.signed_in("admin@xinghe.example").await;
    let id = app.user_id("dev@yunfan.example").await;
    assert_eq!(admin.post(&format!("/users/{id}/deactivate"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(dev.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/api/v1/me").bearer(&token).send().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.browser().login("dev@yunfan.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    // The record stays: history keeps the name.
    assert_eq!(admin.get(&format!("/users/{id}")).await.status, StatusCode::OK);
});

db_test!(the_last_administrator_cannot_be_removed, |app: TestApp| async move {
    let app = app.with_demo().await;
    let token = app.token("admin@xinghe.example").await;
    let id = app.user_id("admin@xinghe.example").await;
    let res =
        app.patch(&format!("/api/v1/users/{id}")).bearer(&token).json(serde_json::json!({"role": "pm"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let res = app
        .patch(&format!("/api/v1/users/{id}"))
        .bearer(&token)
        .json(serde_json::json!({"active": false}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["active"]);
});

db_test!(first_run_setup_link_creates_the_organisation_and_admin, |app: TestApp| async move {
    let token = accord::users::setup::issue_setup_token(&app.state).await.expect("issue").expect("token");
    let b = app.browser();
    assert_eq!(b.get("/setup?token=wrong").await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/setup?token={token}")).await.status, StatusCode::OK);
    let res = b
        .post(
            "/setup",
            &[
                ("token", &token),
                ("org_name", "Acme 集团"),
                ("name", "Root"),
                ("email", "root@acme.example"),
                ("password", "s3cret-pass"),
                ("password_confirm", "s3cret-pass"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(b.get("/parties").await.status, StatusCode::OK);
    assert!(accord::users::setup::issue_setup_token(&app.state).await.expect("issue").is_none(), "no second setup");
    assert_eq!(app.browser().get(&format!("/setup?token={token}")).await.status, StatusCode::NOT_FOUND);
});

db_test!(demo_data_is_not_added_to_a_real_installation, |app: TestApp| async move {
    let input = accord::users::setup::AdminInput {
        org_name: "Real Co",
        name: "Root",
        email: "root@real.example",
        password: "real-password",
    };
    accord::users::setup::create_admin(&app.state, input).await.expect("admin");
    assert!(accord::demo::seed(&app.state).await.is_err());
    let count = accord::users::entity::user::Entity::find().count(app.db()).await.expect("count");
    assert_eq!(count, 1, "no demo account with the published password");
});
