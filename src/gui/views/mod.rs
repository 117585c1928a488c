//! The views of the window. Each draws from the state it is given and pushes commands.

pub mod compare;
pub mod documents;
pub mod facets;
pub mod findings;
pub mod merge;
pub mod procedure_form;
pub mod table;
pub mod two_level;
