//! Policy levers: the `[policy]` section of a scenario and what is in force each month.
//!
//! Every lever has a `start` month (absent: not in force) and an optional `full_from` month:
//! between the two a lever phases in linearly (its intensity rises from the first month to 1),
//! after `full_from` it is fully in force. The early-career reduction, the flexible minimum,
//! the contract annuity, portability and fiscal matching move from the statutory value toward
//! the lever's value with the intensity; switches, the floor and ceiling ratios and the
//! conversion rate apply in full from `start`. Levers combine freely:
//! each acts on its own part of the rules (the contribution base, the dual track, the points
//! bank, regional and fiscal settings), and the engine reads them only through [`PolicyAt`].

use crate::scenario::catalog::{Allowed, Certainty, Issue, KeyDoc};
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

/// When a lever is in force (each lever's `start` and `full_from`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Schedule {
    pub start: Option<YearMonth>,
    pub full_from: Option<YearMonth>,
}

impl Schedule {
    /// 0 before `start`, rising linearly to 1 at `full_from`, 1 after.
    pub fn intensity(&self, month: YearMonth) -> f64 {
        let Some(start) = self.start else { return 0.0 };
        if month < start {
            return 0.0;
        }
        match self.full_from {
            Some(full) if full > start && month < full => {
                (month.months_since(start) + 1) as f64 / (full.months_since(start) + 1) as f64
            }
            _ => 1.0,
        }
    }

    /// Whether the lever has started.
    pub fn active(&self, month: YearMonth) -> bool {
        self.intensity(month) > 0.0
    }

    fn check(&self, path: &str, out: &mut Vec<Issue>) {
        if let (Some(s), Some(f)) = (self.start, self.full_from) {
            if f < s {
                out.push(Issue::new(
                    format!("{path}.full_from"),
                    format!("the phase-in ends ({f}) before it starts ({s}); full_from must be on or after start"),
                ));
            }
        }
    }
}

/// How contribution bases are set.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseScheme {
    /// The previous year's average wage within the floor and ceiling (国发〔2005〕38号; 国发〔2015〕2号).
    Statutory,
    /// The university lets staff choose their base between `flexible_min_ratio` of their wage
    /// and their wage, within the statutory limits.
    Flexible,
}

/// When the make-up (补差) of a late-published base is paid.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MakeUpTiming {
    /// In one lump sum in the publication month (the usual practice).
    LumpSum,
    /// Not paid: the old base stands for the months already paid.
    None,
}

/// `[policy.contribution_base]`: contribution-base schemes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContributionBaseLever {
    /// First month in force; absent: never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<YearMonth>,
    /// Month from which fully in force (phase-in end); absent: at `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_from: Option<YearMonth>,
    pub scheme: BaseScheme,
    /// Lowest base a member may choose under the flexible scheme, as a share of their wage.
    pub flexible_min_ratio: f64,
    /// Whether performance pay (绩效工资) counts in the base.
    pub performance_in_base: bool,
    /// Staff within this many years of their first job are early-career.
    pub early_career_years: f64,
    /// Share by which an early-career member's base is reduced (0: no reduction).
    pub early_career_reduction: f64,
    /// Floor and ceiling ratios of the regional average wage replacing the statutory ones
    /// (absent: statutory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceiling_ratio: Option<f64>,
    pub make_up: MakeUpTiming,
}

impl ContributionBaseLever {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            start: self.start,
            full_from: self.full_from,
        }
    }
}

impl Default for ContributionBaseLever {
    fn default() -> Self {
        ContributionBaseLever {
            start: None,
            full_from: None,
            scheme: BaseScheme::Statutory,
            flexible_min_ratio: 0.6,
            performance_in_base: true,
            early_career_years: 5.0,
            early_career_reduction: 0.0,
            floor_ratio: None,
            ceiling_ratio: None,
            make_up: MakeUpTiming::LumpSum,
        }
    }
}

