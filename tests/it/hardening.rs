//! Accounts hardened: tokens that die when they should, throttling that can't be turned into
//! a lockout, CSRF bound to the session and refused across origins, rate limits, `__Host-`
//! cookies, sessions that stay ended, and a setup link that makes exactly one administrator.

use axum::http::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use accord::clock::Clock;

use crate::{db_test, support::*};

async fn me(app: &TestApp, token: &str) -> StatusCode {
    app.get("/api/v1/me").bearer(token).send().await.status
}

async fn exchange(app: &TestApp, email: &str, password: &str, peer: Option<&str>, xff: Option<&str>) -> Res {
    let mut req = app.post("/api/v1/tokens").json(json!({"email": email, "password": password}));
    if let Some(p) = peer {
        req = req.peer(p);
    }
    if let Some(x) = xff {
        req = req.header("x-forwarded-for", x);
    }
    req.send().await
}

db_test!(a_password_change_revokes_every_token_of_the_user, |app: TestApp| async move {
    let app = app.with_demo().await;
    let token = app.token("member@xinghe.example").await;
    let other = app.token("pm@xinghe.example").await;
    assert_eq!(me(&app, &token).await, StatusCode::OK);
    let b = app.signed_in("member@xinghe.example").await;
    let res = b
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a-new-passphrase-9"),
                ("new_password_confirm", "a-new-passphrase-9"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(me(&app, &token).await, StatusCode::UNAUTHORIZED, "the old token is dead");
    assert_eq!(me(&app, &other).await, StatusCode::OK, "someone else's token lives on");
    let fresh = exchange(&app, "member@xinghe.example", "a-new-passphrase-9", None, None).await;
    assert_eq!(fresh.status, StatusCode::CREATED);
    assert_eq!(me(&app, fresh.json()["token"].as_str().unwrap()).await, StatusCode::OK);
});

db_test!(deactivation_revokes_tokens_and_reactivation_does_not_bring_them_back, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.token("admin@xinghe.example").await;
    let token = app.token("dev@yunfan.example").await;
    let id = app.user_id("dev@yunfan.example").await;
    let path = format!("/api/v1/users/{id}");
    assert_eq!(me(&app, &token).await, StatusCode::OK);
    assert_eq!(app.patch(&path).bearer(&admin).json(json!({"active": false})).send().await.status, StatusCode::OK);
    assert_eq!(me(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.patch(&path).bearer(&admin).json(json!({"active": true})).send().await.status, StatusCode::OK);
    assert_eq!(me(&app, &token).await, StatusCode::UNAUTHORIZED, "reactivating does not revive the token");
    let list = app.get(&format!("{path}/tokens")).bearer(&admin).send().await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()[0]["status"], "revoked");
});

