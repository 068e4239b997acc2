//! k-anonymity of agents.csv for roster runs.
//!
//! A roster run starts from a university's real staff. Its agents.csv would otherwise carry
//! each person's exact birth month, hire month, sex, title and wage, which in a small
//! university is enough to recognise someone. So, unless the scenario asks for exact facts
//! (`simulation.roster_exact_agents`, `run --exact-agents`), the columns that state a person's
//! facts or follow from them (the quasi-identifiers, [`QUASI_IDENTIFIERS`]) are coarsened:
//! the columns derived from the others are withheld in every row ([`DERIVED`]); the birth and
//! hire months, the wage, the title and the category are each generalised along their own
//! hierarchy ([`Levels`]: months to the year, then 5-, 10- and 20-year bands; wages to bands
//! of 1,000 to 20,000 yuan; titles to their ladder; each finally withheld), while university,
//! region, track and sex stay as they are. Of every combination of levels, the one that loses
//! least information ([`Levels::loss`]) is taken among those at which at most
//! [`SUPPRESSION_BUDGET`] of the roster's staff are in a combination of facts shared by fewer
//! than k of them. Those staff's quasi-identifiers are then withheld (`*`), so that every
//! combination that is shown belongs to at least k of the roster's staff. Outcome columns
//! (pensions, contributions, perception, status, …) stay exact.
//!
//! Only the roster's staff count towards k (ids below `agents_initial`): hires and pensioners
//! in payment at the start are synthetic, so they are generalised the same way (the columns
//! stay uniform) but never withheld, and they never make a combination look safer than the
//! real people in it make it.
//!
//! The choice of k: 5 is the most common threshold of the small-cell rules statistical
//! offices apply before publishing counts of people; a guess among five people is right one
//! time in five at best. It keeps a roster of a few hundred staff at 5-year and a few
//! thousand yuan bands, which is what comparisons by age band and pay need. Larger k can be
//! set up to [`MAX_K`].

use crate::agent::ACADEMIC_TITLES;
use crate::engine::AgentRecord;
use crate::money::{format_yuan, Fen};
use crate::scenario::Scenario;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Default k (see the module documentation for why 5).
pub const DEFAULT_K: u32 = 5;

/// The k a run's results are protected with: `Some(k)` for a roster run whose agents.csv is
/// k-anonymous (the default), `None` for a generated population or a roster run that asked
/// for exact facts. agents.csv's coarsening and series.csv's small groups
/// (`engine::smallest_group`) both follow it.
pub fn k_of(s: &Scenario) -> Option<u32> {
    (s.simulation.roster.is_some() && !s.simulation.roster_exact_agents)
        .then_some(s.simulation.roster_k_anonymity)
}
/// Largest k a scenario may ask for.
pub const MAX_K: u32 = 100;
/// Share of the roster's staff that may be withheld at a level before the next is tried.
pub const SUPPRESSION_BUDGET: f64 = 0.05;
/// What a withheld quasi-identifier is written as.
pub const WITHHELD: &str = "*";

/// A quasi-identifier column of agents.csv.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Qi {
    University,
    Region,
    Track,
    Sex,
    Category,
    Title,
    Birth,
    Hired,
    StatusSince,
    RetireMonth,
    Wage,
    ContributionMonths,
    MedicalMonths,
    TakeHome,
}

/// The quasi-identifier columns of agents.csv, by name: the person's facts, and the columns
/// that follow from them ([`DERIVED`]).
pub const QUASI_IDENTIFIERS: [(&str, Qi); 14] = [
    ("university", Qi::University),
    ("region", Qi::Region),
    ("track", Qi::Track),
    ("sex", Qi::Sex),
    ("category", Qi::Category),
    ("title", Qi::Title),
    ("birth", Qi::Birth),
    ("hired", Qi::Hired),
    ("status_since", Qi::StatusSince),
    ("retire_month", Qi::RetireMonth),
    ("wage", Qi::Wage),
    ("contribution_months", Qi::ContributionMonths),
    ("medical_months", Qi::MedicalMonths),
    ("take_home", Qi::TakeHome),
];

