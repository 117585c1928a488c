//! procedure-catalogue: the core of a tool with which a province's legal-review
//! officers audit and simplify their catalogue of administrative procedures.
//!
//! The core (`domain`, `store`, `audit`, `diff`, `import`, `export`, `generator`) knows nothing of egui; the
//! window (`gui`, behind the default `gui` feature) and the CLI call the same core.

// Outside tests, nothing panics on bad input: every failure is an error the officer reads.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod audit;
pub mod diff;
pub mod distinct;
pub mod domain;
pub mod export;
pub mod generator;
pub mod import;
pub mod merge_catalogue;
pub mod panic_guard;
pub mod parallel;
pub mod progress;
pub mod simplify;
pub mod store;
pub mod table_file;
pub mod text;
pub mod two_level;

#[cfg(feature = "gui")]
pub mod gui;