/// `[policy.dual_track]`: reforms of the two-track system.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DualTrackLever {
    /// First month in force; absent: never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<YearMonth>,
    /// Month from which fully in force (phase-in end); absent: at `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_from: Option<YearMonth>,
    /// Contract and temporary staff's basic-pension employer rate is raised to the
    /// institution scheme's.
    pub equal_employer_rates: bool,
    /// Contract staff get an annuity at the occupational annuity's rates, paid by the
    /// university (phased in with the schedule).
    pub contract_annuity: bool,
    /// Yearly share of contract staff converted to established posts (replaces
    /// `careers.conversion_rate` while in force).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion_rate: Option<f64>,
    /// New hires join one scheme whatever their post: the enterprise basic pension plus an
    /// annuity at the occupational annuity's rates.
    pub unified_new_hires: bool,
    /// Share of yearly bases moved with the pooled fund on a move across regions or schemes
    /// (replaces the statutory 12 %; 0.16 moves the whole employer contribution).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portability: Option<f64>,
}

impl DualTrackLever {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            start: self.start,
            full_from: self.full_from,
        }
    }
}

/// What redeemed points buy.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsUse {
    /// Supplementary contributions into the member's annuity account.
    Annuity,
    /// Health benefits (paid as they are used).
    Health,
}

/// `[policy.points_bank]`: the 积分银行 that turns teaching and research output into welfare
/// points (Gao 2025, Social Security and Administration Management 6(1), §4.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PointsBankLever {
    /// First month in force; absent: never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<YearMonth>,
    /// Month from which fully in force (phase-in end); absent: at `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_from: Option<YearMonth>,
    /// Points a year for a unit of teaching output (average effort, average discipline).
    pub teaching_rate: f64,
    /// Points a year for a unit of research output.
    pub research_rate: f64,
    /// Yuan a point buys when redeemed.
    pub point_value: f64,
    /// Years before earned points can be redeemed.
    pub vesting_years: u32,
    /// Years after which unredeemed points expire (counted from when they were earned).
    pub expiry_years: u32,
    /// Yearly redemption budget of each university, yuan; demand above it is scaled down.
    pub yearly_budget: f64,
    pub use_for: PointsUse,
}

impl PointsBankLever {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            start: self.start,
            full_from: self.full_from,
        }
    }
}

impl Default for PointsBankLever {
    fn default() -> Self {
        PointsBankLever {
            start: None,
            full_from: None,
            teaching_rate: 60.0,
            research_rate: 90.0,
            point_value: 20.0,
            vesting_years: 1,
            expiry_years: 5,
            yearly_budget: 5_000_000.0,
            use_for: PointsUse::Annuity,
        }
    }
}

/// Enrolment shares of temporary staff, by insurance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Enrolment {
    pub pension: f64,
    pub medical: f64,
    pub unemployment: f64,
    pub work_injury: f64,
    pub housing_fund: f64,
}

impl Default for Enrolment {
    fn default() -> Self {
        Enrolment {
            pension: 1.0,
            medical: 1.0,
            unemployment: 1.0,
            work_injury: 1.0,
            housing_fund: 1.0,
        }
    }
}

/// `[policy.regional]`: fiscal matching and selective participation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegionalLever {
    /// First month in force; absent: never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<YearMonth>,
    /// Month from which fully in force (phase-in end); absent: at `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_from: Option<YearMonth>,
    /// Share of a ministry-affiliated university's employer contributions paid by the central
    /// budget.
    pub ministry_matching: f64,
    /// Share of a local university's employer contributions paid by the provincial budget.
    pub local_matching: f64,
    /// Temporary staff enrolled in each insurance (selective participation 选择性参保).
    pub temporary_enrolment: Enrolment,
}

impl RegionalLever {
    pub fn schedule(&self) -> Schedule {
        Schedule {
            start: self.start,
            full_from: self.full_from,
        }
    }
}

impl Default for RegionalLever {
    fn default() -> Self {
        RegionalLever {
            start: None,
            full_from: None,
            ministry_matching: 0.0,
            local_matching: 0.0,
            temporary_enrolment: Enrolment::default(),
        }
    }
}

/// `[policy]`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyParams {
    pub contribution_base: ContributionBaseLever,
    pub dual_track: DualTrackLever,
    pub points_bank: PointsBankLever,
    pub regional: RegionalLever,
}

