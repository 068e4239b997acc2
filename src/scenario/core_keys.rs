//! The keys of the core sections (`core`): the documentation of every key (unit, allowed
//! values, source and certainty) and the checks across keys that a single key's range cannot
//! express. Split from `core`, which holds the sections' types and defaults.

use super::catalog::{Allowed, Certainty, Issue, KeyDoc};
use super::core::{CareerParams, PopulationParams, Zone};

/// Key docs of the core sections (paths from the scenario root).
pub fn key_docs() -> Vec<KeyDoc> {
    use Allowed as A;
    let share = A::unit_interval;
    let k = KeyDoc::new;
    let mut v = vec![
        k("name", "", A::Text, "Scenario name, used in result folder names and figure legends."),
        k("description", "", A::Text, "What the scenario models, one paragraph."),
        k("extends", "", A::Text, "Path of a base scenario (relative to this file) whose keys this file overrides."),
        k("simulation.start", "month", A::Month, "First simulated month."),
        k("simulation.years", "years", A::integer(1, 100), "Horizon; the run has years × 12 monthly steps."),
        k("simulation.seed", "", A::Integer { min: Some(0), max: None }, "Master seed: every random stream derives from (seed, agent id, purpose)."),
        k("simulation.agents", "staff", A::integer(1, 50_000_000), "Initial headcount of the synthetic population across all universities."),
        k("simulation.roster", "path", A::Text, "Staff roster CSV (see docs/ROSTER.md) used instead of the synthetic population."),
        k("simulation.roster_k_anonymity", "staff", A::integer(2, crate::anonymise::MAX_K as i64), "Roster runs: agents.csv coarsens each person's facts until every combination is shared by at least this many of the roster's staff (rows that cannot be are withheld), and series.csv leaves out the means and money totals of groups with fewer people in a month (docs/RELIABILITY.md)."),
        k("simulation.roster_exact_agents", "", A::Bool, "Roster runs: write each person's exact facts in agents.csv, and every group's rows in series.csv, instead (agents.csv is then personal data)."),
        k("regions[].name", "", A::Text, "Province name, referred to by universities and regional parameter entries."),
        k("regions[].zone", "", A::OneOf(Zone::NAMES), "Economic zone."),
        k("regions[].average_wage", "yuan/month", A::at_least(1.0), "全口径 average wage by year: the reference of contribution limits and the index denominator.").dated().source("regional rule table (src/insurance/regions/data): provincial base notices, each entry with its source", Certainty::C),
        k("regions[].calc_base", "yuan/month", A::at_least(1.0), "Pension calculation base 计发基数 by year of retirement.").dated().source("regional rule table (src/insurance/regions/data): 京人社发〔2024〕16号, 京人社发〔2025〕13号, provincial notices", Certainty::C),
        k("regions[].wage_growth", "per year", A::number(-0.2, 0.5), "Growth projecting both wage series past their last published value.").source("model assumption", Certainty::U),
        k("universities[].name", "", A::Text, "University name."),
        k("universities[].region", "", A::Text, "The region (a regions[].name) the university pays contributions in."),
        k("universities[].fiscal", "", A::OneOf(&["ministry", "local"]), "Ministry-affiliated (部属) or local (地方) university."),
        k("universities[].staff_share", "share", A::at_least(0.0), "Share of the initial population employed here (normalised over universities)."),
        k("universities[].wage_level", "×", A::number(0.1, 10.0), "Multiplier on the salary scale."),
        k("universities[].enterprise_annuity", "", A::Bool, "Whether contract staff can join an enterprise annuity 企业年金 here."),
        k("universities[].headcount_growth", "per year", A::number(-0.5, 0.5), "Yearly growth of the target headcount."),
        k("population.female_share", "share", share(), "Share of women among the initial staff."),
        k("population.female_cadre_share", "share", share(), "Share of women in cadre/technical posts (statutory age 55→58 rather than 50→55)."),
        k("population.age_bands[].from_age", "years", A::integer(16, 75), "Lower bound of the age band."),
        k("population.age_bands[].to_age", "years", A::integer(17, 76), "Upper bound (exclusive)."),
        k("population.age_bands[].share", "share", A::at_least(0.0), "Share of staff in the band (normalised)."),
        k("population.tracks.establishment", "share", share(), "Share on established posts 事业编 (institution pension + occupational annuity)."),
        k("population.tracks.contract", "share", share(), "Share of contract staff 合同制 (enterprise pension)."),
        k("population.tracks.temporary", "share", share(), "Share of temporary staff."),
        k("population.administrative_share", "share", share(), "Share of staff on the administrative ladder."),
        k("population.disciplines[].name", "", A::Text, "Discipline name."),
        k("population.disciplines[].share", "share", A::at_least(0.0), "Share of academic staff (normalised)."),
        k("population.disciplines[].output_level", "×", A::number(0.0, 10.0), "Multiplier on research output."),
        k("population.career_start_age", "years", A::number(18.0, 45.0), "Mean age at the first job."),
        k("population.prior_service_share", "share", share(), "Share of staff with service before joining their university."),
        k("outcomes.discount_rate", "per year", A::number(-0.05, 0.3), "Nominal discount rate of money's worth: contributions are accumulated and benefits discounted at it to the retirement date."),
        k("outcomes.pension_growth", "per year", A::number(-0.1, 0.3), "Growth of pensions in payment assumed when valuing them at retirement."),
    ];
    for ladder in ["academic", "administrative"] {
        v.extend([
            k(
                &format!("careers.{ladder}[].base_wage"),
                "yuan/month",
                A::at_least(0.0),
                "Post plus salary-scale wage at entry to the rung (2025 money).",
            )
            .source(
                "model calibration to 2025 university pay scales",
                Certainty::U,
            ),
            k(
                &format!("careers.{ladder}[].min_years"),
                "years",
                A::number(0.0, 40.0),
                "Minimum years in the rung before promotion.",
            ),
            k(
                &format!("careers.{ladder}[].promotion_rate"),
                "per year",
                share(),
                "Yearly promotion chance of an eligible person of average effort.",
            ),
            k(
                &format!("careers.{ladder}[].quota"),
                "share",
                share(),
                "Maximum share of the ladder at this rung or above.",
            ),
            k(
                &format!("careers.{ladder}[].initial_share"),
                "share",
                A::at_least(0.0),
                "Initial share of the ladder at this rung (normalised).",
            ),
        ]);
    }
    v.extend([
        k(
            "careers.promotion_month",
            "month",
            A::integer(1, 12),
            "Calendar month promotions take effect.",
        ),
        k(
            "careers.scale_step",
            "per year",
            A::number(0.0, 0.2),
            "Salary-scale step per year of service, share of the base wage.",
        ),
        k(
            "careers.performance_ratio",
            "×",
            A::number(0.0, 10.0),
            "Performance pay as a multiple of the base wage.",
        ),
        k(
            "careers.wage_growth",
            "per year",
            A::number(-0.2, 0.5),
            "Nominal growth of pay scales, applied each January.",
        )
        .dated(),
        k(
            "careers.quit_rate.establishment",
            "per year",
            share(),
            "Yearly chance an established-post employee aged 30–39 past early tenure leaves (other ages and tenures: careers.quit_profile).",
        ),
        k(
            "careers.quit_rate.contract",
            "per year",
            share(),
            "Yearly chance a contract employee aged 30–39 past early tenure leaves.",
        ),
        k(
            "careers.quit_rate.temporary",
            "per year",
            share(),
            "Yearly chance a temporary employee aged 30–39 past early tenure leaves.",
        ),
        k(
            "careers.move_share",
            "share",
            share(),
            "Share of leavers who move to another modelled university.",
        ),
        k(
            "careers.cross_region_share",
            "share",
            share(),
            "Share of moves that cross regions.",
        ),
        k(
            "careers.move_gap_months",
            "months",
            A::number(0.0, 24.0),
            "Mean months without medical cover between two universities on a move (geometric draw; 0 for none).",
        ),
        k(
            "careers.conversion_rate",
            "per year",
            share(),
            "Yearly share of contract staff converted to establishment posts.",
        ),
        k(
            "careers.conversion_month",
            "month",
            A::integer(1, 12),
            "Calendar month of conversions.",
        ),
        k(
            "careers.hire_age",
            "years",
            A::number(18.0, 60.0),
            "Mean age of new hires.",
        ),
        k(
            "careers.hire_tracks.establishment",
            "share",
            share(),
            "Share of new hires on established posts.",
        ),
        k(
            "careers.hire_tracks.contract",
            "share",
            share(),
            "Share of new hires on contracts.",
        ),
        k(
            "careers.hire_tracks.temporary",
            "share",
            share(),
            "Share of new hires on temporary terms.",
        ),
        k(
            "careers.mortality.male_a",
            "per year",
            A::number(0.0, 0.1),
            "Gompertz level for men: q(age) = a·exp(b·age).",
        )
        .source(
            "fit to China life tables 2020 (life expectancy ≈ 76 men, 81 women)",
            Certainty::U,
        ),
        k(
            "careers.mortality.male_b",
            "per year of age",
            A::number(0.0, 0.3),
            "Gompertz slope for men.",
        )
        .source("fit to China life tables 2020", Certainty::U),
        k(
            "careers.mortality.female_a",
            "per year",
            A::number(0.0, 0.1),
            "Gompertz level for women.",
        )
        .source("fit to China life tables 2020", Certainty::U),
        k(
            "careers.mortality.female_b",
            "per year of age",
            A::number(0.0, 0.3),
            "Gompertz slope for women.",
        )
        .source("fit to China life tables 2020", Certainty::U),
    ]);
    v.extend(
        crate::career::QuitProfile::key_docs()
            .into_iter()
            .map(|d| d.prefixed("careers.quit_profile")),
    );
    v
}

