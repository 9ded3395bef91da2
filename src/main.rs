//! The `accord` binary: parses the command line and hands over to the library.
//! Everything interesting lives in `accord::cli`.

use std::process::ExitCode;

/// mimalloc returns what a burst of requests freed to the system; glibc's per-thread arenas
/// kept it resident (bench/writes: memory after load). Built without transparent huge pages
/// (`no_thp`): with them, each small arena held a 2 MB page.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc reads its settings from the environment as the process starts. By default it gives
/// freed pages back a second later, and only when the thread that freed them allocates again:
/// after a burst, idle threads kept 117 MB resident where 60 MB remained with no delay
/// (bench/writes, the Gantt load). Unless the operator set it, Accord starts itself again with no
/// delay; `exec` keeps the process id, so service managers see one process.
const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";

fn main() -> ExitCode {
    #[cfg(unix)]
    if std::env::var_os(PURGE_DELAY).is_none()
        && let Ok(exe) = std::env::current_exe()
    {
        use std::os::unix::process::CommandExt;
        let mut args = std::env::args_os();
        let mut again = std::process::Command::new(exe);
        if let Some(arg0) = args.next() {
            again.arg0(arg0);
        }
        // `exec` returns only when it failed; then run as we are, with mimalloc's defaults.
        let failed = again.args(args).env(PURGE_DELAY, "0").exec();
        eprintln!("accord: could not restart with {PURGE_DELAY}=0 ({failed}); memory freed under load returns later");
    }
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(accord::cli::run()),
        Err(e) => {
            eprintln!("accord: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}
