//! The caption of an exported figure: which scenarios (the baseline first), which seeds and how
//! many replications, drawn in a band added under the figure the core drew, so a figure taken
//! out of the app still says what it shows.

use crate::i18n::Lang;
use crate::results::RunSet;
use std::path::Path;

/// Height of the band, in pixels (PNG) or user units (SVG).
const BAND: u32 = 44;
const FONT_SIZE: u32 = 20;
const LEFT: u32 = 24;
const GREY: (u8, u8, u8) = (0x40, 0x40, 0x40);

fn seeds_text(seeds: &[u64]) -> String {
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    }
}

/// The caption of a comparison of `runs` (the baseline first).
pub fn text(lang: Lang, runs: &[&RunSet]) -> String {
    let seeds: Vec<Vec<u64>> = runs
        .iter()
        .map(|r| r.replications.iter().map(|x| x.seed).collect())
        .collect();
    let mut names: Vec<String> = runs.iter().map(|r| r.name.clone()).collect();
    if let Some(first) = names.first_mut() {
        first.push_str(match lang {
            Lang::En => " (baseline)",
            Lang::Zh => "（基准）",
        });
    }
    let same = seeds.windows(2).all(|w| w[0] == w[1]);
    let per_run = |f: &dyn Fn(&[u64]) -> String| {
        runs.iter()
            .zip(&seeds)
            .map(|(r, s)| format!("{} {}", r.name, f(s)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (lang, same) {
        (Lang::En, true) => {
            let s = seeds.first().cloned().unwrap_or_default();
            format!(
                "Scenarios: {} · seed {} · {} replication{} each",
                names.join(", "),
                seeds_text(&s),
                s.len(),
                if s.len() == 1 { "" } else { "s" }
            )
        }
        (Lang::En, false) => format!(
            "Scenarios: {} · seeds {} · replications {}",
            names.join(", "),
            per_run(&|s| seeds_text(s)),
            per_run(&|s| s.len().to_string())
        ),
        (Lang::Zh, true) => {
            let s = seeds.first().cloned().unwrap_or_default();
            format!(
                "情景：{} · 随机种子 {} · 每个情景 {} 次重复",
                names.join("、"),
                seeds_text(&s),
                s.len()
            )
        }
        (Lang::Zh, false) => format!(
            "情景：{} · 随机种子 {} · 重复次数 {}",
            names.join("、"),
            per_run(&|s| seeds_text(s)),
            per_run(&|s| s.len().to_string())
        ),
    }
}

fn err(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: cannot add the caption: {e}", path.display())
}

/// Adds the caption band under a PNG figure (rewritten atomically).
pub fn png(path: &Path, caption: &str) -> Result<(), String> {
    use plotters::prelude::*;
    let img = image::open(path).map_err(|e| err(path, e))?.to_rgb8();
    let (w, h) = img.dimensions();
    let mut buf = vec![255u8; (w as usize) * ((h + BAND) as usize) * 3];
    buf[..img.as_raw().len()].copy_from_slice(img.as_raw());
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h + BAND)).into_drawing_area();
        // The core registered its embedded font when it drew the figure.
        let style = TextStyle::from((sisandbox::plot::FONT_FAMILY, FONT_SIZE as f64).into_font())
            .color(&RGBColor(GREY.0, GREY.1, GREY.2));
        let y = (h + (BAND - FONT_SIZE) / 2) as i32;
        root.draw_text(caption, &style, (LEFT as i32, y))
            .map_err(|e| err(path, e))?;
        root.present().map_err(|e| err(path, e))?;
    }
    let out = image::RgbImage::from_raw(w, h + BAND, buf).ok_or_else(|| err(path, "size"))?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    out.write_to(&mut bytes, image::ImageOutputFormat::Png)
        .map_err(|e| err(path, e))?;
    sisandbox::output::write_atomic(path, |f| f.write_all(bytes.get_ref()))
        .map_err(|e| err(path, e))
}

/// The number in `attr="N"` of an SVG start tag.
fn attr(tag: &str, name: &str) -> Option<u32> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')? + at;
    tag[at..end].trim().parse::<f64>().ok().map(|v| v as u32)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Adds the caption band under an SVG figure (rewritten atomically).
