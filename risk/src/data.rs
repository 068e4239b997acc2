//! Histories: month-by-month records of people, read from a run's panel (`panel.parquet`) or
//! from an HR history file (CSV in UTF-8 or GBK, or XLSX). Both end up as [`Person`]s whose
//! months are in order, one per calendar month.

use anyhow::{bail, Context, Result};
use parquet::column::reader::ColumnReader;
use parquet::file::reader::{FileReader, RowGroupReader};
use parquet::file::serialized_reader::SerializedFileReader;
use std::collections::BTreeMap;
use std::path::Path;

/// Employment track, as the engine names it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Track {
    Establishment,
    Contract,
    Temporary,
}

impl Track {
    pub fn parse(s: &str) -> Option<Track> {
        match s.trim().to_lowercase().as_str() {
            "establishment" | "事业编" | "编制" => Some(Track::Establishment),
            "contract" | "合同制" | "合同" => Some(Track::Contract),
            "temporary" | "临时" | "劳务派遣" | "临时工" => Some(Track::Temporary),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Track::Establishment => "establishment",
            Track::Contract => "contract",
            Track::Temporary => "temporary",
        }
    }
}

/// One person-month.
#[derive(Clone, Debug, PartialEq)]
pub struct Month {
    /// Months since year 0 (year × 12 + month − 1).
    pub index: i32,
    pub age_months: i32,
    /// Wage and contribution base, fen per month.
    pub wage: i64,
    pub base: i64,
    pub pension_contributions: i64,
    pub months_in_post: i32,
    /// On the staff this month (not the month of leaving, retiring or dying).
    pub active: bool,
    /// A month without pension contributions for someone who should be insured.
    pub interruption: bool,
}

/// A person's history and the attributes the audit groups by.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// The file's staff number, or the run's own agent index.
    pub key: String,
    pub track: Track,
    pub female: bool,
    pub region: String,
    pub dependants: u8,
    pub spouse_covered: bool,
    pub months: Vec<Month>,
}

/// `YYYYMM` (as the panel stores it) to a month index.
pub fn month_index(yyyymm: i32) -> i32 {
    (yyyymm / 100) * 12 + (yyyymm % 100) - 1
}

/// A month index as `YYYY-MM`.
pub fn month_label(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// Reads a run's panel: `RUN_DIR/panel.parquet`, or a Parquet file named directly.
pub fn read_run(path: &Path) -> Result<Vec<Person>> {
    let file = if path.is_dir() {
        path.join("panel.parquet")
    } else {
        path.to_path_buf()
    };
    if !file.is_file() {
        bail!(
            "{}: no panel here; write one with `sisandbox run --panel`",
            file.display()
        );
    }
    read_parquet(&file).with_context(|| format!("reading {}", file.display()))
}

struct Columns {
    month: Vec<i32>,
    agent: Vec<i32>,
    status: Vec<String>,
    track: Vec<String>,
    female: Vec<bool>,
    age_months: Vec<i32>,
    region: Vec<String>,
    wage: Vec<i64>,
    base: Vec<i64>,
    pension: Vec<i64>,
    months_in_post: Vec<i32>,
    dependants: Vec<i32>,
    spouse_covered: Vec<bool>,
    interruption: Vec<bool>,
}

fn read_parquet(file: &Path) -> Result<Vec<Person>> {
    let f = std::fs::File::open(file)?;
    let reader = SerializedFileReader::new(f)?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let names: Vec<String> = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let col = |name: &str| -> Result<usize> {
        names
            .iter()
            .position(|n| n == name)
            .with_context(|| format!("column `{name}` is missing (columns: {})", names.join(", ")))
    };
    let mut c = Columns {
        month: vec![],
        agent: vec![],
        status: vec![],
        track: vec![],
        female: vec![],
        age_months: vec![],
        region: vec![],
        wage: vec![],
        base: vec![],
        pension: vec![],
        months_in_post: vec![],
        dependants: vec![],
        spouse_covered: vec![],
        interruption: vec![],
    };
    for g in 0..reader.num_row_groups() {
        let rg = reader.get_row_group(g)?;
        let n = rg.metadata().num_rows() as usize;
        c.month.extend(ints(&*rg, col("month")?, n)?);
        c.agent.extend(ints(&*rg, col("agent")?, n)?);
        c.status.extend(strings(&*rg, col("status")?, n)?);
        c.track.extend(strings(&*rg, col("track")?, n)?);
        c.female.extend(bools(&*rg, col("female")?, n)?);
        c.age_months.extend(ints(&*rg, col("age_months")?, n)?);
        c.region.extend(strings(&*rg, col("region")?, n)?);
        c.wage.extend(longs(&*rg, col("wage_fen")?, n)?);
        c.base.extend(longs(&*rg, col("base_fen")?, n)?);
        c.pension
            .extend(longs(&*rg, col("pension_contributions_fen")?, n)?);
        c.months_in_post
            .extend(ints(&*rg, col("months_in_post")?, n)?);
        c.dependants.extend(ints(&*rg, col("dependants")?, n)?);
        c.spouse_covered
            .extend(bools(&*rg, col("spouse_covered")?, n)?);
        c.interruption.extend(bools(&*rg, col("interruption")?, n)?);
    }
    let mut by_agent: BTreeMap<i32, Person> = BTreeMap::new();
    for i in 0..c.month.len() {
        let track = Track::parse(&c.track[i])
            .with_context(|| format!("row {}: unknown track `{}`", i + 1, c.track[i]))?;
        let p = by_agent.entry(c.agent[i]).or_insert_with(|| Person {
            key: format!("agent-{}", c.agent[i]),
            track,
            female: c.female[i],
            region: c.region[i].clone(),
            dependants: c.dependants[i].clamp(0, 9) as u8,
            spouse_covered: c.spouse_covered[i],
            months: Vec::new(),
        });
        p.track = track;
        p.months.push(Month {
            index: month_index(c.month[i]),
            age_months: c.age_months[i],
            wage: c.wage[i],
            base: c.base[i],
            pension_contributions: c.pension[i],
            months_in_post: c.months_in_post[i],
            active: c.status[i] == "active",
            interruption: c.interruption[i],
        });
    }
    let mut people: Vec<Person> = by_agent.into_values().collect();
    for p in &mut people {
        p.months.sort_by_key(|m| m.index);
    }
    Ok(people)
}

macro_rules! reader_fn {
    ($name:ident, $variant:ident, $t:ty, $map:expr) => {
        fn $name(rg: &dyn RowGroupReader, i: usize, n: usize) -> Result<Vec<$t>> {
            let ColumnReader::$variant(mut r) = rg.get_column_reader(i)? else {
                bail!("column {} has an unexpected type", i + 1);
            };
            let mut values = Vec::with_capacity(n);
            while values.len() < n {
                let before = values.len();
                r.read_records(n - before, None, None, &mut values)?;
                if values.len() == before {
                    bail!("column {} ends early", i + 1);
                }
            }
            Ok(values.into_iter().map($map).collect())
        }
    };
}

reader_fn!(ints, Int32ColumnReader, i32, |v| v);
reader_fn!(longs, Int64ColumnReader, i64, |v| v);
reader_fn!(bools, BoolColumnReader, bool, |v| v);
reader_fn!(
    strings,
    ByteArrayColumnReader,
    String,
    |v: parquet::data_type::ByteArray| String::from_utf8_lossy(v.data()).into_owned()
);
