//! The `accord` binary: parses the command line and hands over to the library.
//! Everything interesting lives in `accord::cli`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    accord::cli::run().await
}
