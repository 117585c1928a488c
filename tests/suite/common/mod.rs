//! Helpers shared by the integration tests: run the real binary, hash files.

#![allow(dead_code)]

#[cfg(feature = "gui")]
pub mod window;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_procedure-catalogue"));
    command.env("PROCEDURE_CATALOGUE_USER", "test-officer");
    command
}

/// Runs the binary with arguments, in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    binary()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn shipped_catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue.sqlite")
}

/// `../shared/realdata/`, beside the repository, when it is there.
pub fn realdata_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
    dir.is_dir().then_some(dir)
}

/// Copies the shipped catalogue into a temporary folder, so tests may change it.
pub fn copy_of_shipped(dir: &Path) -> PathBuf {
    let path = dir.join("catalogue.sqlite");
    std::fs::copy(shipped_catalogue(), &path).expect("copy the shipped catalogue");
    path
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}): {}\nstderr: {}",
            stdout(output),
            stderr(output)
        )
    })
}
