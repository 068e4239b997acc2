//! The shapes a regional rule can take. Each is a word in the rule table and in scenarios, so a
//! province's formula is chosen by data, and the benefit code has one arm per shape, never one
//! per province.

use serde::{Deserialize, Serialize};

/// Which family of transitional pension (过渡性养老金) a province pays its 中人.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionalForm {
    /// Family A: `C × I × N × k`, with the index chosen by [`DeemedIndexRule`] and the years by
    /// [`YearsBasis`] (Guangdong, Shandong, Heilongjiang, Gansu, Liaoning, institutions).
    DeemedIndex,
    /// Family B: `C × (1 + Ī)/2 × N × k` (Sichuan enterprise).
    AverageIndex,
    /// Beijing: `C × 1 × N_deemed × k + C × Ī × N(1992-10..1998-06) × k`.
    TwoPart,
    /// The amount printed on the notice, a per-person fact (Shanghai, whose transitional pension
    /// rests on 1993–1997 account records the calculator does not hold).
    Given,
}

impl TransitionalForm {
    pub const NAMES: &'static [&'static str] =
        &["deemed_index", "average_index", "two_part", "given"];
}

/// The index a family-A transitional pension multiplies.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeemedIndexRule {
    /// The person's own deemed index (post table, or a province's pre-account index).
    Given,
    /// The average index Ī of the whole record (Heilongjiang, Gansu, Liaoning).
    Average,
    /// 1 (Beijing's deemed part).
    One,
}

impl DeemedIndexRule {
    pub const NAMES: &'static [&'static str] = &["given", "average", "one"];
}

/// Which years the transitional pension counts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearsBasis {
    /// Deemed years (视同缴费年限).
    Deemed,
    /// All years before the personal account existed, deemed years included.
    PreAccount,
}

impl YearsBasis {
    pub const NAMES: &'static [&'static str] = &["deemed", "pre_account"];
}

/// How the months of payment (计发月数) are read for an age.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisorConvention {
    /// The whole-year entry of the table (50y4m → the entry of 50).
    WholeYears,
    /// Linear interpolation between whole years, rounded to 0.1 (since 2025).
    Monthly,
}

impl DivisorConvention {
    pub const NAMES: &'static [&'static str] = &["whole_years", "monthly"];
}

/// The shape of the basic pension (基础养老金).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasicForm {
    /// `C × (1 + Ī)/2 × N × 1 %`, N in (rounded) years.
    Standard,
    /// Shanghai: `(C + C·Ī)/2 × whole years × 1 % + (C + C·Ī)/2 × remaining months × 0.083 %`.
    YearsAndMonths,
}

impl BasicForm {
    pub const NAMES: &'static [&'static str] = &["standard", "years_and_months"];
}

/// Rounding of each component.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentRounding {
    /// Half up to the fen.
    HalfUpFen,
    /// Up to the jiao (见分进角, Shanghai).
    UpJiao,
}

impl ComponentRounding {
    pub const NAMES: &'static [&'static str] = &["half_up_fen", "up_jiao"];
}

/// Rounding of the total.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalRounding {
    /// The sum of the rounded components.
    Sum,
    /// The sum rounded up to the jiao (Zhejiang, Jiangsu).
    UpJiao,
    /// The sum rounded up to the yuan (Shenyang notices from 2025).
    UpYuan,
}

impl TotalRounding {
    pub const NAMES: &'static [&'static str] = &["sum", "up_jiao", "up_yuan"];
}

/// A local supplement on top of the national formula.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplementForm {
    None,
    /// Sichuan 月增发养老金: `C × Ī × rate × N + fixed`, rate and fixed amount per person,
    /// enterprise scheme only.
    IndexedWageYears,
}

impl SupplementForm {
    pub const NAMES: &'static [&'static str] = &["none", "indexed_wage_years"];
}
