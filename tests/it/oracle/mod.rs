//! The leak oracle: proves party isolation by reading every answer body. A seed makes records
//! of every kind in every visibility, each with a marker of its audience, and distinctive
//! prices; every GET route is asked by every role with every id it can name; each answer is
//! scanned for what that role must not learn (markers, other parties' names and people,
//! prices, bank details, links), and every marker the role may see must show up somewhere.
//!
//! Run it: `cargo nextest run -E 'test(oracle)'`. A new GET route makes
//! `the_oracle_covers_every_get_route` fail until it has a row in `routes.rs`; the rules of who
//! may learn what live in `rules.rs`. `ORACLE_SHOW=<part of a path>` prints what each role got
//! from the matching requests.

use std::{collections::BTreeMap, sync::Arc, time::Instant};

use crate::{db_test, support::*};

mod routes;
mod rules;
mod scan;
mod seed;
mod seed_accept;
mod seed_changes;
mod seed_costs;
mod seed_issues;
mod seed_money;
mod seed_plan;
mod seed_reqs;
mod seed_risks;
mod seed_vendors;
mod sweep;
mod world;

use rules::{NOT_SHOWN, Role, admits};
use sweep::{Found, Leak};

db_test!(oracle_every_answer_keeps_each_party_in_its_slice, |app: TestApp| async move {
    let started = Instant::now();
    let app = app.with_demo().await;
    let world = seed::seed(&app).await;
    let seeded = started.elapsed();
    let backend = app.backend;
    let app = Arc::new(app);
    let world = Arc::new(world);
    let swept = Instant::now();
    let mut found = sweep::sweep(app.clone(), world.clone(), false).await;
    // The pages again in the other language: every user reads English now.
    {
        use accord::users::entity::user;
        use sea_orm::{EntityTrait, QueryFilter, sea_query::Expr};
        user::Entity::update_many()
            .col_expr(user::Column::Locale, Expr::value("en"))
            .filter(sea_orm::Condition::all())
            .exec(app.writer())
            .await
            .expect("users read English");
    }
    // One finding per role: what the second pass saw counts for the positive control too.
    for ((role, f), (again, g)) in found.iter_mut().zip(sweep::sweep(app.clone(), world.clone(), true).await) {
        assert_eq!(*role, again);
        f.leaks.extend(g.leaks);
        f.seen.extend(g.seen);
        f.errors.extend(g.errors);
        f.polish.extend(g.polish);
        f.requests += g.requests;
    }
    let requests: usize = found.iter().map(|(_, f)| f.requests).sum();
    eprintln!(
        "leak oracle on {backend:?}: seed {:.1}s, sweep {requests} requests in {:.1}s, {} secrets",
        seeded.as_secs_f64(),
        swept.elapsed().as_secs_f64(),
        world.secrets.len()
    );
    let report = report(&world, &found);
    assert!(report.is_empty(), "the leak oracle on {backend:?} found:\n{report}");
});

/// Where one secret leaked: (path, via) → the roles it reached there, and an excerpt.
type Places<'a> = BTreeMap<(&'a str, &'a str), (Vec<Role>, &'a str)>;

/// Leaks, server errors and markers no answer showed to a role that may see them, as one text.
fn report(w: &world::World, found: &[(Role, Found)]) -> String {
    let mut out = String::new();
    let mut leaks: Vec<&Leak> = found.iter().flat_map(|(_, f)| &f.leaks).collect();
    leaks.sort();
    if !leaks.is_empty() {
        // Grouped by what leaked, then by where, with the roles it reached there.
        let mut groups: BTreeMap<&str, Places> = BTreeMap::new();
        for l in &leaks {
            let place = groups.entry(&l.what).or_default().entry((&l.path, l.via)).or_insert((Vec::new(), &l.excerpt));
            place.0.push(l.role);
        }
        out.push_str(&format!("== {} leaks of {} secrets:\n", leaks.len(), groups.len()));
        for (what, places) in &groups {
            out.push_str(&format!("LEAK {what}\n"));
            for ((path, via), (roles, excerpt)) in places {
                let roles: Vec<&str> = roles.iter().map(|r| r.label()).collect();
                out.push_str(&format!("    {via} {path} → {}  {excerpt}\n", roles.join(", ")));
            }
        }
    }
    let errors: Vec<&String> = found.iter().flat_map(|(_, f)| &f.errors).collect();
    if !errors.is_empty() {
        out.push_str(&format!("== {} server errors (the sweep learned nothing there):\n", errors.len()));
        for e in errors {
            out.push_str(&format!("    {e}\n"));
        }
    }
    let mut polish: Vec<&String> = found.iter().flat_map(|(_, f)| &f.polish).collect();
    polish.sort();
    polish.dedup();
    if !polish.is_empty() {
        out.push_str(&format!("== {} pages show what no page should:\n", polish.len()));
        for p in polish {
            out.push_str(&format!("    {p}\n"));
        }
    }
    // Every message the pages asked for exists in the language they asked in.
    let untranslated = accord::i18n::missing();
    if !untranslated.is_empty() {
        out.push_str(&format!("== {} messages without a translation (shown as their key):\n", untranslated.len()));
        for (lang, key) in untranslated {
            out.push_str(&format!("    {lang}: {key}\n"));
        }
    }
    let mut missing = Vec::new();
    for (role, f) in found {
        for (i, s) in w.secrets.iter().enumerate() {
            let excused = NOT_SHOWN.iter().any(|(kind, roles, _)| *kind == s.kind && roles.contains(role));
            if s.control && admits(s.audience, *role) && !f.seen.contains(&i) && !excused {
                missing.push(format!("    {} never saw {}", role.label(), s.what));
            }
        }
    }
    if !missing.is_empty() {
        out.push_str(&format!(
            "== {} secrets a role may see showed on no route (the sweep proves nothing for them):\n",
            missing.len()
        ));
        for m in missing {
            out.push_str(&m);
            out.push('\n');
        }
    }
    out
}

/// Every route in the code that answers GET is a row of the oracle's table: routes are found
/// the way the authorization matrix finds them, and asked once as the host's administrator —
/// anything but 405 means the route answers GET.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oracle_covers_every_get_route() {
    let app = TestApp::sqlite().await.with_demo().await;
    let browser = app.signed_in("admin@xinghe.example").await;
    let token = app.token("admin@xinghe.example").await;
    let normalise = normalise_route;
    let in_table: std::collections::BTreeSet<String> = routes::ROUTES.iter().map(|r| normalise(r.path)).collect();
    let in_code = routes_in_code();
    let mut missing = Vec::new();
    for route in &in_code {
        let filled: String = route
            .split('/')
            .map(|seg| match seg {
                "{file}" => "app.css",
                s if s.starts_with('{') => "1",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        let status = if route.starts_with("/api/") {
            app.get(&filled).bearer(&token).send().await.status
        } else {
            browser.get(&filled).await.status
        };
        if status != axum::http::StatusCode::METHOD_NOT_ALLOWED && !in_table.contains(&normalise(route)) {
            missing.push(format!("{route} (GET answered {status})"));
        }
    }
    assert!(in_code.len() > 100, "found only {} routes in src/", in_code.len());
    assert!(missing.is_empty(), "GET routes the leak oracle does not sweep:\n{}", missing.join("\n"));
    // And no row sweeps a route that is gone (it would only collect 404s).
    let code: std::collections::BTreeSet<String> = in_code.iter().map(|r| normalise(r)).collect();
    let stale: Vec<&String> = in_table.iter().filter(|r| !code.contains(*r)).collect();
    assert!(stale.is_empty(), "rows of the leak oracle for routes not in src/: {stale:?}");
}
