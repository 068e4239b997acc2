//! From histories to examples: a window of the last `WINDOW` months of a person on the staff
//! (the anchor month last), labelled 1 when an interruption starts within the next `horizon`
//! months. Anchors whose horizon runs past the end of the data without an interruption are
//! left out (their outcome is unknown); a person who leaves covered, retires or dies within
//! the horizon is a negative.

use crate::data::{Person, Track};

/// Months of history a window holds (padded in front when the history is shorter).
pub const WINDOW: usize = 12;

/// Per-month inputs of the sequence model.
pub const FEATURES: [&str; 11] = [
    "temporary track",
    "contract track",
    "female",
    "age (years / 60)",
    "log wage",
    "base / wage",
    "pension paid this month",
    "years in post",
    "dependants",
    "spouse covered",
    "month present",
];
pub const F: usize = FEATURES.len();

/// One example.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Index of the person in the history list.
    pub person: usize,
    /// Month index of the anchor.
    pub anchor: i32,
    /// `WINDOW × F` inputs, oldest month first.
    pub x: Vec<f32>,
    pub label: bool,
    /// Months from the anchor to the interruption's start (positives only).
    pub lead: Option<u32>,
    pub age_years: f32,
}

fn month_features(p: &Person, m: &crate::data::Month) -> [f32; F] {
    let wage_yuan = (m.wage.max(0) as f64 / 100.0).max(1.0);
    [
        f32::from(p.track == Track::Temporary),
        f32::from(p.track == Track::Contract),
        f32::from(p.female),
        m.age_months as f32 / 720.0,
        (wage_yuan.ln() / 10.0) as f32,
        (m.base as f64 / m.wage.max(1) as f64).min(2.0) as f32,
        f32::from(m.pension_contributions > 0),
        (m.months_in_post as f32 / 120.0).min(3.0),
        p.dependants as f32 / 3.0,
        f32::from(p.spouse_covered),
        1.0,
    ]
}

/// The window ending at position `t` of the person's months.
pub fn window(p: &Person, t: usize) -> Vec<f32> {
    let mut x = vec![0.0f32; WINDOW * F];
    let from = (t + 1).saturating_sub(WINDOW);
    let pad = WINDOW - (t + 1 - from);
    for (k, m) in p.months[from..=t].iter().enumerate() {
        x[(pad + k) * F..(pad + k + 1) * F].copy_from_slice(&month_features(p, m));
    }
    x
}

/// Labelled examples every `stride` months of each person's history.
pub fn examples(people: &[Person], horizon: u32, stride: usize) -> Vec<Example> {
    let last = people
        .iter()
        .filter_map(|p| p.months.last().map(|m| m.index))
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for (i, p) in people.iter().enumerate() {
        for t in 0..p.months.len() {
            let m = &p.months[t];
            if !m.active || m.interruption || m.index % stride as i32 != 0 {
                continue;
            }
            let start = p.months[t + 1..]
                .iter()
                .take_while(|n| n.index <= m.index + horizon as i32)
                .find(|n| n.interruption)
                .map(|n| (n.index - m.index) as u32);
            let ended = p.months[t + 1..]
                .iter()
                .any(|n| n.index <= m.index + horizon as i32 && !n.active);
            if start.is_none() && !ended && m.index + horizon as i32 > last {
                continue;
            }
            out.push(Example {
                person: i,
                anchor: m.index,
                x: window(p, t),
                label: start.is_some(),
                lead: start,
                age_years: m.age_months as f32 / 12.0,
            });
        }
    }
    out
}

/// The window at each person's last month on the staff, for scoring (no label).
pub fn latest(people: &[Person]) -> Vec<Example> {
    people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let t = p.months.iter().rposition(|m| m.active && !m.interruption)?;
            let m = &p.months[t];
            Some(Example {
                person: i,
                anchor: m.index,
                x: window(p, t),
                label: false,
                lead: None,
                age_years: m.age_months as f32 / 12.0,
            })
        })
        .collect()
}

/// Whether a person belongs to the validation part (about one in five), by a hash of the key,
/// so the split is the same whatever the order of the input.
pub fn is_validation(key: &str) -> bool {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes())[0] % 5 == 0
}
