//! Resource guards: a run whose population or horizon needs more memory than the machine can
//! give is refused before anything is allocated, with the estimate and how to raise the limit.
//!
//! The estimate ([`estimate`]) counts what a run holds at its peak: every agent ever simulated
//! (the initial staff plus every hire over the horizon, from the leaving rates, retirements and
//! headcount growth) with its end record and scratch indices, the monthly series rows, the
//! per-chunk aggregates of the agent phase (output is streamed to disk and hashed as a
//! stream, so it adds nothing per agent). It errs on
//! the high side: it is a guard, not a forecast.
//!
//! The limit ([`memory_limit`]) is `SISANDBOX_MAX_MEMORY` when set (`16G`, `512M`, `1.5GiB`, a
//! byte count, or `unlimited`), else half the physical memory (`MemTotal` of /proc/meminfo),
//! else [`FALLBACK_LIMIT`]. Runs also need their ids, universities, regions and disciplines to
//! fit the integer types the engine keeps them in; [`check`] refuses those that do not.

use crate::agent::Agent;
use crate::engine::{AgentRecord, CHUNK};
use crate::metrics::{MonthAgg, Row, N_ITEMS};
use crate::scenario::Scenario;
use std::fmt;
use std::mem::size_of;

/// The environment variable that sets the memory limit.
pub const ENV_VAR: &str = "SISANDBOX_MAX_MEMORY";

/// The limit when the physical memory cannot be read: 8 GiB.
pub const FALLBACK_LIMIT: u64 = 8 << 30;

/// Share of the physical memory a run may use by default.
pub const DEFAULT_SHARE: f64 = 0.5;

/// Fixed overhead of a run beyond what scales with it (code, scenario, rate history, buffers).
const BASE_BYTES: u64 = 64 << 20;

/// Heap bytes of a series row's key (`<university>/<item>` and the like), beyond the row.
const ROW_KEY_BYTES: u64 = 48;

/// Where a limit came from, for messages.
#[derive(Clone, Debug, PartialEq)]
pub enum LimitSource {
    /// `SISANDBOX_MAX_MEMORY`.
    Env,
    /// A share of `MemTotal`.
    Physical { total: u64 },
    /// /proc/meminfo could not be read.
    Fallback,
    /// Given by the caller.
    Given,
}

/// A memory limit in bytes; `None` is no limit.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub bytes: Option<u64>,
    pub source: LimitSource,
}

impl Limit {
    /// A limit given in bytes (tests, front ends with their own setting).
    pub fn bytes(bytes: u64) -> Self {
        Limit {
            bytes: Some(bytes),
            source: LimitSource::Given,
        }
    }

    /// No limit.
    pub fn unlimited() -> Self {
        Limit {
            bytes: None,
            source: LimitSource::Given,
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bytes {
            None => f.write_str("unlimited")?,
            Some(b) => f.write_str(&human(b as f64))?,
        }
        match &self.source {
            LimitSource::Env => write!(f, " (set by {ENV_VAR})"),
            LimitSource::Physical { total } => write!(
                f,
                " ({:.0} % of the {} of physical memory)",
                DEFAULT_SHARE * 100.0,
                human(*total as f64)
            ),
            LimitSource::Fallback => f.write_str(" (physical memory unknown: fixed default)"),
            LimitSource::Given => Ok(()),
        }
    }
}

/// What a run is estimated to need.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Initial staff.
    pub initial_agents: f64,
    /// Pensioners in payment at the start (at most the highest dependency ratio × staff).
    pub pensioners: f64,
    /// Hires expected over the horizon (replacement of leavers and headcount growth).
    pub hires: f64,
    /// Bytes per agent ever simulated (state, end record, scratch, agents.csv buffer).
    pub bytes_per_agent: u64,
    /// Rows of series.csv.
    pub series_rows: f64,
    /// Bytes in all (may exceed `u64` for absurd scenarios, hence a float).
    pub bytes: f64,
}

impl Estimate {
    /// Every agent the run will hold: the initial staff, the pensioners at the start and the
    /// hires.
    pub fn agents(&self) -> f64 {
        self.initial_agents + self.pensioners + self.hires
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} bytes per agent × ({} initial staff + at most {} pensioners at the start + \
             about {} hires over the horizon), plus {} series rows",
            self.bytes_per_agent,
            count(self.initial_agents),
            count(self.pensioners),
            count(self.hires),
            count(self.series_rows)
        )
    }
}

