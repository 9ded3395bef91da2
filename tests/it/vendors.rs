//! Vendors (issue 7): the directory (credit codes, status with reasons, bank details for finance
//! only, certificates and their expiry reminders), a selection from invitation to award through
//! the API, and a scorecard computed from one quarter of hand-made delivery facts.

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().map_or(Vec::new(), |a| a.iter().map(|x| x.as_str().unwrap_or("").to_owned()).collect())
}

async fn vendor_count(app: &TestApp, token: &str) -> usize {
    let list = app.get("/api/v1/vendors?limit=100").bearer(token).send().await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    list.json()["items"].as_array().map_or(0, Vec::len)
}

/// Sets the test clock to 09:00 UTC (17:00 in Shanghai) of a day.
fn at(app: &TestApp, y: i32, m: u32, d: u32) {
    app.clock.set(Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).single().expect("time"));
}

db_test!(credit_codes_are_checked_when_registering_a_vendor, |app: TestApp| async move {
    let app = app.with_demo().await;
    let pm = app.token("pm@xinghe.example").await;
    let before = vendor_count(&app, &pm).await;
    assert_eq!(before, 2, "云帆 and 数智");
    let vendor = |code: &str| {
        json!({"name": "钱塘数据 Qiantang Data", "legal_name": "杭州钱塘数据服务有限公司", "credit_code": code,
               "categories": ["data", "testing"], "regions": ["east"], "size": "small",
               "contacts": [{"name": "钱多多", "title": "商务经理", "email": "qian@qiantang.example"}]})
    };
    // The check digit of 91330106MA27XK7Q1? is Y (GB 32100-2015, weights 3^i mod 31).
    let res = app.post("/api/v1/vendors").bearer(&pm).json(vendor("91330106MA27XK7Q1X")).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert_eq!(res.field_errors(), vec!["credit_code"], "{}", res.text());
    assert_eq!(vendor_count(&app, &pm).await, before, "nothing created");

    let res = app.post("/api/v1/vendors").bearer(&pm).json(vendor("91330106ma27xk7q1y")).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let v = res.json();
    assert_eq!(v["credit_code"], "91330106MA27XK7Q1Y", "stored upper case");
    assert_eq!(v["status"], "prospect");
    assert_eq!(v["categories"], json!(["data", "testing"]));
    assert_eq!(v["regions"], json!(["east"]));
    assert_eq!(v["size"], "small");
    assert_eq!(v["contacts"][0]["email"], "qian@qiantang.example");
    assert_eq!(v["certificates"], json!([]));
    assert!(v["bank"].is_null(), "a PM does not see bank details");
    assert_eq!(vendor_count(&app, &pm).await, before + 1);

    // The same code again (under another name), and the demo host's own code: taken.
    let mut again = vendor("91330106MA27XK7Q1Y");
    again["name"] = json!("钱塘数据二号");
    let res = app.post("/api/v1/vendors").bearer(&pm).json(again).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert_eq!(res.field_errors(), vec!["credit_code"]);
    let mut host_code = vendor("91350100M000100Y43");
    host_code["name"] = json!("钱塘数据三号");
    let res = app.post("/api/v1/vendors").bearer(&pm).json(host_code).send().await;
    assert_eq!(res.field_errors(), vec!["credit_code"]);
    // Unknown categories and sizes are refused too.
    let mut bad = vendor("91310000MA1FL5B23L");
    bad["name"] = json!("浦江软件");
    bad["categories"] = json!(["gardening"]);
    bad["size"] = json!("huge");
    let res = app.post("/api/v1/vendors").bearer(&pm).json(bad).send().await;
    let mut fields = res.field_errors();
    fields.sort();
    assert_eq!(fields, vec!["categories", "size"], "{}", res.text());
    assert_eq!(vendor_count(&app, &pm).await, before + 1);
    let res = app
        .post("/api/v1/vendors")
        .bearer(&app.token("member@xinghe.example").await)
        .json(vendor("91310000MA1FL5B23L"))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a host member does not register vendors");
});

