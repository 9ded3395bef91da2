//! The command line: `serve`, `migrate`, `demo`, `admin create`, `audit verify`, `dev seed`.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tokio::sync::watch;

use crate::{
    AppState, app, audit,
    clock::SystemClock,
    config::{self, Config, FileConfig, Overrides, SmtpTls},
    db, demo, jobs,
    mail::{LogMailer, Mailer, SmtpMailer},
    users::setup,
};

#[derive(Parser)]
#[command(
    name = "accord",
    version,
    about = "Accord: run outsourced, vendor and client work across company boundaries.",
    long_about = None,
    after_help = "Only in accord.toml: time_zone, body_limit, upload_limit, storage_dir, s3_bucket, s3_endpoint, \
s3_region, s3_access_key_id, s3_secret_access_key, token_days, rate_limit_per_second, rate_limit_burst, \
rate_limit_address_per_second, rate_limit_address_burst (README: \"In production\" has an example with every key).\n\
Logging: ACCORD_LOG sets the filter, e.g. ACCORD_LOG=info or ACCORD_LOG=info,tower_http=debug (one line per request)."
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct GlobalArgs {
    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db [default: sqlite://<data-dir>/accord.db]
    #[arg(long, global = true, env = "ACCORD_DATABASE_URL")]
    database_url: Option<String>,
    /// Folder for the SQLite database and uploaded files [default: ./accord-data]
    #[arg(long, global = true, env = "ACCORD_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Configuration file [default: ./accord.toml when present]
    #[arg(long, global = true, env = "ACCORD_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Create demo parties and users (idempotent) and print their logins.
    Demo,
    /// Administration commands.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Audit chain commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Developer tools (bulk data for benchmarks).
    #[command(hide = true)]
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "ACCORD_LISTEN")]
    listen: Option<SocketAddr>,
    /// Public URL of this server, used in e-mailed links and for Secure cookies [default: http://<listen>]
    #[arg(long, env = "ACCORD_BASE_URL")]
    base_url: Option<String>,
    /// Create the demo data before serving.
    #[arg(long)]
    demo: bool,
    /// Do not run background jobs in this process (another instance runs them).
    #[arg(long, env = "ACCORD_NO_JOBS")]
    no_jobs: bool,
    /// SMTP server for outgoing mail; without it, mail is written to the log.
    #[arg(long, env = "ACCORD_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP port [default: 587 for starttls, 465 for tls, 25 for none]
    #[arg(long, env = "ACCORD_SMTP_PORT")]
    smtp_port: Option<u16>,
    #[arg(long, env = "ACCORD_SMTP_USER")]
    smtp_user: Option<String>,
    #[arg(long, env = "ACCORD_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// Sender address, e.g. "Accord <accord@example.com>"
    #[arg(long, env = "ACCORD_SMTP_FROM")]
    smtp_from: Option<String>,
    /// Transport security [default: starttls]
    #[arg(long, env = "ACCORD_SMTP_TLS", value_enum)]
    smtp_tls: Option<SmtpTls>,
    /// Serve `/metrics` (alone, without a token) on this address, e.g. 127.0.0.1:9100; the
    /// public port then has no `/metrics` unless `--metrics-token` is set.
    #[arg(long, env = "ACCORD_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Bearer token (16+ characters) that opens `/metrics` on the public port.
    #[arg(long, env = "ACCORD_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Proxies (CIDR list, comma-separated) whose `Forwarded` / `X-Forwarded-For` name the client.
    #[arg(long, env = "ACCORD_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Option<Vec<String>>,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator of the host organisation (and the organisation if missing).
    Create {
        #[arg(long)]
        email: String,
        /// The password (or set ACCORD_ADMIN_PASSWORD to keep it out of the shell history).
        #[arg(long, env = "ACCORD_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        name: String,
        /// Name of the host organisation when it does not exist yet.
        #[arg(long, default_value = "Accord")]
        org: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute every hash; exits non-zero naming the first bad event.
    Verify,
}