/// Checks that need more than one key. Regions and universities are cross-checked by the
/// scenario as a whole.
pub fn check_population(p: &PopulationParams, out: &mut Vec<Issue>) {
    let t = &p.tracks;
    if (t.establishment + t.contract + t.temporary - 1.0).abs() > 1e-6 {
        out.push(Issue::new(
            "population.tracks",
            format!(
                "track shares must add up to 1, they add up to {}",
                t.establishment + t.contract + t.temporary
            ),
        ));
    }
    if p.age_bands.is_empty() {
        out.push(Issue::new(
            "population.age_bands",
            "at least one age band is needed",
        ));
    }
    for (i, b) in p.age_bands.iter().enumerate() {
        if b.from_age >= b.to_age {
            out.push(Issue::new(
                format!("population.age_bands[{i}].to_age"),
                format!("to_age {} must be above from_age {}", b.to_age, b.from_age),
            ));
        }
    }
    if p.age_bands.iter().map(|b| b.share).sum::<f64>() <= 0.0 {
        out.push(Issue::new(
            "population.age_bands",
            "the age-band shares add up to 0",
        ));
    }
    if p.disciplines.is_empty() || p.disciplines.iter().map(|d| d.share).sum::<f64>() <= 0.0 {
        out.push(Issue::new(
            "population.disciplines",
            "at least one discipline with a positive share is needed",
        ));
    }
}

