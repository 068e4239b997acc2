//! Social insurance rules of both pension tracks, the other insurances and the housing fund:
//! pure functions over plain data, tested against official benefit notices and worked cases.
//! The regional variants are data: the rule table of [`regions`]. Money is integer fen; rates are resolved once per month and region into a
//! [`RatesAt`] so that the engine's loop over agents does no lookups.

pub mod accounts;
pub mod annuity;
pub mod base;
pub mod benefit;
pub mod case;
pub mod contributions;
pub mod divisor;
pub mod funds;
pub mod medical;
pub mod outcomes;
pub mod params;
pub mod regions;
pub mod retirement;
pub mod transfer;

pub use params::{InsuranceParams, RatesAt};

use serde::{Deserialize, Serialize};

/// Sex, which sets the statutory retirement age and some local medical rules.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Post category; for women it sets the statutory age (cadre 55 → 58, worker 50 → 55).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 干部 / 技术岗 (academic and professional posts).
    Cadre,
    /// 工人.
    Worker,
}

/// Pension pillar 1 the person belongs to (国发〔2015〕2号: established posts join the
/// public-institution scheme).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// 城镇企业职工基本养老保险: contract and non-established staff.
    Enterprise,
    /// 机关事业单位基本养老保险: established posts (编内), with the occupational annuity.
    Institution,
}

/// A decimal from a scenario float by its shortest printed form, so 0.935 is exactly 0.935
/// (the benefit formulas round at fixed decimals and must not see binary noise).
pub(crate) fn dec(x: f64) -> rust_decimal::Decimal {
    use std::str::FromStr;
    if !x.is_finite() {
        return rust_decimal::Decimal::ZERO;
    }
    rust_decimal::Decimal::from_str(&format!("{x}"))
        .or_else(|_| rust_decimal::Decimal::try_from(x))
        .unwrap_or(rust_decimal::Decimal::ZERO)
}
