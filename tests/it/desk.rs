//! The home desk (what waits for each person, and only what they may see), search across
//! contracts and vendors through their scopes, and error pages inside the app's frame.

use axum::http::StatusCode;

use crate::{collaboration::enc, db_test, support::*};

/// The "waiting for you" card of a home page.
fn waiting_card(html: &str) -> &str {
    let start = html.find("data-testid=\"desk-waiting\"").expect("the waiting card");
    let rest = &html[start..];
    &rest[..rest.find("</section>").expect("end of the card")]
}

db_test!(the_desk_shows_each_person_what_waits_for_them, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    app.with_review(&e, &reqs).await;
    app.with_changes(&e).await;
    app.with_contracts(&e).await;

    // The PM: the board's change, the vendor's initial acceptance to record, the contract's
    // open dispute and its installment that fell due.
    let pm = app.signed_in("pm@xinghe.example").await.get("/").await;
    assert_eq!(pm.status, StatusCode::OK);
    let html = pm.text();
    let card = waiting_card(&html);
    for expected in [
        "变更待决策",
        "增加电子围栏",
        "初验待记录结果",
        "调度端 Web dispatch console",
        "付款争议待处理",
        "款项已到期",
        "M-S",
    ] {
        assert!(card.contains(expected), "the PM's desk lacks {expected}:\n{card}");
    }
    assert!(html.contains("ENG-1"), "the PM's engagements are listed");

    // The client's manager sits on the board and reviews: both wait for them. Nothing of the
    // vendor's contracts shows anywhere on their page.
    let client = app.signed_in("manager@hdlogistics.example").await.get("/").await.text();
    let card = waiting_card(&client);
    for expected in ["变更待决策", "增加电子围栏", "评审待投票", "一期需求评审"] {
        assert!(card.contains(expected), "the client's desk lacks {expected}:\n{card}");
    }
    for hidden in ["M-S", "M-V", "合同 M-S", "发票税率"] {
        assert!(!client.contains(hidden), "the client's page shows {hidden}");
    }

    // The vendor's manager reviews too, but has no vote on changes, and never sees the
    // client's own change request.
    let vendor = app.signed_in("manager@yunfan.example").await.get("/").await.text();
    let card = waiting_card(&vendor);
    assert!(card.contains("评审待投票"), "{card}");
    assert!(!card.contains("变更待决策"), "{card}");
    for hidden in ["报表导出", "M-C"] {
        assert!(!vendor.contains(hidden), "the vendor's page shows {hidden}");
    }
    // The client's menu has no vendor pages; the vendor's has.
    assert!(!client.contains("href=\"/vendors\""));
    assert!(vendor.contains("href=\"/vendors\""));

    // In English, the same desk names what it asks in English.
    let en = app.signed_in("pm@xinghe.example").await;
    en.post("/lang", &[("lang", "en")]).await;
    let html = en.get("/").await.text();
    assert!(waiting_card(&html).contains("Change to decide"), "{}", waiting_card(&html));
});

db_test!(search_finds_contracts_and_vendors_within_scope, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    app.with_contracts(&e).await;
    let kinds = |res: &Res| -> Vec<(String, String)> {
        res.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|h| (h["kind"].as_str().unwrap_or("").to_owned(), h["title"].as_str().unwrap_or("").to_owned()))
            .collect()
    };
    let pm = app.token("pm@xinghe.example").await;
    let client = app.token("manager@hdlogistics.example").await;
    // By number, by the counterparty's name, by a vendor's name and credit code.
    let hits = kinds(&app.get("/api/v1/search?q=M-C").bearer(&pm).send().await);
    assert!(hits.iter().any(|(k, t)| k == "contract" && t == "合同 M-C"), "{hits:?}");
    let hits = kinds(&app.get(&format!("/api/v1/search?q={}", enc("云帆"))).bearer(&pm).send().await);
    assert!(hits.iter().any(|(k, _)| k == "vendor"), "{hits:?}");
    assert!(hits.iter().any(|(k, t)| k == "contract" && t == "合同 M-S"), "{hits:?}");
    // The client finds its own contract, never the vendor's, and no vendor at all.
    let hits = kinds(&app.get("/api/v1/search?q=M-").bearer(&client).send().await);
    assert!(hits.iter().any(|(k, t)| k == "contract" && t == "合同 M-C"), "{hits:?}");
    assert!(!hits.iter().any(|(_, t)| t == "合同 M-S" || t == "合同 M-V"), "{hits:?}");
    let hits = kinds(&app.get(&format!("/api/v1/search?q={}", enc("云帆"))).bearer(&client).send().await);
    assert!(hits.iter().all(|(k, _)| k != "vendor" && k != "contract"), "{hits:?}");
    // The page names result types in the page's language.
    let page = app.signed_in("pm@xinghe.example").await.get("/search?q=M-C").await.text();
    assert!(page.contains(">合同<") && !page.contains("search-kind-"), "{page}");
});

db_test!(error_pages_of_a_signed_in_person_keep_the_frame, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.signed_in("pm@xinghe.example").await;
    for path in ["/engagements/999999", "/no-such-page", "/admin/audit"] {
        let res = pm.get(path).await;
        assert!(matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{path}: {}", res.status);
        let html = res.text();
        assert!(html.contains("id=\"sidebar\""), "{path}: the navigation is kept");
        assert!(!html.contains("href=\"/login\""), "{path}: no way to 'log in' for someone signed in");
    }
    // Signed out, a page still sends the visitor to log in.
    let res = app.browser().get("/engagements/1").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
});