db_test!(tokens_expire_and_only_an_administrator_grants_never, |app: TestApp| async move {
    let app = app.with_demo().await;
    let now = app.clock.now();
    let res = exchange(&app, "pm@xinghe.example", PASSWORD, None, None).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let expires: chrono::DateTime<chrono::Utc> = res.json()["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!((expires - now).num_days(), 90, "the default lifetime");
    let short = app
        .post("/api/v1/tokens")
        .json(json!({"email": "pm@xinghe.example", "password": PASSWORD, "expires_in_days": 1}))
        .send()
        .await;
    let short = short.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(me(&app, &short).await, StatusCode::OK);
    for bad in [json!(0), json!(3651), json!("soon"), json!(-1)] {
        let res = app
            .post("/api/v1/tokens")
            .json(json!({"email": "pm@xinghe.example", "password": PASSWORD, "expires_in_days": bad}))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", res.text());
    }
    let never = json!({"email": "pm@xinghe.example", "password": PASSWORD, "expires_in_days": "never"});
    let res = app.post("/api/v1/tokens").json(never).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "a PM may not");
    assert_eq!(res.field_errors(), vec!["expires_in_days"]);
    let never = json!({"email": "admin@xinghe.example", "password": PASSWORD, "expires_in_days": "never"});
    let res = app.post("/api/v1/tokens").json(never).send().await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert!(res.json()["expires_at"].is_null());
    let forever = res.json()["token"].as_str().unwrap().to_owned();
    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(me(&app, &short).await, StatusCode::UNAUTHORIZED, "expired");
    assert_eq!(me(&app, &forever).await, StatusCode::OK);
    // The tokens page shows when each stops working; a PM is not offered "never".
    let b = app.signed_in("pm@xinghe.example").await;
    let page = b.get("/account/tokens").await.text();
    assert!(page.contains("已过期") || page.contains("Expired"), "expired status shown");
    assert!(!page.contains("value=\"never\""), "{page}");
    let res = b.post("/account/tokens", &[("name", "nightly"), ("expires_in_days", "never")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = b.post("/account/tokens", &[("name", "nightly"), ("expires_in_days", "30")]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("acc_"), "the secret is shown once");
});

db_test!(an_administrator_lists_and_revokes_anyones_tokens, |app: TestApp| async move {
    let app = app.with_demo().await;
    let admin = app.token("admin@xinghe.example").await;
    let pm_token = app.token("pm@xinghe.example").await;
    let pm = app.user_id("pm@xinghe.example").await;
    let admin_id = app.user_id("admin@xinghe.example").await;
    let list = app.get(&format!("/api/v1/users/{pm}/tokens")).bearer(&admin).send().await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json();
    assert_eq!(items.as_array().map(Vec::len), Some(1));
    assert!(!list.text().contains("acc_"), "never the secret");
    let tid = items[0]["id"].as_str().unwrap().to_owned();
    // Others may not: a PM can't see the admin's tokens, a vendor can't even see the PM.
    let res = app.get(&format!("/api/v1/users/{admin_id}/tokens")).bearer(&pm_token).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let vendor = app.token("manager@yunfan.example").await;
    let res = app.get(&format!("/api/v1/users/{pm}/tokens")).bearer(&vendor).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.post(&format!("/api/v1/users/{pm}/tokens/{tid}/revoke")).bearer(&vendor).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(me(&app, &pm_token).await, StatusCode::OK);
    let res = app.post(&format!("/api/v1/users/{pm}/tokens/{tid}/revoke")).bearer(&admin).send().await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &pm_token).await, StatusCode::UNAUTHORIZED);
    // On the user's page, too.
    let second = app.token("pm@xinghe.example").await;
    let b = app.signed_in("admin@xinghe.example").await;
    let page = b.get(&format!("/users/{pm}")).await.text();
    assert!(page.contains("id=\"tokens\""), "tokens section for an admin");
    let start = page.find(&format!("/users/{pm}/tokens/")).expect("a revoke form");
    let action: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let res = b.post(&action, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(me(&app, &second).await, StatusCode::UNAUTHORIZED);
    let pm_page = app.signed_in("pm@xinghe.example").await.get(&format!("/users/{pm}")).await.text();
    assert!(!pm_page.contains("id=\"tokens\""), "only administrators see the section");
});

db_test!(bearer_is_matched_without_regard_to_case, |app: TestApp| async move {
    let app = app.with_demo().await;
    let t = app.token("pm@xinghe.example").await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let res = app.get("/api/v1/me").header("authorization", &format!("{scheme} {t}")).send().await;
        assert_eq!(res.status, StatusCode::OK, "{scheme}");
    }
});

db_test!(parallel_guesses_cannot_exceed_the_limit, |app: TestApp| async move {
    let app = app.with_demo().await;
    let guesses = (0..16).map(|i| {
        let req = app
            .post("/api/v1/tokens")
            .json(json!({"email": "member@xinghe.example", "password": format!("wrong-{i}")}))
            .peer("198.51.100.20");
        req.send()
    });
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let refused = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + refused, 16);
    assert!(checked <= accord::auth::throttle::MAX_PER_EMAIL as usize, "{checked} passwords were checked");
    assert!(
        answers
            .iter()
            .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
            .all(|r| r.headers.contains_key("retry-after"))
    );
    use accord::auth::throttle::login_failure;
    let rows = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq("member@xinghe.example"))
        .count(app.db())
        .await
        .unwrap();
    assert!(rows <= accord::auth::throttle::MAX_PER_EMAIL, "{rows} failures kept");
});

