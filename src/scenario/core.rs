//! The core sections of a scenario: the run itself, regions, universities, the population and
//! careers. Insurance, perception and policy sections live with the modules that use them.

use super::dated::Dated;
use crate::time::YearMonth;
use serde::{Deserialize, Serialize};

pub use super::core_keys::{check_careers, check_population, key_docs};

/// `[simulation]`: what to run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimulationParams {
    /// First simulated month.
    pub start: YearMonth,
    /// Horizon in years (the run has `years × 12` monthly steps).
    pub years: u32,
    /// Master seed; every random stream derives from it, the agent id and the purpose.
    pub seed: u64,
    /// Initial staff headcount across all universities (the synthetic population's size).
    pub agents: u32,
    /// Optional staff roster CSV (relative to the scenario file) used instead of the
    /// synthetic population.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<String>,
    /// k of the k-anonymity of a roster run's agents.csv (`anonymise`): every combination of
    /// a person's coarsened facts is shared by at least k of the roster's staff.
    pub roster_k_anonymity: u32,
    /// Write a roster run's agents.csv with each person's exact facts (personal data).
    pub roster_exact_agents: bool,
}

impl Default for SimulationParams {
    fn default() -> Self {
        SimulationParams {
            start: YearMonth::ym(2025, 1),
            years: 40,
            seed: 20_251_125,
            agents: 3_000,
            roster: None,
            roster_k_anonymity: crate::anonymise::DEFAULT_K,
            roster_exact_agents: false,
        }
    }
}

/// Economic zone, as studies of university social insurance contrast them (east against
/// central and west; Gao 2025, Social Security and Administration Management 6(1), §2.2).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    East,
    Central,
    West,
}

impl Zone {
    pub const NAMES: &'static [&'static str] = &["east", "central", "west"];
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// `[[regions]]`: a province (a pension pooling area) with its wage statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionParams {
    pub name: String,
    pub zone: Zone,
    /// 全口径城镇单位就业人员平均工资, yuan per month, by year: the reference for contribution
    /// limits and the denominator of the contribution index.
    pub average_wage: Dated<f64>,
    /// Pension calculation base 计发基数, yuan per month, by year of retirement.
    pub calc_base: Dated<f64>,
    /// Yearly growth used to project both series past their last published value.
    pub wage_growth: f64,
}

impl RegionParams {
    /// The series value in `month`: the entry in force, grown by `wage_growth` for each whole
    /// year since that entry's date (so a table can stop at the last published figure), and
    /// carried back along the national average wage before the first entry (to reconstruct
    /// past careers and past awards, `scenario::wage_history`); at `wage_growth` only where
    /// the first entry is past the national series.
    pub fn projected(&self, series: &Dated<f64>, month: YearMonth) -> f64 {
        let entry = series
            .entries()
            .iter()
            .rfind(|e| e.region.is_none() && e.from.is_none_or(|f| f <= month))
            .or_else(|| series.entries().first())
            .expect("validated: non-empty series");
        let years = entry.from.map(|f| month.year() - f.year()).unwrap_or(0);
        if years < 0 {
            let from = entry.from.map(|f| f.year()).unwrap_or(month.year());
            if let Some(f) = super::wage_history::back_factor(month.year(), from) {
                return entry.value * f;
            }
        }
        entry.value * (1.0 + self.wage_growth).powi(years)
    }

    /// The regional average wage in force in `month`, yuan per month.
    pub fn average_wage_at(&self, month: YearMonth) -> f64 {
        self.projected(&self.average_wage, month)
    }

    /// The calculation base for a retirement in `month`, yuan per month.
    pub fn calc_base_at(&self, month: YearMonth) -> f64 {
        self.projected(&self.calc_base, month)
    }

    /// A region with the wage series of the regional rule table.
    fn from_table(name: &str, zone: Zone) -> Self {
        use crate::insurance::regions::RuleTable;
        let t = RuleTable::builtin();
        RegionParams {
            name: name.into(),
            zone,
            average_wage: Dated::by_month(t.series(name, |r| &r.average_wage)),
            calc_base: Dated::by_month(t.series(name, |r| &r.calc_base)),
            wage_growth: 0.04,
        }
    }

    /// The default regions, their wage series from the regional rule table (each figure with
    /// its source there). Where a year is missing the series is projected; Hubei's figures and
    /// Gansu's are estimates (certainty U in the table).
    pub fn defaults() -> Vec<RegionParams> {
        vec![
            RegionParams::from_table("beijing", Zone::East),
            RegionParams::from_table("shanghai", Zone::East),
            RegionParams::from_table("guangdong", Zone::East),
            RegionParams::from_table("hubei", Zone::Central),
            RegionParams::from_table("sichuan", Zone::West),
            RegionParams::from_table("gansu", Zone::West),
        ]
    }
}

/// Who funds a university: ministry-affiliated (部属) or local (地方).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fiscal {
    Ministry,
    Local,
}

