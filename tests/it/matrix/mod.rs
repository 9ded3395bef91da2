//! The authorization matrix: every route × every role of every party kind, with the expected
//! outcome. Cross-party reads answer 404; role limits inside a visible party answer 403.
//! Writes carry invalid bodies where possible, so "allowed" shows as 422 and nothing changes.
//! A second check fails when a route exists in the code but not in this table.

use std::collections::{BTreeSet, HashMap};

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::{db_test, support::*};

mod table;
mod table_changes;
mod table_collab;
mod table_contracts;
mod table_costs;
mod table_issues;
mod table_requirements;
mod table_risks;
mod table_vendors;
mod table_warnings;
use table::table;

/// Columns of the matrix, in order.
const ROLES: [(&str, Option<&str>); 9] = [
    ("anonymous", None),
    ("host admin", Some("admin@xinghe.example")),
    ("host pm", Some("pm@xinghe.example")),
    ("host member", Some("member@xinghe.example")),
    ("host approver", Some("approver@xinghe.example")),
    ("vendor manager", Some("manager@yunfan.example")),
    ("vendor member", Some("dev@yunfan.example")),
    ("client manager", Some("manager@hdlogistics.example")),
    ("client member", Some("member@hdlogistics.example")),
];

#[derive(Clone, Copy)]
enum Via {
    /// A browser with a session cookie; forms carry the CSRF token.
    Page,
    /// A script with a bearer token (none for anonymous).
    Api,
}

/// Expected outcome: an HTTP status, or `L` = redirected to the login page.
const L: u16 = 1;

struct Row {
    via: Via,
    method: Method,
    path: &'static str,
    body: Option<Value>,
    expect: [u16; 9],
}

fn row(via: Via, method: Method, path: &'static str, body: Option<Value>, expect: [u16; 9]) -> Row {
    Row { via, method, path, body, expect }
}

