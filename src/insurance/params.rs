//! The `[insurance]` section of a scenario: rates, limits and rules, dated and regional.

use crate::scenario::catalog::{Issue, KeyDoc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct InsuranceParams {}

impl InsuranceParams {
    /// Docs of every key of this section, paths relative to `insurance`.
    pub fn key_docs() -> Vec<KeyDoc> {
        Vec::new()
    }

    /// Cross-field checks; `path` is this section's path (`insurance`).
    pub fn check(&self, _path: &str, _out: &mut Vec<Issue>) {}
}
