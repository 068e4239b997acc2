//! The headline panel: one sentence per reform, the outcomes an analyst reports as paired
//! differences with intervals, in English and Chinese.

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox_gui::command::Command;
use sisandbox_gui::headline::Outcome;
use sisandbox_gui::i18n::Lang;
use sisandbox_gui::state::Tab;
use sisandbox_gui::{GuiApp, Startup};
use std::time::{Duration, Instant};

#[test]
fn the_headline_states_each_reform_against_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("base.toml"),
        "name = \"base\"\n[simulation]\nagents = 150\nyears = 3\n",
    )
    .unwrap();
    std::fs::write(
        p.join("reform.toml"),
        "extends = \"base.toml\"\nname = \"reform\"\n[insurance.pension]\ninstitution_employer_rate = 0.12\n",
    )
    .unwrap();
    let startup = Startup {
        files: vec![p.join("base.toml"), p.join("reform.toml")],
        ..Startup::default()
    };
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| GuiApp::new(&cc.egui_ctx, startup));
    h.run();
    h.state_mut().state.run_settings.replications = 2;
    h.state_mut().state.run_settings.out = p.join("results");
    h.state_mut().state.apply(Command::RunAll);
    h.state_mut().state.apply(Command::SetTab(Tab::Headline));
    let start = Instant::now();
    while h.state().state.busy() || h.state_mut().state.headlines().is_none() {
        assert!(start.elapsed() < Duration::from_secs(300));
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(3);
    let heads = h.state_mut().state.headlines().unwrap().to_vec();
    assert_eq!(heads.len(), 1);
    let cost = heads[0]
        .lines
        .iter()
        .find(|l| l.outcome == Outcome::EmployerCost)
        .expect("employer cost");
    assert!(
        cost.diff < 0.0,
        "a lower employer rate costs less: {cost:?}"
    );
    assert!(cost.ci.is_some());
    for o in [
        Outcome::ReplacementRate,
        Outcome::TakeHome,
        Outcome::Perception,
        Outcome::Exits,
        Outcome::FundBalance,
    ] {
        assert!(heads[0].lines.iter().any(|l| l.outcome == o), "{o:?}");
    }
    assert!(h.query_by_label_contains("employer cost −").is_some());
    assert!(h.get_all_by_label("established staff").count() >= 2);
    assert!(h
        .query_by_label_contains("Caution: 2 replications")
        .is_some());
    assert!(h.query_by_label_contains("mechanical part").is_some());
    h.state_mut().state.apply(Command::SetLang(Lang::Zh));
    h.run_steps(3);
    assert!(h.query_by_label_contains("单位成本 −").is_some());
    assert!(h.get_all_by_label("编制内").count() >= 2);
}
