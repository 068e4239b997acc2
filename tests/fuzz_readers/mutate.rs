//! The inputs the readers are fuzzed with: the corpus of valid and bad files, and its
//! mutations (byte flips, insertions and deletions, truncation, duplicated and swapped lines,
//! renamed keys, huge and special numbers, deep nesting, long strings, stray quotes, BOMs, NULs,
//! line-ending changes) and fully random inputs, all from the fixed seed.

use crate::common::repo;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;

pub fn cases() -> usize {
    std::env::var("SISANDBOX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

pub fn seed() -> u64 {
    std::env::var("SISANDBOX_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_251_125)
}

/// The files of `dir` ending in `ext`, sorted, as bytes.
pub fn corpus(dirs: &[&str], ext: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(repo(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            out.push((f.file_name().unwrap().to_string_lossy().into_owned(), bytes));
        }
    }
    assert!(!out.is_empty(), "no {ext} files in {dirs:?}");
    out
}

pub const HUGE: &[&str] = &[
    "99999999999999999999999999",
    "-99999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "4294967296",
    "1e308",
    "-1e308",
    "1e-320",
    "nan",
    "inf",
    "-inf",
    "0",
    "-0.0",
    "-1",
    "0.000000001",
    "1000000000",
    "\"\"",
    "true",
    "[]",
    "{}",
    "9999-12",
    "0000-00",
    "\"9999-12\"",
    "\"1000-01\"",
];

const WORDS: &[&str] = &[
    "agents",
    "years",
    "seed",
    "start",
    "extends",
    "region",
    "regions",
    "universities",
    "from",
    "value",
    "name",
    "roster",
    "birth",
    "sex",
    "track",
    "monthly_wage",
    "contribution_months",
    "calc_base",
    "average_index",
    "retire",
    "scheme",
    "staff_share",
    "headcount_growth",
    "张三",
    "110101199003071234",
    "",
    " ",
    "a.b.c",
    "[[x]]",
    "\"",
    "'",
    "#",
    "=",
    ",",
    "\u{feff}",
    "\0",
    "\r\n",
];

/// One random mutation of `input`.
pub fn mutate(rng: &mut ChaCha8Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    let rounds = 1 + rng.random_range(0..4);
    for _ in 0..rounds {
        let len = b.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..len)
        };
        match rng.random_range(0..16) {
            // Flip bits of one byte.
            0 if len > 0 => b[at] ^= 1 << rng.random_range(0..8),
            // Replace a byte with a random one.
            1 if len > 0 => b[at] = rng.random(),
            // Insert a random byte, often a structural one.
            2 => {
                const S: &[u8] = b"[]{}=\",'#\n\r.\\-+0123456789 \t";
                let c = if rng.random_bool(0.7) {
                    S[rng.random_range(0..S.len())]
                } else {
                    rng.random()
                };
                b.insert(at, c);
            }
            // Delete a range.
            3 if len > 0 => {
                let end = (at + rng.random_range(1..64)).min(len);
                b.drain(at..end);
            }
            // Truncate.
            4 => b.truncate(at),
            // Duplicate a line, or swap two lines, or delete one.
            5..=7 => {
                let mut lines: Vec<Vec<u8>> =
                    b.split(|c| *c == b'\n').map(|l| l.to_vec()).collect();
                let n = lines.len();
                let i = rng.random_range(0..n);
                let j = rng.random_range(0..n);
                match rng.random_range(0..3) {
                    0 => {
                        let l = lines[i].clone();
                        lines.insert(j, l);
                    }
                    1 => lines.swap(i, j),
                    _ if n > 1 => {
                        lines.remove(i);
                    }
                    _ => {}
                }
                b = lines.join(&b'\n');
            }
            // Rename a key or a word: replace one identifier-like run with another word.
            8 | 9 => {
                let text = String::from_utf8_lossy(&b).into_owned();
                let spans: Vec<(usize, usize)> = word_spans(&text);
                if !spans.is_empty() {
                    let (s, e) = spans[rng.random_range(0..spans.len())];
                    let w = WORDS[rng.random_range(0..WORDS.len())];
                    let renamed = if rng.random_bool(0.5) {
                        w.to_string()
                    } else {
                        // A near miss: the same word with one letter changed.
                        let mut chars: Vec<char> = text[s..e].chars().collect();
                        let k = rng.random_range(0..chars.len());
                        chars[k] = (b'a' + rng.random_range(0..26u8)) as char;
                        chars.into_iter().collect()
                    };
                    b = format!("{}{}{}", &text[..s], renamed, &text[e..]).into_bytes();
                }
            }
            // Replace a number with a huge or special one.
            10 | 11 => {
                let text = String::from_utf8_lossy(&b).into_owned();
                let spans = number_spans(&text);
                if !spans.is_empty() {
                    let (s, e) = spans[rng.random_range(0..spans.len())];
                    let h = HUGE[rng.random_range(0..HUGE.len())];
                    b = format!("{}{}{}", &text[..s], h, &text[e..]).into_bytes();
                }
            }
            // Deep nesting.
            12 => {
                let depth = rng.random_range(50..5_000);
                let (open, close) = match rng.random_range(0..3) {
                    0 => ("[", "]"),
                    1 => ("{a=", "}"),
                    _ => ("\"", "\""),
                };
                let nest = format!("x = {}1{}\n", open.repeat(depth), close.repeat(depth));
                b.splice(line_start(&b, at)..line_start(&b, at), nest.into_bytes());
            }
            // A long string or a long line.
            13 => {
                let n = rng.random_range(1_000..200_000);
                let filler = if rng.random_bool(0.5) { "a" } else { "名" };
                let long = if rng.random_bool(0.5) {
                    format!("name = \"{}\"\n", filler.repeat(n))
                } else {
                    format!("{},\n", filler.repeat(n))
                };
                b.splice(line_start(&b, at)..line_start(&b, at), long.into_bytes());
            }
            // Line endings, BOM, NUL.
            14 => {
                b = match rng.random_range(0..3) {
                    0 => String::from_utf8_lossy(&b)
                        .replace('\n', "\r\n")
                        .into_bytes(),
                    1 => [&[0xEF, 0xBB, 0xBF][..], &b].concat(),
                    _ => {
                        b.insert(at, 0);
                        b
                    }
                }
            }
            // Many rows or many tables: repeat the whole input.
            _ => {
                let times = rng.random_range(2..40);
                b = b.repeat(times);
            }
        }
    }
    b
}

fn line_start(b: &[u8], at: usize) -> usize {
    b[..at.min(b.len())]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |p| p + 1)
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    spans(text, |c: char| c.is_ascii_alphabetic() || c == '_')
}

