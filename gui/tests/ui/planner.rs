//! The planner tab: a case entered in the form (plain labels in English and Chinese), checked
//! by the core with errors naming the key, run in the background, the fan chart and the options
//! table shown, the chart exported, a long plan cancelled, a case file opened.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox_gui::command::{Command, PlannerCommand};
use sisandbox_gui::files::Scripted;
use sisandbox_gui::i18n::Lang;
use sisandbox_gui::planner::balance_fan;
use sisandbox_gui::state::Tab;
use sisandbox_gui::{GuiApp, Startup};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn harness<'a>() -> Harness<'a, GuiApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(|cc| GuiApp::new(&cc.egui_ctx, Startup::default()));
    h.run();
    h.get_by_label("Planner").click();
    h.run();
    h
}

fn wait(h: &mut Harness<GuiApp>) {
    let start = Instant::now();
    while h.state().state.planner.busy() {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the plan took too long"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(3);
}

fn plans() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios/plans")
}

#[test]
fn a_case_is_checked_run_and_shown_as_a_fan_chart_beside_the_options() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness();
    assert_eq!(h.state().state.tab, Tab::Planner);
    // Plain labels of the case's fields.
    let wage = h.get_by_role_and_label(Role::TextInput, "Monthly wage at the start (yuan)");
    assert_eq!(wage.value().as_deref(), Some("8200"));
    h.get_by_role_and_label(Role::ComboBox, "Track");
    h.get_by_role_and_label(Role::TextInput, "Birth month (YYYY-MM)");

    // A wage the core refuses: the problem names the key, nothing runs.
    *h.state_mut().state.planner.form.field_mut("person.wage") = "-5".into();
    h.get_by_label("Run plan").click();
    h.run();
    assert!(!h.state().state.planner.busy());
    assert!(h.query_by_label_contains("`person.wage`").is_some());
    // Text where a number belongs is refused before the core, naming the key too.
    *h.state_mut().state.planner.form.field_mut("options.retire") = "0, soon".into();
    h.get_by_label("Run plan").click();
    h.run();
    assert!(h
        .query_by_label_contains("`options.retire`: `0, soon` is not a number")
        .is_some());

    // A valid case runs in the background.
    *h.state_mut().state.planner.form.field_mut("person.wage") = "8200".into();
    *h.state_mut().state.planner.form.field_mut("options.retire") = "-36, 0, 36".into();
    h.state_mut().state.planner.paths = "300".into();
    h.get_by_label("Run plan").click();
    h.step();
    assert!(
        h.state().state.planner.busy(),
        "the plan runs in the background"
    );
    wait(&mut h);
    let out = h.state().state.planner.output.clone().expect("a result");
    assert!(h.state().state.planner.problems.is_empty());
    let r = &out.result;
    assert_eq!(r.paths, 300);
    // Two annuity choices × two bases × three retirement months × three draws.
    assert_eq!(r.options.len(), 36);
    // The fan: five percentile curves by age, ordered at every age.
    let (ages, curves) = balance_fan(r, 0);
    assert_eq!(
        curves.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![5.0, 25.0, 50.0, 75.0, 95.0]
    );
    assert!(ages.len() > 20);
    for (k, age) in ages.iter().enumerate() {
        for w in curves.windows(2) {
            assert!(w[0].1[k] <= w[1].1[k], "age {age}: {w:?}");
        }
    }
    // The options table beside it, with units.
    assert!(h
        .query_by_label("First monthly income (yuan/month)")
        .is_some());
    assert!(h
        .query_by_label("Replacement rate after annuity tax")
        .is_some());
    assert!(
        h.query_all_by_label_contains("with enterprise annuity, base 100 %, retire at")
            .count()
            >= 9
    );
    assert!(h
        .query_by_label("Account balances (personal account + annuity)")
        .is_some());
    h.get_by_role_and_label(Role::ComboBox, "Fan chart of");

    // Export of the fan chart through the file dialog, with a caption.
    let png = dir.path().join("fan.png");
    let svg = dir.path().join("fan.svg");
    let answers = Arc::new(Scripted::new([png.clone(), svg.clone()]));
    h.state_mut().state.files = Box::new(answers.clone());
    h.get_by_label("Fan chart as PNG…").click();
    h.run();
    h.get_by_label("Fan chart as SVG…").click();
    h.run();
    let asked = answers.asked();
    assert_eq!(asked.len(), 2);
    assert!(
        asked[0]
            .file_name
            .as_deref()
            .is_some_and(|n| n.starts_with("balances_") && n.ends_with(".png")),
        "{asked:?}"
    );
    let bytes = std::fs::read(&png).expect("the PNG");
    assert_eq!(&bytes[1..4], b"PNG");
    let text = std::fs::read_to_string(&svg).expect("the SVG");
    assert!(text.contains("300 paths"), "the caption names the paths");
    assert!(text.contains("age (years)"), "the x axis has its unit");

    // The same panel in Chinese.
    h.state_mut().state.apply(Command::SetLang(Lang::Zh));
    h.run();
    h.get_by_role_and_label(Role::TextInput, "起始月工资（元/月）");
    assert!(h.query_by_label("首月退休收入（元/月）").is_some());
    assert!(h.query_by_label("税后替代率").is_some());
    assert!(h
        .query_all_by_label_contains("参加企业年金，基数 100 %")
        .next()
        .is_some());
    assert!(h.query_by_label("运行规划").is_some());
}

#[test]
fn a_long_plan_is_cancelled_at_once_and_a_case_file_opens() {
    let mut h = harness();
    h.state_mut().state.planner.paths = "1000000".into();
    h.get_by_label("Run plan").click();
    h.run_steps(2);
    assert!(h.state().state.planner.busy());
    let started = Instant::now();
    h.get_by_label("Cancel").click();
    wait(&mut h);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "cancel stops the plan: {:?}",
        started.elapsed()
    );
    assert!(h.state().state.planner.cancelled);
    assert!(h.state().state.planner.output.is_none());
    assert!(h
        .query_by_label("The plan was cancelled; nothing was kept.")
        .is_some());

    // A case file opened through the dialog fills the form.
    let case = plans().join("pre-retiree.toml");
    h.state_mut().state.files = Box::new(Arc::new(Scripted::new([case.clone()])));
    h.get_by_label("Open case…").click();
    h.run();
    let p = &h.state().state.planner;
    assert_eq!(p.case_path.as_deref(), Some(case.as_path()));
    assert_eq!(p.form.track, "established");
    assert_eq!(p.form.get("person.wage"), "16000");
    assert_eq!(p.form.get("plan.target_replacement"), "0.7");
    h.state_mut().state.planner.paths = "200".into();
    h.state_mut()
        .state
        .apply(Command::Planner(PlannerCommand::Run));
    wait(&mut h);
    assert!(h.state().state.planner.output.is_some());
    // A pre-retiree's gap to the target.
    assert!(h
        .query_by_label_contains("Target replacement rate 70.0 %")
        .is_some());
    h.state_mut().state.apply(Command::SetLang(Lang::Zh));
    h.run();
    assert!(h.query_by_label_contains("目标替代率 70.0 %").is_some());

    // Saved as a case file, it reads back as the same case.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("cases/mine.toml");
    h.state_mut()
        .state
        .apply(Command::Planner(PlannerCommand::Save(saved.clone())));
    let a = sisandbox::plan::load(&case).unwrap();
    let mut b = sisandbox::plan::load(&saved).unwrap();
    b.plan.scenario = a.plan.scenario.clone();
    assert_eq!(a, b);
}
