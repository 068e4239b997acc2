//! Loading a scenario: read the file and its `extends` chain, overlay them on the embedded
//! default, apply `--set` overrides, check the result against the catalog, deserialise it and
//! run the cross-field checks. The embedded default enters as the serialised
//! `Scenario::default()`, so no default is written twice, and every key not written keeps it.

use super::error::{Diagnostic, ScenarioError};
use super::merge::overlay;
use super::overrides;
use super::schema::Node;
use super::source::{self, parse_spanned, Origins, ReadError, SourceFile};
use super::validate::{check_document, region_references, show};
use super::{Issue, Scenario};
use std::path::{Path, PathBuf};

/// The longest `extends` chain followed (links from the file loaded to the last base).
pub const MAX_EXTENDS: usize = 16;

/// A validated scenario and where it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    /// Every file the scenario was read from, the last base first and the file loaded last
    /// (for `from_str`, the origin given stands for the text).
    pub files: Vec<PathBuf>,
}

/// Loads, merges, overrides and validates the scenario file at `path`.
pub fn load(path: &Path, overrides: &[String]) -> Result<Loaded, ScenarioError> {
    let top = SourceFile::read(path).map_err(|e| match e {
        ReadError::Io(e) => {
            let message = format!("cannot read scenario file: {e}");
            ScenarioError::Io(Box::new(Diagnostic {
                file: Some(path.to_path_buf()),
                ..Diagnostic::new(message)
            }))
        }
        ReadError::NotText(d) => ScenarioError::Syntax(d),
    })?;
    load_source(top, overrides)
}

/// Like [`load`] for text already in memory; `origin` names it in messages and is the
/// directory a relative `extends` starts from.
pub fn from_str(text: &str, origin: &str, overrides: &[String]) -> Result<Loaded, ScenarioError> {
    load_source(
        SourceFile {
            path: origin.into(),
            text: text.to_string(),
        },
        overrides,
    )
}

fn load_source(top: SourceFile, overrides: &[String]) -> Result<Loaded, ScenarioError> {
    let mut chain = read_chain(top)?;
    resolve_inherited_rosters(&mut chain);
    let files = chain.iter().map(|f| f.path.clone()).collect();
    let (mut doc, mut origins) = defaults_document()?;
    let mut problems = Vec::new();
    for f in chain {
        problems.extend(overlay(&mut doc, &mut origins, f.table, &f.origins));
    }
    if !problems.is_empty() {
        return Err(ScenarioError::Invalid(problems));
    }
    let scenario = validate(doc, origins, overrides)?;
    Ok(Loaded { scenario, files })
}

/// A roster path is relative to the file that names it, but runs resolve it from the folder of
/// the file loaded: a `simulation.roster` written in a base file of another folder is
/// rewritten here as the absolute path it means.
fn resolve_inherited_rosters(chain: &mut [ParsedFile]) {
    let Some((top, bases)) = chain.split_last_mut() else {
        return;
    };
    let folder = |p: &Path| {
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(dir).ok()
    };
    let top_dir = folder(&top.path);
    for f in bases {
        let Some(toml::Value::Table(sim)) = f.table.get_mut("simulation") else {
            continue;
        };
        let Some(toml::Value::String(roster)) = sim.get_mut("roster") else {
            continue;
        };
        let base_dir = folder(&f.path);
        if Path::new(roster.as_str()).is_relative() && base_dir != top_dir {
            if let Some(dir) = base_dir {
                *roster = dir.join(roster.as_str()).display().to_string();
            }
        }
    }
}

/// The embedded default as a TOML document: the base under every scenario.
fn defaults_document() -> Result<(toml::Table, Origins), ScenarioError> {
    match toml::Value::try_from(Scenario::default()) {
        Ok(toml::Value::Table(t)) => Ok((t, Origins::default())),
        other => {
            let why = other.err().map(|e| e.to_string()).unwrap_or_default();
            let d = Diagnostic::new(format!(
                "internal error: the default scenario does not serialise: {why}"
            ));
            Err(ScenarioError::Invalid(vec![d]))
        }
    }
}

