//! The monthly panel behind `sisandbox run --panel`: collecting it changes nothing in the run,
//! it is the same on any thread count, its interruptions follow their drivers, and the Parquet
//! file is written whole or not at all.

use sisandbox::engine::{self, panel::Panel, RunOptions};
use sisandbox::population;
use sisandbox::scenario::Scenario;

fn small() -> Scenario {
    let mut s = Scenario::default();
    s.simulation.agents = 3_000;
    s.simulation.years = 4;
    s
}

fn with_panel(s: &Scenario, threads: usize) -> (engine::Outcome, Panel) {
    let opts = RunOptions {
        threads,
        ..Default::default()
    };
    engine::run_with_panel(s, population::synthetic(s), &opts).expect("run")
}

#[test]
fn the_panel_changes_nothing_and_is_thread_independent() {
    let s = small();
    let plain = engine::run(
        &s,
        population::synthetic(&s),
        &RunOptions {
            threads: 2,
            ..Default::default()
        },
    )
    .unwrap();
    let (outcome, panel) = with_panel(&s, 2);
    assert_eq!(plain, outcome, "collecting the panel changed the run");
    let (_, panel1) = with_panel(&s, 1);
    assert_eq!(panel, panel1, "the panel depends on the thread count");
    // One row per staff member and month at least.
    assert!(panel.len() >= 3_000 * 48, "{} rows", panel.len());
}

#[test]
fn interruptions_happen_and_follow_track_and_household() {
    let s = small();
    let (_, p) = with_panel(&s, 0);
    let mut by_track = std::collections::BTreeMap::<&str, (u32, u32)>::new();
    let mut household = [(0u32, 0u32); 2];
    for i in 0..p.len() {
        if p.event[i] == "left_covered" || p.event[i] == "left_uncovered" {
            let stop = p.event[i] == "left_uncovered";
            let e = by_track.entry(p.track[i]).or_default();
            e.0 += 1;
            e.1 += u32::from(stop);
            let h = &mut household[usize::from(p.spouse_covered[i])];
            h.0 += 1;
            h.1 += u32::from(stop);
            assert!(p.interruption[i] == stop);
        }
    }
    let share = |(n, k): (u32, u32)| k as f64 / n.max(1) as f64;
    let temp = by_track["temporary"];
    let contract = by_track["contract"];
    assert!(temp.1 > 20, "too few interruptions to test: {by_track:?}");
    assert!(
        share(temp) > share(contract),
        "temporary leavers stop contributing more often than contract ones: {by_track:?}"
    );
    assert!(
        share(household[1]) > share(household[0]),
        "a covered spouse raises the share: {household:?}"
    );
}

#[cfg(feature = "panel")]
#[test]
fn parquet_is_written_whole_and_not_over_an_existing_temporary() {
    let mut s = small();
    s.simulation.agents = 300;
    let (_, p) = with_panel(&s, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.parquet");
    engine::panel::write_parquet(&path, &s, &p).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    let again = dir.path().join("again.parquet");
    engine::panel::write_parquet(&again, &s, &p).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(&again).unwrap(),
        "same panel, same bytes"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}
