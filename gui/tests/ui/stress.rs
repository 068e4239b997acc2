//! The stress-test tab: a grid checked by the core (a bad axis names its key), run in the
//! background into a stress folder, its heat map shown with each cell's value and unit on
//! hover in English and Chinese, and a stress folder opened from disk.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox::stress::Metric;
use sisandbox_gui::command::{Command, StressCommand};
use sisandbox_gui::files::Scripted;
use sisandbox_gui::i18n::Lang;
use sisandbox_gui::stress_view::{read_map, AxisForm};
use sisandbox_gui::{GuiApp, Startup};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn harness<'a>() -> Harness<'a, GuiApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(|cc| GuiApp::new(&cc.egui_ctx, Startup::default()));
    h.run();
    h.get_by_label("Stress test").click();
    h.run();
    h
}

fn axis(key: &str, low: &str, high: &str, steps: &str) -> AxisForm {
    AxisForm {
        key: key.into(),
        low: low.into(),
        high: high.into(),
        steps: steps.into(),
    }
}

#[test]
fn a_grid_runs_in_the_background_and_its_heat_map_shows_values_on_hover() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stress");
    let mut h = harness();
    h.get_by_role_and_label(Role::ComboBox, "Metric");
    {
        let f = &mut h.state_mut().state.stress.form;
        f.x = axis(
            "insurance.pension.enterprise_employer_rate",
            "0.14",
            "0.18",
            "2",
        );
        f.y = axis("careers.quit_rate.contract", "0.02", "0.06", "0");
        f.metric = Metric::EmployerCost;
        f.set = "simulation.agents=60; simulation.years=2".into();
        f.out = out.display().to_string();
    }
    // A grid of 0 steps: refused before anything runs, naming the key.
    h.run();
    h.get_by_label("Run grid").click();
    h.run();
    assert!(!h.state().state.stress.busy());
    assert!(h
        .query_by_label_contains("`careers.quit_rate.contract`: 0 steps")
        .is_some());
    assert!(!out.exists(), "nothing is written for a bad grid");

    h.state_mut().state.stress.form.y.steps = "2".into();
    h.run();
    h.get_by_label("Run grid").click();
    h.step();
    assert!(
        h.state().state.stress.busy(),
        "the grid runs in the background"
    );
    let start = Instant::now();
    while h.state().state.stress.busy() {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the grid took too long"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
    assert_eq!(h.state().state.stress.problem, None);
    let map = h.state().state.stress.map.clone().expect("the heat map");
    assert_eq!(map.metric, "employer_cost");
    assert_eq!(map.unit, "yuan");
    assert_eq!((map.x.len(), map.y.len()), (2, 2));
    assert!(map
        .cells
        .iter()
        .flatten()
        .all(|c| c.0.is_some_and(|v| v > 0.0)));
    // A higher employer rate costs the universities more, whatever the quit rate.
    for row in &map.cells {
        assert!(row[1].0 > row[0].0, "{row:?}");
    }
    assert!(out.join("heatmap-employer_cost.png").is_file());
    // The title with its unit, and a cell's value with its levels and unit on hover.
    assert!(h
        .query_by_label_contains("Employer contributions in the year (yuan) · 20")
        .is_some());
    assert!(h.query_by_label("Hover a cell for its value.").is_some());
    h.get_by_label("Heat map").hover();
    h.run();
    // The label under the map and the tooltip at the pointer.
    let hovered = h
        .query_all_by_label_contains(
            "insurance.pension.enterprise_employer_rate = 0.18, careers.quit_rate.contract = ",
        )
        .next()
        .expect("the hovered cell's text");
    let text = format!("{hovered:?}");
    assert!(text.contains("yuan"), "{text}");
    assert!(text.contains("1 of 1 replications"), "{text}");

    h.state_mut().state.apply(Command::SetLang(Lang::Zh));
    h.run();
    h.get_by_label("热力图").hover();
    h.run();
    assert!(h
        .query_by_label_contains("单位年度缴费（employer_cost） (元)")
        .is_some());
    assert!(h
        .query_all_by_label_contains("元 (1 次重复中 1 次有值)")
        .next()
        .is_some());
}

#[test]
fn a_stress_folder_opens_from_disk_and_a_folder_without_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cli-stress");
    // A folder as `sisandbox stress` writes it: the core's stress run.
    let spec = sisandbox::stress::StressSpec::new(
        None,
        &["careers.quit_rate.contract=0.02..0.10:3".to_string()],
        "replacement_rate",
        None,
        None,
        1,
        None,
        vec![
            "simulation.agents=60".to_string(),
            "simulation.years=2".to_string(),
        ],
    )
    .unwrap();
    sisandbox::stress::run(
        &spec,
        &sisandbox::stress::StressOptions {
            out: out.clone(),
            jobs: 1,
            threads: 1,
            force: false,
            shard: None,
            progress: None,
            cancel: None,
            command: "test".into(),
        },
    )
    .unwrap();
    let mut h = harness();
    // Through the file dialog: a table of the folder names the folder and the metric.
    h.state_mut().state.files = Box::new(Arc::new(Scripted::new([
        out.join("stress-replacement_rate.csv")
    ])));
    h.get_by_label("Choose a stress folder…").click();
    h.run();
    let map = h.state().state.stress.map.clone().expect("the heat map");
    assert_eq!(*map, read_map(&out, Some("replacement_rate")).unwrap());
    assert_eq!(map.keys, vec!["careers.quit_rate.contract".to_string()]);
    assert_eq!(map.x, vec!["0.02", "0.06", "0.1"]);
    assert_eq!(map.y.len(), 1, "one axis: a strip");
    assert!(h
        .query_by_label("Replacement rate of retirees (share of the final wage)")
        .is_some());
    h.get_by_label("Heat map").hover();
    h.run();
    assert!(h
        .query_all_by_label_contains("careers.quit_rate.contract = 0.06: ")
        .next()
        .is_some());

    // A folder without a stress table is refused with its name.
    h.state_mut()
        .state
        .apply(Command::Stress(StressCommand::Open(
            dir.path().to_path_buf(),
        )));
    h.run();
    let problem = h.state().state.stress.problem.clone().unwrap_or_default();
    assert!(problem.contains("no stress table"), "{problem}");
}
