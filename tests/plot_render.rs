//! Renders every figure kind of `sisandbox::plot` to PNG and SVG and checks the files:
//! PNG size and non-blankness, SVG text (including Chinese), byte-identical SVG on re-render,
//! no temporary files left behind, and errors (not panics) for bad input.
//!
//! Set `PLOT_RENDER_KEEP=/some/dir` to keep a copy of every figure for visual inspection.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use sisandbox::plot::{
    box_plot, ecdf, histogram, morris_scatter, percentile_bands, BandSeries, BoxSeries,
    FigureStyle, HistogramScale, MorrisPoint, Palette, PlotError, Sample,
};

/// Deterministic pseudo-normal numbers (xorshift + sum of uniforms), so the test data never
/// depend on a random crate's version.
struct Gen(u64);

impl Gen {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let s: f64 = (0..12).map(|_| self.uniform()).sum();
        mean + sd * (s - 6.0)
    }

    fn sample(&mut self, n: usize, mean: f64, sd: f64) -> Vec<f64> {
        (0..n).map(|_| self.normal(mean, sd)).collect()
    }
}

const TITLE: &str = "替代率分布 Replacement rate";

fn style(title: &str, x: &str, y: &str) -> FigureStyle {
    FigureStyle::new(title)
        .labels(x, y)
        .palette(Palette::pinned(["baseline 基准", "reform 改革"]))
}

/// One closure per figure kind, each rendering to the path it is given.
type Render = Box<dyn Fn(&Path) -> Result<(), PlotError>>;

fn figures() -> Vec<(&'static str, Render)> {
    let mut g = Gen(0x5eed_1234_abcd_0001);
    let mut base = g.sample(2000, 0.62, 0.08);
    base.push(f64::NAN); // skipped, documented
    let reform = g.sample(1500, 0.55, 0.10);
    let x: Vec<f64> = (0..120).map(f64::from).collect();
    let reps_a: Vec<Vec<f64>> = (0..50)
        .map(|_| {
            x.iter()
                .map(|t| 100.0 + 0.5 * t + g.normal(0.0, 4.0 + t * 0.05))
                .collect()
        })
        .collect();
    let reps_b: Vec<Vec<f64>> = (0..50)
        .map(|_| {
            x.iter()
                .map(|t| 100.0 + 0.3 * t + g.normal(0.0, 3.0))
                .collect()
        })
        .collect();
    let groups: Vec<Vec<Vec<f64>>> = (0..2)
        .map(|s| {
            (0..3)
                .map(|i| g.sample(300, 3.0 + i as f64 * 0.4 - s as f64 * 0.3, 0.7))
                .collect()
        })
        .collect();
    vec![
        (
            "histogram",
            Box::new(move |p: &Path| {
                let st = style(TITLE, "替代率 replacement rate", "占比 share");
                let s = [
                    Sample::new("baseline 基准", &base),
                    Sample::new("reform 改革", &reform),
                ];
                histogram(p, &st, &s, 40, HistogramScale::Share)
            }) as Render,
        ),
        (
            "ecdf",
            Box::new({
                let (a, b) = (g.sample(500, 0.6, 0.1), g.sample(500, 0.5, 0.1));
                move |p: &Path| {
                    let st = style("累积分布 ECDF", "替代率 replacement rate", "累积比例 F(x)");
                    ecdf(
                        p,
                        &st,
                        &[
                            Sample::new("baseline 基准", &a),
                            Sample::new("reform 改革", &b),
                        ],
                    )
                }
            }),
        ),
        (
            "bands",
            Box::new(move |p: &Path| {
                let st = style("基金余额 Fund balance", "月份 month", "余额 balance");
                let s = [
                    BandSeries::new("baseline 基准", &x, &reps_a),
                    BandSeries::new("reform 改革", &x, &reps_b),
                ];
                percentile_bands(p, &st, &s, 0.05, 0.95)
            }),
        ),
        (
            "boxplot",
            Box::new(move |p: &Path| {
                let st = style("感知 Perception by track", "岗位 track", "感知 perception");
                let labels = ["教学科研 teaching", "管理 admin", "其他 other"];
                let series: Vec<BoxSeries> = ["baseline 基准", "reform 改革"]
                    .iter()
                    .zip(&groups)
                    .map(|(n, gs)| BoxSeries::new(n, gs.iter().map(Vec::as_slice).collect()))
                    .collect();
                box_plot(p, &st, &labels, &series)
            }),
        ),
        (
            "morris",
            Box::new(|p: &Path| {
                let st = style("Morris 筛选 screening", "μ*", "σ");
                let pts = [
                    MorrisPoint::new("缴费率 contribution rate", 0.9, 0.3),
                    MorrisPoint::new("wage growth", 0.6, 0.7),
                    MorrisPoint::new("interest", 0.2, 0.05),
                    MorrisPoint::new("retirement age", 0.4, 0.2),
                    MorrisPoint::new("skipped", f64::NAN, 0.1),
                ];
                morris_scatter(p, &st, &pts)
            }),
        ),
    ]
}