/// Why a run is refused.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(
        "the run needs about {needed}, the limit is {limit}; raise it with {ENV_VAR}=<size> \
         (for example {ENV_VAR}={suggest}) or run fewer agents or years. Estimate: {estimate}",
        needed = human(.estimate.bytes),
        suggest = suggestion(.estimate.bytes)
    )]
    TooMuchMemory { estimate: Estimate, limit: Limit },
    #[error("the roster file {file} is {size}, more than the memory limit {limit}; raise it with {ENV_VAR}=<size>", size = human(*.bytes as f64))]
    RosterTooLarge {
        file: String,
        bytes: u64,
        limit: Limit,
    },
    #[error("{ENV_VAR}={value:?} is not a size; use a number of bytes with an optional unit K, M, G or T (powers of 1024), e.g. 16G or 512M, or `unlimited`")]
    BadLimit { value: String },
    #[error("{what} is {value}, more than the engine can represent (at most {max})")]
    TooMany {
        what: &'static str,
        value: String,
        max: u64,
    },
}

/// Bytes the run of `s` on `initial_agents` staff needs at its peak, estimated.
pub fn estimate(s: &Scenario, initial_agents: u64) -> Estimate {
    let n = initial_agents as f64;
    let bound = crate::engine::agent_bound(s, n);
    let hires = bound.hires;
    let agents = n + bound.pensioners + hires;
    // Each agent's state once (the engine reserves the staff vector for every agent it will
    // hold, so hires never make it grow by copying), and the scratch indices of the agent
    // phase. The end records are made while the staff's memory is released, a block at a time
    // (`engine::record`), so at the end an agent holds the larger of its state and its record.
    let bytes_per_agent =
        (size_of::<Agent>().max(size_of::<AgentRecord>()) + 2 * size_of::<usize>()) as u64;
    let series_rows = series_rows(s);
    let row_bytes = 2 * (size_of::<Row>() as u64 + ROW_KEY_BYTES);
    let chunks = (agents / CHUNK as f64).ceil().max(1.0);
    let per_chunk = (size_of::<MonthAgg>()
        + s.universities.len() * (N_ITEMS + 1) * 8
        + s.regions.len() * 6 * 16
        + CHUNK * size_of::<usize>() / 8) as f64;
    // The block of end records made before its agents are released.
    let release_block = (crate::engine::RELEASE_BLOCK * size_of::<AgentRecord>()) as f64;
    let bytes = BASE_BYTES as f64
        + agents * bytes_per_agent as f64
        + series_rows * row_bytes as f64
        + chunks * per_chunk
        + release_block;
    Estimate {
        initial_agents: n,
        pensioners: bound.pensioners,
        hires,
        bytes_per_agent,
        series_rows,
        bytes,
    }
}

/// Rows of series.csv, generously: every monthly row, every fund row in every month, the
/// December rows, a quarter more for rows added by later modules.
fn series_rows(s: &Scenario) -> f64 {
    let tracks = 3.0;
    let monthly = 5.0 + tracks * 11.0 + 2.0 * N_ITEMS as f64 + s.regions.len() as f64 * 2.0 * 8.0;
    let december = s.universities.len() as f64 * (N_ITEMS as f64 + 1.0) + 2.0;
    let years = s.simulation.years as f64;
    1.25 * (years * 12.0 * monthly + years * december)
}

/// The memory limit in force: `SISANDBOX_MAX_MEMORY`, else a share of the physical memory,
/// else [`FALLBACK_LIMIT`].
pub fn memory_limit() -> Result<Limit, GuardError> {
    if let Ok(value) = std::env::var(ENV_VAR) {
        if !value.trim().is_empty() {
            let bytes = parse_size(&value).ok_or(GuardError::BadLimit { value })?;
            return Ok(Limit {
                bytes,
                source: LimitSource::Env,
            });
        }
    }
    Ok(match physical_memory() {
        Some(total) => Limit {
            bytes: Some((total as f64 * DEFAULT_SHARE) as u64),
            source: LimitSource::Physical { total },
        },
        None => Limit {
            bytes: Some(FALLBACK_LIMIT),
            source: LimitSource::Fallback,
        },
    })
}