/// `[[universities]]`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniversityParams {
    pub name: String,
    /// A `[[regions]]` name.
    pub region: String,
    pub fiscal: Fiscal,
    /// Share of the initial population employed here (shares are normalised).
    pub staff_share: f64,
    /// Multiplier on the salary scale (richer universities pay more performance pay).
    pub wage_level: f64,
    /// Whether the university runs an enterprise annuity 企业年金 for contract staff.
    pub enterprise_annuity: bool,
    /// Yearly growth of the target headcount (0: replace leavers one for one).
    pub headcount_growth: f64,
}

impl UniversityParams {
    pub fn defaults() -> Vec<UniversityParams> {
        vec![UniversityParams {
            name: "university-a".into(),
            region: "sichuan".into(),
            fiscal: Fiscal::Ministry,
            staff_share: 1.0,
            wage_level: 1.0,
            enterprise_annuity: false,
            headcount_growth: 0.0,
        }]
    }
}

/// An age band and its share of the initial staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    pub from_age: u32,
    /// Exclusive upper bound.
    pub to_age: u32,
    pub share: f64,
}

/// Shares of the three employment tracks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackShares {
    /// 事业编: public-institution pension and occupational annuity.
    pub establishment: f64,
    /// 合同制 / 人事代理: enterprise pension.
    pub contract: f64,
    /// Temporary staff: enterprise pension where enrolled at all.
    pub temporary: f64,
}

/// A discipline and its share of academic staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discipline {
    pub name: String,
    pub share: f64,
    /// Multiplier on research output (the points a member earns for research).
    pub output_level: f64,
}

/// `[population]`: the synthetic staff of the first month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationParams {
    pub female_share: f64,
    /// Share of women in cadre/technical posts (干部, 技术岗) rather than worker posts; sets
    /// the women's statutory retirement age.
    pub female_cadre_share: f64,
    pub age_bands: Vec<AgeBand>,
    pub tracks: TrackShares,
    /// Share of staff on the administrative ladder (the rest are academic).
    pub administrative_share: f64,
    pub disciplines: Vec<Discipline>,
    /// Mean age at which university careers start (after the doctorate).
    pub career_start_age: f64,
    /// Share of staff whose first job was elsewhere before joining the university; their
    /// earlier service still counts (deemed or actual years).
    pub prior_service_share: f64,
}

impl Default for PopulationParams {
    fn default() -> Self {
        let band = |a, b, s| AgeBand {
            from_age: a,
            to_age: b,
            share: s,
        };
        let disc = |n: &str, s, o| Discipline {
            name: n.into(),
            share: s,
            output_level: o,
        };
        PopulationParams {
            female_share: 0.48,
            female_cadre_share: 0.85,
            age_bands: vec![
                band(24, 30, 0.10),
                band(30, 40, 0.32),
                band(40, 50, 0.30),
                band(50, 56, 0.18),
                band(56, 63, 0.10),
            ],
            tracks: TrackShares {
                establishment: 0.62,
                contract: 0.30,
                temporary: 0.08,
            },
            administrative_share: 0.28,
            disciplines: vec![
                disc("humanities", 0.18, 0.8),
                disc("social_sciences", 0.22, 0.9),
                disc("sciences", 0.22, 1.1),
                disc("engineering", 0.28, 1.15),
                disc("medicine", 0.10, 1.0),
            ],
            career_start_age: 27.0,
            prior_service_share: 0.2,
        }
    }
}

/// One rung of a career ladder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RungParams {
    /// Post wage plus salary-scale wage at entry to the rung, yuan per month (2025 money).
    pub base_wage: f64,
    /// Minimum years in this rung before promotion to the next.
    pub min_years: f64,
    /// Yearly chance of promotion for an eligible person of average effort.
    pub promotion_rate: f64,
    /// Maximum share of the ladder's staff at this rung or above (post structure quota).
    pub quota: f64,
    /// Initial share of the ladder's staff at this rung.
    pub initial_share: f64,
}

/// `[careers]`: promotion, pay, mobility and mortality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CareerParams {
    /// 助教, 讲师, 副教授, 教授.
    pub academic: Vec<RungParams>,
    /// 科员, 科级, 处级, 厅局级.
    pub administrative: Vec<RungParams>,
    /// Month (1–12) when promotions take effect.
    pub promotion_month: u32,
    /// Yearly salary-scale step, as a share of the base wage, per year of service.
    pub scale_step: f64,
    /// Performance pay (绩效工资) as a multiple of the base wage.
    pub performance_ratio: f64,
    /// Nominal yearly growth of pay scales, by year.
    pub wage_growth: Dated<f64>,
    /// Yearly chance of leaving the university, by track, for staff aged 30–39 past their
    /// first years (before perception shifts it).
    pub quit_rate: TrackRates,
    /// Factors of the leaving rate by age band and tenure.
    pub quit_profile: crate::career::QuitProfile,
    /// Share of leavers who move to another university in the simulation (the rest leave
    /// academia or the modelled universities).
    pub move_share: f64,
    /// Share of moves that cross regions.
    pub cross_region_share: f64,
    /// Mean months without medical cover between leaving one university and joining the next
    /// on a move (geometric; 0 for none).
    pub move_gap_months: f64,
    /// Yearly share of contract staff converted to establishment posts (编制).
    pub conversion_rate: f64,
    /// Month (1–12) when conversions and quota resolution take place.
    pub conversion_month: u32,
    /// Mean age of new hires.
    pub hire_age: f64,
    /// Track shares of new hires.
    pub hire_tracks: TrackShares,
    /// Gompertz mortality: yearly death probability `a × exp(b × age)`, by sex.
    pub mortality: Mortality,
}