/// Everything the levers change in one month, resolved once for the agent phase.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PolicyAt {
    pub flexible_base: bool,
    pub flexible_min_ratio: f64,
    pub performance_in_base: bool,
    pub early_career_months: i32,
    /// Reduction of early-career bases in force (phased in).
    pub early_career_reduction: f64,
    pub floor_ratio: Option<f64>,
    pub ceiling_ratio: Option<f64>,
    pub make_up: bool,
    pub equal_employer_rates: bool,
    /// Share of the occupational annuity's rates given to contract staff (phased in).
    pub contract_annuity: f64,
    pub conversion_rate: Option<f64>,
    pub unified_new_hires: bool,
    /// Transfer share the portability lever moves toward, and its intensity (the statutory
    /// share is the region's, blended in `engine::env`).
    pub portability: Option<(f64, f64)>,
    pub points_bank: bool,
    pub ministry_matching: f64,
    pub local_matching: f64,
    /// Whether selective participation applies this month.
    pub selective: bool,
}

impl PolicyAt {
    /// Whether no lever changes anything this month: the statutory rules. Perception then needs
    /// no second, statutory valuation for its reference.
    pub fn is_statutory(&self) -> bool {
        !self.flexible_base
            && self.early_career_reduction == 0.0
            && self.performance_in_base
            && self.floor_ratio.is_none()
            && self.ceiling_ratio.is_none()
            && self.make_up
            && !self.equal_employer_rates
            && self.contract_annuity == 0.0
            && self.conversion_rate.is_none()
            && !self.unified_new_hires
            && self.portability.is_none()
            && !self.points_bank
            && self.ministry_matching == 0.0
            && self.local_matching == 0.0
            && !self.selective
    }

    /// The statutory rules (no lever in force).
    pub fn statutory() -> Self {
        PolicyParams::default().at(YearMonth::ym(2000, 1))
    }
}

impl PolicyParams {
    /// What is in force in `month`.
    pub fn at(&self, month: YearMonth) -> PolicyAt {
        let cb = &self.contribution_base;
        let ib = cb.schedule().intensity(month);
        let on_b = ib > 0.0;
        let dt = &self.dual_track;
        let id = dt.schedule().intensity(month);
        let on_d = id > 0.0;
        let rg = &self.regional;
        let ir = rg.schedule().intensity(month);
        PolicyAt {
            flexible_base: on_b && cb.scheme == BaseScheme::Flexible,
            flexible_min_ratio: 1.0 + (cb.flexible_min_ratio - 1.0) * ib,
            performance_in_base: !on_b || cb.performance_in_base,
            early_career_months: (cb.early_career_years * 12.0).round() as i32,
            early_career_reduction: cb.early_career_reduction * ib,
            floor_ratio: if on_b { cb.floor_ratio } else { None },
            ceiling_ratio: if on_b { cb.ceiling_ratio } else { None },
            make_up: !on_b || cb.make_up == MakeUpTiming::LumpSum,
            equal_employer_rates: on_d && dt.equal_employer_rates,
            contract_annuity: if dt.contract_annuity { id } else { 0.0 },
            conversion_rate: if on_d { dt.conversion_rate } else { None },
            unified_new_hires: on_d && dt.unified_new_hires,
            portability: if on_d {
                dt.portability.map(|p| (p, id))
            } else {
                None
            },
            points_bank: self.points_bank.schedule().active(month),
            ministry_matching: rg.ministry_matching * ir,
            local_matching: rg.local_matching * ir,
            selective: ir > 0.0,
        }
    }