/// One parsed file of an `extends` chain.
struct ParsedFile {
    path: PathBuf,
    table: toml::Table,
    origins: Origins,
}

/// The file and its bases, the last base first.
fn read_chain(top: SourceFile) -> Result<Vec<ParsedFile>, ScenarioError> {
    let mut chain: Vec<ParsedFile> = Vec::new();
    let mut seen = vec![identity(&top.path)];
    let mut file = top;
    loop {
        let (table, origins) = source::parse_file(&file).map_err(ScenarioError::Syntax)?;
        let base = base_of(&file.path, &table, &origins)?;
        chain.push(ParsedFile {
            path: file.path,
            table,
            origins,
        });
        let Some(base) = base else { break };
        let here = &chain[chain.len() - 1];
        let fail = |message: String| {
            let value = here.table.get("extends").map(show);
            here.origins.diagnose("extends", value, message)
        };
        if chain.len() > MAX_EXTENDS {
            let message = format!("the extends chain is deeper than {MAX_EXTENDS} files");
            return Err(ScenarioError::Invalid(vec![fail(message)]));
        }
        if seen.contains(&identity(&base)) {
            let mut names: Vec<String> =
                chain.iter().map(|f| f.path.display().to_string()).collect();
            names.push(base.display().to_string());
            let message = format!("extends cycle: {}", names.join(" -> "));
            return Err(ScenarioError::Invalid(vec![fail(message)]));
        }
        seen.push(identity(&base));
        file = SourceFile::read(&base).map_err(|e| match e {
            ReadError::Io(e) => {
                let message = format!("cannot read base scenario {}: {e}", base.display());
                ScenarioError::Io(Box::new(fail(message)))
            }
            ReadError::NotText(d) => ScenarioError::Syntax(d),
        })?;
    }
    chain.reverse();
    Ok(chain)
}

/// The base file named by `extends`, relative to the file that names it.
fn base_of(
    path: &Path,
    table: &toml::Table,
    origins: &Origins,
) -> Result<Option<PathBuf>, ScenarioError> {
    match table.get("extends") {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(path.parent().unwrap_or(Path::new("")).join(s))),
        Some(v) => {
            let d = origins.diagnose(
                "extends",
                Some(show(v)),
                "expected the path of a base scenario file",
            );
            Err(ScenarioError::Invalid(vec![d]))
        }
    }
}

/// A file's identity for cycle detection.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Overrides, catalog checks, deserialisation and cross-field checks, all problems together.
fn validate(
    mut doc: toml::Table,
    mut origins: Origins,
    overrides: &[String],
) -> Result<Scenario, ScenarioError> {
    let docs = Scenario::key_docs();
    let root = Node::from_docs(&docs);
    let mut blocking: Vec<Diagnostic> = overrides
        .iter()
        .filter_map(|o| overrides::apply(&mut doc, &mut origins, &root, &docs, o).err())
        .map(|d| *d)
        .collect();
    let found = check_document(&root, &doc, &docs, &origins);
    blocking.extend(found.blocking);
    let mut problems = found.other;
    if !blocking.is_empty() {
        blocking.extend(problems);
        return Err(invalid(blocking));
    }
    let scenario = match deserialize(&doc, &origins) {
        Ok(s) => s,
        Err(d) if problems.is_empty() => return Err(ScenarioError::Invalid(vec![*d])),
        Err(_) => return Err(invalid(problems)),
    };
    problems.extend(scenario.check().iter().map(|i| issue(i, &doc, &origins)));
    problems.extend(region_references(&doc, &origins));
    dedupe(&mut problems);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(invalid(problems))
    }
}

/// Deserialises the merged document. Serde's error carries a span into the rendered document
/// only, so the span is turned back into a key path, and the path into where it was written.
fn deserialize(doc: &toml::Table, origins: &Origins) -> Result<Scenario, Box<Diagnostic>> {
    let text = toml::to_string(doc).map_err(|e| {
        Box::new(Diagnostic::new(format!(
            "cannot render the merged scenario: {e}"
        )))
    })?;
    toml::from_str::<Scenario>(&text).map_err(|e| {
        let path = e.span().and_then(|s| path_at(&text, s.start));
        Box::new(match path {
            Some(p) => origins.diagnose(&p, scalar_at(doc, &p).map(show), e.message()),
            None => Diagnostic::new(e.message()),
        })
    })
}

