//! procedure-catalogue: the core of a tool with which a province's legal-review
//! officers audit and simplify their catalogue of administrative procedures.
//!
//! The core (`domain`, `store`, `audit`, `diff`, `import`, `export`, `generator`) knows nothing of egui; the
//! window (`gui`, behind the default `gui` feature) and the CLI call the same core.

pub mod audit;
pub mod diff;
pub mod domain;
pub mod export;
pub mod generator;
pub mod import;
pub mod parallel;
pub mod store;
pub mod text;

#[cfg(feature = "gui")]
pub mod gui;