fn number_spans(text: &str) -> Vec<(usize, usize)> {
    spans(text, |c: char| c.is_ascii_digit() || c == '.' || c == '-')
        .into_iter()
        .filter(|(s, e)| text[*s..*e].bytes().any(|c| c.is_ascii_digit()))
        .collect()
}

fn spans(text: &str, part: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (part(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// A fully random input: random bytes, or random lines of words and structure.
fn random_input(rng: &mut ChaCha8Rng) -> Vec<u8> {
    if rng.random_bool(0.3) {
        let n = rng.random_range(0..512);
        return (0..n).map(|_| rng.random()).collect();
    }
    let mut out = String::new();
    for _ in 0..rng.random_range(0..30) {
        let k = WORDS[rng.random_range(0..WORDS.len())];
        let v = HUGE[rng.random_range(0..HUGE.len())];
        match rng.random_range(0..4) {
            0 => out.push_str(&format!("[{k}]\n")),
            1 => out.push_str(&format!("{k} = {v}\n")),
            2 => out.push_str(&format!("{k},{v},{k}\n")),
            _ => out.push_str(&format!("[[{k}]]\n{k} = \"{v}\"\n")),
        }
    }
    out.into_bytes()
}

/// The inputs of one reader: the seeds themselves, then mutations and random inputs.
pub fn inputs(seeds: &[(String, Vec<u8>)], n: usize, salt: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed() ^ salt);
    let mut out: Vec<(String, Vec<u8>)> = seeds.to_vec();
    for i in 0..n {
        if i % 10 == 9 {
            out.push((format!("random-{i}"), random_input(&mut rng)));
        } else {
            let (name, base) = &seeds[rng.random_range(0..seeds.len())];
            out.push((format!("{name}~{i}"), mutate(&mut rng, base)));
        }
    }
    out
}
