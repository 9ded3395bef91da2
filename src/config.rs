//! Configuration: command-line flags win over `ACCORD_*` environment variables (both read by
//! clap), which win over `accord.toml`, which wins over the built-in defaults.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use anyhow::Context;
use serde::Deserialize;

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Where users reach this server; used in e-mailed links and to decide on Secure cookies.
    pub base_url: String,
    pub smtp: Option<SmtpConfig>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Run the job worker and scheduler in this process.
    pub run_jobs: bool,
    /// The organisation's time zone: when "today" starts for due dates, health and notices.
    pub time_zone: chrono_tz::Tz,
    /// Largest uploaded document, in bytes.
    pub upload_limit: usize,
    /// Where document bytes are kept.
    pub storage: Storage,
    /// Days a new API token lives unless its owner picks otherwise.
    pub token_days: u32,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` say who the client is; everyone else's
    /// are ignored and the peer address counts.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Bearer token that opens `/metrics` on the public port; without it (and without a
    /// metrics listener) `/metrics` is not served there.
    pub metrics_token: Option<String>,
    /// A separate listener that serves `/metrics` alone, without a token.
    pub metrics_listen: Option<SocketAddr>,
    /// Requests per second (with a burst) one token or session, and one address, may make.
    pub rate_limits: RateLimits,
}

/// Token buckets: `per_second` refills, `burst` is the bucket; `0` per second turns a limit off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimits {
    pub client_per_second: u32,
    pub client_burst: u32,
    pub address_per_second: u32,
    pub address_burst: u32,
}

impl RateLimits {
    pub const OFF: Self = Self { client_per_second: 0, client_burst: 0, address_per_second: 0, address_burst: 0 };
}

impl Default for RateLimits {
    /// A person clicking through pages stays far below these; a runaway script does not.
    fn default() -> Self {
        Self { client_per_second: 20, client_burst: 200, address_per_second: 50, address_burst: 500 }
    }
}

pub const DEFAULT_TOKEN_DAYS: u32 = 90;

/// Where uploaded documents are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A folder (by default `files/` under the data dir).
    Local(PathBuf),
    /// An S3-compatible bucket.
    S3 { bucket: String, endpoint: Option<String>, region: String, access_key_id: String, secret_access_key: String },
}

pub const DEFAULT_UPLOAD_LIMIT: usize = 25 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
    pub from: String,
    pub tls: SmtpTls,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same host).
    None,
    /// STARTTLS upgrade (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// A configuration for in-process tests: nothing listens, no SMTP.
    pub fn for_tests(database_url: &str, data_dir: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.to_owned(),
            base_url: "http://accord.test".into(),
            smtp: None,
            body_limit: 1024 * 1024,
            run_jobs: false,
            time_zone: chrono_tz::Asia::Shanghai,
            upload_limit: 2 * 1024 * 1024,
            storage: Storage::Local(data_dir.join("files")),
            data_dir,
            token_days: DEFAULT_TOKEN_DAYS,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            metrics_listen: None,
            // Tests fire hundreds of requests a second from one session; the limiter has its own.
            rate_limits: RateLimits::OFF,
        }
    }
}

/// The optional `accord.toml`; every key may be absent.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub body_limit: Option<usize>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: Option<String>,
    pub smtp_tls: Option<SmtpTls>,
    /// IANA name, e.g. `Asia/Shanghai` (the default).
    pub time_zone: Option<String>,
    pub upload_limit: Option<usize>,
    /// Document folder; `files/` under the data dir when absent.
    pub storage_dir: Option<PathBuf>,
    /// Setting a bucket stores documents in S3 (or a compatible service at `s3_endpoint`).
    pub s3_bucket: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_region: Option<String>,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    /// Days a new API token lives by default (90).
    pub token_days: Option<u32>,
    /// CIDR list, e.g. `["127.0.0.1/32", "10.0.0.0/8"]`.
    pub trusted_proxies: Option<Vec<String>>,
    pub metrics_token: Option<String>,
    pub metrics_listen: Option<SocketAddr>,
    /// Requests per second per token or session (20); `0` turns the limit off.
    pub rate_limit_per_second: Option<u32>,
    pub rate_limit_burst: Option<u32>,
    /// Requests per second per network address (50); `0` turns the limit off.
    pub rate_limit_address_per_second: Option<u32>,
    pub rate_limit_address_burst: Option<u32>,
}

impl FileConfig {
    /// Reads `path` when given, else `./accord.toml` when it exists.
    pub fn load(path: Option<&std::path::Path>) -> anyhow::Result<Self> {
        let (path, must_exist) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("accord.toml"), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).with_context(|| format!("reading {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(Self::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }
}

/// Values given on the command line or in the environment (None = not given).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_from: Option<String>,
    pub smtp_tls: Option<SmtpTls>,
    pub metrics_token: Option<String>,
    pub metrics_listen: Option<SocketAddr>,
    pub trusted_proxies: Option<Vec<String>>,
}

/// Parses `10.0.0.0/8`-style networks; a bare address is that one host.
pub fn parse_networks(list: &[String]) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.iter()
        .map(|s| {
            let s = s.trim();
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| anyhow::anyhow!("trusted_proxies: {s:?} is not an address or a CIDR network"))
        })
        .collect()
}

/// Where the database and the documents live when no `--data-dir` is given: a folder of their
/// own, so that running from a source checkout leaves nothing beside the code.
pub const DEFAULT_DATA_DIR: &str = "accord-data";

/// [`DEFAULT_DATA_DIR`], unless an older install keeps its `accord.db` in the working folder
/// (the default before): that one is used where it is, so an upgrade never starts empty.
fn default_data_dir() -> PathBuf {
    let dir = data_dir_for(Path::new("accord.db").is_file(), Path::new(DEFAULT_DATA_DIR).exists());
    if dir == Path::new(".") {
        tracing::warn!(
            "using accord.db in the working folder (the older default); move it and the files folder into \
             {DEFAULT_DATA_DIR}/ or set --data-dir"
        );
    }
    dir
}

fn data_dir_for(older_database_here: bool, default_exists: bool) -> PathBuf {
    if older_database_here && !default_exists { PathBuf::from(".") } else { PathBuf::from(DEFAULT_DATA_DIR) }
}

pub fn resolve(flags: Overrides, file: FileConfig) -> anyhow::Result<Config> {
    let listen = flags.listen.or(file.listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let data_dir = flags.data_dir.or(file.data_dir).unwrap_or_else(default_data_dir);
    let database_url = flags
        .database_url
        .or(file.database_url)
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("accord.db").display()));
    let base_url =
        flags.base_url.or(file.base_url).unwrap_or_else(|| format!("http://{listen}")).trim_end_matches('/').to_owned();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        anyhow::bail!("--base-url must start with http:// or https://, got {base_url:?}");
    }
    let smtp = match flags.smtp_host.or(file.smtp_host) {
        None => None,
        Some(host) => {
            let tls = flags.smtp_tls.or(file.smtp_tls).unwrap_or(SmtpTls::Starttls);
            let default_port = match tls {
                SmtpTls::None => 25,
                SmtpTls::Starttls => 587,
                SmtpTls::Tls => 465,
            };
            Some(SmtpConfig {
                host,
                port: flags.smtp_port.or(file.smtp_port).unwrap_or(default_port),
                user: flags.smtp_user.or(file.smtp_user),
                password: flags.smtp_password.or(file.smtp_password),
                from: flags.smtp_from.or(file.smtp_from).context("--smtp-from is required when --smtp-host is set")?,
                tls,
            })
        }
    };
    let time_zone = match &file.time_zone {
        Some(name) => name.parse().map_err(|_| anyhow::anyhow!("time_zone {name:?} is not an IANA time zone"))?,
        None => chrono_tz::Asia::Shanghai,
    };
    let storage = match file.s3_bucket {
        Some(bucket) => Storage::S3 {
            bucket,
            endpoint: file.s3_endpoint,
            region: file.s3_region.unwrap_or_else(|| "us-east-1".into()),
            access_key_id: file.s3_access_key_id.context("s3_access_key_id is required with s3_bucket")?,
            secret_access_key: file.s3_secret_access_key.context("s3_secret_access_key is required with s3_bucket")?,
        },
        None => Storage::Local(file.storage_dir.unwrap_or_else(|| data_dir.join("files"))),
    };
    let defaults = RateLimits::default();
    let rate_limits = RateLimits {
        client_per_second: file.rate_limit_per_second.unwrap_or(defaults.client_per_second),
        client_burst: file.rate_limit_burst.unwrap_or(defaults.client_burst),
        address_per_second: file.rate_limit_address_per_second.unwrap_or(defaults.address_per_second),
        address_burst: file.rate_limit_address_burst.unwrap_or(defaults.address_burst),
    };
    let metrics_token = flags.metrics_token.or(file.metrics_token).filter(|t| !t.is_empty());
    if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
        anyhow::bail!("metrics_token must be at least 16 characters");
    }
    Ok(Config {
        trusted_proxies: parse_networks(&flags.trusted_proxies.or(file.trusted_proxies).unwrap_or_default())?,
        metrics_token,
        metrics_listen: flags.metrics_listen.or(file.metrics_listen),
        token_days: file.token_days.unwrap_or(DEFAULT_TOKEN_DAYS).clamp(1, 3650),
        rate_limits,
        listen,
        database_url,
        data_dir,
        base_url,
        smtp,
        body_limit: file.body_limit.unwrap_or(1024 * 1024),
        run_jobs: true,
        time_zone,
        upload_limit: file.upload_limit.unwrap_or(DEFAULT_UPLOAD_LIMIT),
        storage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_and_defaults_fill_the_rest() -> anyhow::Result<()> {
        let file: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ndatabase_url = \"sqlite://from-file.db\"\nsmtp_host = \"mail\"\nsmtp_from = \"a@b.example\"",
        )?;
        let flags = Overrides { database_url: Some("postgres://x/y".into()), ..Default::default() };
        let cfg = resolve(flags, file)?;
        assert_eq!(cfg.database_url, "postgres://x/y");
        assert_eq!(cfg.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(cfg.base_url, "http://0.0.0.0:9000");
        assert_eq!(cfg.smtp.map(|s| s.port), Some(587));
        Ok(())
    }

    #[test]
    fn zero_configuration_is_sqlite_in_a_folder_of_its_own() -> anyhow::Result<()> {
        let cfg = resolve(Overrides::default(), FileConfig::default())?;
        assert_eq!(cfg.database_url, format!("sqlite://{}", default_data_dir().join("accord.db").display()));
        assert_eq!(data_dir_for(false, false), Path::new("accord-data"));
        assert_eq!(data_dir_for(false, true), Path::new("accord-data"));
        // An older install's database in the working folder stays where it is.
        assert_eq!(data_dir_for(true, false), Path::new("."));
        assert_eq!(data_dir_for(true, true), Path::new("accord-data"));
        assert_eq!(cfg.listen.to_string(), "127.0.0.1:8080");
        Ok(())
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<FileConfig>("lisen = \"x\"").is_err());
    }

    /// The README's example `accord.toml` holds every key the file takes, and nothing else
    /// (unknown keys are refused, so a stale example fails here).
    #[test]
    fn the_readme_example_names_every_file_key() {
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\n").expect("an accord.toml example in the README") + 8;
        let block = &readme[start..start + readme[start..].find("```").expect("end of the example")];
        // Commented keys count too: uncomment them.
        let text: String = block.lines().map(|l| l.trim_start_matches("# ")).collect::<Vec<_>>().join("\n");
        toml::from_str::<FileConfig>(&text).expect("the README's example parses");
        let listed: std::collections::BTreeSet<&str> =
            text.lines().filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())).collect();
        // serde names every field it takes when it refuses an unknown one.
        let refused = toml::from_str::<FileConfig>("zzz = 1").expect_err("unknown key").to_string();
        let expected = refused.split("expected one of").nth(1).expect("the list of keys");
        let all: std::collections::BTreeSet<&str> =
            expected.split(',').map(|k| k.trim().trim_matches('`')).filter(|k| !k.is_empty()).collect();
        assert_eq!(listed, all, "keys in the README's example vs the keys accord.toml takes");
    }
}
