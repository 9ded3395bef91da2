//! The `accord` binary: parses the command line and hands over to the library.
//! Everything interesting lives in `accord::cli`.

use std::process::ExitCode;

/// mimalloc returns what a burst of requests freed to the system within moments; glibc's
/// per-thread arenas kept it resident (bench/writes: memory after load).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    accord::cli::run().await
}
