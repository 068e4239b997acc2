//! The pension rules in force for one region and month, as plain values: what the award reads.
//! Built by `InsuranceParams::resolve` from the scenario's dated keys (whose defaults are this
//! table), carried in `RatesAt`.

use super::kinds::*;
use crate::money::Fen;
use crate::time::YearMonth;

/// The regional pension rules in force at one month.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct PensionRules {
    /// First month of the enterprise personal account.
    pub account_start: YearMonth,
    pub divisor_convention: DivisorConvention,
    /// Decimals of the contribution years (12: unrounded).
    pub years_decimals: u32,
    pub index_decimals: u32,
    /// Decimals of yuan of a half-up component (2: fen).
    pub money_decimals: u32,
    pub basic_form: BasicForm,
    pub component_rounding: ComponentRounding,
    pub total_rounding: TotalRounding,
    /// Enterprise transitional pension: family, index, years, k, phase-in share.
    pub transitional_form: TransitionalForm,
    pub deemed_index: DeemedIndexRule,
    pub transitional_years: YearsBasis,
    pub transitional_rate: f64,
    pub transitional_phase_in: f64,
    /// k of the public-institution transitional pension (deemed index, deemed years).
    pub institution_transitional_rate: f64,
    pub supplement_form: SupplementForm,
    /// Zhejiang 过渡性调节金: fixed part and part per unit of Ī × N, in fen.
    pub adjustment_base: Fen,
    pub adjustment_per_index_year: Fen,
    /// Flat basic-pension subsidy, fen.
    pub flat_subsidy: Fen,
    /// Months after retirement before the first payment.
    pub payment_lag_months: u32,
}

impl PensionRules {
    /// Whether the years are carried unrounded (12 decimals never move a fen).
    pub fn years_unrounded(&self) -> bool {
        self.years_decimals >= UNROUNDED_DECIMALS
    }
}

/// Years or index decimals at or above this count stand for "unrounded": 12 decimals of years
/// times any calculation base stay far below half a fen.
pub const UNROUNDED_DECIMALS: u32 = 12;

fn word<T: serde::Serialize>(v: &T) -> String {
    match toml::Value::try_from(v) {
        Ok(toml::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

impl PensionRules {
    /// The value of a rule key as the table writes it (`None` for keys the award does not
    /// read); used to name each rule in explanations.
    pub fn value_text(&self, key: &str) -> Option<String> {
        let yuan = |f: Fen| crate::money::format_yuan(f);
        Some(match key {
            "account_start" => self.account_start.to_string(),
            "divisor_convention" => word(&self.divisor_convention),
            "years_decimals" => self.years_decimals.to_string(),
            "index_decimals" => self.index_decimals.to_string(),
            "basic_form" => word(&self.basic_form),
            "component_rounding" => word(&self.component_rounding),
            "total_rounding" => word(&self.total_rounding),
            "transitional_form" => word(&self.transitional_form),
            "deemed_index" => word(&self.deemed_index),
            "transitional_years" => word(&self.transitional_years),
            "transitional_rate" => self.transitional_rate.to_string(),
            "transitional_phase_in" => self.transitional_phase_in.to_string(),
            "institution_transitional_rate" => self.institution_transitional_rate.to_string(),
            "supplement_form" => word(&self.supplement_form),
            "adjustment_base" => yuan(self.adjustment_base),
            "adjustment_per_index_year" => yuan(self.adjustment_per_index_year),
            "flat_subsidy" => yuan(self.flat_subsidy),
            _ => return None,
        })
    }
}

impl PensionRules {
    /// Sets a rule key from a validated value (case-file overrides); an error names the
    /// expected value.
    pub fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
        fn parse<T: serde::de::DeserializeOwned>(v: &toml::Value) -> Result<T, String> {
            v.clone()
                .try_into()
                .map_err(|e: toml::de::Error| e.message().to_string())
        }
        let number = || value.as_float().or(value.as_integer().map(|i| i as f64));
        let num = || number().ok_or_else(|| format!("`{value}` is not a number"));
        let decimals = || -> Result<u32, String> {
            value
                .as_integer()
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| format!("`{value}` is not a whole number"))
        };
        match key {
            "divisor_convention" => self.divisor_convention = parse(value)?,
            "years_decimals" => self.years_decimals = decimals()?,
            "index_decimals" => self.index_decimals = decimals()?,
            "basic_form" => self.basic_form = parse(value)?,
            "component_rounding" => self.component_rounding = parse(value)?,
            "total_rounding" => self.total_rounding = parse(value)?,
            "transitional_form" => self.transitional_form = parse(value)?,
            "deemed_index" => self.deemed_index = parse(value)?,
            "transitional_years" => self.transitional_years = parse(value)?,
            "transitional_rate" => self.transitional_rate = num()?,
            "transitional_phase_in" => self.transitional_phase_in = num()?,
            "institution_transitional_rate" => self.institution_transitional_rate = num()?,
            "supplement_form" => self.supplement_form = parse(value)?,
            "adjustment_base" => self.adjustment_base = crate::money::yuan_to_fen(num()?),
            "adjustment_per_index_year" => {
                self.adjustment_per_index_year = crate::money::yuan_to_fen(num()?)
            }
            "flat_subsidy" => self.flat_subsidy = crate::money::yuan_to_fen(num()?),
            other => return Err(format!("`{other}` is not a rule the award reads")),
        }
        Ok(())
    }
}
