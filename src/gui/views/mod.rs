//! The views of the window. Each draws from the state it is given and pushes commands.

pub mod compare;
pub mod dashboard;
pub mod documents;
pub mod facets;
pub mod findings;
pub mod merge;
pub mod options_section;
pub mod procedure_form;
pub mod simplify;
pub mod table;
pub mod two_level;
