//! The modal dialogs. Each draws itself and pushes commands; the app runs them.

pub mod conflict;
pub mod export_file;
pub mod import_list;
pub mod open_file;
pub mod retire;
