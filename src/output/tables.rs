//! series.csv and agents.csv, each row put together in one reused byte buffer (integers by
//! `itoa`, money as yuan to the fen, no string per field) and handed to the buffered writer
//! whole: at millions of rows the formatting is a visible share of a run.

use super::fixed::{put_fixed, put_shortest};
use super::{write_atomic, OutputError};
use crate::anonymise::{Coarsening, Privacy, Qi};
use crate::engine::{AgentRecord, Outcome};
use crate::metrics::Series;
use crate::scenario::Scenario;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// agents.csv rows formatted together by one worker: large enough that a block's buffer
/// (about 1.2 MB) amortises the hand-off, small enough that the blocks spread over the threads.
const ROWS_PER_BLOCK: usize = 4_096;
/// Blocks formatted in parallel before they are written, in order: at most about 75 MB of
/// formatted rows are held at once, whatever the number of agents.
const BLOCKS_PER_BATCH: usize = 64;

/// The tidy time series: `month,group,key,metric,value`. Each row is put together in one
/// reused line buffer (no string per field) and handed to the file's buffered writer whole.
pub fn write_series(path: &Path, series: &Series) -> Result<(), OutputError> {
    write_atomic(path, |w| {
        writeln!(w, "month,group,key,metric,value")?;
        let mut line = Vec::with_capacity(128);
        for r in &series.rows {
            line.clear();
            put_month(&mut line, r.month);
            line.push(b',');
            line.extend_from_slice(r.group.as_bytes());
            line.push(b',');
            put_csv_field(&mut line, &r.key);
            line.push(b',');
            line.extend_from_slice(r.metric.as_bytes());
            line.push(b',');
            // Rust's shortest round-trip form, as before (ryu would print `1.0` and `1e16`
            // where this prints `1` and `10000000000000000`).
            put_shortest(&mut line, r.value);
            line.push(b'\n');
            w.write_all(&line)?;
        }
        Ok(())
    })
}

/// A CSV field, quoted when it holds a comma, a quote or a newline.
fn put_csv_field(line: &mut Vec<u8>, s: &str) {
    if s.contains([',', '"', '\n']) {
        line.push(b'"');
        for part in s.split_inclusive('"') {
            line.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                line.push(b'"');
            }
        }
        line.push(b'"');
    } else {
        line.extend_from_slice(s.as_bytes());
    }
}

/// An integer in decimal.
fn put_int(line: &mut Vec<u8>, x: impl itoa::Integer) {
    line.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
}

/// Fen as yuan with two decimals (`money::format_yuan`'s form: "1234.56", "-0.05").
fn put_yuan(line: &mut Vec<u8>, fen: crate::money::Fen) {
    if fen < 0 {
        line.push(b'-');
    }
    let a = fen.unsigned_abs();
    put_int(line, a / 100);
    let cents = (a % 100) as u8;
    line.extend_from_slice(&[b'.', b'0' + cents / 10, b'0' + cents % 10]);
}

/// A month as "YYYY-MM" (`YearMonth`'s `Display`).
fn put_month(line: &mut Vec<u8>, m: crate::time::YearMonth) {
    let (y, mo) = (m.year(), m.month());
    if (1000..=9999).contains(&y) {
        put_int(line, y);
        line.extend_from_slice(&[b'-', b'0' + (mo / 10) as u8, b'0' + (mo % 10) as u8]);
    } else {
        let _ = write!(line, "{m}");
    }
}

/// Column names of agents.csv, documented in docs/OUTPUTS.md.
pub const AGENT_COLUMNS: &[&str] = &[
    "id",
    "university",
    "region",
    "track",
    "sex",
    "category",
    "title",
    "birth",
    "hired",
    "status",
    "status_since",
    "retire_month",
    "wage",
    "contribution_months",
    "pension_basic",
    "pension_personal",
    "pension_transitional",
    "pension_annuity",
    "pension_supplement",
    "pension_total",
    "replacement_final_wage",
    "replacement_average_wage",
    "money_worth",
    "irr",
    "pension_contributions",
    "benefits_received",
    "medical_months",
    "medical_cover",
    "medical_shortfall_months",
    "perception",
    "perception_ce",
    "fairness",
    "security",
    "expected_pension",
    "expected_replacement_rate",
    "effort",
    "base_ratio",
    "enterprise_annuity",
    "unified_scheme",
    "points",
    "take_home",
];

