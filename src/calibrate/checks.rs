//! The checks of a targets file's `[[parameters]]` and `[[targets]]` entries, and which
//! scenario keys move which moment (a target no fitted parameter moves is refused).

use super::moments::{Moment, AGE_BANDS};
use super::targets::{ParamSpec, Parameter, Problems, Target, TargetSpec, MAX_PARAMETERS};
use crate::agent::Track;
use crate::scenario::{Allowed, Scenario};
use toml::Spanned;

/// The scenario keys that move a moment: prefixes ending in `.` cover every key below them.
pub fn drivers(m: &Moment) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    match m {
        Moment::LeavingRate { track, .. } => {
            match track {
                Some(t) => v.push(format!("careers.quit_rate.{}", t.name())),
                None => v.push("careers.quit_rate.".into()),
            }
            v.push("careers.quit_profile.".into());
        }
        Moment::EstablishedShare { .. } | Moment::EstablishedShareTrend => {
            for k in [
                "careers.quit_rate.",
                "careers.quit_profile.",
                "careers.conversion_rate",
                "careers.hire_tracks.",
            ] {
                v.push(k.into());
            }
        }
        Moment::DeferralTakeUp => {
            for k in [
                "perception.leisure_value.",
                "perception.deferral_consent",
                "perception.beta.",
                "perception.beta_young.",
                "perception.delta",
                "perception.gamma.",
            ] {
                v.push(k.into());
            }
        }
        Moment::AnnuityTakeUp => {
            for k in [
                "perception.opt_in_slope",
                "perception.beta.",
                "perception.beta_young.",
                "perception.delta",
                "perception.gamma.",
            ] {
                v.push(k.into());
            }
        }
    }
    v
}

/// Whether the parameter `key` moves moment `m`.
pub fn drives(key: &str, m: &Moment) -> bool {
    drivers(m).iter().any(|d| {
        if d.ends_with('.') {
            key.starts_with(d.as_str())
        } else {
            key == d
        }
    })
}

pub(super) fn check_parameters(specs: &[Spanned<ParamSpec>], p: &mut Problems) -> Vec<Parameter> {
    let docs = Scenario::key_docs();
    if specs.len() > MAX_PARAMETERS {
        p.list.push(format!(
            "{}: parameters: {} entries: at most {MAX_PARAMETERS} are fitted at once",
            p.file,
            specs.len()
        ));
    }
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let ps = spec.get_ref();
        let key = ps.key.get_ref().as_str();
        let at = format!("parameters[{i}].key = {key:?}");
        if specs[..i].iter().any(|o| o.get_ref().key.get_ref() == key) {
            p.at(ps.key.span(), &at, "is given twice");
            continue;
        }
        let group = super::fit::SHARE_GROUPS
            .iter()
            .find(|g| key.starts_with(**g));
        if let Some(g) = group {
            if specs[..i]
                .iter()
                .any(|o| o.get_ref().key.get_ref().starts_with(*g))
            {
                p.at(
                    ps.key.span(),
                    &at,
                    format!("another share of {g}* is fitted already; the shares add up to 1, so fit one of them"),
                );
                continue;
            }
        }
        let doc = docs.iter().find(|d| d.path == key);
        let (lo, hi) = match doc {
            None => {
                let near = docs
                    .iter()
                    .map(|d| (strsim::levenshtein(&d.path, key), &d.path))
                    .min();
                let hint = match near {
                    Some((d, k)) if d <= 3 => format!("; did you mean `{k}`?"),
                    _ => String::new(),
                };
                p.at(
                    ps.key.span(),
                    &at,
                    format!("not a scenario key (`sisandbox docs scenarios` lists them){hint}"),
                );
                continue;
            }
            Some(d) if d.dated => {
                p.at(
                    ps.key.span(),
                    &at,
                    "a dated table cannot be fitted; fit a plain number",
                );
                continue;
            }
            Some(d) => match d.allowed {
                Allowed::Number { min, max } => (
                    min.unwrap_or(f64::NEG_INFINITY),
                    max.unwrap_or(f64::INFINITY),
                ),
                _ => {
                    p.at(
                        ps.key.span(),
                        &at,
                        "not a real number (only numeric keys can be fitted)",
                    );
                    continue;
                }
            },
        };
        let (min, max) = (*ps.min.get_ref(), *ps.max.get_ref());
        let mut ok = true;
        if !(min.is_finite() && max.is_finite() && min < max) {
            p.at(
                ps.min.span(),
                &format!("parameters[{i}] ({key})"),
                format!("min = {min}, max = {max}: expected finite numbers with min < max"),
            );
            ok = false;
        } else if min < lo || max > hi {
            p.at(
                ps.min.span(),
                &format!("parameters[{i}] ({key})"),
                format!(
                    "range {min} to {max} leaves what the key allows ({} to {})",
                    lo, hi
                ),
            );
            ok = false;
        }
        let start = ps.start.as_ref().map(|s| (*s.get_ref(), s.span()));
        if let Some((s, span)) = &start {
            if ok && !(min..=max).contains(s) {
                p.at(
                    span.clone(),
                    &format!("parameters[{i}].start ({key})"),
                    format!("{s}: expected a value within min {min} and max {max}"),
                );
                ok = false;
            }
        }
        if ok {
            out.push(Parameter {
                key: key.to_string(),
                min,
                max,
                start: start.map(|s| s.0),
                line: p.line(&spec.span()),
            });
        }
    }
    out
}

