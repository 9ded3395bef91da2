//! Opens the object store documents are kept in.

use std::sync::Arc;

use anyhow::Context;
use object_store::{ObjectStore, aws::AmazonS3Builder, local::LocalFileSystem};

use crate::config::Storage;

pub fn open(storage: &Storage) -> anyhow::Result<Arc<dyn ObjectStore>> {
    match storage {
        Storage::Local(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating the document folder {}", dir.display()))?;
            Ok(Arc::new(LocalFileSystem::new_with_prefix(dir)?))
        }
        Storage::S3 { bucket, endpoint, region, access_key_id, secret_access_key } => {
            // The S3 client's TLS runs on ring (see Cargo.toml). Installing it twice is harmless:
            // the first one installed stays.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let mut b = AmazonS3Builder::new()
                .with_bucket_name(bucket)
                .with_region(region)
                .with_access_key_id(access_key_id)
                .with_secret_access_key(secret_access_key);
            if let Some(url) = endpoint {
                b = b
                    .with_endpoint(url)
                    .with_allow_http(url.starts_with("http://"))
                    .with_virtual_hosted_style_request(false);
            }
            Ok(Arc::new(b.build()?))
        }
    }
}
