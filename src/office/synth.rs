//! Realistic office files with known anomalies (`sisandbox synth-hr`): a staff of N over the
//! audited months plus the base year before them, declared correctly by the rules of `rules`,
//! then `K` anomalies of every kind injected on distinct staff-months and listed in the truth.

use super::audit::{prior_average, Kind};
use super::rules::{due, RuleBook};
use crate::insurance::base::{base_year_start, contribution_base};
use crate::insurance::Scheme;
use crate::money::Fen;
use crate::rng::{chacha, Draws, Purpose};
use crate::time::YearMonth;
use rand::Rng;
use std::collections::HashSet;

/// What to generate.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    pub staff: u32,
    pub months: u32,
    pub anomalies: u32,
    pub seed: u64,
    pub start: YearMonth,
}

/// A person as HR knows them (in memory only, and in the generated files).
#[derive(Clone, Debug)]
pub struct Person {
    pub staff: String,
    pub name: String,
    pub id_number: String,
    pub department: &'static str,
    pub scheme: Scheme,
    /// First month on the payroll.
    pub hired: YearMonth,
}

#[derive(Clone, Debug)]
pub struct PayLine {
    pub person: usize,
    pub month: YearMonth,
    pub gross: Fen,
    pub withheld: [Fen; 3],
    pub name: String,
    pub id_number: String,
}

#[derive(Clone, Debug)]
pub struct InsLine {
    pub person: usize,
    pub month: YearMonth,
    pub base: Fen,
    pub amounts: [Fen; 7],
    pub name: String,
    pub id_number: String,
}

#[derive(Clone, Debug)]
pub struct FinLine {
    pub person: usize,
    pub month: YearMonth,
    pub net: Fen,
    pub name: String,
    pub id_number: String,
}

/// The generated files and the truth.
#[derive(Clone, Debug, Default)]
pub struct SynthData {
    pub people: Vec<Person>,
    pub payroll: Vec<PayLine>,
    pub insurance: Vec<InsLine>,
    pub finance: Vec<FinLine>,
    /// (staff, month, kind), sorted.
    pub truth: Vec<(String, YearMonth, Kind)>,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "文", "建", "国", "玲", "红", "波", "宇", "欣",
    "晨", "琳", "浩", "婷", "鑫", "雪", "思", "颖",
];
const DEPARTMENTS: &[&str] = &[
    "计算机学院",
    "数学学院",
    "物理学院",
    "化学学院",
    "外国语学院",
    "经济管理学院",
    "图书馆",
    "后勤处",
    "人事处",
    "财务处",
];