pub(crate) async fn placeholders(app: &TestApp) -> HashMap<&'static str, String> {
    use accord::parties::entity::contact;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let vendor = app.party_id("云帆").await;
    let contact = contact::Entity::find()
        .filter(contact::Column::PartyId.eq(vendor))
        .one(app.db())
        .await
        .expect("q")
        .expect("contact");
    let admin_token = {
        use accord::users::entity::api_token;
        app.token("admin@xinghe.example").await;
        api_token::Entity::find().one(app.db()).await.expect("q").expect("token").id
    };
    let e = app.with_engagement().await;
    let reqs = app.with_requirements(e.eng).await;
    let crs = app.with_changes(&e).await;
    let risks = app.with_risks(&e).await;
    let expense = app.with_pending_expense(&e).await;
    let (issue, issue_vendor) = app.with_issues(&e).await;
    let review = app.with_review(&e, &reqs).await;
    let k = app.with_contracts(&e).await;
    let s = app.with_selection(&e).await;
    let cert = app.with_certificate().await;
    HashMap::from([
        ("selection", s.open.to_string()),
        ("bid", s.bid.to_string()),
        ("bid_file", s.bid_file.to_string()),
        ("selection_closed", s.closed.to_string()),
        ("bid_closed", s.closed_bid.to_string()),
        ("bid_closed_file", s.closed_bid_file.to_string()),
        ("certificate", cert.certificate.to_string()),
        ("certificate_file", cert.file.to_string()),
        ("contract_vendor", k.vendor.to_string()),
        ("contract_client", k.client.to_string()),
        ("contract_signed", k.signed.to_string()),
        ("inst_due", k.due.to_string()),
        ("inst_planned", k.planned.to_string()),
        ("obligation", k.obligation.to_string()),
        ("dispute", k.dispute_open.to_string()),
        ("dispute_closed", k.dispute_closed.to_string()),
        ("deliverable_shared", k.deliverable.to_string()),
        ("acceptance", k.acceptance.to_string()),
        ("defect", k.defect.to_string()),
        ("version_one", "1".to_owned()),
        ("review", review.to_string()),
        ("cr", crs.shared.to_string()),
        ("cr_client", crs.client.to_string()),
        ("risk", risks.shared.to_string()),
        ("expense", expense.to_string()),
        // The vendor contract signed over ENG-1's budget (travel only) waits as a hold.
        ("hold", {
            use accord::costs::entity::cost_hold;
            cost_hold::Entity::find()
                .filter(cost_hold::Column::ContractId.eq(k.signed))
                .one(app.db())
                .await
                .expect("q")
                .expect("the signed vendor contract is held over budget")
                .id
                .to_string()
        }),
        ("issue", issue.to_string()),
        ("issue_vendor", issue_vendor.to_string()),
        ("risk_internal", risks.internal.to_string()),
        ("eng", e.eng.to_string()),
        ("eng2", e.eng2.to_string()),
        ("deliverable_vendor", {
            let admin = app.viewer("admin@xinghe.example").await;
            let vendor = app.party_id("云帆").await;
            let input = accord::engagements::deliverables::DeliverableInput {
                name: "源代码 source code".into(),
                due_date: "2027-01-15".into(),
                criteria: vec!["编译通过".into(), "单元测试覆盖率 ≥ 80%".into()],
                visibility: Some("party".into()),
                visible_party_id: Some(accord::domain::Id(vendor)),
                ..Default::default()
            };
            accord::engagements::deliverables::create(&app.state, &admin, e.eng, input)
                .await
                .expect("deliverable")
                .id
                .to_string()
        }),
        ("baseline", {
            let admin = app.viewer("admin@xinghe.example").await;
            let input = accord::engagements::baseline::BaselineInput { name: "基线 1".into() };
            accord::engagements::baseline::save(&app.state, &admin, e.eng, input)
                .await
                .expect("baseline")
                .id
                .to_string()
        }),
        ("task_vendor", e.task_vendor.to_string()),
        ("milestone", e.milestone.to_string()),
        ("milestone_internal", e.milestone_internal.to_string()),
        ("doc_vendor", {
            let admin = app.viewer("admin@xinghe.example").await;
            let input = accord::documents::service::DocumentInput {
                visibility: Some("party".into()),
                visible_party_id: Some(accord::domain::Id(vendor)),
                ..Default::default()
            };
            let file = accord::documents::Upload { file_name: "接口说明.txt".into(), bytes: "GET /orders".into() };
            accord::documents::service::create(&app.state, &admin, e.eng, input, Some(file))
                .await
                .expect("document")
                .id
                .to_string()
        }),
        ("doc_internal", {
            let admin = app.viewer("admin@xinghe.example").await;
            let input =
                accord::documents::service::DocumentInput { visibility: Some("internal".into()), ..Default::default() };
            let file = accord::documents::Upload { file_name: "报价底稿.csv".into(), bytes: "item,price\n".into() };
            accord::documents::service::create(&app.state, &admin, e.eng, input, Some(file))
                .await
                .expect("document")
                .id
                .to_string()
        }),
        ("comment_vendor", {
            let admin = app.viewer("admin@xinghe.example").await;
            let s =
                accord::collab::subject(&app.state, &admin, e.eng, accord::collab::SubjectKind::Task, e.task_vendor)
                    .await
                    .expect("subject");
            let input = accord::collab::comments::CommentInput { body: "请在周五前提交接口文档".into() };
            accord::collab::comments::create(&app.state, &admin, &s, input).await.expect("comment").id.to_string()
        }),
        ("notification_dev", {
            use accord::collab::entity::notification;
            let dev = app.user_id("dev@yunfan.example").await;
            notification::Entity::find()
                .filter(notification::Column::UserId.eq(dev))
                .one(app.db())
                .await
                .expect("q")
                .expect("the assignment notice of the shared task")
                .id
                .to_string()
        }),
        ("task_internal", e.task_internal.to_string()),
        ("task_client", e.task_client.to_string()),
        ("req", reqs.shared.to_string()),
        ("req_internal", reqs.internal.to_string()),
        ("req_version", reqs.version.to_string()),
        ("host", app.party_id("星河").await.to_string()),
        ("vendor", vendor.to_string()),
        ("vendor2", app.party_id("数智").await.to_string()),
        ("client", app.party_id("华东").await.to_string()),
        ("host_admin", app.user_id("admin@xinghe.example").await.to_string()),
        ("vendor_user", app.user_id("dev@yunfan.example").await.to_string()),
        ("vendor2_user", app.user_id("qa@shuzhi.example").await.to_string()),
        ("client_user", app.user_id("member@hdlogistics.example").await.to_string()),
        ("admin_token", admin_token.to_string()),
        ("vendor_contact", contact.id.to_string()),
        ("bad_token", "acc_0000".to_owned()),
        ("asset", "app.css".to_owned()),
        ("swagger_file", "swagger-ui.css".to_owned()),
        ("not_a_number", "abc".to_owned()),
        ("day", "2026-12-25".to_owned()),
        ("missing", "999999".to_owned()),
    ])
}