/// Per-agent end records with every fact exact. Simulation ids only: nothing from an imported
/// roster's identifiers. A run writes agents.csv through [`write_run_agents`].
pub fn write_agents(path: &Path, s: &Scenario, records: &[AgentRecord]) -> Result<(), OutputError> {
    write_agents_as(path, s, records, None).map(|_| ())
}

/// A run's agents.csv: exact for a generated population; for a roster run k-anonymous
/// (`anonymise`), or exact when the scenario asks for it (`simulation.roster_exact_agents`).
/// Returns what was done to a roster run's file, for its manifest, and the file's SHA-256 (hex),
/// computed from the bytes as they were written.
pub fn write_run_agents(
    path: &Path,
    s: &Scenario,
    outcome: &Outcome,
) -> Result<(Option<Privacy>, String), OutputError> {
    let roster_rows = outcome.info.agents_initial;
    let coarse =
        crate::anonymise::k_of(s).map(|k| Coarsening::plan(&outcome.records, roster_rows, k));
    let hash = write_agents_as(path, s, &outcome.records, coarse.as_ref())?;
    let privacy = match coarse {
        Some(c) => Some(Privacy::Coarsened(c)),
        None if s.simulation.roster.is_some() => Some(Privacy::Exact { roster_rows }),
        None => None,
    };
    Ok((privacy, hash))
}

/// Writes agents.csv and returns its SHA-256. The rows are formatted a block at a time on the
/// threads of the current rayon pool (a run's `--threads`), and the blocks written and hashed
/// in id order, so the file is the same bytes on any number of threads. At millions of agents
/// formatting is most of the file's cost, and hashing while writing spares reading the file
/// back for the manifest.
fn write_agents_as(
    path: &Path,
    s: &Scenario,
    records: &[AgentRecord],
    coarse: Option<&Coarsening>,
) -> Result<String, OutputError> {
    write_agents_in_blocks(path, s, records, coarse, ROWS_PER_BLOCK, BLOCKS_PER_BATCH)
}

/// [`write_agents_as`] with its block sizes given (the tests use small ones).
fn write_agents_in_blocks(
    path: &Path,
    s: &Scenario,
    records: &[AgentRecord],
    coarse: Option<&Coarsening>,
    rows_per_block: usize,
    blocks_per_batch: usize,
) -> Result<String, OutputError> {
    let mut hasher = Sha256::new();
    write_atomic(path, |w| {
        let header = format!("{}\n", AGENT_COLUMNS.join(","));
        hasher.update(header.as_bytes());
        w.write_all(header.as_bytes())?;
        for batch in records.chunks(rows_per_block * blocks_per_batch) {
            let blocks: Vec<Vec<u8>> = batch
                .par_chunks(rows_per_block)
                .map(|rows| {
                    let mut block = Vec::with_capacity(rows.len() * 320);
                    for r in rows {
                        put_agent(&mut block, s, r, coarse);
                    }
                    block
                })
                .collect();
            for block in &blocks {
                hasher.update(block);
                w.write_all(block)?;
            }
        }
        Ok(())
    })?;
    Ok(format!("{:x}", hasher.finalize()))
}

/// A rate with six decimals, or nothing.
fn put_opt(line: &mut Vec<u8>, x: Option<f64>) {
    if let Some(v) = x {
        put_fixed(line, v, 6);
    }
}

