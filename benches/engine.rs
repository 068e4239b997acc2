//! Criterion benchmarks of the simulation core. Targets and measured figures live in
//! docs/PERFORMANCE.md; CI runs these in quick, untimed mode (`cargo bench -- --test`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use sisandbox::engine::{self, RunOptions, Simulation};
use sisandbox::insurance::case::parse_case;
use sisandbox::insurance::InsuranceParams;
use sisandbox::population;
use sisandbox::scenario::Scenario;

fn scenario(agents: u32, years: u32) -> Scenario {
    let mut s = Scenario::default();
    s.simulation.agents = agents;
    s.simulation.years = years;
    s
}

/// One monthly step (agent phase, resolution, metrics) at each size, on a run prepared once:
/// every iteration steps the next month.
fn monthly_step(c: &mut Criterion) {
    let mut g = c.benchmark_group("step");
    g.sample_size(10);
    for agents in [3_000, 100_000, 1_000_000] {
        let s = scenario(agents, 40);
        let mut sim = Simulation::new(&s, population::synthetic(&s));
        g.bench_function(format!("{agents} staff, one month"), |b| {
            b.iter(|| sim.step())
        });
    }
    g.finish();
}

fn population_generation(c: &mut Criterion) {
    let s = scenario(100_000, 1);
    c.bench_function("population/100k", |b| b.iter(|| population::synthetic(&s)));
}

fn default_run(c: &mut Criterion) {
    let s = scenario(3_000, 40);
    let mut g = c.benchmark_group("run");
    g.sample_size(10);
    g.bench_function("default 3k staff x 40 years", |b| {
        b.iter_batched(
            || population::synthetic(&s),
            |agents| engine::run(&s, agents, &RunOptions::default()).expect("run"),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn one_year_at_100k(c: &mut Criterion) {
    let s = scenario(100_000, 1);
    let mut g = c.benchmark_group("run");
    g.sample_size(10);
    g.bench_function("100k staff x 12 months", |b| {
        b.iter_batched(
            || population::synthetic(&s),
            |agents| engine::run(&s, agents, &RunOptions::default()).expect("run"),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// The bare contribution loop of `sisandbox bench --reference` at 100k staff × 12 months: the
/// lower bound the full run of `one_year_at_100k` is compared with.
fn bare_reference(c: &mut Criterion) {
    let s = scenario(100_000, 1);
    let reference = sisandbox::bench::Reference::new(&s);
    let mut g = c.benchmark_group("reference");
    g.sample_size(10);
    g.bench_function("bare loop 100k staff x 12 months", |b| {
        b.iter(|| reference.run())
    });
    g.finish();
}

fn pension_calculator(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/cases/E1.toml"
    ))
    .expect("E1 case");
    let params = InsuranceParams::default();
    c.bench_function("pension/E1", |b| {
        b.iter(|| {
            parse_case(&text, "E1.toml")
                .expect("valid case")
                .evaluate(&params)
        })
    });
}

/// Loading large scenario files: 200,000 dated entries and 6,000 universities. The loader was
/// once quadratic in both (minutes); near-linear loading takes about a second in release.
fn scenario_loading(c: &mut Criterion) {
    use std::fmt::Write;
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut dated = String::from("[insurance.pension]\nenterprise_employer_rate = [\n");
    for i in 0..100_000 {
        let (y, m) = (1000 + i / 12, i % 12 + 1);
        let _ = writeln!(dated, "  {{ from = \"{y:04}-{m:02}\", value = 0.16 }},");
        let _ = writeln!(
            dated,
            "  {{ from = \"{y:04}-{m:02}\", value = 0.15, region = \"sichuan\" }},"
        );
    }
    dated.push_str("]\n");
    let mut univ = String::new();
    for i in 0..6_000 {
        let _ = write!(
            univ,
            "[[universities]]\nname = \"u{i}\"\nregion = \"sichuan\"\nfiscal = \"local\"\n\
             staff_share = 1.0\nwage_level = 1.0\nenterprise_annuity = false\nheadcount_growth = 0.0\n"
        );
    }
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    for (name, text) in [("dated-200k", dated), ("universities-6k", univ)] {
        let f = dir.path().join(format!("{name}.toml"));
        std::fs::write(&f, text).expect("write scenario");
        g.bench_function(name, |b| {
            b.iter(|| sisandbox::scenario::load(&f, &[]).expect("valid scenario"))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    scenario_loading,
    monthly_step,
    population_generation,
    default_run,
    one_year_at_100k,
    bare_reference,
    pension_calculator
);
criterion_main!(benches);
