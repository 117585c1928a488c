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

/// Runs the binary and insists it succeeded (the error message in the panic otherwise).
pub fn ok(dir: &Path, args: &[&str]) -> Output {
    let output = run_in(dir, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    output
}

/// Every working entry by code and level, with its content hash: what "restored exactly"
/// compares.
pub fn content_hashes(
    path: &Path,
) -> std::collections::BTreeMap<(String, procedure_catalogue::domain::Level), u64> {
    procedure_catalogue::store::Catalogue::open_read_only(path)
        .expect("open")
        .procedures()
        .expect("read")
        .into_iter()
        .map(|p| {
            (
                (p.data.code.clone(), p.data.level_or_province()),
                p.data.fingerprint(),
            )
        })
        .collect()
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