/// One agents.csv row with its newline, field by field in the order of [`AGENT_COLUMNS`],
/// appended to `line`: integers through `itoa`, yuan and months digit by digit, fixed-decimal
/// floats by `fixed::put_fixed` (the characters `write!` gave them). With
/// `coarse`, the quasi-identifiers are written as the coarsening gives them.
fn put_agent(line: &mut Vec<u8>, s: &Scenario, r: &AgentRecord, coarse: Option<&Coarsening>) {
    let p = &r.pension;
    let sep = |line: &mut Vec<u8>| line.push(b',');
    let withheld = coarse.is_some_and(|c| c.withheld(r));
    let fact = |line: &mut Vec<u8>, q: Qi, exact: &dyn Fn(&mut Vec<u8>)| match coarse {
        Some(c) => c.put(s, r, withheld, q, line),
        None => exact(line),
    };
    put_int(line, r.id);
    sep(line);
    fact(line, Qi::University, &|l| {
        put_csv_field(l, &s.universities[r.university as usize].name)
    });
    sep(line);
    fact(line, Qi::Region, &|l| {
        put_csv_field(l, &s.regions[r.region as usize].name)
    });
    for (q, text) in [
        (Qi::Track, r.track.name()),
        (Qi::Sex, if r.female { "female" } else { "male" }),
        (Qi::Category, if r.cadre { "cadre" } else { "worker" }),
        (Qi::Title, r.title),
    ] {
        sep(line);
        fact(line, q, &|l| l.extend_from_slice(text.as_bytes()));
    }
    sep(line);
    fact(line, Qi::Birth, &|l| put_month(l, r.birth));
    sep(line);
    fact(line, Qi::Hired, &|l| put_month(l, r.hired));
    sep(line);
    line.extend_from_slice(r.status.name().as_bytes());
    sep(line);
    fact(line, Qi::StatusSince, &|l| put_month(l, r.status_since));
    sep(line);
    fact(line, Qi::RetireMonth, &|l| put_month(l, r.retire_month));
    sep(line);
    fact(line, Qi::Wage, &|l| put_yuan(l, r.wage));
    sep(line);
    fact(line, Qi::ContributionMonths, &|l| {
        put_int(l, r.contribution_months)
    });
    for fen in [
        p.basic,
        p.personal,
        p.transitional,
        p.annuity,
        p.supplement,
        p.total(),
    ] {
        sep(line);
        put_yuan(line, fen);
    }
    for x in [
        r.replacement_final,
        r.replacement_average,
        r.money_worth,
        r.irr,
    ] {
        sep(line);
        put_opt(line, x);
    }
    sep(line);
    put_yuan(line, r.pension_paid);
    sep(line);
    put_yuan(line, r.benefits_received);
    sep(line);
    fact(line, Qi::MedicalMonths, &|l| put_int(l, r.medical_months));
    sep(line);
    line.extend_from_slice(medical_cover(r).as_bytes());
    sep(line);
    put_int(line, r.medical_shortfall);
    let q = &r.perception;
    for x in [
        q.index,
        q.ce,
        q.fairness,
        q.security,
        q.expected_pension,
        q.expected_rr,
    ] {
        sep(line);
        // A perception figure at the agent's last evaluation (empty if never evaluated).
        if q.evaluated {
            put_fixed(line, x as f64, 6);
        }
    }
    sep(line);
    put_fixed(line, r.effort as f64, 4);
    sep(line);
    put_fixed(line, r.base_ratio as f64, 4);
    sep(line);
    line.extend_from_slice(if r.opted_in { b"true," } else { b"false," });
    line.extend_from_slice(if r.unified { b"true," } else { b"false," });
    put_int(line, r.points);
    sep(line);
    fact(line, Qi::TakeHome, &|l| put_yuan(l, r.take_home));
    line.push(b'\n');
}