/// `MemTotal` of /proc/meminfo, in bytes.
pub fn physical_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    parse_meminfo(&text)
}

/// `MemTotal` from the text of /proc/meminfo (`MemTotal:  16318480 kB`).
pub fn parse_meminfo(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let mut parts = line["MemTotal:".len()..].split_whitespace();
    let number: u64 = parts.next()?.parse().ok()?;
    let unit = match parts.next().map(|u| u.to_ascii_lowercase()) {
        None => 1,
        Some(u) if u == "kb" => 1024,
        Some(u) if u == "b" => 1,
        Some(_) => return None,
    };
    number.checked_mul(unit).filter(|b| *b > 0)
}

/// A size: `16G`, `512M`, `1.5GiB`, `800 MB`, `1048576`, or `unlimited` (`Some(None)`).
/// Units are powers of 1024. `None` when the text is not a size.
pub fn parse_size(text: &str) -> Option<Option<u64>> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("unlimited") || t.eq_ignore_ascii_case("none") {
        return Some(None);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b'))
        .unwrap_or(&unit);
    let scale: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return None,
    };
    let bytes = number * scale as f64;
    (bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64).then_some(Some(bytes as u64))
}

/// Refuses a run of `s` on `initial_agents` staff that needs more memory than `limit`, or more
/// agents, universities, regions or disciplines than the engine's integer types hold.
pub fn check(s: &Scenario, initial_agents: u64, limit: &Limit) -> Result<Estimate, GuardError> {
    for (what, value, max) in [
        (
            "the number of universities",
            s.universities.len(),
            u16::MAX as usize + 1,
        ),
        (
            "the number of regions",
            s.regions.len(),
            u16::MAX as usize + 1,
        ),
        (
            "the number of disciplines",
            s.population.disciplines.len(),
            u8::MAX as usize + 1,
        ),
    ] {
        if value > max {
            return Err(GuardError::TooMany {
                what,
                value: value.to_string(),
                max: max as u64,
            });
        }
    }
    let e = estimate(s, initial_agents);
    if let Some(max) = limit.bytes {
        if e.bytes.is_nan() || e.bytes > max as f64 {
            return Err(GuardError::TooMuchMemory {
                estimate: e,
                limit: limit.clone(),
            });
        }
    }
    if e.agents().is_nan() || e.agents() > u32::MAX as f64 {
        return Err(GuardError::TooMany {
            what: "the number of agents the run would create (initial staff and hires)",
            value: format!("about {}", count(e.agents())),
            max: u32::MAX as u64,
        });
    }
    Ok(e)
}

/// Refuses a roster file larger than the limit before it is read.
pub fn check_roster_file(file: &str, bytes: u64, limit: &Limit) -> Result<(), GuardError> {
    match limit.bytes {
        Some(max) if bytes > max => Err(GuardError::RosterTooLarge {
            file: file.to_string(),
            bytes,
            limit: limit.clone(),
        }),
        _ => Ok(()),
    }
}

/// Bytes in words: `1.5 GB` (powers of 1024, as `SISANDBOX_MAX_MEMORY` reads them).
pub fn human(bytes: f64) -> String {
    const UNITS: [&str; 7] = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
    if !bytes.is_finite() {
        return "an unbounded amount".into();
    }
    let mut v = bytes;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0} bytes")
    } else if v >= 100.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// A whole count in words: `3000`, `2.5 million`, `4.1e15`.
fn count(x: f64) -> String {
    if !x.is_finite() {
        "unboundedly many".into()
    } else if x < 1e6 {
        format!("{x:.0}")
    } else if x < 1e12 {
        format!("{:.1} million", x / 1e6)
    } else {
        format!("{x:.1e}")
    }
}

