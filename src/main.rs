//! The `accord` binary: parses the command line and hands over to the library.
//! Everything interesting lives in `accord::cli`.

use std::process::ExitCode;

// glibc malloc's arena locks showed up as the top cost under load; mimalloc's thread-local
// heaps do not contend.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    accord::cli::run().await
}
