//! Reaching the database at start-up, and saying plainly what is wrong when it cannot be
//! reached: which file or server, what is missing, and what to change. An operator reads these
//! once, on a console, without a driver's internals.

use std::{
    io::ErrorKind,
    path::{Path, PathBuf},
    time::Duration,
};

use sea_orm::sqlx::{
    self, Connection,
    postgres::{PgConnectOptions, PgConnection},
    sqlite::SqliteConnectOptions,
};

/// How long a PostgreSQL server that does not answer at all (a dropped packet, not a refusal)
/// is given before start-up says so.
const PG_ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// Refuses a SQLite URL that names no file (`sqlite://`, `sqlite:`), which the driver would
/// otherwise open as a private in-memory database that vanishes at exit.
pub fn sqlite_path_given(url: &str) -> anyhow::Result<()> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    let path = rest.split('?').next().unwrap_or_default();
    if path.trim().is_empty() {
        anyhow::bail!(
            "the database URL {url:?} names no file: write sqlite://path/to/accord.db, or leave --database-url out \
             to use accord.db in the data dir"
        );
    }
    Ok(())
}

/// Before the pools: a SQLite file whose folder is missing is named, with the folder.
pub fn sqlite_folder_exists(opts: &SqliteConnectOptions) -> anyhow::Result<()> {
    let file = opts.get_filename();
    if file == Path::new(":memory:") {
        return Ok(());
    }
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        anyhow::bail!(
            "cannot open the SQLite database {}: the folder {} does not exist (create it, or choose another place \
             with --data-dir or --database-url)",
            file.display(),
            folder.display()
        );
    }
    Ok(())
}

/// A SQLite file the driver could not open or create, said with its path.
pub fn sqlite_error(opts: &SqliteConnectOptions, e: sqlx::Error) -> anyhow::Error {
    let file = opts.get_filename().display();
    let why = match &e {
        sqlx::Error::Database(d) => d.message().to_owned(),
        other => other.to_string(),
    };
    anyhow::anyhow!(
        "cannot open the SQLite database {file}: {why} (check that the file and its folder are readable and \
         writable by this user)"
    )
}

/// Opens and closes one connection, so that a server that refuses, a database or role that is
/// missing, or a wrong password is said at once, naming the server, instead of a pool that
/// retries until it times out.
pub async fn try_postgres(opts: &PgConnectOptions) -> anyhow::Result<()> {
    let at = format!("{}:{}", opts.get_host(), opts.get_port());
    match tokio::time::timeout(PG_ANSWER_WITHIN, PgConnection::connect_with(opts)).await {
        Err(_) => anyhow::bail!(
            "PostgreSQL at {at} did not answer within {} s: check the host and port in the database URL, and any \
             firewall between",
            PG_ANSWER_WITHIN.as_secs()
        ),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(postgres_error(&at, opts, e)),
    }
}

fn postgres_error(at: &str, opts: &PgConnectOptions, e: sqlx::Error) -> anyhow::Error {
    let user = opts.get_username();
    let database = opts.get_database().unwrap_or(user);
    match e {
        sqlx::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => anyhow::anyhow!(
            "PostgreSQL at {at}: connection refused. Is the server running, and is this the host and port in the \
             database URL?"
        ),
        sqlx::Error::Io(io) => anyhow::anyhow!("cannot reach PostgreSQL at {at}: {io}"),
        sqlx::Error::Tls(tls) => anyhow::anyhow!("PostgreSQL at {at}: the TLS handshake failed: {tls}"),
        sqlx::Error::Database(d) => match d.code().as_deref() {
            // invalid_catalog_name
            Some("3D000") => anyhow::anyhow!(
                "PostgreSQL at {at} has no database {database:?}: create it (createdb -h {} -p {} -U {user} \
                 {database}) or name another in the database URL",
                opts.get_host(),
                opts.get_port()
            ),
            // invalid_authorization_specification: the role does not exist (or may not log in)
            Some("28000") => anyhow::anyhow!(
                "PostgreSQL at {at} does not let the role {user:?} in: {} (create the role, or name another in the \
                 database URL)",
                d.message()
            ),
            // invalid_password
            Some("28P01") => {
                anyhow::anyhow!("PostgreSQL at {at} refused the password of the role {user:?}: check the database URL")
            }
            _ => anyhow::anyhow!("PostgreSQL at {at} refused the connection: {}", d.message()),
        },
        other => anyhow::anyhow!("cannot connect to PostgreSQL at {at}: {other}"),
    }
}
