//! `procedure-catalogue`: the window, or one headless job per subcommand.

// Outside tests, nothing panics on bad input: every failure is an error the officer reads.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod cli;

/// See Cargo.toml: the import and the audit allocate across threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    procedure_catalogue::panic_guard::install_hook();
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => match cli::run(command) {
            Ok(output) => {
                // A closed pipe (`| head`) is not an error worth a message.
                let _ = std::io::stdout().write_all(output.as_bytes());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {}", error_chain(&error));
                ExitCode::FAILURE
            }
        },
        None => open_window(args.path),
    }
}

/// One line: the message, then its causes when they add something.
fn error_chain(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

#[cfg(feature = "gui")]
fn open_window(path: Option<std::path::PathBuf>) -> ExitCode {
    let path = path.unwrap_or_else(|| cli::DEFAULT_CATALOGUE.into());
    match procedure_catalogue::gui::run(path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_path: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "error: this build has no window (built without the `gui` feature). Use a subcommand; see --help"
    );
    ExitCode::FAILURE
}