    /// Docs of every key, paths relative to `policy`.
    pub fn key_docs() -> Vec<KeyDoc> {
        use Allowed as A;
        let k = KeyDoc::new;
        let share = A::unit_interval;
        let src_en = "Gao (2025), Social Security and Administration Management 6(1), doi:10.23977/socsam.2025.060113, §4.3 (contribution-base schemes)";
        let mut v = Vec::new();
        for lever in ["contribution_base", "dual_track", "points_bank", "regional"] {
            v.push(k(
                &format!("{lever}.start"),
                "month",
                A::Month,
                "First month the lever is in force; absent: never.",
            ));
            v.push(k(&format!("{lever}.full_from"), "month", A::Month, "Month from which the lever is fully in force; it phases in linearly from start (absent: at once)."));
        }
        v.extend([
            k("contribution_base.scheme", "", A::OneOf(&["statutory", "flexible"]), "Statutory base, or a university-set flexible base that staff choose between flexible_min_ratio of their wage and their wage.").source(src_en, Certainty::Model),
            k("contribution_base.flexible_min_ratio", "share", share(), "Lowest base a member may choose under the flexible scheme, as a share of their wage (never below the statutory floor)."),
            k("contribution_base.performance_in_base", "", A::Bool, "Whether performance pay (绩效工资) counts in the contribution base.").source("provincial lists of the wage items of the public-institution base (under 国发〔2015〕2号)", Certainty::C),
            k("contribution_base.early_career_years", "years", A::number(0.0, 40.0), "Staff within this many years of their first job are early-career."),
            k("contribution_base.early_career_reduction", "share", share(), "Share by which an early-career base is reduced (the hypothesis that young staff would rather contribute less; no published measurement)."),
            k("contribution_base.floor_ratio", "share of AW", A::number(0.0, 5.0), "Floor ratio replacing the statutory one while the lever is in force."),
            k("contribution_base.ceiling_ratio", "share of AW", A::number(0.0, 10.0), "Ceiling ratio replacing the statutory one while the lever is in force."),
            k("contribution_base.make_up", "", A::OneOf(&["lump_sum", "none"]), "Whether the make-up (补差) of a late-published base is paid in a lump sum or not at all."),
            k("dual_track.equal_employer_rates", "", A::Bool, "Contract and temporary staff's basic-pension employer rate is raised to the institution scheme's."),
            k("dual_track.contract_annuity", "", A::Bool, "Contract staff get an annuity at the occupational annuity's rates: the university pays the employer part, the member the individual part (phased in)."),
            k("dual_track.conversion_rate", "per year", share(), "Yearly share of contract staff converted to established posts while the lever is in force."),
            k("dual_track.unified_new_hires", "", A::Bool, "New hires join one scheme whatever their post: enterprise basic pension plus an annuity at the occupational annuity's rates."),
            k("dual_track.portability", "share of bases", A::number(0.0, 0.5), "Share of yearly bases moved with the pooled fund on a move across regions or schemes (statutory 0.12)."),
            k("points_bank.teaching_rate", "points/year", A::at_least(0.0), "Points a year for a unit of teaching output.").source("Gao (2025), Social Security and Administration Management 6(1), doi:10.23977/socsam.2025.060113, §4.1 (points bank)", Certainty::Model),
            k("points_bank.research_rate", "points/year", A::at_least(0.0), "Points a year for a unit of research output (scaled by the discipline's output level)."),
            k("points_bank.point_value", "yuan/point", A::at_least(0.0), "Yuan a point buys when redeemed."),
            k("points_bank.vesting_years", "years", A::integer(0, 7), "Years before earned points can be redeemed."),
            k("points_bank.expiry_years", "years", A::integer(1, 8), "Years after earning when unredeemed points expire."),
            k("points_bank.yearly_budget", "yuan/year", A::at_least(0.0), "Each university's yearly redemption budget; demand above it is scaled down pro rata."),
            k("points_bank.use_for", "", A::OneOf(&["annuity", "health"]), "What redeemed points buy: annuity contributions or health benefits."),
            k("regional.ministry_matching", "share", share(), "Share of a ministry-affiliated university's employer contributions paid by the central budget.").source("Gao (2025), Social Security and Administration Management 6(1), doi:10.23977/socsam.2025.060113, §2.2 (fiscal matching)", Certainty::Model),
            k("regional.local_matching", "share", share(), "Share of a local university's employer contributions paid by the provincial budget."),
            k("regional.temporary_enrolment.pension", "share", share(), "Share of temporary staff enrolled in the basic pension (selective participation).").source("Gao (2025), Social Security and Administration Management 6(1), doi:10.23977/socsam.2025.060113, §2.2 (选择性参保)", Certainty::Model),
            k("regional.temporary_enrolment.medical", "share", share(), "Share of temporary staff enrolled in medical insurance."),
            k("regional.temporary_enrolment.unemployment", "share", share(), "Share of temporary staff enrolled in unemployment insurance."),
            k("regional.temporary_enrolment.work_injury", "share", share(), "Share of temporary staff enrolled in work-injury insurance."),
            k("regional.temporary_enrolment.housing_fund", "share", share(), "Share of temporary staff enrolled in the housing fund."),
        ]);
        v
    }

