//! A real S3 protocol server for tests of S3-compatible document storage, and the test app
//! pointed at one.

use accord::{AppState, app};

use crate::support::TestApp;

impl TestApp {
    /// The same app keeping document bytes in `storage` (an S3-compatible server, say).
    pub fn with_storage(mut self, storage: accord::config::Storage) -> Self {
        let mut config = (*self.state.config).clone();
        config.storage = storage;
        let state = AppState::new(
            accord::db::Pools { read: self.state.db.clone(), write: self.state.writer.clone() },
            config,
            self.clock.clone(),
            self.state.mailer.clone(),
        )
        .expect("state");
        self.router = app(state.clone());
        self.state = state;
        self
    }
}

/// A real S3 protocol server on loopback (s3s-fs: buckets are folders of `root`), with one
/// access key. Returns its endpoint URL; the server lives as long as the test's runtime.
pub async fn s3_server(root: &std::path::Path, access_key: &str, secret_key: &str) -> String {
    use hyper_util::{
        rt::{TokioExecutor, TokioIo},
        server::conn::auto::Builder,
    };
    let fs = s3s_fs::FileSystem::new(root).expect("s3 root");
    let mut b = s3s::service::S3ServiceBuilder::new(fs);
    b.set_auth(s3s::auth::SimpleAuth::from_single(access_key, secret_key));
    let service = b.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let http = Builder::new(TokioExecutor::new());
        while let Ok((socket, _)) = listener.accept().await {
            let conn = http.serve_connection(TokioIo::new(socket), service.clone()).into_owned();
            tokio::spawn(async move {
                let _ = conn.await;
            });
        }
    });
    format!("http://{addr}")
}