/// The overview's due card of engagement `id` as `user` reads it.
async fn due_card(app: &TestApp, user: &str, id: i64) -> String {
    let html = app.signed_in(user).await.get(&format!("/engagements/{id}")).await.text();
    let start = html.find("id=\"attention\"").unwrap_or_else(|| panic!("{user}: no due list on the overview"));
    html[start..start + html[start..].find("</ul>").expect("end of the list")].to_owned()
}

db_test!(the_overview_counts_what_is_due_across_contracts_and_acceptance, |app: TestApp| async move {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ids = app.with_contracts(&e).await;
    // The vendor's obligation on the signed contract M-S falls behind.
    accord::contracts::entity::obligation::ActiveModel {
        id: Set(ids.obligation),
        due_date: Set(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date")),
        ..Default::default()
    }
    .update(app.writer())
    .await
    .expect("late obligation");

    // The PM sees M-S's late obligation and its installment that fell due, and the vendor's
    // initial acceptance waiting for its result.
    let pm = due_card(&app, "pm@xinghe.example", e.eng).await;
    for expected in ["提交周报", "合同义务", "款项 2026-11-01", "付款节点", "验收结论", "调度端 Web dispatch console"]
    {
        assert!(pm.contains(expected), "the PM's due list lacks {expected}:\n{pm}");
    }
    assert!(pm.contains("badge-red"), "late items are marked late:\n{pm}");
    // The vendor is M-S's counterparty: the same contract items.
    let vendor = due_card(&app, "manager@yunfan.example", e.eng).await;
    for expected in ["提交周报", "款项 2026-11-01"] {
        assert!(vendor.contains(expected), "the vendor's due list lacks {expected}:\n{vendor}");
    }
    // The client is no party to M-S: none of it, on the card or anywhere on the page.
    let client =
        app.signed_in("manager@hdlogistics.example").await.get(&format!("/engagements/{}", e.eng)).await.text();
    for hidden in ["提交周报", "款项 2026-11-01"] {
        assert!(!client.contains(hidden), "the client's overview shows {hidden}");
    }
    // The API's dashboard says the same.
    let json =
        app.signed_in("pm@xinghe.example").await.get(&format!("/api/v1/engagements/{}/dashboard", e.eng)).await.json();
    let kinds: Vec<&str> =
        json["overdue"].as_array().expect("overdue").iter().filter_map(|i| i["kind"].as_str()).collect();
    assert!(kinds.contains(&"obligation") && kinds.contains(&"installment"), "{json}");
    assert!(json["awaiting"].as_array().expect("awaiting").iter().any(|a| a["kind"] == "acceptance-result"), "{json}");
});

db_test!(a_counterparty_reads_its_contract_from_its_own_side, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let ids = app.with_contracts(&e).await;
    let host = {
        use sea_orm::EntityTrait;
        let id = accord::parties::service::host_ids(app.db()).await.expect("host")[0];
        accord::parties::entity::party::Entity::find_by_id(id).one(app.db()).await.expect("q").expect("host").name
    };
    // The host receives from its client: "应收 · 华东…" for the host.
    let pm = app.signed_in("pm@xinghe.example").await.get(&format!("/contracts/{}", ids.client)).await.text();
    let subtitle = |html: &str| {
        let at = html.find("page-subtitle").expect("subtitle");
        html[at..at + html[at..].find("</p>").expect("end")].to_owned()
    };
    let s = subtitle(&pm);
    assert!(s.contains("应收") && s.contains("华东"), "{s}");
    // The client pays the host: "应付 · <host>", never itself as the other side.
    let client = app.signed_in("manager@hdlogistics.example").await;
    let s = subtitle(&client.get(&format!("/contracts/{}", ids.client)).await.text());
    assert!(s.contains("应付") && s.contains(&host) && !s.contains("华东"), "{s}");
    let list = client.get("/contracts").await.text();
    assert!(list.contains("应付") && !list.contains(">应收<"), "the register reads from the client's side");
});

db_test!(with_no_administrator_the_login_page_says_where_setup_is, |app: TestApp| async move {
    let page = app.browser().get("/login").await.text();
    assert!(page.contains("data-testid=\"no-admin\"") && page.contains("accord admin create"), "{page}");
    let app = app.with_demo().await;
    let page = app.browser().get("/login").await.text();
    assert!(!page.contains("data-testid=\"no-admin\""), "an administrator exists");
});

db_test!(the_acceptance_certificate_has_a_number_and_a_seal_block_per_party, |app: TestApp| async move {
    use accord::acceptance::entity::acceptance;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    accord::demo::seed_to(&app.state, accord::demo::Extent::Full).await.expect("demo");
    // The demo's driver app: rejected at round 1, accepted at round 2 and signed by three parties.
    let a = acceptance::Entity::find()
        .filter(acceptance::Column::EffectiveAt.is_not_null())
        .one(app.db())
        .await
        .expect("query")
        .expect("a signed acceptance in the demo");
    let code = {
        use accord::engagements::entity::engagement;
        engagement::Entity::find_by_id(a.engagement_id).one(app.db()).await.expect("q").expect("engagement").code
    };
    let url = format!("/engagements/{}/acceptances/{}/certificate", a.engagement_id, a.id);
    let html = app.signed_in("pm@xinghe.example").await.get(&url).await.text();
    let number = accord::acceptance::pages::certificate_number(&code, &a.stage, a.round, a.id);
    assert!(number.starts_with(&format!("{code}-")) && number.ends_with(&format!("{:05}", a.id)), "{number}");
    assert!(html.contains(&format!("data-testid=\"certificate-number\">{number}<")), "the number is on the page");
    let signed = html.matches("class=\"seal-block is-signed\"").count();
    let required: Vec<i64> = serde_json::from_str(&a.required_parties).expect("required parties");
    assert_eq!(signed, required.len(), "one signed seal block per required party");
    assert!(html.contains("盖章处"), "room for each party's seal");
});