/// Quasi-identifiers withheld (`*`) in every row of a coarsened file: `status_since` is the
/// hire month of active staff and the retirement month of retirees, `retire_month` follows
/// from the birth month, sex and category, the month counts from the start of work, and
/// take-home pay from the wage. Banded, each would split the combinations of the banded facts
/// (a birth band and a retirement band do not line up) and give back what the bands hide.
pub const DERIVED: [&str; 5] = [
    "status_since",
    "retire_month",
    "contribution_months",
    "medical_months",
    "take_home",
];

/// Spans of calendar years the birth and hire months are generalised to; one more level
/// withholds them.
pub const YEARS: [i32; 4] = [1, 5, 10, 20];
/// Bands of yuan the wage is generalised to; one more level withholds it.
pub const YUAN: [i64; 4] = [1_000, 5_000, 10_000, 20_000];

/// How far each generalised fact is coarsened: an index into its hierarchy, the last step of
/// which withholds it. University, region, track and sex are never generalised (they are the
/// groups every comparison is made by); a row that needs more is withheld instead.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Levels {
    /// Birth month: 0..=3 the spans of [`YEARS`], 4 withheld.
    pub birth: u8,
    /// Hire month: as `birth`.
    pub hired: u8,
    /// Wage: 0..=3 the bands of [`YUAN`], 4 withheld.
    pub wage: u8,
    /// Title: 0 exact, 1 its ladder (`academic`, `administrative`), 2 withheld.
    pub title: u8,
    /// Category: 0 exact, 1 withheld.
    pub category: u8,
}

impl Levels {
    /// The height of each hierarchy (its withheld step), in field order.
    const TOP: [u8; 5] = [4, 4, 4, 2, 1];

    fn steps(&self) -> [u8; 5] {
        [self.birth, self.hired, self.wage, self.title, self.category]
    }

    /// Every combination of levels.
    fn all() -> impl Iterator<Item = Levels> {
        let [b, h, w, t, c] = Self::TOP;
        (0..=b).flat_map(move |birth| {
            (0..=h).flat_map(move |hired| {
                (0..=w).flat_map(move |wage| {
                    (0..=t).flat_map(move |title| {
                        (0..=c).map(move |category| Levels {
                            birth,
                            hired,
                            wage,
                            title,
                            category,
                        })
                    })
                })
            })
        })
    }

    /// Information lost: the mean over the five facts of the share of its hierarchy climbed
    /// (0 all exact, 1 all withheld; Sweeney's precision metric).
    pub fn loss(&self) -> f64 {
        let s: f64 = self
            .steps()
            .iter()
            .zip(Self::TOP)
            .map(|(&l, top)| f64::from(l) / f64::from(top))
            .sum();
        s / Self::TOP.len() as f64
    }

    /// What the levels do, for the manifest and messages.
    pub fn describe(&self) -> String {
        let span = |l: u8| match YEARS.get(l as usize) {
            Some(1) => "the year".to_string(),
            Some(y) => format!("{y}-year bands"),
            None => "withheld".to_string(),
        };
        let wage = match YUAN.get(self.wage as usize) {
            Some(y) => format!("{y}-yuan bands"),
            None => "withheld".to_string(),
        };
        let title = ["exact", "its ladder", "withheld"][self.title as usize];
        let category = ["exact", "withheld"][self.category as usize];
        format!(
            "birth: {}; hired: {}; wage: {wage}; title: {title}; category: {category}",
            span(self.birth),
            span(self.hired)
        )
    }

    /// Whether `self` is `other` or coarser in every fact.
    fn coarsens(&self, other: &Levels) -> bool {
        self.steps().iter().zip(other.steps()).all(|(a, b)| *a >= b)
    }