pub(super) fn check_targets(
    specs: &[Spanned<TargetSpec>],
    parameters: &[Parameter],
    years: Option<(i32, i32)>,
    p: &mut Problems,
) -> Vec<Target> {
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let t = spec.get_ref();
        let here = format!("targets[{i}]");
        let track = match &t.track {
            Some(s) => match Track::ALL.iter().find(|k| k.name() == s.get_ref()) {
                Some(k) => Some(*k),
                None => {
                    p.at(
                        s.span(),
                        &format!("{here}.track"),
                        format!(
                            "{:?}: expected establishment, contract or temporary",
                            s.get_ref()
                        ),
                    );
                    continue;
                }
            },
            None => None,
        };
        let band = match &t.age_band {
            Some(s) => match AGE_BANDS.iter().position(|b| b == s.get_ref()) {
                Some(b) => Some(b),
                None => {
                    p.at(
                        s.span(),
                        &format!("{here}.age_band"),
                        format!(
                            "{:?}: expected one of {}",
                            s.get_ref(),
                            AGE_BANDS.join(", ")
                        ),
                    );
                    continue;
                }
            },
            None => None,
        };
        let year = t.year.as_ref().map(|y| (*y.get_ref(), y.span()));
        let moment = match Moment::parse(
            t.moment.get_ref(),
            track,
            band,
            year.as_ref().map(|y| y.0 as i32),
        ) {
            Ok(m) => m,
            Err(why) => {
                p.at(t.moment.span(), &format!("{here}.moment"), why);
                continue;
            }
        };
        if let (Some((y, span)), Some((a, b))) = (&year, years) {
            if !(a as i64..=b as i64).contains(y) {
                p.at(
                    span.clone(),
                    &format!("{here}.year"),
                    format!("{y}: outside the years measured, {a} to {b}"),
                );
            }
        }
        if moment == Moment::EstablishedShareTrend && years.is_some_and(|(a, b)| a == b) {
            p.at(
                t.moment.span(),
                &format!("{here}.moment"),
                "a trend needs `years` spanning at least two years",
            );
        }
        let value = *t.value.get_ref();
        let (lo, hi) = moment.range();
        if !value.is_finite() || value < lo || value > hi {
            p.at(
                t.value.span(),
                &format!("{here}.value ({})", moment.label()),
                format!(
                    "{value}: outside what the moment can take ({lo} to {hi}), so no parameter can reach it"
                ),
            );
        }
        let weight = match &t.weight {
            Some(w) if !(w.get_ref().is_finite() && *w.get_ref() > 0.0) => {
                p.at(
                    w.span(),
                    &format!("{here}.weight"),
                    format!("{}: expected a number above 0", w.get_ref()),
                );
                1.0
            }
            Some(w) => *w.get_ref(),
            None => 1.0,
        };
        let source = match &t.source {
            Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_string(),
            Some(s) => {
                p.at(
                    s.span(),
                    &format!("{here}.source"),
                    "is empty: name the publication the figure comes from",
                );
                String::new()
            }
            None => {
                p.at(
                    spec.span(),
                    &format!("{here}.source"),
                    format!(
                        "missing: every target ({}) needs the publication its figure comes from",
                        moment.label()
                    ),
                );
                String::new()
            }
        };
        if !parameters.is_empty() && !parameters.iter().any(|q| drives(&q.key, &moment)) {
            p.at(
                t.moment.span(),
                &format!("{here}.moment ({})", moment.label()),
                format!(
                    "no parameter of this file moves it, so no fit can reach {value}; \
                     fit one of: {}",
                    drivers(&moment)
                        .iter()
                        .map(|d| if d.ends_with('.') {
                            format!("{d}*")
                        } else {
                            d.clone()
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let name = t
            .name
            .as_ref()
            .map(|n| n.get_ref().clone())
            .unwrap_or_else(|| moment.label());
        if out.iter().any(|o: &Target| o.name == name) {
            p.at(
                spec.span(),
                &format!("{here}.name"),
                format!("{name:?} is given twice; give the targets different names"),
            );
        }
        out.push(Target {
            name,
            moment,
            value,
            weight,
            source,
            line: p.line(&spec.span()),
        });
    }
    out
}