    /// Cross-field checks; `path` is `policy`.
    pub fn check(&self, path: &str, out: &mut Vec<Issue>) {
        self.contribution_base
            .schedule()
            .check(&format!("{path}.contribution_base"), out);
        self.dual_track
            .schedule()
            .check(&format!("{path}.dual_track"), out);
        self.points_bank
            .schedule()
            .check(&format!("{path}.points_bank"), out);
        self.regional
            .schedule()
            .check(&format!("{path}.regional"), out);
        let cb = &self.contribution_base;
        if let (Some(f), Some(c)) = (cb.floor_ratio, cb.ceiling_ratio) {
            if f > c {
                out.push(Issue::new(
                    format!("{path}.contribution_base.floor_ratio"),
                    format!("floor ratio {f} is above the ceiling ratio {c}"),
                ));
            }
        }
        let pb = &self.points_bank;
        if pb.expiry_years <= pb.vesting_years {
            out.push(Issue::new(
                format!("{path}.points_bank.expiry_years"),
                format!(
                    "points would expire ({} years) before they vest ({} years); expiry_years must exceed vesting_years",
                    pb.expiry_years, pb.vesting_years
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::ym(y, m)
    }

    #[test]
    fn schedule_phases_in_linearly() {
        let s = Schedule {
            start: Some(ym(2027, 1)),
            full_from: Some(ym(2027, 4)),
        };
        assert_eq!(s.intensity(ym(2026, 12)), 0.0);
        assert_eq!(s.intensity(ym(2027, 1)), 0.25);
        assert_eq!(s.intensity(ym(2027, 3)), 0.75);
        assert_eq!(s.intensity(ym(2027, 4)), 1.0);
        assert_eq!(s.intensity(ym(2040, 1)), 1.0);
        assert_eq!(Schedule::default().intensity(ym(2030, 1)), 0.0);
    }

    #[test]
    fn impossible_combinations_are_reported() {
        let mut p = PolicyParams::default();
        (p.dual_track.start, p.dual_track.full_from) = (Some(ym(2030, 1)), Some(ym(2028, 1)));
        p.points_bank.vesting_years = 3;
        p.points_bank.expiry_years = 2;
        p.contribution_base.floor_ratio = Some(0.9);
        p.contribution_base.ceiling_ratio = Some(0.5);
        let mut out = Vec::new();
        p.check("policy", &mut out);
        let paths: Vec<&str> = out.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "policy.dual_track.full_from",
                "policy.contribution_base.floor_ratio",
                "policy.points_bank.expiry_years"
            ]
        );
        assert!(out[0]
            .message
            .contains("ends (2028-01) before it starts (2030-01)"));
    }

    #[test]
    fn levers_are_off_before_start_and_blend_while_phasing_in() {
        let mut p = PolicyParams::default();
        assert_eq!(p.at(ym(2030, 1)).contract_annuity, 0.0);
        (p.dual_track.start, p.dual_track.full_from) = (Some(ym(2027, 1)), Some(ym(2027, 2)));
        p.dual_track.contract_annuity = true;
        p.dual_track.portability = Some(0.16);
        let a = p.at(ym(2027, 1));
        assert_eq!(a.contract_annuity, 0.5);
        assert_eq!(a.portability, Some((0.16, 0.5)));
        assert_eq!(p.at(ym(2026, 12)).portability, None);
        assert!(
            p.at(ym(2027, 1)).performance_in_base,
            "other levers untouched"
        );
    }
}
