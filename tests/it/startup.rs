//! What an operator reads when `accord` cannot start: the cause and the fix, said once, on the
//! console, naming the address, file, server, database or role, without a driver's internals.

use std::{process::Output, time::Instant};

use crate::support::pg_url;

/// Runs `accord ARGS` in a fresh folder (no accord.toml there) and returns what it printed.
fn accord(args: &[&str]) -> (Output, std::time::Duration) {
    let dir = tempfile::tempdir().expect("dir");
    let started = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(dir.path())
        .env("ACCORD_LOG", "error")
        .env_remove("ACCORD_DATABASE_URL")
        .env_remove("ACCORD_DATA_DIR")
        .env_remove("ACCORD_CONFIG")
        .env_remove("ACCORD_LISTEN")
        .output()
        .expect("run accord");
    (out, started.elapsed())
}

/// The failure's message, checked to be a single `error:` line without driver internals.
fn failure(args: &[&str]) -> String {
    let (out, _) = accord(args);
    assert!(!out.status.success(), "accord {args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    for internal in [".rs:", "sqlx", "sea_orm", "PoolTimedOut", "pool timed out", "DbErr", "Custom {"] {
        assert!(!err.contains(internal), "{internal:?} in {err}");
    }
    err
}

#[test]
fn a_port_in_use_names_the_address_and_the_flag() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let data = tempfile::tempdir().expect("dir");
    let data_dir = data.path().to_str().expect("utf-8 path");
    let err = failure(&["serve", "--no-jobs", "--data-dir", data_dir, "--listen", &addr]);
    assert!(err.contains(&addr) && err.contains("already in use") && err.contains("--listen"), "{err}");
}

#[test]
fn a_sqlite_url_without_a_path_is_refused_as_such() {
    for url in ["sqlite://", "sqlite:"] {
        let err = failure(&["migrate", "--database-url", url]);
        assert!(err.contains("names no file") && err.contains("sqlite://path/to/accord.db"), "{err}");
    }
}

#[test]
fn a_sqlite_file_in_a_missing_folder_names_the_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("not-there");
    let url = format!("sqlite://{}/accord.db", folder.display());
    let err = failure(&["migrate", "--database-url", &url]);
    assert!(err.contains(&folder.display().to_string()) && err.contains("does not exist"), "{err}");
}

#[test]
fn an_unwritable_sqlite_file_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    // A folder where the file should be: SQLite cannot open it as a database.
    let file = dir.path().join("accord.db");
    std::fs::create_dir(&file).expect("mkdir");
    let err = failure(&["migrate", "--database-url", &format!("sqlite://{}", file.display())]);
    assert!(err.contains("cannot open the SQLite database") && err.contains(&file.display().to_string()), "{err}");
}

#[test]
fn zero_configuration_keeps_its_files_in_a_folder_of_its_own() {
    let dir = tempfile::tempdir().expect("dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("migrate")
        .current_dir(dir.path())
        .env("ACCORD_LOG", "error")
        .env_remove("ACCORD_DATABASE_URL")
        .env_remove("ACCORD_DATA_DIR")
        .env_remove("ACCORD_CONFIG")
        .output()
        .expect("run accord");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["accord-data"], "nothing else beside it");
    assert!(dir.path().join("accord-data/accord.db").is_file());
}

#[test]
fn an_unreachable_postgresql_is_named_at_once() {
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    let (out, took) = accord(&["migrate", "--database-url", "postgres://postgres@127.0.0.1:1/accord"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("127.0.0.1:1") && err.contains("connection refused"), "{err}");
    // Not the pool's 10 s of retries: a refusal is reported as it happens.
    assert!(took.as_secs() < 8, "took {took:?}");
}

/// The server of the test suite, asked for a database and a role it does not have.
#[test]
fn a_missing_postgresql_database_or_role_is_named() {
    let Some(url) = pg_url() else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI runs every PostgreSQL test");
        eprintln!("PostgreSQL skipped (ACCORD_TEST_PG=skip)");
        return;
    };
    let server = url.rsplit_once('/').map(|(s, _)| s).expect("postgres://…/db");
    let err = failure(&["migrate", "--database-url", &format!("{server}/accord_no_such_database")]);
    assert!(err.contains("no database \"accord_no_such_database\"") && err.contains("createdb"), "{err}");

    let host = server.rsplit_once('@').map(|(_, h)| h).unwrap_or(server.trim_start_matches("postgres://"));
    let err = failure(&["migrate", "--database-url", &format!("postgres://accord_no_such_role@{host}/test")]);
    assert!(err.contains("accord_no_such_role"), "{err}");
}