/// Copies `path` into `$PLOT_RENDER_KEEP` when set (for looking at the figures).
fn keep(path: &Path) {
    if let Ok(dir) = std::env::var("PLOT_RENDER_KEEP") {
        fs::create_dir_all(&dir).unwrap();
        fs::copy(path, PathBuf::from(dir).join(path.file_name().unwrap())).unwrap();
    }
}

/// Only the target is left in the directory: no `*.tmp.*` debris.
fn assert_only_file(dir: &Path, name: &str) {
    let names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![name.to_string()], "unexpected files in {dir:?}");
}

fn check_png(path: &Path) {
    let img = image::open(path).expect("PNG decodes").to_rgb8();
    assert_eq!(img.dimensions(), (1200, 800), "{path:?}");
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 50,
        "{path:?} has only {} colours",
        colours.len()
    );
    let inked = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let share = inked as f64 / (1200.0 * 800.0);
    assert!(
        share > 0.01,
        "{path:?} is nearly blank ({share:.4} non-white)"
    );
}

fn check_svg(path: &Path, kind: &str) {
    let svg = fs::read_to_string(path).unwrap();
    assert!(svg.starts_with("<svg"), "{path:?}");
    assert!(svg.contains("width=\"1200\"") && svg.contains("height=\"800\""));
    assert!(
        svg.contains("baseline 基准") || kind == "morris",
        "{kind}: legend text missing"
    );
    assert!(
        svg.contains("WenQuanYi Micro Hei"),
        "{kind}: font family missing"
    );
}

#[test]
fn every_figure_renders_to_png_and_svg() {
    for (kind, render) in figures() {
        for ext in ["png", "svg"] {
            let dir = tempfile::tempdir().unwrap();
            let name = format!("{kind}.{ext}");
            let path = dir.path().join(&name);
            render(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_only_file(dir.path(), &name);
            keep(&path);
            if ext == "png" {
                check_png(&path)
            } else {
                check_svg(&path, kind)
            }
        }
    }
}

#[test]
fn svg_contains_chinese_title_and_labels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.svg");
    let (_, render) = figures().into_iter().next().unwrap();
    render(&path).unwrap();
    let svg = fs::read_to_string(&path).unwrap();
    for text in [
        TITLE,
        "替代率 replacement rate",
        "占比 share",
        "reform 改革 (n = 1500)",
        "baseline 基准 (n = 2000)",
    ] {
        assert!(svg.contains(text), "SVG lacks {text:?}");
    }
}

#[test]
fn svg_rendering_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, render) in figures() {
        let (a, b) = (
            dir.path().join(format!("{kind}-a.svg")),
            dir.path().join(format!("{kind}-b.svg")),
        );
        render(&a).unwrap();
        render(&b).unwrap();
        assert_eq!(
            fs::read(&a).unwrap(),
            fs::read(&b).unwrap(),
            "{kind}: SVG differs between runs"
        );
    }
}

#[test]
fn rerender_replaces_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.png");
    fs::write(&path, b"old").unwrap();
    let (_, render) = figures().into_iter().last().unwrap();
    render(&path).unwrap();
    check_png(&path);
    assert_only_file(dir.path(), "m.png");
}