pub fn svg(path: &Path, caption: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| err(path, e))?;
    let start = text
        .find("<svg")
        .ok_or_else(|| err(path, "no <svg> element"))?;
    let end = text[start..]
        .find('>')
        .map(|e| e + start)
        .ok_or_else(|| err(path, "no <svg> element"))?;
    let tag = &text[start..end];
    let (w, h) = match (attr(tag, "width"), attr(tag, "height")) {
        (Some(w), Some(h)) => (w, h),
        _ => return Err(err(path, "the <svg> element has no width and height")),
    };
    let total = h + BAND;
    let new_tag = tag
        .replacen(
            &format!(" height=\"{h}\""),
            &format!(" height=\"{total}\""),
            1,
        )
        .replacen(
            &format!("viewBox=\"0 0 {w} {h}\""),
            &format!("viewBox=\"0 0 {w} {total}\""),
            1,
        );
    let close = text.rfind("</svg>").ok_or_else(|| err(path, "no </svg>"))?;
    let band = format!(
        "<rect x=\"0\" y=\"{h}\" width=\"{w}\" height=\"{BAND}\" fill=\"#FFFFFF\"/>\n\
         <text x=\"{LEFT}\" y=\"{}\" font-family=\"{}\" font-size=\"{FONT_SIZE}\" \
         fill=\"#{:02X}{:02X}{:02X}\">{}</text>\n",
        h + BAND / 2 + FONT_SIZE / 3,
        escape(sisandbox::plot::FONT_FAMILY),
        GREY.0,
        GREY.1,
        GREY.2,
        escape(caption)
    );
    let out = format!(
        "{}{new_tag}{}{band}{}",
        &text[..start],
        &text[end..close],
        &text[close..]
    );
    sisandbox::output::write_atomic(path, |f| f.write_all(out.as_bytes())).map_err(|e| err(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{AgentTable, Replication};

    fn set(name: &str, seeds: &[u64]) -> RunSet {
        RunSet {
            name: name.into(),
            replications: seeds
                .iter()
                .map(|&seed| Replication {
                    dir: "x".into(),
                    seed,
                    agents: AgentTable::default(),
                    series: Default::default(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_caption_names_scenarios_seeds_and_replications() {
        let (a, b) = (set("base", &[42, 43, 44]), set("reform", &[42, 43, 44]));
        assert_eq!(
            text(Lang::En, &[&a, &b]),
            "Scenarios: base (baseline), reform · seed 42–44 · 3 replications each"
        );
        assert!(text(Lang::Zh, &[&a, &b]).contains("每个情景 3 次重复"));
        let c = set("reform", &[7]);
        assert_eq!(
            text(Lang::En, &[&a, &c]),
            "Scenarios: base (baseline), reform · seeds base 42–44, reform 7 · \
             replications base 3, reform 1"
        );
    }

    #[test]
    fn svg_and_png_figures_get_a_band_with_the_caption() {
        let dir = tempfile::tempdir().unwrap();
        let svg_path = dir.path().join("f.svg");
        std::fs::write(
            &svg_path,
            "<svg width=\"1200\" height=\"800\" viewBox=\"0 0 1200 800\" \
             xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n",
        )
        .unwrap();
        svg(&svg_path, "Scenarios: a & b").unwrap();
        let out = std::fs::read_to_string(&svg_path).unwrap();
        assert!(out.contains("height=\"844\""), "{out}");
        assert!(out.contains("viewBox=\"0 0 1200 844\""), "{out}");
        assert!(
            out.contains(">Scenarios: a &amp; b</text>\n</svg>"),
            "{out}"
        );

        let png_path = dir.path().join("f.png");
        image::RgbImage::from_pixel(300, 200, image::Rgb([200, 200, 200]))
            .save(&png_path)
            .unwrap();
        // The font is registered by the core when it draws a figure; draw one first.
        let fig = dir.path().join("fig.png");
        sisandbox::plot::ecdf(
            &fig,
            &sisandbox::plot::FigureStyle::new("t"),
            &[sisandbox::plot::Sample::new("a", &[1.0, 2.0])],
        )
        .unwrap();
        png(&png_path, "Scenarios: a, b").unwrap();
        let img = image::open(&png_path).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (300, 244));
        let band_dark = (200..244)
            .flat_map(|y| (0..300).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0[0] < 128)
            .count();
        assert!(
            band_dark > 50,
            "the caption is drawn: {band_dark} dark pixels"
        );
    }
}
