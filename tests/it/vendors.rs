//! Vendors (issue 7): the directory (credit codes, status with reasons, bank details for finance
//! only, certificates and their expiry reminders). Selections and scorecards have their own files.

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{db_test, support::*};

pub(crate) fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

pub(crate) fn ids(v: &Value) -> Vec<String> {
    v.as_array().map_or(Vec::new(), |a| a.iter().map(|x| x.as_str().unwrap_or("").to_owned()).collect())
}

async fn vendor_count(app: &TestApp, token: &str) -> usize {
    let list = app.get("/api/v1/vendors?limit=100").bearer(token).send().await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    list.json()["items"].as_array().map_or(0, Vec::len)
}

/// Sets the test clock to 09:00 UTC (17:00 in Shanghai) of a day.
pub(crate) fn at(app: &TestApp, y: i32, m: u32, d: u32) {
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
    // The directory flags the vendor's two lapsed or lapsing certificates in its row, and no other's
    // (read through the service: the test clock is months behind the sessions' real time).
    use accord::vendors::directory::{VendorFilter, list};
    let pm = app.viewer("pm@xinghe.example").await;
    let filter = VendorFilter { status: None, category: None, q: None };
    let (rows, _) = list(&app.state, &pm, &filter, 50, None).await.expect("list");
    let flagged: Vec<(i64, usize)> = rows.iter().filter(|r| r.expiring > 0).map(|r| (r.party.id, r.expiring)).collect();
    assert_eq!(flagged, vec![(yunfan, 2)]);
    assert!(rows.iter().all(|r| !r.profile.status.is_empty()), "every row has its profile");
});