#[test]
fn unsupported_extension_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["fig.pdf", "fig", "fig.png.bak"] {
        let path = dir.path().join(name);
        for (kind, render) in figures() {
            let err = render(&path).expect_err(kind);
            assert!(
                matches!(err, PlotError::UnsupportedFormat { .. }),
                "{kind} {name}: {err}"
            );
        }
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn empty_or_all_nan_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("e.svg");
    let st = FigureStyle::new("空 empty");
    let nan = [f64::NAN, f64::INFINITY];
    let empty: [f64; 0] = [];
    let is_empty = |r: Result<(), PlotError>| matches!(r, Err(PlotError::EmptyInput(_)));
    assert!(is_empty(histogram(&p, &st, &[], 10, HistogramScale::Count)));
    assert!(is_empty(histogram(
        &p,
        &st,
        &[Sample::new("a", &nan)],
        10,
        HistogramScale::Count
    )));
    assert!(is_empty(histogram(
        &p,
        &st,
        &[Sample::new("a", &[1.0]), Sample::new("b", &empty)],
        10,
        HistogramScale::Count
    )));
    assert!(is_empty(ecdf(&p, &st, &[])));
    assert!(is_empty(ecdf(&p, &st, &[Sample::new("a", &empty)])));
    assert!(is_empty(percentile_bands(&p, &st, &[], 0.05, 0.95)));
    let x = [0.0, 1.0];
    let reps = vec![vec![f64::NAN, f64::NAN]];
    assert!(is_empty(percentile_bands(
        &p,
        &st,
        &[BandSeries::new("a", &x, &reps)],
        0.05,
        0.95
    )));
    assert!(is_empty(box_plot(&p, &st, &["g"], &[])));
    assert!(is_empty(box_plot(
        &p,
        &st,
        &["g"],
        &[BoxSeries::new("a", vec![&nan[..]])]
    )));
    assert!(is_empty(morris_scatter(&p, &st, &[])));
    assert!(is_empty(morris_scatter(
        &p,
        &st,
        &[MorrisPoint::new("a", f64::NAN, 1.0)]
    )));
    assert!(!p.exists());
}

#[test]
fn invalid_arguments_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("e.png");
    let invalid = |r: Result<(), PlotError>| matches!(r, Err(PlotError::InvalidArgument(_)));
    let st = FigureStyle::new("t");
    let v = [1.0, 2.0];
    assert!(invalid(histogram(
        &p,
        &st,
        &[Sample::new("a", &v)],
        0,
        HistogramScale::Share
    )));
    let x = [0.0, 1.0];
    let ragged = vec![vec![1.0]];
    assert!(invalid(percentile_bands(
        &p,
        &st,
        &[BandSeries::new("a", &x, &ragged)],
        0.05,
        0.95
    )));
    let ok = vec![vec![1.0, 2.0]];
    assert!(invalid(percentile_bands(
        &p,
        &st,
        &[BandSeries::new("a", &x, &ok)],
        0.95,
        0.05
    )));
    assert!(invalid(box_plot(
        &p,
        &st,
        &["g1", "g2"],
        &[BoxSeries::new("a", vec![&v[..]])]
    )));
    let tiny = FigureStyle::new("t").size(10, 10);
    assert!(invalid(ecdf(&p, &tiny, &[Sample::new("a", &v)])));
    assert!(!p.exists());
}

#[test]
fn degenerate_but_valid_data_renders() {
    // A single repeated value, a single time point and a single box must not break the axes.
    let dir = tempfile::tempdir().unwrap();
    let st = FigureStyle::new("退化 degenerate");
    let same = [0.5; 10];
    histogram(
        dir.path().join("h.png"),
        &st,
        &[Sample::new("a", &same)],
        5,
        HistogramScale::Count,
    )
    .unwrap();
    ecdf(dir.path().join("e.png"), &st, &[Sample::new("a", &[3.0])]).unwrap();
    let reps = vec![vec![1.0], vec![1.0]];
    percentile_bands(
        dir.path().join("b.svg"),
        &st,
        &[BandSeries::new("a", &[2030.0], &reps)],
        0.1,
        0.9,
    )
    .unwrap();
    box_plot(
        dir.path().join("x.svg"),
        &st,
        &["g", "空"],
        &[BoxSeries::new("a", vec![&same[..], &[]])],
    )
    .unwrap();
    morris_scatter(
        dir.path().join("m.svg"),
        &st,
        &[MorrisPoint::new("p", 0.0, 0.0)],
    )
    .unwrap();
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 5);
}
