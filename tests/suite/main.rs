//! Every integration test in one binary: linking egui, wgpu and SQLite once instead of once
//! per file keeps a clean test run short. Each module drives the real binary or the window.

mod common;

mod audit;
mod bad_files;
mod export;
mod fuzz;
mod import;
mod merge;
mod real_records;
mod reliability;
mod restructure;
mod revisions;
mod shipped_catalogue;
mod simplify;
#[cfg(feature = "gui")]
mod window;
#[cfg(feature = "gui")]
mod window_audit;
#[cfg(feature = "gui")]
mod window_documents;
#[cfg(feature = "gui")]
mod window_exchange;
#[cfg(feature = "gui")]
mod window_merge;
#[cfg(feature = "gui")]
mod window_reliability;
#[cfg(feature = "gui")]
mod window_revisions;
#[cfg(feature = "gui")]
mod window_simplify;
#[cfg(feature = "gui")]
mod window_two_level;