pub fn check_careers(c: &CareerParams, out: &mut Vec<Issue>) {
    let t = &c.hire_tracks;
    if (t.establishment + t.contract + t.temporary - 1.0).abs() > 1e-6 {
        out.push(Issue::new(
            "careers.hire_tracks",
            format!(
                "track shares must add up to 1, they add up to {}",
                t.establishment + t.contract + t.temporary
            ),
        ));
    }
    for (name, ladder) in [
        ("academic", &c.academic),
        ("administrative", &c.administrative),
    ] {
        if ladder.len() != 4 {
            out.push(Issue::new(
                format!("careers.{name}"),
                format!(
                    "the {name} ladder has exactly 4 rungs, {} given",
                    ladder.len()
                ),
            ));
            continue;
        }
        for i in 1..ladder.len() {
            if ladder[i].quota > ladder[i - 1].quota {
                out.push(Issue::new(
                    format!("careers.{name}[{i}].quota"),
                    format!(
                        "the quota of a higher rung ({}) cannot exceed the one below ({})",
                        ladder[i].quota,
                        ladder[i - 1].quota
                    ),
                ));
            }
        }
        if ladder.iter().map(|r| r.initial_share).sum::<f64>() <= 0.0 {
            out.push(Issue::new(
                format!("careers.{name}"),
                "the initial shares add up to 0",
            ));
        }
    }
}