fn fill(template: &str, values: &HashMap<&'static str, String>) -> String {
    let mut out = template.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

async fn outcome(
    app: &TestApp,
    browser: &Browser,
    token: Option<&str>,
    r: &Row,
    values: &HashMap<&'static str, String>,
) -> u16 {
    let path = fill(r.path, values);
    let body = r.body.as_ref().map(|b| fill(&b.to_string(), values));
    // A body with a "__file" names the file of a multipart upload; its other fields go along.
    let upload =
        body.as_ref().and_then(|b| serde_json::from_str::<serde_json::Map<String, Value>>(b).ok()).and_then(|mut m| {
            let file = m.remove("__file")?.as_str()?.to_owned();
            let fields: Vec<(String, String)> =
                m.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or("").to_owned())).collect();
            Some((file, fields))
        });
    if let Some((file, fields)) = upload {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        // An executable: refused by type sniffing, so an allowed upload answers 422 and stores nothing.
        let bytes: &[u8] = b"MZ\x90\x00 not really a program";
        let res = match r.via {
            Via::Page => browser.upload(&path, &refs, Some((&file, bytes))).await,
            Via::Api => {
                let mut req = app.req(r.method.clone(), &path);
                if let Some(t) = token {
                    req = req.bearer(t);
                }
                req.multipart(&refs, Some((&file, bytes))).send().await
            }
        };
        return if res.status == StatusCode::SEE_OTHER && res.location().starts_with("/login") {
            L
        } else {
            res.status.as_u16()
        };
    }
    let res = match r.via {
        Via::Page => match (&r.method, &body) {
            (&Method::GET, _) => browser.get(&path).await,
            (_, b) => {
                let fields: Vec<(String, String)> = b
                    .as_ref()
                    .and_then(|b| serde_json::from_str::<serde_json::Map<String, Value>>(b).ok())
                    .map(|m| m.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or("").to_owned())).collect())
                    .unwrap_or_default();
                let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                browser.post(&path, &refs).await
            }
        },
        Via::Api => {
            let mut req = app.req(r.method.clone(), &path);
            if let Some(t) = token {
                req = req.bearer(t);
            }
            if let Some(b) = body {
                req = req.raw("application/json", b);
            }
            req.send().await
        }
    };
    if res.status == StatusCode::SEE_OTHER
        && res.location().starts_with("/login")
        && r.path != "/logout"
        && r.path != "/lang"
    {
        L
    } else {
        res.status.as_u16()
    }
}

db_test!(every_route_for_every_role, |first: TestApp| async move {
    let backend = first.backend;
    drop(first);
    let rows = table();
    let mut failures = Vec::new();
    for (col, (role, email)) in ROLES.iter().enumerate() {
        // Each role gets its own database, so one role's allowed writes can't change another's view.
        let app = TestApp::new(backend).await.with_demo().await;
        let values = placeholders(&app).await;
        let (browser, token) = match email {
            Some(e) => (app.signed_in(e).await, Some(app.token(e).await)),
            None => (app.browser(), None),
        };
        for r in &rows {
            let got = outcome(&app, &browser, token.as_deref(), r, &values).await;
            if got != r.expect[col] {
                failures.push(format!(
                    "{role:>15} {:>5} {:<50} expected {} got {}",
                    r.method,
                    r.path,
                    show(r.expect[col]),
                    show(got)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "authorization matrix mismatches:\n{}", failures.join("\n"));
});

fn show(s: u16) -> String {
    if s == L { "login redirect".into() } else { s.to_string() }
}

// Lists answer only what the role may see.
db_test!(lists_are_scoped_to_the_party, |app: TestApp| async move {
    let app = app.with_demo().await;
    let expect: [(&str, usize, usize); 8] = [
        ("admin@xinghe.example", 4, 10),
        ("pm@xinghe.example", 4, 10),
        ("member@xinghe.example", 4, 10),
        ("approver@xinghe.example", 4, 10),
        ("manager@yunfan.example", 1, 2),
        ("dev@yunfan.example", 1, 2),
        ("manager@hdlogistics.example", 1, 2),
        ("member@hdlogistics.example", 1, 2),
    ];
    for (email, parties, users) in expect {
        let t = app.token(email).await;
        let p = app.get("/api/v1/parties?limit=500").bearer(&t).send().await.json();
        let u = app.get("/api/v1/users?limit=500").bearer(&t).send().await.json();
        assert_eq!(p["items"].as_array().map(Vec::len), Some(parties), "{email} parties");
        assert_eq!(u["items"].as_array().map(Vec::len), Some(users), "{email} users");
    }
});

/// Every route registered in the code appears in the table above.
#[test]
fn the_matrix_covers_every_route() {
    let in_table: BTreeSet<String> = table().iter().map(|r| normalise_route(r.path)).collect();
    let in_code: BTreeSet<String> = routes_in_code().iter().map(|r| normalise_route(r)).collect();
    assert!(in_code.len() > 100, "routes are found in the code: {in_code:?}");
    let missing: Vec<_> = in_code.difference(&in_table).collect();
    assert!(missing.is_empty(), "routes without a row in the authorization matrix: {missing:?}");
}