db_test!(a_stranger_cannot_lock_the_owner_out, |app: TestApp| async move {
    let app = app.with_demo().await;
    let stranger = Some("198.51.100.66");
    for _ in 0..5 {
        let res = exchange(&app, "member@xinghe.example", "guess", stranger, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = exchange(&app, "member@xinghe.example", PASSWORD, stranger, None).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "the guesser is slowed down");
    let res = exchange(&app, "member@xinghe.example", PASSWORD, Some("203.0.113.5"), None).await;
    assert_eq!(res.status, StatusCode::CREATED, "the owner, elsewhere, gets in");
    // A flood from one address, spread over many e-mails, is cut.
    for i in 0..accord::auth::throttle::MAX_PER_IP {
        exchange(&app, &format!("nobody{i}@example.com"), "guess", Some("192.0.2.9"), None).await;
    }
    let res = exchange(&app, "pm@xinghe.example", PASSWORD, Some("192.0.2.9"), None).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let res = exchange(&app, "pm@xinghe.example", PASSWORD, Some("192.0.2.10"), None).await;
    assert_eq!(res.status, StatusCode::CREATED);
});

db_test!(forwarded_headers_count_only_from_trusted_proxies, |app: TestApp| async move {
    let app = app.with_demo().await.reconfigured(|c| {
        c.trusted_proxies = accord::config::parse_networks(&["10.0.0.0/8".into()]).unwrap();
    });
    // An untrusted peer can't dodge the count by naming a new address each time.
    for i in 0..5 {
        let xff = format!("192.0.2.{i}");
        let res = exchange(&app, "member@xinghe.example", "guess", Some("203.0.113.9"), Some(&xff)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = exchange(&app, "member@xinghe.example", PASSWORD, Some("203.0.113.9"), Some("192.0.2.200")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Behind the trusted proxy, clients are told apart by what the proxy says.
    for _ in 0..5 {
        let res = exchange(&app, "pm@xinghe.example", "guess", Some("10.0.0.2"), Some("198.51.100.1")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = exchange(&app, "pm@xinghe.example", PASSWORD, Some("10.0.0.2"), Some("198.51.100.1")).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let other = exchange(&app, "pm@xinghe.example", PASSWORD, Some("10.0.0.2"), Some("6.6.6.6, 198.51.100.2")).await;
    assert_eq!(other.status, StatusCode::CREATED, "another client behind the same proxy");
});

db_test!(re_entering_a_password_to_sign_is_throttled, |app: TestApp| async move {
    let app = app.with_demo().await;
    let viewer = app.viewer("pm@xinghe.example").await;
    for _ in 0..5 {
        let err = accord::auth::password::reauthenticate(&app.state, &viewer, "wrong").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let err = accord::auth::password::reauthenticate(&app.state, &viewer, PASSWORD).await.unwrap_err();
    assert_eq!(err.status(), StatusCode::TOO_MANY_REQUESTS, "even the right one waits");
    app.clock.advance(chrono::Duration::minutes(16));
    accord::auth::password::reauthenticate(&app.state, &viewer, PASSWORD).await.expect("after the window");
    // Changing the password is throttled the same way.
    let b = app.signed_in("member@xinghe.example").await;
    let change = |current: &'static str| {
        let b = b.clone();
        async move {
            b.post(
                "/account/password",
                &[
                    ("current_password", current),
                    ("new_password", "another-pass-42"),
                    ("new_password_confirm", "another-pass-42"),
                ],
            )
            .await
            .status
        }
    };
    for _ in 0..5 {
        assert_eq!(change("wrong").await, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(change(PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
});

db_test!(a_csrf_token_of_another_session_is_refused, |app: TestApp| async move {
    let app = app.with_demo().await;
    let alice = app.signed_in("pm@xinghe.example").await;
    let mallory = app.signed_in("member@xinghe.example").await;
    let mallorys = mallory.csrf().await;
    assert_ne!(alice.csrf().await, mallorys, "tokens are per session");
    let prefs = [("name", "陈静"), ("locale", "zh-CN"), ("time_zone", "Asia/Shanghai")];
    let mut fields: Vec<(&str, &str)> = prefs.to_vec();
    fields.push(("_csrf", &mallorys));
    let res = alice.post_without_csrf("/account/preferences", &fields).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = alice.send(Method::POST, "/account/preferences", None, &[("x-csrf-token", &mallorys)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A pre-sign-in token is not the session's either.
    let before = app.browser();
    let old = before.csrf().await;
    let res = before.login("pm@xinghe.example", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mut fields: Vec<(&str, &str)> = prefs.to_vec();
    fields.push(("_csrf", &old));
    assert_eq!(before.post_without_csrf("/account/preferences", &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.post("/account/preferences", &prefs).await.status, StatusCode::SEE_OTHER);
});

db_test!(unsafe_requests_from_another_origin_are_refused, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.signed_in("pm@xinghe.example").await;
    let token = b.csrf().await;
    let body = vec![
        ("name".to_owned(), "陈静".to_owned()),
        ("locale".to_owned(), "zh-CN".to_owned()),
        ("time_zone".to_owned(), "Asia/Shanghai".to_owned()),
        ("_csrf".to_owned(), token),
    ];
    let post = |extra: &'static [(&'static str, &'static str)]| {
        let (b, body) = (b.clone(), body.clone());
        async move { b.send(Method::POST, "/account/preferences", Some(body), extra).await.status }
    };
    assert_eq!(post(&[("origin", "https://evil.example")]).await, StatusCode::FORBIDDEN);
    assert_eq!(post(&[("sec-fetch-site", "cross-site")]).await, StatusCode::FORBIDDEN);
    assert_eq!(post(&[("sec-fetch-site", "same-site")]).await, StatusCode::FORBIDDEN);
    assert_eq!(post(&[("origin", "null")]).await, StatusCode::FORBIDDEN);
    assert_eq!(
        post(&[("origin", "http://accord.test"), ("sec-fetch-site", "same-origin")]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(post(&[("origin", "http://localhost:8080"), ("host", "localhost:8080")]).await, StatusCode::SEE_OTHER);
    assert_eq!(post(&[]).await, StatusCode::SEE_OTHER, "older browsers send neither");
});

db_test!(no_csrf_token_travels_in_a_url, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let b = app.signed_in("pm@xinghe.example").await;
    let token = b.csrf().await;
    let page = b.get(&format!("/engagements/{}/documents", e.eng)).await.text();
    assert!(!page.contains("?_csrf="), "forms keep the token in their body");
    // The token in the query string of an upload counts for nothing.
    let path = format!("/engagements/{}/documents?_csrf={token}", e.eng);
    let res = b.send(Method::POST, &path, None, &[("content-type", "multipart/form-data; boundary=x")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = b
        .upload(&format!("/engagements/{}/documents", e.eng), &[("title", "规格说明")], Some(("spec.txt", b"hello")))
        .await;
    assert!(res.status.is_redirection() || res.status == StatusCode::OK, "{} {}", res.status, res.text());
});

db_test!(rate_limits_answer_429_with_retry_after, |app: TestApp| async move {
    let app = app.with_demo().await.reconfigured(|c| {
        c.rate_limits = accord::config::RateLimits {
            client_per_second: 1,
            client_burst: 3,
            address_per_second: 1,
            address_burst: 6,
        };
    });
    let t = app.token("pm@xinghe.example").await;
    let other = app.token("member@xinghe.example").await;
    for _ in 0..3 {
        assert_eq!(me(&app, &t).await, StatusCode::OK);
    }
    let res = app.get("/api/v1/me").bearer(&t).send().await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.content_type(), "application/problem+json");
    assert!(res.headers.get("retry-after").and_then(|v| v.to_str().ok()).is_some_and(|v| v.parse::<u64>().is_ok()));
    assert_eq!(me(&app, &other).await, StatusCode::OK, "another token has its own bucket");
    // One address shares one bucket, signed in or not.
    for _ in 0..6 {
        app.get("/login").peer("192.0.2.78").send().await;
    }
    let page = app.get("/login").peer("192.0.2.78").header("accept-language", "en").send().await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text().contains("Too many requests"), "a page, in the reader's language");
    assert_eq!(app.get("/healthz").peer("192.0.2.78").send().await.status, StatusCode::OK, "probes are exempt");
});

db_test!(over_https_cookies_carry_the_host_prefix, |app: TestApp| async move {
    let app = app.with_demo().await.reconfigured(|c| c.base_url = "https://accord.test".into());
    let login = app.get("/login").send().await;
    let cookies: Vec<String> =
        login.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap_or("").to_owned()).collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("__Host-accord_csrf=") && c.contains("Secure") && c.contains("Path=/")),
        "{cookies:?}"
    );
    let res = app.post("/login").form(&[("email", "pm@xinghe.example"), ("password", PASSWORD)]).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A browser that keeps what it was given signs in and gets a prefixed session cookie.
    let nonce = cookies
        .iter()
        .find_map(|c| c.strip_prefix("__Host-accord_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("cookie", format!("__Host-accord_csrf={nonce}").parse().unwrap());
    let token = accord::web::csrf::token_for(&app.state, &headers).await.unwrap();
    let res = app
        .post("/login")
        .header("cookie", &format!("__Host-accord_csrf={nonce}"))
        .form(&[("email", "pm@xinghe.example"), ("password", PASSWORD), ("_csrf", &token)])
        .send()
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let set: Vec<String> =
        res.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap_or("").to_owned()).collect();
    assert!(set.iter().any(|c| c.starts_with("__Host-accord_session=") && c.contains("Secure")), "{set:?}");
});

db_test!(an_ended_session_is_not_written_back, |app: TestApp| async move {
    use tower_sessions::{
        SessionStore,
        session::{Id, Record},
    };
    let app = app.with_demo().await;
    let store =
        accord::auth::session_store::DbSessionStore::new(app.db().clone(), app.writer().clone(), app.clock.clone());
    let uid = app.user_id("pm@xinghe.example").await;
    let mut data = std::collections::HashMap::new();
    data.insert(accord::auth::SESSION_USER_KEY.to_owned(), json!(uid));
    let mut record =
        Record { id: Id::default(), data, expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1) };
    store.create(&mut record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_some());
    // The password changes elsewhere; a request that loaded the session before saves it after.
    accord::auth::session_store::end_sessions_of(app.writer(), uid).await.unwrap();
    record.data.insert("flash".into(), json!("late"));
    store.save(&record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_none(), "the session stays ended");
});

db_test!(the_setup_link_makes_exactly_one_administrator, |app: TestApp| async move {
    use accord::users::{entity::user, setup};
    let token = setup::issue_setup_token(&app.state).await.unwrap().expect("no admin yet");
    let post = |email: &'static str| {
        let b = app.browser();
        let token = token.clone();
        async move {
            b.post(
                "/setup",
                &[
                    ("token", token.as_str()),
                    ("org_name", "星河数字科技"),
                    ("name", "管理员"),
                    ("email", email),
                    ("password", "first-admin-pass"),
                    ("password_confirm", "first-admin-pass"),
                ],
            )
            .await
            .status
        }
    };
    let (a, b) = tokio::join!(post("one@xinghe.example"), post("two@xinghe.example"));
    let created = [a, b].iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    assert_eq!(created, 1, "{a} {b}");
    let admins = user::Entity::find().filter(user::Column::Role.eq("admin")).count(app.db()).await.unwrap();
    assert_eq!(admins, 1);
    assert_eq!(post("three@xinghe.example").await, StatusCode::NOT_FOUND, "the link is used up");
});

/// A plain HTTP/1.1 GET over loopback; the status code, or `None` while nothing listens.
async fn http_status(port: u16, path: &str) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    String::from_utf8_lossy(&answer).split_whitespace().nth(1)?.parse().ok()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

db_test!(metrics_get_a_listener_of_their_own_and_stay_off_the_public_port, |app: TestApp| async move {
    let (public, private) = (free_port(), free_port());
    let dir = tempfile::tempdir().expect("dir");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["serve", "--no-jobs", "--database-url", &app.cli_url()])
        .args(["--listen", &format!("127.0.0.1:{public}"), "--metrics-listen", &format!("127.0.0.1:{private}")])
        .current_dir(dir.path())
        .env("ACCORD_LOG", "error")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("run accord serve");
    let mut ready = false;
    for _ in 0..200 {
        if http_status(public, "/healthz").await == Some(200) && http_status(private, "/metrics").await.is_some() {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "accord serve did not come up");
    assert_eq!(http_status(private, "/metrics").await, Some(200), "the metrics listener needs no token");
    assert_eq!(http_status(private, "/healthz").await, Some(404), "and serves nothing else");
    assert_eq!(http_status(public, "/metrics").await, Some(404), "the public port has no /metrics");
    child.kill().await.expect("stop accord");
});
