//! Scenario files: schema, defaults, dated tables, overlays and validation.

pub mod catalog;
pub mod dated;

pub use dated::{Dated, DatedEntry};