/// The innermost key path of `text` whose key or value covers byte `offset`.
fn path_at(text: &str, offset: usize) -> Option<String> {
    let spanned = parse_spanned(text).ok()?;
    let covers = |r: &std::ops::Range<usize>| r.start <= offset && offset <= r.end;
    spanned
        .spans
        .into_iter()
        .filter(|(_, s)| covers(&s.key) || covers(&s.value))
        .min_by_key(|(p, s)| (s.value.len(), std::cmp::Reverse(p.len())))
        .map(|(p, _)| p)
}

/// The value at a key path, when it is a single value (not a table or list).
fn scalar_at<'a>(doc: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut segments = overrides::parse_path(path).ok()?.into_iter();
    let overrides::Segment::Key(first) = segments.next()? else {
        return None;
    };
    let mut v = doc.get(&first)?;
    for s in segments {
        v = match s {
            overrides::Segment::Key(k) => v.get(k.as_str())?,
            overrides::Segment::Index(i) => v.get(i)?,
        };
    }
    (!v.is_table() && !v.is_array()).then_some(v)
}

fn issue(i: &Issue, doc: &toml::Table, origins: &Origins) -> Diagnostic {
    origins.diagnose(
        &i.path,
        scalar_at(doc, &i.path).map(show),
        i.message.clone(),
    )
}

/// The problems in the order a reader meets them: by file and position, overrides and
/// defaults last.
fn invalid(mut problems: Vec<Diagnostic>) -> ScenarioError {
    problems.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.file.is_none(), d.file.clone(), d.line, d.column);
        key(a).cmp(&key(b))
    });
    ScenarioError::Invalid(problems)
}

fn dedupe(problems: &mut Vec<Diagnostic>) {
    // Keyed by the rendered message (equal diagnostics render equally), so that a file with
    // many bad entries is not checked pair by pair.
    let mut seen = std::collections::HashSet::new();
    problems.retain(|d| seen.insert(d.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, overrides: &[&str]) -> String {
        let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        from_str(text, "x.toml", &o).unwrap_err().to_string()
    }

    #[test]
    fn empty_text_is_the_default_scenario() {
        let loaded = from_str("", "empty.toml", &[]).unwrap();
        assert_eq!(loaded.scenario, Scenario::default());
        assert_eq!(loaded.files, [PathBuf::from("empty.toml")]);
    }

    #[test]
    fn serde_errors_come_back_with_key_and_place() {
        // A region without its required keys passes the catalog walk and fails in serde.
        let e = err("[[regions]]\nname = \"x\"\n", &[]);
        assert!(
            e.starts_with("x.toml:1:1: regions[0]: missing field"),
            "{e}"
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let e = err(
            "[careers]\nmove_share = 2\nconversion_rate = -1\n",
            &["simulation.years=0"],
        );
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 3, "{e}");
        assert!(
            lines[0].starts_with("x.toml:2:1: careers.move_share = 2"),
            "{e}"
        );
        assert!(
            lines[1].starts_with("x.toml:3:1: careers.conversion_rate = -1"),
            "{e}"
        );
        assert!(
            e.contains(
                "--set simulation.years=0: simulation.years = 0: expected a whole number 1 to 100"
            ),
            "{e}"
        );
    }

    #[test]
    fn defaults_problems_say_default() {
        let e = err("[population.tracks]\ncontract = 0.5\n", &[]);
        assert!(
            e.contains("x.toml:1:13: population.tracks: track shares must add up to 1"),
            "{e}"
        );
        let e = err("", &["regions[6].name=x"]);
        assert!(
            e.contains("index 6 is out of range: `regions` has 6 items"),
            "{e}"
        );
    }

    #[test]
    fn path_at_finds_the_innermost_key() {
        let text = "[a]\nb = { c = 1 }\n";
        assert_eq!(path_at(text, 11).as_deref(), Some("a.b.c"));
        assert_eq!(path_at(text, 4).as_deref(), Some("a.b"));
    }
}