#[derive(Subcommand)]
enum DevCommand {
    /// Insert N users (bulk, for benchmarks) into a vendor party "Bench Vendor".
    Seed {
        #[arg(long, default_value_t = 10_000)]
        users: u32,
        /// Also insert this many engagements with plans (Bench Vendor and Bench Client take part).
        #[arg(long, default_value_t = 0)]
        engagements: u32,
        /// Tasks in each of those engagements.
        #[arg(long, default_value_t = 1000)]
        tasks_per_engagement: u32,
        /// Tasks in the first one (with a chain of dependencies), for the Gantt.
        #[arg(long, default_value_t = 2000)]
        first_engagement_tasks: u32,
        /// Also insert this many active vendors, each with a quarter of delivery facts (needs a
        /// host admin), for the scorecard benchmark.
        #[arg(long, default_value_t = 0)]
        vendors: u32,
    },
}

fn init_tracing() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("ACCORD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::io::stderr().is_terminal() {
        builder.compact().init();
    } else {
        builder.json().with_current_span(true).init();
    }
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match dispatch(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// An application error as the command line shows it (English).
fn cli_error(e: crate::AppError) -> anyhow::Error {
    match &e {
        crate::AppError::Internal(inner) => anyhow::anyhow!("{inner:#}"),
        other => anyhow::anyhow!("{}", other.detail().render(crate::i18n::Lang::En)),
    }
}

fn build_config(global: &GlobalArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Config> {
    let file = FileConfig::load(global.config.as_deref())?;
    let mut o = Overrides {
        database_url: global.database_url.clone(),
        data_dir: global.data_dir.clone(),
        ..Default::default()
    };
    if let Some(s) = serve {
        o.listen = s.listen;
        o.base_url = s.base_url.clone();
        o.smtp_host = s.smtp_host.clone();
        o.smtp_port = s.smtp_port;
        o.smtp_user = s.smtp_user.clone();
        o.smtp_password = s.smtp_password.clone();
        o.smtp_from = s.smtp_from.clone();
        o.smtp_tls = s.smtp_tls;
        o.metrics_listen = s.metrics_listen;
        o.metrics_token = s.metrics_token.clone();
        o.trusted_proxies = s.trusted_proxies.clone();
    }
    let mut cfg = config::resolve(o, file)?;
    if serve.is_some_and(|s| s.no_jobs) {
        cfg.run_jobs = false;
    }
    Ok(cfg)
}

async fn open_state(cfg: Config) -> anyhow::Result<AppState> {
    if cfg.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&cfg.data_dir).with_context(|| {
            format!("cannot create the data dir {} (choose another with --data-dir)", cfg.data_dir.display())
        })?;
    }
    let pools = db::connect(&cfg.database_url, None).await?;
    db::migrate(&pools.write).await?;
    let mailer: Arc<dyn Mailer> = match &cfg.smtp {
        Some(smtp) => Arc::new(SmtpMailer::new(smtp)?),
        None => Arc::new(LogMailer),
    };
    AppState::new(pools, cfg, Arc::new(SystemClock), mailer)
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Serve(args) => {
            let state = open_state(build_config(&cli.global, Some(args))?).await?;
            serve(state, args.demo).await?;
        }
        Command::Migrate => {
            open_state(build_config(&cli.global, None)?).await?;
            println!("database is up to date");
        }
        Command::Demo => {
            let state = open_state(build_config(&cli.global, None)?).await?;
            let logins = demo::seed(&state).await.map_err(cli_error)?;
            demo::print_logins(&logins);
        }
        Command::Admin { command: AdminCommand::Create { email, password, name, org } } => {
            let state = open_state(build_config(&cli.global, None)?).await?;
            let input = setup::AdminInput { org_name: org, name, email, password };
            match setup::create_admin(&state, input).await {
                Ok(u) => println!("administrator {} created (id {})", u.email, u.id),
                Err(crate::AppError::Validation(f)) => {
                    for e in f.0 {
                        eprintln!("{}: {}", e.field, e.msg.render(crate::i18n::Lang::En));
                    }
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(cli_error(e)),
            }
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let state = open_state(build_config(&cli.global, None)?).await?;
            let v = audit::verify(&state.writer, &state.db).await?;
            match &v.first_bad {
                None if v.pending > 0 => println!(
                    "audit chain intact: {} events, head {}; {} more committed during the walk, not sealed yet",
                    v.events, v.head_hash, v.pending
                ),
                None => println!("audit chain intact: {} events, head {}", v.events, v.head_hash),
                Some((id, why)) => {
                    eprintln!(
                        "audit chain BROKEN at event {id} (its place in the chain, seq): {why} ({} events verified before it)",
                        v.events
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Dev {
            command: DevCommand::Seed { users, engagements, tasks_per_engagement, first_engagement_tasks, vendors },
        } => {
            let state = open_state(build_config(&cli.global, None)?).await?;
            let n = demo::seed_bulk_users(&state, *users).await.map_err(cli_error)?;
            if *vendors > 0 {
                let made = demo::seed_bulk_vendors(&state, *vendors).await.map_err(cli_error)?;
                println!("{}", serde_json::to_string(&made)?);
            } else if *engagements == 0 {
                println!("{n}");
            } else {
                let plan = demo::seed_bulk_plan(&state, *engagements, *tasks_per_engagement, *first_engagement_tasks)
                    .await
                    .map_err(cli_error)?;
                println!("{}", serde_json::to_string(&plan)?);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(state: AppState, with_demo: bool) -> anyhow::Result<()> {
    if with_demo {
        // A refused demo (real accounts present) must not keep the server from starting.
        match demo::seed(&state).await {
            Ok(logins) => demo::print_logins(&logins),
            Err(e) => eprintln!("demo data not added: {}", cli_error(e)),
        }
    }
    let listen = state.config.listen;
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| listen_error(listen, "--listen", e))?;
    let addr = listener.local_addr()?;
    if let Some(token) = setup::issue_setup_token(&state).await.map_err(cli_error)? {
        println!(
            "No administrator yet. Open this one-time link to set up Accord:\n  {}/setup?token={token}",
            state.config.base_url
        );
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let sealer = audit::spawn_sealer(state.writer.clone(), state.db.clone(), stop_rx.clone());
    let worker = state.config.run_jobs.then(|| jobs::spawn_worker(state.clone(), crate::app::JOBS, stop_rx));
    tracing::info!(%addr, base_url = %state.config.base_url, "Accord is listening");
    println!("Accord is listening on http://{addr}");
    let metrics = match state.config.metrics_listen {
        Some(at) => {
            let listener =
                tokio::net::TcpListener::bind(at).await.map_err(|e| listen_error(at, "--metrics-listen", e))?;
            tracing::info!(addr = %listener.local_addr()?, "metrics are served on their own listener");
            let router = crate::ops::metrics_only(state.clone());
            Some(tokio::spawn(
                async move { axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await },
            ))
        }
        None => None,
    };
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Some(m) = metrics {
        m.abort();
    }
    let _ = stop_tx.send(true);
    if let Some(w) = worker {
        let _ = tokio::time::timeout(Duration::from_secs(10), w).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), sealer).await;
    tracing::info!("stopped");
    Ok(())
}

/// A listening address that cannot be taken, with the flag that chooses another.
fn listen_error(addr: std::net::SocketAddr, flag: &str, e: std::io::Error) -> anyhow::Error {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "cannot listen on {addr}: the address is already in use (another Accord, or another program?); choose \
             another with {flag}"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "cannot listen on {addr}: permission denied (ports below 1024 need privileges); choose another with {flag}"
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            anyhow::anyhow!("cannot listen on {addr}: this machine has no such address; choose another with {flag}")
        }
        _ => anyhow::anyhow!("cannot listen on {addr}: {e}; choose another with {flag}"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