/// Retiree medical cover: `covered` when the record qualified at retirement, `bought` when the
/// missing months were bought, empty for staff not retired.
fn medical_cover(r: &AgentRecord) -> &'static str {
    match (r.pension.total() > 0, r.medical_shortfall) {
        (false, _) => "",
        (true, 0) => "covered",
        (true, _) => "bought",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, RunOptions};

    use crate::money::format_yuan;

    /// The row as it was formatted before the direct writer: one `String` per field, joined.
    fn agent_row_by_strings(s: &Scenario, r: &AgentRecord) -> String {
        let csv_field = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let opt = |x: Option<f64>| x.map(|v| format!("{v:.6}")).unwrap_or_default();
        let perception_field = |x: f32| {
            if r.perception.evaluated {
                format!("{x:.6}")
            } else {
                String::new()
            }
        };
        let p = &r.pension;
        let fields: Vec<String> = vec![
            r.id.to_string(),
            csv_field(&s.universities[r.university as usize].name),
            csv_field(&s.regions[r.region as usize].name),
            r.track.name().into(),
            if r.female { "female" } else { "male" }.into(),
            if r.cadre { "cadre" } else { "worker" }.into(),
            r.title.into(),
            r.birth.to_string(),
            r.hired.to_string(),
            r.status.name().into(),
            r.status_since.to_string(),
            r.retire_month.to_string(),
            format_yuan(r.wage),
            r.contribution_months.to_string(),
            format_yuan(p.basic),
            format_yuan(p.personal),
            format_yuan(p.transitional),
            format_yuan(p.annuity),
            format_yuan(p.supplement),
            format_yuan(p.total()),
            opt(r.replacement_final),
            opt(r.replacement_average),
            opt(r.money_worth),
            opt(r.irr),
            format_yuan(r.pension_paid),
            format_yuan(r.benefits_received),
            r.medical_months.to_string(),
            medical_cover(r).into(),
            r.medical_shortfall.to_string(),
            perception_field(r.perception.index),
            perception_field(r.perception.ce),
            perception_field(r.perception.fairness),
            perception_field(r.perception.security),
            perception_field(r.perception.expected_pension),
            perception_field(r.perception.expected_rr),
            format!("{:.4}", r.effort),
            format!("{:.4}", r.base_ratio),
            r.opted_in.to_string(),
            r.unified.to_string(),
            r.points.to_string(),
            format_yuan(r.take_home),
        ];
        assert_eq!(fields.len(), AGENT_COLUMNS.len(), "agent {}", r.id);
        fields.join(",") + "\n"
    }

    #[test]
    fn agents_rows_are_the_bytes_the_string_formatting_gave() {
        let mut s = Scenario::default();
        s.simulation.agents = 300;
        s.simulation.years = 12;
        // Names that need quoting go through the same escaping.
        s.universities[0].name = "Univ, \"A\"".into();
        let mut o =
            engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).unwrap();
        assert!(
            o.records.iter().any(|r| r.replacement_final.is_some()),
            "some retire"
        );
        // Negative amounts and extreme values print like `format_yuan` and `{:.6}`.
        let mut odd = o.records[0].clone();
        odd.take_home = -5;
        odd.wage = -123_456;
        odd.irr = Some(-0.0000004);
        odd.money_worth = Some(f64::INFINITY);
        odd.birth = crate::time::YearMonth::from_index(-30);
        o.records.push(odd);
        let mut line = Vec::new();
        for r in &o.records {
            line.clear();
            put_agent(&mut line, &s, r, None);
            let direct = String::from_utf8(line.clone()).unwrap();
            assert_eq!(direct, agent_row_by_strings(&s, r), "agent {}", r.id);
        }
    }

    #[test]
    fn agents_csv_is_the_rows_in_order_on_any_thread_count_with_its_hash() {
        let mut s = Scenario::default();
        s.simulation.agents = 200;
        s.simulation.years = 2;
        let o = engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).unwrap();
        // Blocks of 7 rows, 3 blocks a batch: several batches and a short last block; the
        // rows repeat the run's records with ids made distinct.
        let n = 7 * 3 * 5 + 7 + 4;
        let records: Vec<AgentRecord> = (0..n)
            .map(|i| {
                let mut r = o.records[i % o.records.len()].clone();
                r.id = i as u32;
                r
            })
            .collect();
        let mut expected = format!("{}\n", AGENT_COLUMNS.join(",")).into_bytes();
        for r in &records {
            put_agent(&mut expected, &s, r, None);
        }
        let dir = tempfile::tempdir().unwrap();
        for threads in [1, 3] {
            let path = dir.path().join(format!("agents-{threads}.csv"));
            let pool = engine::thread_pool(threads).unwrap();
            let hash = pool
                .install(|| write_agents_in_blocks(&path, &s, &records, None, 7, 3))
                .unwrap();
            let bytes = std::fs::read(&path).unwrap();
            assert!(bytes == expected, "{threads} threads: the rows in id order");
            assert_eq!(hash, super::super::sha256_file(&path).unwrap());
        }
    }

    #[test]
    fn series_rows_are_the_bytes_the_string_formatting_gave() {
        let mut series = Series::default();
        let month = crate::time::YearMonth::ym(2031, 7);
        for (key, value) in [
            ("all", 1.0),
            ("a,b", 0.1 + 0.2),
            ("q\"uote\"d", -1e16),
            ("", 123456789.125),
            ("x", f64::NAN),
            ("\n", 1e-7),
        ] {
            series.rows.push(crate::metrics::Row {
                month,
                group: "track",
                key: key.into(),
                metric: "staff",
                value,
            });
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("series.csv");
        write_series(&path, &series).unwrap();
        let mut expected = String::from("month,group,key,metric,value\n");
        for r in &series.rows {
            let key = if r.key.contains([',', '"', '\n']) {
                format!("\"{}\"", r.key.replace('"', "\"\""))
            } else {
                r.key.to_string()
            };
            expected += &format!("{},{},{},{},{}\n", r.month, r.group, key, r.metric, r.value);
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    }
}