db_test!(status_moves_need_a_reason_and_a_blacklisted_vendor_is_not_invited, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let res = app
        .post("/api/v1/vendors")
        .bearer(&pm)
        .json(json!({"name": "浦江软件 Pujiang", "credit_code": "91310000MA1FL5B23L", "categories": ["software"]}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let vendor = id(&res.json());
    let url = format!("/api/v1/vendors/{vendor}");
    let patch = |body: Value| app.patch(&url).bearer(&pm).json(body).send();

    let res = patch(json!({"status": "active", "status_reason": "直接启用"})).await;
    assert_eq!(res.field_errors(), vec!["status"], "a prospect is qualified first: {}", res.text());
    let res = patch(json!({"status": "qualified"})).await;
    assert_eq!(res.field_errors(), vec!["status_reason"]);
    let res = patch(json!({"status": "qualified", "status_reason": " "})).await;
    assert_eq!(res.field_errors(), vec!["status_reason"]);
    let res = patch(json!({"status": "sleeping", "status_reason": "不存在"})).await;
    assert_eq!(res.field_errors(), vec!["status"]);
    let res = app
        .patch(&url)
        .bearer(&app.token("member@xinghe.example").await)
        .json(json!({"status": "qualified", "status_reason": "资质审核通过"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .patch(&url)
        .bearer(&app.token("approver@xinghe.example").await)
        .json(json!({"status": "qualified", "status_reason": "资质审核通过"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "finance does not run the directory");
    let res = patch(json!({"status": "qualified", "status_reason": "资质审核通过"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "qualified");
    let res = patch(json!({"status": "blacklisted", "status_reason": "围标串标，永不录用"})).await;
    assert_eq!(res.json()["status"], "blacklisted", "{}", res.text());
    let res = patch(json!({"status": "active", "status_reason": "误操作"})).await;
    assert_eq!(res.field_errors(), vec!["status"], "a blacklisted vendor starts over as a prospect");

    // A blacklisted vendor is not invited.
    let res = app
        .post("/api/v1/selections")
        .bearer(&pm)
        .json(json!({"title": "接口开发比选", "engagement_id": e.eng.to_string(), "deadline": "2026-12-10",
                     "template": "price_first"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let s = res.json();
    assert_eq!(s["criteria"].as_array().map(Vec::len), Some(3), "the template's criteria: {s}");
    let invite = format!("/api/v1/selections/{}/invitations", id(&s));
    let res = app.post(&invite).bearer(&pm).json(json!({"vendor_id": vendor})).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert_eq!(res.field_errors(), vec!["vendor_id"]);
    let got = app.get(&format!("/api/v1/selections/{}", id(&s))).bearer(&pm).send().await.json();
    assert_eq!(got["invited_vendor_ids"], json!([]), "nothing changed");

    // Back as a prospect it may be invited again.
    let res = patch(json!({"status": "prospect", "status_reason": "整改完成，重新准入"})).await;
    assert_eq!(res.json()["status"], "prospect", "{}", res.text());
    let res = app.post(&invite).bearer(&pm).json(json!({"vendor_id": vendor})).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(ids(&res.json()["invited_vendor_ids"]), vec![vendor.clone()]);
    let res = app.post(&invite).bearer(&pm).json(json!({"vendor_id": vendor})).send().await;
    assert_eq!(res.field_errors(), vec!["vendor_id"], "invited once");

    // Every move is on record with its reason.
    let history = accord::vendors::directory::status_history(app.db(), vendor.parse().expect("id")).await.expect("q");
    let moves: Vec<(&str, &str, &str)> =
        history.iter().map(|h| (h.from_status.as_str(), h.to_status.as_str(), h.reason.as_str())).collect();
    assert_eq!(
        moves,
        vec![
            ("blacklisted", "prospect", "整改完成，重新准入"),
            ("qualified", "blacklisted", "围标串标，永不录用"),
            ("prospect", "qualified", "资质审核通过"),
        ]
    );
});

db_test!(bank_details_are_for_finance_and_the_vendors_managers, |app: TestApp| async move {
    let app = app.with_demo().await;
    let yunfan = app.party_id("云帆").await;
    let url = format!("/api/v1/vendors/{yunfan}");
    let manager = app.token("manager@yunfan.example").await;
    let bank = json!({"bank_name": "招商银行杭州分行", "bank_account": "5719 0123-4567 890",
                      "bank_account_name": "杭州云帆软件有限公司"});
    let res = app.patch(&url).bearer(&app.token("pm@xinghe.example").await).json(bank.clone()).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a PM does not change bank details");
    let res = app.patch(&url).bearer(&app.token("dev@yunfan.example").await).json(bank.clone()).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "nor does the vendor's member");
    let res = app.patch(&url).bearer(&manager).json(json!({"bank_account": "62-2588/1234"})).send().await;
    assert_eq!(res.field_errors(), vec!["bank_account"]);
    let res = app.patch(&url).bearer(&manager).json(bank).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["bank"]["bank_account"], "571901234567890", "spaces and dashes dropped");

    for (email, sees) in [
        ("approver@xinghe.example", true),
        ("manager@yunfan.example", true),
        ("admin@xinghe.example", false),
        ("pm@xinghe.example", false),
        ("member@xinghe.example", false),
        ("dev@yunfan.example", false),
    ] {
        let t = app.token(email).await;
        let one = app.get(&url).bearer(&t).send().await.json();
        let listed = app.get("/api/v1/vendors").bearer(&t).send().await.json();
        let row = listed["items"]
            .as_array()
            .and_then(|a| a.iter().find(|v| v["id"] == yunfan.to_string().as_str()).cloned())
            .expect("listed");
        if sees {
            assert_eq!(
                one["bank"],
                json!({"bank_name": "招商银行杭州分行", "bank_account": "571901234567890",
                       "bank_account_name": "杭州云帆软件有限公司"}),
                "{email}"
            );
            assert_eq!(row["bank"], one["bank"], "{email} in the list");
        } else {
            assert!(one["bank"].is_null(), "{email} sees no bank details: {one}");
            assert!(row["bank"].is_null(), "{email} in the list");
        }
    }
    // The audit trail, read by more people than finance, does not carry the account.
    use accord::audit::entity::event;
    let logs =
        event::Entity::find().filter(event::Column::Action.eq("vendor.update")).all(app.db()).await.expect("audit");
    assert_eq!(logs.len(), 1);
    let text = format!("{:?}", logs[0]);
    assert!(!text.contains("571901234567890") && !text.contains("招商银行"), "{text}");
    assert!(text.contains("bank_details_changed"), "{text}");
});

db_test!(certificates_expire_and_the_watch_reminds_once, |app: TestApp| async move {
    use accord::mail::entity::outbox_email;
    let app = app.with_demo().await;
    let yunfan = app.party_id("云帆").await;
    let url = format!("/api/v1/vendors/{yunfan}/certificates");
    let manager = app.token("manager@yunfan.example").await;
    // Today is 2026-11-23: 2026-12-13 is 20 days away, within the 30 days' notice.
    let res = app
        .post(&url)
        .bearer(&manager)
        .multipart(
            &[
                ("kind", "iso27001"),
                ("name", "ISO/IEC 27001 信息安全"),
                ("number", "ISMS-2023-0815"),
                ("issuer", "中国网络安全审查认证中心"),
                ("issued_on", "2023-12-14"),
                ("expires_on", "2026-12-13"),
            ],
            Some(("ISO27001.pdf", b"%PDF-1.4 isms certificate" as &[u8])),
        )
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let c = res.json();
    assert_eq!(c["state"], "expiring");
    assert_eq!(c["kind"], "iso27001");
    assert_eq!(c["expires_on"], "2026-12-13");
    assert_eq!(c["file_ids"].as_array().map(Vec::len), Some(1));
    let res = app
        .post(&url)
        .bearer(&app.token("pm@xinghe.example").await)
        .multipart(&[("kind", "cmmi"), ("expires_on", "2028-06-30")], Some(("CMMI3.txt", "CMMI 3 级".as_bytes())))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "valid");
    assert_eq!(res.json()["name"], "CMMI", "the kind's name when none is given");
    // On file already lapsed: shown as expired, and no "expires on" reminder goes out for it.
    let res = app
        .post(&url)
        .bearer(&manager)
        .multipart(&[("kind", "license"), ("name", "旧版许可证"), ("expires_on", "2026-06-30")], None)
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["state"], "expired");

    // Refused: an executable, an unknown kind, an expiry before the issue, the vendor's member.
    let res = app
        .post(&url)
        .bearer(&manager)
        .multipart(&[("kind", "iso9001")], Some(("cert.pdf.exe", b"MZ\x90\x00 not a certificate" as &[u8])))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["file"], "{}", res.text());
    let res = app.post(&url).bearer(&manager).multipart(&[("kind", "iso1234")], None).send().await;
    assert_eq!(res.field_errors(), vec!["kind"]);
    let res = app
        .post(&url)
        .bearer(&manager)
        .multipart(&[("kind", "license"), ("issued_on", "2026-01-02"), ("expires_on", "2026-01-01")], None)
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["expires_on"]);
    let res = app
        .post(&url)
        .bearer(&app.token("dev@yunfan.example").await)
        .multipart(&[("kind", "iso9001")], Some(("ISO9001.pdf", b"%PDF-1.4" as &[u8])))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .post(&format!("/api/v1/vendors/{}/certificates", app.party_id("数智").await))
        .bearer(&manager)
        .multipart(&[("kind", "iso9001")], None)
        .send()
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "another vendor's directory entry");
    let v = app.get(&format!("/api/v1/vendors/{yunfan}")).bearer(&manager).send().await.json();
    let certs = v["certificates"].as_array().cloned().unwrap_or_default();
    let states: Vec<(&str, &str)> =
        certs.iter().map(|c| (c["kind"].as_str().unwrap_or(""), c["state"].as_str().unwrap_or(""))).collect();
    assert_eq!(
        states,
        vec![("license", "expired"), ("iso27001", "expiring"), ("cmmi", "valid")],
        "soonest expiry first"
    );
    let listed = app.get("/api/v1/vendors").bearer(&manager).send().await.json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1), "a vendor lists only itself");

    // The watch: one reminder per recipient (the vendor's manager, the host's admin and PM), once.
    let outbox = || outbox_email::Entity::find().all(app.db());
    let before = outbox().await.expect("outbox").len();
    let sent = accord::vendors::watch(&app.state).await.expect("watch");
    assert_eq!(sent, 3);
    let mails = outbox().await.expect("outbox");
    let mut to: Vec<String> = mails[before..].iter().map(|m| m.to_address.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["admin@xinghe.example", "manager@yunfan.example", "pm@xinghe.example"]);
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(accord::vendors::watch(&app.state).await.expect("watch"), 0, "no second batch");
    assert_eq!(outbox().await.expect("outbox").len(), mails.len());
    // A lapse is flagged as expired, without a new reminder.
    app.clock.advance(chrono::Duration::days(20));
    let v = app.get(&format!("/api/v1/vendors/{yunfan}")).bearer(&manager).send().await.json();
    assert_eq!(v["certificates"][1]["state"], "expired", "{v}");
    assert_eq!(accord::vendors::watch(&app.state).await.expect("watch"), 0);
});

db_test!(a_selection_from_invitation_to_award, |app: TestApp| async move {
    let app = app.with_demo().await;
    let e = app.with_engagement().await;
    let pm = app.token("pm@xinghe.example").await;
    let member = app.token("member@xinghe.example").await;
    let approver = app.token("approver@xinghe.example").await;
    let yunfan_mgr = app.token("manager@yunfan.example").await;
    let shuzhi_mgr = app.token("manager@shuzhi.example").await;
    let shuzhi_qa = app.token("qa@shuzhi.example").await;
    let (yunfan, shuzhi) = (app.party_id("云帆").await.to_string(), app.party_id("数智").await.to_string());
    let (member_id, approver_id) = (
        app.user_id("member@xinghe.example").await.to_string(),
        app.user_id("approver@xinghe.example").await.to_string(),
    );
    // ENG-2 has no vendor yet: the award brings the winner in.
    let input = |price: u32, capability: u32| {
        json!({"title": "调度端二期比选", "engagement_id": e.eng2.to_string(), "scope": "调度端 Web 二期",
               "category": "software", "budget_min": {"amount": "50000"}, "budget_max": {"amount": "120000"},
               "deadline": "2026-11-30T18:00:00+08:00",
               "criteria": [{"name": "价格", "weight": price}, {"name": "能力", "weight": capability}],
               "evaluator_ids": [member_id, approver_id]})
    };
    let res = app.post("/api/v1/selections").bearer(&pm).json(input(60, 30)).send().await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["criteria"], "weights add up to 90: {}", res.text());
    let res = app.post("/api/v1/selections").bearer(&pm).json(input(60, 40)).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let s = res.json();
    assert_eq!(s["deadline"], "2026-11-30T10:00:00Z");
    assert_eq!(s["phase"], "bidding");
    assert_eq!(s["sheets_needed"], 0);
    let sel = format!("/api/v1/selections/{}", id(&s));
    let criteria: Vec<(String, i64)> = s["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| (c["name"].as_str().unwrap_or("").to_owned(), c["weight"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(criteria, vec![("价格".to_owned(), 60), ("能力".to_owned(), 40)]);
    for v in [&yunfan, &shuzhi] {
        let res = app.post(&format!("{sel}/invitations")).bearer(&pm).json(json!({"vendor_id": v})).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    // Bids: the vendor's manager, sealed from the host and from the other vendor.
    let bid = |token: &str, amount: &str| {
        app.post(&format!("{sel}/bids"))
            .bearer(token)
            .json(json!({"price": {"amount": amount}, "summary": "团队与方案见附件"}))
            .send()
    };
    let res = bid(&app.token("dev@yunfan.example").await, "90000").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a vendor member does not bid");
    let res = bid(&yunfan_mgr, "100000.00").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = bid(&shuzhi_mgr, "80000.00").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = bid(&yunfan_mgr, "96000.00").await;
    assert_eq!(res.json()["bids"][0]["revision"], 2, "revised before the deadline");
    let res = bid(&shuzhi_mgr, "-1").await;
    assert_eq!(res.field_errors(), vec!["price"]);
    let res = app
        .post(&format!("{sel}/bids/files"))
        .bearer(&shuzhi_mgr)
        .multipart(&[], Some(("数智方案.pdf", b"%PDF-1.4 proposal" as &[u8])))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    for token in [&shuzhi_mgr, &shuzhi_qa] {
        let seen = app.get(&sel).bearer(token).send().await.json();
        let bids = seen["bids"].as_array().cloned().unwrap_or_default();
        assert_eq!(bids.len(), 1, "only its own bid: {seen}");
        assert_eq!(bids[0]["vendor_id"], shuzhi.as_str());
        assert_eq!(bids[0]["price"]["amount"], "80000.00");
        assert_eq!(bids[0]["file_ids"].as_array().map(Vec::len), Some(1));
        assert_eq!(ids(&seen["invited_vendor_ids"]), vec![shuzhi.clone()]);
        assert_eq!(seen["evaluator_ids"], json!([]));
        assert!(seen["bids_in"].is_null() && seen["budget_max"].is_null() && seen["engagement_id"].is_null());
    }
    let host = app.get(&sel).bearer(&pm).send().await.json();
    assert_eq!(host["bids_in"], 2);
    assert_eq!(host["bids"], json!([]), "sealed until the deadline");
    assert_eq!(host["sheets_needed"], 4, "two evaluators × two bids");
    assert_eq!(ids(&host["invited_vendor_ids"]), vec![yunfan.clone(), shuzhi.clone()]);
    let sheet = |vendor: &str, price: u32, capability: u32| json!({"vendor_id": vendor, "scores": [{"criterion": "价格", "score": price}, {"criterion": "能力", "score": capability}]});
    let res = app.post(&format!("{sel}/scores")).bearer(&member).json(sheet(&yunfan, 70, 90)).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "no scoring while bidding: {}", res.text());
    let res = app.get(&format!("{sel}/ranking")).bearer(&member).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    // The deadline passes: late bids are refused and change nothing; the host sees the offers.
    at(&app, 2026, 11, 30);
    app.clock.advance(chrono::Duration::hours(1)); // 10:00 UTC, the deadline itself
    let res = bid(&yunfan_mgr, "50000.00").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let own = app.get(&sel).bearer(&yunfan_mgr).send().await.json();
    assert_eq!(own["bids"][0]["price"]["amount"], "96000.00");
    assert_eq!(own["bids"][0]["revision"], 2);
    assert_eq!(own["phase"], "evaluating");
    let host = app.get(&sel).bearer(&pm).send().await.json();
    let offers: Vec<(&str, &str)> = host["bids"]
        .as_array()
        .expect("bids")
        .iter()
        .map(|b| (b["vendor_id"].as_str().unwrap_or(""), b["price"]["amount"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(offers, vec![(yunfan.as_str(), "96000.00"), (shuzhi.as_str(), "80000.00")]);

    // Scoring: evaluators only, every criterion 0–100.
    let res = app.post(&format!("{sel}/scores")).bearer(&pm).json(sheet(&yunfan, 70, 90)).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the PM runs it but does not evaluate");
    let res = app.post(&format!("{sel}/scores")).bearer(&member).json(sheet(&yunfan, 101, 90)).send().await;
    assert_eq!(res.field_errors(), vec!["scores[0].score"]);
    let res = app
        .post(&format!("{sel}/scores"))
        .bearer(&member)
        .json(json!({"vendor_id": yunfan, "scores": [{"criterion": "价格", "score": 70}]}))
        .send()
        .await;
    assert_eq!(res.field_errors(), vec!["scores"], "能力 is missing");
    // A first sheet for 云帆 that the member then replaces.
    for (token, vendor, price, capability) in [
        (&member, &yunfan, 10, 10),
        (&member, &yunfan, 70, 90),
        (&member, &shuzhi, 90, 60),
        (&approver, &yunfan, 80, 80),
    ] {
        let res = app.post(&format!("{sel}/scores")).bearer(token).json(sheet(vendor, price, capability)).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let res = app.get(&format!("{sel}/ranking")).bearer(&member).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "sealed until every sheet is in: {}", res.text());
    let host = app.get(&sel).bearer(&pm).send().await.json();
    assert_eq!((host["sheets_in"].as_i64(), host["sheets_needed"].as_i64()), (Some(3), Some(4)));
    let res = app
        .post(&format!("{sel}/award"))
        .bearer(&pm)
        .json(json!({"vendor_id": yunfan,
        "justification": "综合得分第一，报价在预算内"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "no award before every sheet is in");
    let res = app.post(&format!("{sel}/scores")).bearer(&approver).json(sheet(&shuzhi, 85, 70)).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    // By hand: 云帆 价格 (70 + 80) / 2 = 75, 能力 (90 + 80) / 2 = 85, total 75 × 0.6 + 85 × 0.4 = 79;
    // the member's own total 70 × 0.6 + 90 × 0.4 = 78, the approver's 80.
    // 数智 价格 (90 + 85) / 2 = 87.5, 能力 (60 + 70) / 2 = 65, total 52.5 + 26 = 78.5;
    // the member's 90 × 0.6 + 60 × 0.4 = 78, the approver's 85 × 0.6 + 70 × 0.4 = 79.
    let res = app.get(&format!("{sel}/ranking")).bearer(&yunfan_mgr).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the ranking is the host's");
    let res = app.get(&format!("{sel}/ranking")).bearer(&member).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let r = res.json();
    assert_eq!(ids(&r["evaluator_ids"]).len(), 2);
    let by = |row: &Value, who: &str| -> f64 {
        let i = ids(&r["evaluator_ids"]).iter().position(|e| e == who).expect("evaluator");
        row["by_evaluator"][i].as_f64().expect("number")
    };
    let rows = r["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["vendor_id"], yunfan.as_str());
    assert_eq!(rows[0]["price"]["amount"], "96000.00");
    assert_eq!(rows[0]["criteria"], json!([75.0, 85.0]));
    assert_eq!(rows[0]["total"].as_f64(), Some(79.0));
    assert_eq!((by(&rows[0], &member_id), by(&rows[0], &approver_id)), (78.0, 80.0));
    assert_eq!(rows[1]["rank"], 2);
    assert_eq!(rows[1]["vendor_id"], shuzhi.as_str());
    assert_eq!(rows[1]["criteria"], json!([87.5, 65.0]));
    assert_eq!(rows[1]["total"].as_f64(), Some(78.5));
    assert_eq!((by(&rows[1], &member_id), by(&rows[1], &approver_id)), (78.0, 79.0));

    // The award: a written reason, then the winner takes part, a draft contract, active status.
    let engagement = format!("/api/v1/engagements/{}", e.eng2);
    assert_eq!(app.get(&engagement).bearer(&yunfan_mgr).send().await.status, StatusCode::NOT_FOUND);
    let award = |token: &str, justification: &str| {
        app.post(&format!("{sel}/award"))
            .bearer(token)
            .json(json!({"vendor_id": yunfan, "justification": justification}))
            .send()
    };
    let res = award(&pm, "分数最高").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.field_errors(), vec!["justification"], "{}", res.text());
    let res = award(&member, "综合得分第一，报价在预算内").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "evaluators do not award");
    let res = award(&pm, "综合得分第一，报价在预算内").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let s = res.json();
    assert_eq!(s["state"], "awarded");
    assert_eq!(s["phase"], "awarded");
    assert_eq!(s["awarded_vendor_id"], yunfan.as_str());
    assert_eq!(s["justification"], "综合得分第一，报价在预算内");
    let contract = s["contract_id"].as_str().expect("contract").to_owned();
    let c = app.get(&format!("/api/v1/contracts/{contract}")).bearer(&pm).send().await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text());
    let c = c.json();
    assert_eq!(c["state"], "draft");
    assert_eq!(c["direction"], "payable");
    assert_eq!(c["total"]["amount"], "96000.00", "the winning bid's price");
    assert_eq!(c["currency"], "CNY");
    assert_eq!(c["counterparty_id"], yunfan.as_str());
    assert_eq!(ids(&c["engagement_ids"]), vec![e.eng2.to_string()]);
    assert_eq!(c["title"], "调度端二期比选");
    assert_eq!(app.get(&engagement).bearer(&yunfan_mgr).send().await.status, StatusCode::OK, "a participant now");
    let v = app.get(&format!("/api/v1/vendors/{yunfan}")).bearer(&pm).send().await.json();
    assert_eq!(v["status"], "active", "a prospect qualified and activated by the award");
    let history =
        accord::vendors::directory::status_history(app.db(), yunfan.parse().expect("id")).await.expect("history");
    assert_eq!(history.len(), 2);
    // The loser learns the outcome, not the winner or the contract.
    let lost = app.get(&sel).bearer(&shuzhi_mgr).send().await.json();
    assert_eq!(lost["state"], "awarded");
    assert!(lost["awarded_vendor_id"].is_null() && lost["contract_id"].is_null(), "{lost}");
    let won = app.get(&sel).bearer(&yunfan_mgr).send().await.json();
    assert_eq!(won["awarded_vendor_id"], yunfan.as_str());
    assert_eq!(won["contract_id"], contract.as_str());
    let res = award(&pm, "再授一次，看看会怎样").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let res = app.post(&format!("{sel}/cancel")).bearer(&pm).json(json!({"reason": "预算取消"})).send().await;
    assert_eq!(res.status, StatusCode::CONFLICT, "decided");
    use accord::contracts::entity::contract;
    assert_eq!(contract::Entity::find().count(app.db()).await.expect("count"), 1, "one contract only");
});

// The scorecard of 数智 for 2026Q4 from facts made by hand on its own engagement, with the
// clock walked from October to the end of November.
db_test!(a_scorecard_from_one_quarter_of_facts, |app: TestApp| async move {
    use accord::{
        acceptance::service as acceptance,
        changes::service as changes,
        domain::Id,
        engagements::{deliverables, plan, service},
    };
    at(&app, 2026, 10, 5);
    let app = app.with_demo().await;
    let admin = app.viewer("admin@xinghe.example").await;
    let manager = app.viewer("manager@shuzhi.example").await;
    let shuzhi = app.party_id("数智").await;
    let input = service::EngagementInput {
        code: Some("ENG-S".into()),
        name: Some("测试外包 QA outsourcing".into()),
        kind: Some("outsourced_development".into()),
        start_date: Some("2026-10-01".into()),
        end_date: Some("2027-03-31".into()),
        ..Default::default()
    };
    let eng = service::create(&app.state, &admin, input).await.expect("engagement").id;
    let join = service::ParticipantInput { party_id: Id(shuzhi), relation: "vendor".into() };
    service::add_participant(&app.state, &admin, eng, join).await.expect("participant");
    let milestone = |name: &str, due: &str, owner: Option<i64>| plan::MilestoneInput {
        name: name.into(),
        due_date: due.into(),
        owner_party_id: owner.map(Id),
        ..Default::default()
    };
    let mut m = Vec::new();
    for (name, due, owner) in [
        ("需求分析 analysis", "2026-11-10", Some(shuzhi)),
        ("原型评审 prototype", "2026-11-15", Some(shuzhi)),
        ("接口联调 integration", "2026-11-18", Some(shuzhi)),
        ("性能测试 load test", "2026-12-20", Some(shuzhi)),
        ("上线 go-live", "2027-01-10", Some(shuzhi)),
        ("内部验收 host's own", "2026-11-01", None),
    ] {
        m.push(
            plan::create_milestone(&app.state, &admin, eng, milestone(name, due, owner)).await.expect("milestone").id,
        );
    }
    let set_milestone = |id: i64, status: &str| {
        let patch = plan::MilestonePatch { status: Some(status.into()), ..Default::default() };
        plan::update_milestone(&app.state, &admin, eng, id, patch)
    };
    let deliverable = |name: &str, criteria: &[&str]| deliverables::DeliverableInput {
        name: name.into(),
        due_date: "2026-11-30".into(),
        owner_party_id: Some(Id(shuzhi)),
        criteria: criteria.iter().map(|c| (*c).to_owned()).collect(),
        ..Default::default()
    };
    let d1 = deliverables::create(&app.state, &admin, eng, deliverable("测试方案 test plan", &["覆盖主流程"]))
        .await
        .expect("d1");
    let d2 = deliverables::create(
        &app.state,
        &admin,
        eng,
        deliverable("测试报告 test report", &["用例齐全", "缺陷已登记", "附性能数据"]),
    )
    .await
    .expect("d2");
    let submit = |d: i64| {
        let input = acceptance::SubmitInput { stage: "initial".into(), ..Default::default() };
        acceptance::submit(&app.state, &manager, d, input)
    };
    let decide = |a: i64, failed: &'static [usize], outcome: &'static str| {
        let app = &app;
        let admin = &admin;
        async move {
            let items = acceptance::items(app.db(), a).await.expect("items");
            let results = items
                .iter()
                .enumerate()
                .map(|(i, it)| acceptance::ItemResult {
                    id: Id(it.id),
                    passed: !failed.contains(&i),
                    note: failed.contains(&i).then(|| format!("第 {} 项未通过", i + 1)),
                    severity: None,
                })
                .collect();
            let input = acceptance::ResultInput { items: results, outcome: outcome.into(), conditions: None };
            acceptance::record_results(&app.state, admin, a, input).await.expect("result");
        }
    };

    // 11-05: M1 achieved five days early; 测试方案 submitted, accepted the next day.
    at(&app, 2026, 11, 5);
    set_milestone(m[0], "achieved").await.expect("m1");
    let a1 = submit(d1.id).await.expect("submit d1").id;
    at(&app, 2026, 11, 6);
    decide(a1, &[], "accepted").await;
    // 11-08 … 11-17: 测试报告 rejected at round 1 (two items fail: two defects), accepted at round 2.
    at(&app, 2026, 11, 8);
    let a2 = submit(d2.id).await.expect("submit d2").id;
    at(&app, 2026, 11, 10);
    decide(a2, &[1, 2], "rejected").await;
    at(&app, 2026, 11, 12);
    let raised = changes::ChangeInput {
        title: "增加兼容性测试 compatibility".into(),
        reason: "客户新增机型".into(),
        ..Default::default()
    };
    changes::create(&app.state, &manager, eng, raised).await.expect("vendor's change");
    let ours =
        changes::ChangeInput { title: "缩减范围 trim".into(), reason: "预算".into(), ..Default::default() };
    changes::create(&app.state, &admin, eng, ours).await.expect("host's change (not the vendor's)");
    at(&app, 2026, 11, 14);
    let a3 = submit(d2.id).await.expect("resubmit d2").id;
    at(&app, 2026, 11, 17);
    decide(a3, &[], "accepted").await;
    // 11-20: M2 achieved five days late, M3 missed; the host's own milestone does not count.
    at(&app, 2026, 11, 20);
    set_milestone(m[1], "achieved").await.expect("m2");
    set_milestone(m[2], "missed").await.expect("m3");
    set_milestone(m[5], "achieved").await.expect("host's");
    // 11-25: a defect found later in 测试方案; 11-26: go-live (due next quarter) achieved early.
    at(&app, 2026, 11, 25);
    let found = accord::acceptance::defects::DefectInput {
        deliverable_id: Some(Id(d1.id)),
        title: "测试方案缺少回归范围".into(),
        severity: Some("minor".into()),
        ..Default::default()
    };
    accord::acceptance::defects::create(&app.state, &admin, eng, found).await.expect("defect");
    at(&app, 2026, 11, 26);
    set_milestone(m[4], "achieved").await.expect("m5");

    // Manual evaluations from the quarterly template (质量 30, 交付 25, 沟通 20, 配合 15, 合规 10).
    let admin_t = app.token("admin@xinghe.example").await;
    let pm_t = app.token("pm@xinghe.example").await;
    let templates = app.get("/api/v1/evaluation-templates?kind=evaluation").bearer(&admin_t).send().await.json();
    let quarterly = templates["items"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["key"] == "quarterly").cloned())
        .expect("quarterly template");
    let names: Vec<String> = quarterly["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or("").into())
        .collect();
    let weights: Vec<i64> =
        quarterly["criteria"].as_array().expect("criteria").iter().map(|c| c["weight"].as_i64().unwrap_or(0)).collect();
    assert_eq!(weights, vec![30, 25, 20, 15, 10]);
    let evaluate = |token: &str, period: &str, scores: [u32; 5]| {
        let scores: Vec<Value> = names.iter().zip(scores).map(|(n, s)| json!({"criterion": n, "score": s})).collect();
        app.post(&format!("/api/v1/vendors/{shuzhi}/evaluations"))
            .bearer(token)
            .json(json!({"period": period, "template": "quarterly", "scores": scores, "comment": "按季度评价"}))
            .send()
    };
    let res = evaluate(&admin_t, "2026Q4", [10, 10, 10, 10, 10]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    // Replaced: 90×30 + 80×25 + 70×20 + 60×15 + 50×10 = 7500 → 75.
    let res = evaluate(&admin_t, "2026Q4", [90, 80, 70, 60, 50]).await;
    assert_eq!(res.json()["total"].as_f64(), Some(75.0), "{}", res.text());
    // 80×30 + 80×25 + 80×20 + 80×15 + 100×10 = 8200 → 82.
    let res = evaluate(&pm_t, "2026Q4", [80, 80, 80, 80, 100]).await;
    assert_eq!(res.json()["total"].as_f64(), Some(82.0), "{}", res.text());
    // Another quarter's evaluation does not count in this one.
    let res = evaluate(&pm_t, "2026Q3", [0, 0, 0, 0, 0]).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = evaluate(&app.token("manager@shuzhi.example").await, "2026Q4", [100, 100, 100, 100, 100]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a vendor does not evaluate itself");

    at(&app, 2026, 11, 30);
    let card_url = format!("/api/v1/vendors/{shuzhi}/scorecard?period=2026Q4");
    let res = app.get(&card_url).bearer(&pm_t).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let card = res.json();
    assert_eq!(card["period"], "2026Q4");
    let kpi = |key: &str| -> Value {
        card["kpis"].as_array().and_then(|a| a.iter().find(|k| k["key"] == key).cloned()).expect(key)
    };
    let score = |key: &str| kpi(key)["score"].as_f64();
    let close = |got: Option<f64>, want: f64, what: &str| {
        let got = got.unwrap_or_else(|| panic!("{what}: no score in {card}"));
        assert!((got - want).abs() < 1e-9, "{what}: {got} ≠ {want}");
    };
    let facts = |key: &str| -> Vec<(String, bool, String)> {
        kpi(key)["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .map(|f| {
                (
                    f["label"].as_str().unwrap_or("").to_owned(),
                    f["good"].as_bool().unwrap_or(false),
                    f["note"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let fact = |l: &str, g: bool, n: &str| (l.to_owned(), g, n.to_owned());
    // On time: M1 early (good), M2 late, M3 missed; M4 is not due yet, M5 falls in 2027Q1, the
    // host's own milestone is not 数智's. 1/3 → 33.33…
    assert_eq!(kpi("on_time")["value"], "1/3");
    close(score("on_time"), 100.0 / 3.0, "on_time");
    assert_eq!(
        facts("on_time"),
        vec![
            fact("需求分析 analysis", true, "2026-11-10 → 2026-11-05"),
            fact("原型评审 prototype", false, "2026-11-15 → 2026-11-20"),
            fact("接口联调 integration", false, "2026-11-18 → missed"),
        ]
    );
    // First pass: 测试方案 accepted at round 1, 测试报告 rejected at round 1. 1/2 → 50.
    assert_eq!(kpi("first_pass")["value"], "1/2");
    close(score("first_pass"), 50.0, "first_pass");
    assert_eq!(
        facts("first_pass"),
        vec![fact("测试方案 test plan", true, "accepted"), fact("测试报告 test report", false, "rejected")]
    );
    // Rounds to acceptance: 1 and 2, mean 1.5 → 100 − 25 × 0.5 = 87.5.
    assert_eq!(kpi("rounds")["value"], "1.5");
    close(score("rounds"), 87.5, "rounds");
    // Defects: two from the rejection, one found later, over the two deliverables decided or
    // faulted in the quarter: 3 / 2 = 1.5 → 100 − 20 × 1.5 = 70.
    assert_eq!(kpi("defects")["value"], "3/2 = 1.50");
    close(score("defects"), 70.0, "defects");
    assert_eq!(kpi("defects")["facts"].as_array().map(Vec::len), Some(3));
    // Changes the vendor raised: one (the host's own does not count) → 100 − 15 = 85.
    assert_eq!(kpi("changes")["value"], "1");
    close(score("changes"), 85.0, "changes");
    assert_eq!(facts("changes").len(), 1);
    assert!(facts("changes")[0].0.contains("增加兼容性测试"));
    // Manual: the mean of 75 and 82 → 78.5.
    assert_eq!(kpi("manual")["value"], "78.5");
    close(score("manual"), 78.5, "manual");
    assert_eq!(facts("manual").len(), 2);
    // No records exist for these yet: no figure, out of the total.
    for key in ["sla", "satisfaction", "disputes"] {
        assert!(kpi(key)["score"].is_null(), "{key}");
        assert_eq!(kpi(key)["value"], "", "{key}");
    }
    let weights: Vec<(String, i64)> = card["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .map(|k| (k["key"].as_str().unwrap_or("").to_owned(), k["weight"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(
        weights,
        [
            ("on_time", 25),
            ("first_pass", 20),
            ("rounds", 10),
            ("defects", 15),
            ("sla", 5),
            ("changes", 5),
            ("satisfaction", 5),
            ("disputes", 5),
            ("manual", 10)
        ]
        .map(|(k, w)| (k.to_owned(), w))
    );
    // Total over the KPIs with facts, weights 25 + 20 + 10 + 15 + 5 + 10 = 85:
    // (25 × 100/3 + 20 × 50 + 10 × 87.5 + 15 × 70 + 5 × 85 + 10 × 78.5) / 85
    // = (2500/3 + 1000 + 875 + 1050 + 425 + 785) / 85 = (2500 + 12405) / 255 = 2981/51 ≈ 58.45 → D.
    close(card["total"].as_f64(), 2981.0 / 51.0, "total");
    assert_eq!(card["grade"], "D");

    // The vendor sees nothing until the host publishes; clients and other vendors never.
    let shuzhi_mgr = app.token("manager@shuzhi.example").await;
    let shuzhi_qa = app.token("qa@shuzhi.example").await;
    for email in ["manager@shuzhi.example", "manager@hdlogistics.example", "manager@yunfan.example"] {
        let res = app.get(&card_url).bearer(&app.token(email).await).send().await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{email} before publishing");
    }
    let publish = format!("/api/v1/vendors/{shuzhi}/scorecard/publish");
    let res = app.post(&publish).bearer(&shuzhi_mgr).json(json!({"period": "2026Q4"})).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .post(&publish)
        .bearer(&app.token("member@xinghe.example").await)
        .json(json!({"period": "2026Q4"}))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "a host member does not publish");
    use accord::mail::entity::outbox_email;
    let mails_to_manager = || {
        outbox_email::Entity::find()
            .filter(outbox_email::Column::ToAddress.eq("manager@shuzhi.example"))
            .count(app.db())
    };
    let before = mails_to_manager().await.expect("outbox");
    let res = app.post(&publish).bearer(&pm_t).json(json!({"period": "2026Q4"})).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), card, "published as it stands");
    assert_eq!(mails_to_manager().await.expect("outbox"), before + 1, "the vendor's manager hears of it");
    for token in [&shuzhi_mgr, &shuzhi_qa] {
        let res = app.get(&card_url).bearer(token).send().await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(res.json(), card);
    }
    for email in ["manager@hdlogistics.example", "member@hdlogistics.example", "manager@yunfan.example"] {
        let res = app.get(&card_url).bearer(&app.token(email).await).send().await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{email} after publishing");
    }
    let q3 = app.get(&format!("/api/v1/vendors/{shuzhi}/scorecard?period=2026Q3")).bearer(&shuzhi_mgr).send().await;
    assert_eq!(q3.status, StatusCode::NOT_FOUND, "another period is not published");

    // Later facts move the host's live figure, not the vendor's published snapshot.
    let res = evaluate(&admin_t, "2026Q4", [100, 100, 100, 100, 100]).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let live = app.get(&card_url).bearer(&pm_t).send().await.json();
    // Manual now (100 + 82) / 2 = 91: the total rises by 10 × (91 − 78.5) / 85 = 125/85.
    close(live["total"].as_f64(), 2981.0 / 51.0 + 125.0 / 85.0, "live total");
    assert_eq!(app.get(&card_url).bearer(&shuzhi_mgr).send().await.json(), card, "the snapshot stays");
});