    fn title(&self, title: &'static str) -> Option<&'static str> {
        match self.title {
            0 => Some(title),
            1 if ACADEMIC_TITLES.contains(&title) => Some("academic"),
            1 => Some("administrative"),
            _ => None,
        }
    }
}

/// The first year of the span `year` falls in, `None` when withheld.
fn year_lo(level: u8, year: i32) -> Option<i32> {
    YEARS
        .get(level as usize)
        .map(|span| year - year.rem_euclid(*span))
}

/// The lowest fen of the band `fen` falls in, `None` when withheld.
fn band_lo(level: u8, fen: Fen) -> Option<Fen> {
    YUAN.get(level as usize).map(|y| {
        let b = y * 100;
        fen.div_euclid(b) * b
    })
}

/// The generalised quasi-identifiers of one record: the key of its combination.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    university: u16,
    region: u16,
    track: &'static str,
    female: bool,
    cadre: Option<bool>,
    title: Option<&'static str>,
    birth: Option<i32>,
    hired: Option<i32>,
    wage: Option<Fen>,
}

fn key(r: &AgentRecord, l: &Levels) -> Key {
    Key {
        university: r.university,
        region: r.region,
        track: r.track.name(),
        female: r.female,
        cadre: (l.category == 0).then_some(r.cadre),
        title: l.title(r.title),
        birth: year_lo(l.birth, r.birth.year()),
        hired: year_lo(l.hired, r.hired.year()),
        wage: band_lo(l.wage, r.wage),
    }
}

