//! The project cites only what its users have: its own files and the official documents
//! themselves. No text file of the repository may point at a file outside it, and every
//! `docs/RULES.md §N` or `docs/RULES-EXAMPLES.md EN` reference must name a section or example
//! that exists, so a reader can always follow a citation.

use std::fs;
use std::path::{Path, PathBuf};

/// Text that would point outside the repository. Built with `concat!` so that this file does
/// not contain the strings it looks for.
const FORBIDDEN: &[&str] = &[
    concat!("DOMAIN", ".md"),
    concat!("..", "/shared"),
    concat!("/wo", "rk/"),
];

/// Files still citing an outside file, being rewritten to cite docs/RULES.md and the official
/// documents. PENDING: remove each entry as soon as its file is fixed; the list must end empty.
const PENDING_EXEMPT: &[&str] = &[];

/// What is scanned: the top-level documents and every folder of sources, docs and inputs.
/// (results/ holds run outputs; only its README is part of the repository.)
const TOP_FILES: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "Cargo.toml",
    "results/README.md",
];
const DIRS: &[&str] = &[
    "src",
    "docs",
    "scenarios",
    "tests",
    "scripts",
    "benches",
    "gui",
    "risk",
    ".ci",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, skipping build output (`target`) and hidden folders, in path order.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if name != "target" && !name.starts_with('.') {
                walk(&p, out);
            }
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The repository's text files (files that are not UTF-8, such as images and fonts, are
/// skipped), each with its path relative to the root, using `/`.
fn text_files() -> Vec<(String, String)> {
    let root = root();
    let mut paths: Vec<PathBuf> = TOP_FILES.iter().map(|f| root.join(f)).collect();
    for d in DIRS {
        walk(&root.join(d), &mut paths);
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(fs::read(&p).ok()?).ok()?;
            let rel = p
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, text))
        })
        .collect()
}

#[test]
fn no_file_cites_anything_outside_the_repository() {
    let files = text_files();
    assert!(
        files.iter().any(|(p, _)| p == "docs/RULES.md"),
        "the scan must see docs/RULES.md; it saw {} files",
        files.len()
    );
    let mut found = Vec::new();
    for (path, text) in &files {
        if PENDING_EXEMPT.contains(&path.as_str()) {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            for needle in FORBIDDEN {
                if line.contains(needle) {
                    found.push(format!("{path}:{}: contains `{needle}`: {line}", n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite docs/RULES.md (its section) or the official document itself (number, title, \
         date) instead:\n{}",
        found.join("\n")
    );
}

/// The `§` numbers of the headings of a rules file, e.g. "3" and "3.1".
fn sections(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.split_once('§').map(|(_, rest)| number(rest)))
        .filter(|n| !n.is_empty())
        .collect()
}

/// The leading section number of `s` ("5.1–5.2" → "5.1", "6.3." → "6.3").
fn number(s: &str) -> String {
    let n: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    n.trim_end_matches('.').to_string()
}

#[test]
fn every_rules_reference_names_an_existing_section_or_example() {
    let files = text_files();
    let read = |p: &str| {
        files
            .iter()
            .find(|(f, _)| f == p)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("{p} is missing"))
    };
    let rules = sections(&read("docs/RULES.md"));
    for n in 0..=9 {
        assert!(rules.contains(&n.to_string()), "docs/RULES.md has no §{n}");
    }
    let examples: Vec<String> = read("docs/RULES-EXAMPLES.md")
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split(':').next().map(str::to_string))
        .collect();
    let mut broken = Vec::new();
    for (path, text) in &files {
        for (n, line) in text.lines().enumerate() {
            for (i, m) in line.match_indices("docs/RULES.md §") {
                let sec = number(&line[i + m.len()..]);
                // An empty number is the placeholder `§N` of prose about citations.
                if !sec.is_empty() && !rules.contains(&sec) {
                    broken.push(format!("{path}:{}: docs/RULES.md §{sec}", n + 1));
                }
            }
            for (i, m) in line.match_indices("docs/RULES-EXAMPLES.md E") {
                let after = &line[i + m.len()..];
                let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                let id = format!("E{digits}");
                if !digits.is_empty() && !examples.contains(&id) {
                    broken.push(format!("{path}:{}: docs/RULES-EXAMPLES.md {id}", n + 1));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "references to sections or examples that do not exist:\n{}",
        broken.join("\n")
    );
}
