//! The k-anonymity of agents.csv: the coarsening plan, its manifest table and its cells.

use super::*;

#[test]
fn bands_print_and_parse_back() {
    assert_eq!(years(1, 1987).unwrap(), "1985-1989");
    assert_eq!(years(0, 1987).unwrap(), "1987");
    assert_eq!(years(3, 1987).unwrap(), "1980-1999");
    assert_eq!(years(4, 1987), None);
    assert_eq!(money(1, 900_050).unwrap(), "5000.00-9999.99");
    assert_eq!(money(1, -5).unwrap(), "-5000.00--0.01");
    assert_eq!(money(4, 5), None);
    assert_eq!(parse_band("8000.00-9999.99"), Some((8000.0, 9999.99)));
    assert_eq!(parse_band("-2000.00--0.01"), Some((-2000.0, -0.01)));
    assert_eq!(parse_band("240-299"), Some((240.0, 299.0)));
    assert_eq!(parse_band("1985-1989"), Some((1985.0, 1989.0)));
    assert_eq!(parse_band("12.5"), Some((12.5, 12.5)));
    assert_eq!(parse_band(WITHHELD), None);
    assert_eq!(parse_band("9-1"), None);
    assert_eq!(parse_band("x-1"), None);
}

#[test]
fn hierarchies_nest_and_loss_grows_with_the_levels() {
    for w in YEARS.windows(2) {
        assert_eq!(w[1] % w[0], 0);
    }
    for w in YUAN.windows(2) {
        assert_eq!(w[1] % w[0], 0);
    }
    assert_eq!(Levels::all().count(), 5 * 5 * 5 * 3 * 2);
    let exact = Levels::all().next().unwrap();
    assert_eq!(exact.loss(), 0.0);
    assert_eq!(Levels::all().last().unwrap().loss(), 1.0);
    let ladder = Levels { title: 1, ..exact };
    assert_eq!(ladder.title("lecturer"), Some("academic"));
    assert_eq!(ladder.title("section"), Some("administrative"));
    assert_eq!(exact.title("section"), Some("section"));
    assert_eq!(Levels { title: 2, ..exact }.title("section"), None);
}

/// The search without its shortcut: every level counted, the same order of preference.
fn plan_exhaustive(records: &[AgentRecord], roster_rows: usize, k: u32) -> (Levels, usize) {
    let budget = (SUPPRESSION_BUDGET * roster_rows as f64).floor() as usize;
    let roster: Vec<&AgentRecord> = records
        .iter()
        .filter(|r| (r.id as usize) < roster_rows)
        .collect();
    let mut counts = Counts::default();
    let scored: Vec<(Levels, usize)> = Levels::all()
        .map(|l| {
            count(&roster, &l, &mut counts);
            let s = counts
                .values()
                .filter(|&&n| n < k)
                .map(|&n| n as usize)
                .sum();
            (l, s)
        })
        .collect();
    let within: Vec<&(Levels, usize)> = scored.iter().filter(|(_, s)| *s <= budget).collect();
    let pick = if within.is_empty() {
        scored
            .iter()
            .min_by(|a, b| (a.1, a.0.loss()).partial_cmp(&(b.1, b.0.loss())).unwrap())
    } else {
        within
            .into_iter()
            .min_by(|a, b| (a.0.loss(), a.1).partial_cmp(&(b.0.loss(), b.1)).unwrap())
    };
    *pick.unwrap()
}

#[test]
fn the_search_finds_what_counting_every_level_finds_and_hides_small_groups() {
    use crate::engine::{self, RunOptions};
    let mut s = Scenario::default();
    s.simulation.agents = 400;
    s.simulation.years = 2;
    let o = engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).unwrap();
    let n = o.info.agents_initial;
    for k in [2, 5, 20, 100] {
        let c = Coarsening::plan(&o.records, n, k);
        assert_eq!(
            (c.levels, c.suppressed),
            plan_exhaustive(&o.records, n, k),
            "k {k}"
        );
        // Every roster agent shown is in a combination of at least k roster agents, and
        // the withheld are counted.
        let shown = |r: &AgentRecord| (r.id as usize) < n && !c.withheld(r);
        let mut groups: HashMap<Key, u32> = HashMap::new();
        for r in o.records.iter().filter(|r| shown(r)) {
            *groups.entry(key(r, &c.levels)).or_default() += 1;
        }
        assert!(groups.values().all(|&g| g >= k), "k {k}");
        let withheld = o.records.iter().filter(|r| c.withheld(r)).count();
        assert_eq!(withheld, c.suppressed);
        assert!(o
            .records
            .iter()
            .all(|r| (r.id as usize) < n || !c.withheld(r)));
    }
}