/// A cheap hasher for [`Key`]s (SplitMix64's mixer over the written words): the keys are the
/// run's own data, and the search below hashes every roster row at many levels.
#[derive(Default)]
struct Fold(u64);

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(x.into());
    }
    fn write_u16(&mut self, x: u16) {
        self.write_u64(x.into());
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(x.into());
    }
    fn write_i32(&mut self, x: i32) {
        self.write_u64(x as u32 as u64);
    }
    fn write_i64(&mut self, x: i64) {
        self.write_u64(x as u64);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = crate::rng::mix64(self.0 ^ x).wrapping_add(0x9E37_79B9_7F4A_7C15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Roster staff per combination.
type Counts = HashMap<Key, u32, BuildHasherDefault<Fold>>;

/// Roster staff per combination of `roster` at `levels`.
fn count(roster: &[&AgentRecord], levels: &Levels, counts: &mut Counts) {
    counts.clear();
    for r in roster {
        *counts.entry(key(r, levels)).or_default() += 1;
    }
}

/// What was done to a roster run's agents.csv, recorded in its manifest.
#[derive(Clone, Debug, PartialEq)]
pub enum Privacy {
    /// Exact facts, as the scenario asked: the file is personal data.
    Exact {
        roster_rows: usize,
    },
    Coarsened(Coarsening),
}

/// The coarsening chosen for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Coarsening {
    pub k: u32,
    pub levels: Levels,
    /// The roster's staff (records with ids below this).
    pub roster_rows: usize,
    /// Roster staff whose quasi-identifiers are withheld.
    pub suppressed: usize,
    /// Roster staff per combination at the levels chosen.
    counts: Counts,
}

impl Coarsening {
    /// The levels that lose the least information ([`Levels::loss`]) among those at which at
    /// most [`SUPPRESSION_BUDGET`] of the roster's staff (`records` with ids below
    /// `roster_rows`) are in combinations of fewer than `k`; ties go to fewer withheld rows,
    /// then to the finer birth, hire, wage, title and category, in that order. When no levels
    /// keep within the budget, those that withhold the fewest rows.
    ///
    /// Coarser levels only merge combinations, so the rows withheld never grow and the loss
    /// always grows from a level to any coarser one: a coarsening of levels already within the
    /// budget cannot be better and is not counted. `Levels::all` visits every level before its
    /// coarsenings.
    pub fn plan(records: &[AgentRecord], roster_rows: usize, k: u32) -> Coarsening {
        let k = k.max(1);
        let budget = (SUPPRESSION_BUDGET * roster_rows as f64).floor() as usize;
        let roster: Vec<&AgentRecord> = records
            .iter()
            .filter(|r| (r.id as usize) < roster_rows)
            .collect();
        let mut best: Option<(bool, f64, usize, Levels)> = None;
        let mut counts = Counts::default();
        let mut within_budget: Vec<Levels> = Vec::new();
        for levels in Levels::all() {
            if within_budget.iter().any(|w| levels.coarsens(w)) {
                continue;
            }
            count(&roster, &levels, &mut counts);
            let suppressed: usize = counts
                .values()
                .filter(|&&n| n < k)
                .map(|&n| n as usize)
                .sum();
            // Within the budget first, then the least loss (or, outside it, the fewest
            // withheld), then the fewest withheld; `Levels::all` runs finest first.
            let within = suppressed <= budget;
            if within {
                within_budget.push(levels);
            }
            let better = match &best {
                None => true,
                Some((w, loss, s, _)) => match (within, *w) {
                    (true, false) => true,
                    (false, true) => false,
                    (true, true) => (levels.loss(), suppressed) < (*loss, *s),
                    (false, false) => (suppressed, levels.loss()) < (*s, *loss),
                },
            };
            if better {
                best = Some((within, levels.loss(), suppressed, levels));
            }
        }
        let (_, _, suppressed, levels) = best.expect("Levels::all is not empty");
        count(&roster, &levels, &mut counts);
        Coarsening {
            k,
            levels,
            roster_rows,
            suppressed,
            counts,
        }
    }

    /// Whether `r`'s quasi-identifiers are withheld: a roster person in a combination shared
    /// by fewer than k of the roster's staff.
    pub fn withheld(&self, r: &AgentRecord) -> bool {
        (r.id as usize) < self.roster_rows
            && self.counts.get(&key(r, &self.levels)).copied().unwrap_or(0) < self.k
    }

    /// The text of quasi-identifier `q` of `r` as agents.csv shows it, appended to `line`
    /// (university and region names quoted as CSV needs).
    pub fn put(&self, s: &Scenario, r: &AgentRecord, withheld: bool, q: Qi, line: &mut Vec<u8>) {
        if withheld {
            line.extend_from_slice(WITHHELD.as_bytes());
            return;
        }
        let l = &self.levels;
        let or_withheld = |x: Option<String>| x.unwrap_or_else(|| WITHHELD.to_string());
        let text: String = match q {
            Qi::University => csv_field(&s.universities[r.university as usize].name),
            Qi::Region => csv_field(&s.regions[r.region as usize].name),
            Qi::Track => r.track.name().into(),
            Qi::Sex => if r.female { "female" } else { "male" }.into(),
            Qi::Category if l.category > 0 => WITHHELD.into(),
            Qi::Category => if r.cadre { "cadre" } else { "worker" }.into(),
            Qi::Title => or_withheld(l.title(r.title).map(String::from)),
            Qi::Birth => or_withheld(years(l.birth, r.birth.year())),
            Qi::Hired => or_withheld(years(l.hired, r.hired.year())),
            Qi::Wage => or_withheld(money(l.wage, r.wage)),
            // Derived from the facts above (see `DERIVED`).
            Qi::StatusSince
            | Qi::RetireMonth
            | Qi::TakeHome
            | Qi::ContributionMonths
            | Qi::MedicalMonths => WITHHELD.into(),
        };
        line.extend_from_slice(text.as_bytes());
    }

    /// The manifest's `[privacy]` table.
    pub fn manifest_table(&self) -> toml::Table {
        let mut t = toml::Table::new();
        let int = |n: usize| toml::Value::Integer(n as i64);
        let strings = |v: &[&str]| toml::Value::Array(v.iter().map(|n| (*n).into()).collect());
        t.insert("agents_csv".into(), "k-anonymous".into());
        t.insert("k".into(), toml::Value::Integer(self.k.into()));
        t.insert("roster_rows".into(), int(self.roster_rows));
        t.insert("generalisation".into(), self.levels.describe().into());
        let mut levels = toml::Table::new();
        for (name, l) in ["birth", "hired", "wage", "title", "category"]
            .iter()
            .zip(self.levels.steps())
        {
            levels.insert((*name).into(), int(l as usize));
        }
        t.insert("levels".into(), levels.into());
        t.insert(
            "information_loss".into(),
            toml::Value::Float((self.levels.loss() * 1e4).round() / 1e4),
        );
        t.insert("suppressed".into(), int(self.suppressed));
        let names: Vec<&str> = QUASI_IDENTIFIERS.iter().map(|(n, _)| *n).collect();
        t.insert("quasi_identifiers".into(), strings(&names));
        t.insert("withheld_columns".into(), strings(&DERIVED));
        t.insert("ids".into(), IDS_NOTE.into());
        t.insert("series_csv".into(), SERIES_NOTE.into());
        t
    }

    /// One line for stderr.
    pub fn summary(&self) -> String {
        format!(
            "agents.csv: {}-anonymous over the roster's {} staff ({}; {} withheld); {} of them, \
             in combinations shared by fewer than {}, have all these facts withheld (`*`)",
            self.k,
            self.roster_rows,
            self.levels.describe(),
            DERIVED.join(", "),
            self.suppressed,
            self.k
        )
    }
}

/// What series.csv of a k-anonymous roster run leaves out (`engine::smallest_group`), for the
/// manifest.
pub const SERIES_NOTE: &str = "small groups left out: a group's means (perception, replacement \
    rate, effort, pay), a track's, university's or fund's money and the all-staff dispersion \
    rows are written only in months where at least k people make them up; counts of people are \
    always written. Figures may still be inferred by differencing months or groups: the file is \
    protected against small cells, not a formal disclosure guarantee";

/// How roster runs number their staff, for the manifest.
pub const IDS_NOTE: &str = "pseudonymous: the roster's rows are numbered in an order drawn from \
    the seed and the roster file's contents, the same for every run of that file with that seed";

/// The warning for a run that writes exact facts.
pub const EXACT_WARNING: &str = "agents.csv holds the exact birth month, hire month, sex, title \
    and wage of the roster's staff: it is personal data; share it only as you would share the \
    roster";

impl Privacy {
    /// The manifest's `[privacy]` table.
    pub fn manifest_table(&self) -> toml::Table {
        match self {
            Privacy::Coarsened(c) => c.manifest_table(),
            Privacy::Exact { roster_rows } => {
                let mut t = toml::Table::new();
                t.insert("agents_csv".into(), "exact".into());
                t.insert(
                    "roster_rows".into(),
                    toml::Value::Integer(*roster_rows as i64),
                );
                t.insert("warning".into(), EXACT_WARNING.into());
                t.insert("ids".into(), IDS_NOTE.into());
                t
            }
        }
    }

    /// One line for stderr.
    pub fn summary(&self) -> String {
        match self {
            Privacy::Coarsened(c) => c.summary(),
            Privacy::Exact { .. } => format!("warning: {EXACT_WARNING}"),
        }
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a newline.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A year (`1987`) or a span of years (`1985-1989`); `None` when withheld.
fn years(level: u8, year: i32) -> Option<String> {
    let lo = year_lo(level, year)?;
    let span = YEARS[level as usize];
    Some(if span == 1 {
        lo.to_string()
    } else {
        format!("{lo}-{}", lo + span - 1)
    })
}

/// A band of yuan, both ends included to the fen (`5000.00-9999.99`); `None` when withheld.
fn money(level: u8, fen: Fen) -> Option<String> {
    let lo = band_lo(level, fen)?;
    let hi = lo + YUAN[level as usize] * 100 - 1;
    Some(format!("{}-{}", format_yuan(lo), format_yuan(hi)))
}
/// A value of agents.csv read back: `Some((lo, hi))` for a number or a band written by this
/// module (`8000.00-9999.99`, `240-299`, `-2000.00--0.01`), `None` for a withheld value or
/// anything else.
pub fn parse_band(text: &str) -> Option<(f64, f64)> {
    let text = text.trim();
    if let Ok(x) = text.parse::<f64>() {
        return Some((x, x));
    }
    // The separator is the first `-` after a digit.
    let b = text.as_bytes();
    let cut = (1..b.len()).find(|&i| b[i] == b'-' && b[i - 1].is_ascii_digit())?;
    let lo = text[..cut].parse::<f64>().ok()?;
    let hi = text[cut + 1..].parse::<f64>().ok()?;
    (lo.is_finite() && hi.is_finite() && lo <= hi).then_some((lo, hi))
}

#[cfg(test)]
mod tests;