/// The check character of an 18-character resident ID (GB 11643-1999, ISO 7064 MOD 11-2).
pub fn id_check(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

fn person(seed: u64, i: usize, start: YearMonth, months: u32) -> (Person, f64) {
    let mut d = Draws::new(seed, i as u64, Purpose::Roster, 0);
    let pick = |d: &mut Draws, n: usize| ((d.uniform() * n as f64) as usize).min(n - 1);
    let mut name = SURNAMES[pick(&mut d, SURNAMES.len())].to_string();
    for _ in 0..(1 + usize::from(d.chance(0.7))) {
        name.push_str(GIVEN[pick(&mut d, GIVEN.len())]);
    }
    let birth_year = start.year() - 24 - pick(&mut d, 36) as i32;
    let (bm, bd) = (1 + pick(&mut d, 12), 1 + pick(&mut d, 28));
    let first17 = format!(
        "510104{birth_year:04}{bm:02}{bd:02}{:03}",
        pick(&mut d, 1000)
    );
    let id_number = format!("{first17}{}", id_check(&first17));
    let u = d.uniform();
    let level = if u < 0.06 {
        3_000.0 + 1_300.0 * d.uniform()
    } else if u < 0.10 {
        24_000.0 + 10_000.0 * d.uniform()
    } else {
        (11_000.0 * (0.35 * d.normal()).exp()).clamp(5_000.0, 20_000.0)
    };
    let hired = if d.chance(0.04) {
        start.plus_months(pick(&mut d, months.max(1) as usize) as i32)
    } else {
        YearMonth::ym(1990, 1)
    };
    let p = Person {
        staff: format!("{}", 10_001 + i),
        name,
        id_number,
        department: DEPARTMENTS[pick(&mut d, DEPARTMENTS.len())],
        scheme: if d.chance(0.7) {
            Scheme::Institution
        } else {
            Scheme::Enterprise
        },
        hired,
    };
    (p, level)
}

/// Generates the files; an error when the anomalies cannot be placed on distinct staff-months.
pub fn generate(o: &SynthOptions, book: &mut RuleBook) -> Result<SynthData, String> {
    if o.staff == 0 || o.months == 0 {
        return Err("--staff and --months must be at least 1".into());
    }
    let end = o.start.plus_months(o.months as i32);
    let first = base_year_start(o.start, book.at(o.start).rates.adjustment_month).plus_months(-12);
    let mut data = SynthData::default();
    let mut gross: Vec<Vec<(YearMonth, Fen)>> = Vec::new();
    for i in 0..o.staff as usize {
        let (p, level) = person(o.seed, i, o.start, o.months);
        let mut g = Vec::new();
        let mut m = first.max(p.hired);
        while m < end {
            let mut d = Draws::new(o.seed, i as u64, Purpose::Roster, m.index());
            let yuan = (level * (1.0 + 0.04 * d.normal())).max(1_000.0).round();
            g.push((m, yuan as Fen * 100));
            m = m.plus_months(1);
        }
        gross.push(g);
        data.people.push(p);
    }
    // Correct declarations.
    let mut ins_index: Vec<Vec<Option<usize>>> = Vec::new();
    for (i, p) in data.people.iter().enumerate() {
        let mut row_of = vec![None; o.months as usize];
        for &(m, g) in &gross[i] {
            // Months of the base year before the audit: withheld on that month's pay within
            // its limits (their own base year is not generated).
            let r = book.at(m).clone();
            let own = due(contribution_base(g, r.limits), p.scheme, &r.rates);
            let mut withheld = [own[0], own[2], own[4]];
            if m >= o.start {
                let start = r.year_start;
                let prior: Vec<Fen> = gross[i]
                    .iter()
                    .filter(|(x, _)| *x >= start.plus_months(-12) && *x < start)
                    .map(|x| x.1)
                    .collect();
                let reference = prior_average(&prior)
                    .or_else(|| gross[i].iter().find(|(x, _)| *x >= start).map(|x| x.1))
                    .unwrap_or(g);
                let base = contribution_base(reference, r.limits);
                let amounts = due(base, p.scheme, &r.rates);
                withheld = [amounts[0], amounts[2], amounts[4]];
                row_of[m.months_since(o.start) as usize] = Some(data.insurance.len());
                data.insurance.push(InsLine {
                    person: i,
                    month: m,
                    base,
                    amounts,
                    name: p.name.clone(),
                    id_number: p.id_number.clone(),
                });
                data.finance.push(FinLine {
                    person: i,
                    month: m,
                    net: g - withheld.iter().sum::<Fen>(),
                    name: p.name.clone(),
                    id_number: p.id_number.clone(),
                });
            }
            data.payroll.push(PayLine {
                person: i,
                month: m,
                gross: g,
                withheld,
                name: p.name.clone(),
                id_number: p.id_number.clone(),
            });
        }
        ins_index.push(row_of);
    }
    inject(o, book, &mut data, &gross, &ins_index)?;
    data.insurance.retain(|l| l.base >= 0);
    data.truth.sort_by(|a, b| {
        super::audit::staff_order(&a.0, &b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    Ok(data)
}

/// Injects the anomalies round-robin over the kinds, each on a staff-month not used before.
fn inject(
    o: &SynthOptions,
    book: &mut RuleBook,
    data: &mut SynthData,
    gross: &[Vec<(YearMonth, Fen)>],
    ins_index: &[Vec<Option<usize>>],
) -> Result<(), String> {
    let mut rng = chacha(o.seed, Purpose::Roster, u64::MAX);
    let mut used: HashSet<(usize, i32)> = HashSet::new();
    let pay_index = |data: &SynthData, person: usize, m: YearMonth| {
        data.payroll
            .iter()
            .position(|l| l.person == person && l.month == m)
    };
    for n in 0..o.anomalies {
        let kind = Kind::ALL[n as usize % Kind::ALL.len()];
        let mut placed = false;
        for _ in 0..20_000 {
            let person = rng.random_range(0..data.people.len());
            let mi = rng.random_range(0..o.months as i32);
            let Some(row) = ins_index[person][mi as usize] else {
                continue;
            };
            if used.contains(&(person, mi)) {
                continue;
            }
            let m = o.start.plus_months(mi);
            let r = book.at(m).clone();
            let scheme = data.people[person].scheme;
            let base = data.insurance[row].base;
            let start = r.year_start;
            let prior: Vec<Fen> = gross[person]
                .iter()
                .filter(|(x, _)| *x >= start.plus_months(-12) && *x < start)
                .map(|x| x.1)
                .collect();
            let reference = prior_average(&prior)
                .or_else(|| gross[person].iter().find(|(x, _)| *x >= start).map(|x| x.1))
                .unwrap_or(base);
            let old = contribution_base(reference, r.old_limits);
            let step: Fen = 100 * rng.random_range(1..=400);
            let new_base = match kind {
                Kind::MakeUpDue if old != base => Some(old),
                Kind::BaseBelowFloor if r.limits.floor - step != old => Some(r.limits.floor - step),
                Kind::BaseAboveCeiling if r.limits.ceiling + step != old => {
                    Some(r.limits.ceiling + step)
                }
                Kind::BaseNotPriorAverage => {
                    [base + step / 4, base - step / 4].into_iter().find(|&b| {
                        b >= r.limits.floor && b <= r.limits.ceiling && b != old && b != base
                    })
                }
                _ => None,
            };
            let p = pay_index(data, person, m).ok_or("internal: payroll row missing")?;
            match kind {
                Kind::MakeUpDue
                | Kind::BaseBelowFloor
                | Kind::BaseAboveCeiling
                | Kind::BaseNotPriorAverage => {
                    let Some(b) = new_base else { continue };
                    let amounts = due(b, scheme, &r.rates);
                    data.insurance[row].base = b;
                    data.insurance[row].amounts = amounts;
                    let withheld = [amounts[0], amounts[2], amounts[4]];
                    data.payroll[p].withheld = withheld;
                }
                Kind::DeductionMismatch => {
                    let j = rng.random_range(0..7usize);
                    let delta = 100 * rng.random_range(1..=50);
                    let personal = [0, 2, 4].contains(&j);
                    if personal && rng.random_bool(0.5) {
                        let w = [0, 2, 4].iter().position(|&x| x == j).unwrap_or(0);
                        data.payroll[p].withheld[w] += delta;
                    } else {
                        data.insurance[row].amounts[j] += delta;
                    }
                }
                Kind::InsuredNotDeducted => data.payroll[p].withheld = [0; 3],
                // Marked for removal after injection (row indices stay valid meanwhile).
                Kind::PaidNotInsured => data.insurance[row].base = -1,
                Kind::IdentityMismatch => {
                    let id_not_name = rng.random_bool(0.5);
                    let who = data.people[person].clone();
                    let changed_name = format!(
                        "{}{}",
                        who.name.chars().next().unwrap_or('王'),
                        GIVEN[rng.random_range(0..GIVEN.len())]
                    );
                    if id_not_name || changed_name == who.name {
                        let mut id: Vec<char> = who.id_number.chars().collect();
                        let k = rng.random_range(6..14);
                        let digit = id[k].to_digit(10).unwrap_or(0);
                        id[k] = char::from_digit((digit + 1 + rng.random_range(0..8)) % 10, 10)
                            .unwrap_or('0');
                        let id: String = id.into_iter().collect();
                        if rng.random_bool(0.5) {
                            data.insurance[row].id_number = id;
                        } else {
                            data.finance[row].id_number = id;
                        }
                    } else if rng.random_bool(0.5) {
                        data.insurance[row].name = changed_name;
                    } else {
                        data.finance[row].name = changed_name;
                    }
                }
            }
            used.insert((person, mi));
            data.truth
                .push((data.people[person].staff.clone(), m, kind));
            placed = true;
            break;
        }
        if !placed {
            return Err(format!(
                "cannot place {} anomalies of kind {} on distinct staff-months: raise --staff or --months or lower --anomalies",
                o.anomalies,
                kind.name()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_check_characters() {
        // GB 11643-1999 example: 11010519491231002X.
        assert_eq!(id_check("11010519491231002"), 'X');
    }
}