/// A limit that would admit `bytes`, rounded up to whole gigabytes, for the message.
fn suggestion(bytes: f64) -> String {
    let g = (bytes / (1u64 << 30) as f64).ceil().max(1.0);
    if g.is_finite() && g < 1e9 {
        format!("{g:.0}G")
    } else {
        "<size>".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, RunOptions};

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("16G"), Some(Some(16 << 30)));
        assert_eq!(parse_size("512m"), Some(Some(512 << 20)));
        assert_eq!(parse_size("1.5GiB"), Some(Some(3 << 29)));
        assert_eq!(parse_size(" 800 MB "), Some(Some(800 << 20)));
        assert_eq!(parse_size("1048576"), Some(Some(1 << 20)));
        assert_eq!(parse_size("unlimited"), Some(None));
        for bad in ["", "G", "12X", "-5G", "1e99T", "0", "abc", "1.2.3G", "nan"] {
            assert_eq!(parse_size(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn meminfo_total_is_read_in_kilobytes() {
        let text = "MemTotal:       16318480 kB\nMemFree:         1000 kB\n";
        assert_eq!(parse_meminfo(text), Some(16_318_480 * 1024));
        assert_eq!(parse_meminfo("MemFree: 5 kB\n"), None);
        assert_eq!(parse_meminfo("MemTotal: x kB\n"), None);
        assert_eq!(parse_meminfo("MemTotal: 0 kB\n"), None);
    }

    #[test]
    fn a_billion_agents_are_refused_with_the_estimate_and_the_remedy() {
        let mut s = Scenario::default();
        s.simulation.agents = 50_000_000;
        let e = check(&s, 1_000_000_000, &Limit::bytes(16 << 30)).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("the run needs about "), "{text}");
        assert!(text.contains("the limit is 16.0 GB"), "{text}");
        assert!(text.contains("SISANDBOX_MAX_MEMORY="), "{text}");
        assert!(text.contains("bytes per agent"), "{text}");
    }

    #[test]
    fn explosive_headcount_growth_is_refused() {
        let mut s = Scenario::default();
        s.simulation.years = 100;
        s.universities[0].headcount_growth = 0.5;
        let e = check(&s, 3_000, &Limit::unlimited()).unwrap_err();
        assert!(
            matches!(e, GuardError::TooMany { .. }),
            "more agents than 32-bit ids: {e}"
        );
        assert!(check(&s, 3_000, &Limit::bytes(8 << 30)).is_err());
    }

    #[test]
    fn the_default_scenario_passes_a_small_limit() {
        let s = Scenario::default();
        let e = check(&s, 3_000, &Limit::bytes(512 << 20)).unwrap();
        assert!(e.bytes < (256u64 << 20) as f64, "{}", human(e.bytes));
    }

    #[test]
    fn the_estimate_covers_a_real_run() {
        // High turnover and growth in two regions: the estimate must not undercount hires or
        // series rows.
        let mut s = Scenario::default();
        s.simulation.agents = 400;
        s.simulation.years = 6;
        s.careers.quit_rate.contract = 0.5;
        s.careers.quit_rate.temporary = 0.9;
        let mut second = s.universities[0].clone();
        second.name = "university-b".into();
        second.region = "beijing".into();
        second.headcount_growth = 0.2;
        s.universities.push(second);
        let o =
            engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).expect("run");
        let e = estimate(&s, 400);
        assert!(
            e.agents() >= o.info.agents_final as f64,
            "estimated {} agents, the run had {}",
            e.agents(),
            o.info.agents_final
        );
        assert!(
            e.series_rows >= o.series.rows.len() as f64,
            "estimated {} rows, the run wrote {}",
            e.series_rows,
            o.series.rows.len()
        );
        assert!(
            e.agents() < 4.0 * o.info.agents_final as f64,
            "not absurdly high"
        );
    }

    #[test]
    fn unrepresentable_counts_are_refused() {
        let mut s = Scenario::default();
        let d = s.population.disciplines[0].clone();
        s.population.disciplines = vec![d; 300];
        let e = check(&s, 10, &Limit::unlimited()).unwrap_err().to_string();
        assert!(e.contains("the number of disciplines is 300"), "{e}");
    }

    #[test]
    fn limits_print_their_source() {
        let l = Limit {
            bytes: Some(4 << 30),
            source: LimitSource::Physical { total: 8 << 30 },
        };
        assert_eq!(
            l.to_string(),
            "4.0 GB (50 % of the 8.0 GB of physical memory)"
        );
        assert_eq!(human(1536.0), "1.5 KB");
        assert_eq!(human(12.0), "12 bytes");
        assert_eq!(human(f64::INFINITY), "an unbounded amount");
    }
}