/// A yearly rate for each track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackRates {
    pub establishment: f64,
    pub contract: f64,
    pub temporary: f64,
}

/// Gompertz law of mortality, yearly probability `min(1, a·e^(b·age))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mortality {
    pub male_a: f64,
    pub male_b: f64,
    pub female_a: f64,
    pub female_b: f64,
}

impl Mortality {
    /// Yearly death probability at `age` (years, fractional).
    pub fn yearly(&self, female: bool, age: f64) -> f64 {
        let (a, b) = if female {
            (self.female_a, self.female_b)
        } else {
            (self.male_a, self.male_b)
        };
        (a * (b * age).exp()).min(1.0)
    }

    /// Monthly probability equivalent to the yearly one.
    pub fn monthly(&self, female: bool, age: f64) -> f64 {
        1.0 - (1.0 - self.yearly(female, age)).powf(1.0 / 12.0)
    }

    /// Monthly death probabilities by sex and age in months, from 0 to 120 years: the agent
    /// phase looks them up instead of evaluating the law every month for every agent.
    pub fn monthly_table(&self) -> MonthlyMortality {
        let ages = 121 * 12;
        let q = |female| {
            (0..ages)
                .map(|m| self.monthly(female, m as f64 / 12.0))
                .collect()
        };
        MonthlyMortality {
            male: q(false),
            female: q(true),
        }
    }

    /// Probability of being alive `months` after `age`, from the monthly hazards.
    pub fn survival(&self, female: bool, age: f64, months: u32) -> f64 {
        (0..months).fold(1.0, |s, m| {
            s * (1.0 - self.monthly(female, age + m as f64 / 12.0))
        })
    }
}

/// Monthly death probabilities by age in months (see [`Mortality::monthly_table`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MonthlyMortality {
    male: Vec<f64>,
    female: Vec<f64>,
}

impl MonthlyMortality {
    /// The probability at `age_months` (clamped to the table).
    pub fn at(&self, female: bool, age_months: i32) -> f64 {
        let t = if female { &self.female } else { &self.male };
        t[age_months.clamp(0, t.len() as i32 - 1) as usize]
    }
}

impl Default for CareerParams {
    fn default() -> Self {
        let rung = |w, y, p, q, s| RungParams {
            base_wage: w,
            min_years: y,
            promotion_rate: p,
            quota: q,
            initial_share: s,
        };
        CareerParams {
            academic: vec![
                rung(4_200.0, 2.0, 0.45, 1.0, 0.10),
                rung(5_200.0, 5.0, 0.22, 0.90, 0.38),
                rung(6_800.0, 5.0, 0.15, 0.55, 0.33),
                rung(9_000.0, 0.0, 0.0, 0.22, 0.19),
            ],
            administrative: vec![
                rung(3_800.0, 3.0, 0.25, 1.0, 0.40),
                rung(4_800.0, 5.0, 0.15, 0.60, 0.35),
                rung(6_300.0, 6.0, 0.08, 0.25, 0.20),
                rung(8_200.0, 0.0, 0.0, 0.05, 0.05),
            ],
            promotion_month: 9,
            scale_step: 0.012,
            performance_ratio: 0.9,
            wage_growth: Dated::constant(0.04),
            quit_rate: TrackRates {
                establishment: 0.012,
                contract: 0.06,
                temporary: 0.15,
            },
            quit_profile: crate::career::QuitProfile::default(),
            move_share: 0.35,
            cross_region_share: 0.5,
            move_gap_months: 1.0,
            conversion_rate: 0.02,
            conversion_month: 9,
            hire_age: 29.0,
            // Fitted to the national trend of the established share (docs/CALIBRATION.md,
            // the same values as scenarios/baseline.toml, which cites the figures).
            hire_tracks: TrackShares {
                establishment: 0.1219,
                contract: 0.67055,
                temporary: 0.20755,
            },
            mortality: Mortality {
                male_a: 0.000_045,
                male_b: 0.092,
                female_a: 0.000_020,
                female_b: 0.095,
            },
        }
    }
}

/// `[outcomes]`: how per-agent outcomes are valued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutcomeParams {
    /// Yearly nominal discount rate for money's worth (present values at retirement).
    pub discount_rate: f64,
    /// Yearly growth assumed for pensions in payment when valuing them at retirement.
    pub pension_growth: f64,
}

impl Default for OutcomeParams {
    fn default() -> Self {
        OutcomeParams {
            discount_rate: 0.03,
            pension_growth: 0.02,
        }
    }
}
