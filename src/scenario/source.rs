//! Reading one scenario file: parse it with toml_edit (which keeps byte spans), convert it to a
//! plain `toml::Table` for merging and deserialising, and remember for every key path where it
//! was written. The spans are what lets every later error say file:line:column even though the
//! checks run on the merged, span-less document.

use super::error::Diagnostic;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A file's text and the name it is reported under.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// Reads a file; bytes that are not UTF-8 are a syntax error at the first bad byte.
    pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
        let bytes = crate::input::read_bounded(path, crate::input::MAX_CONFIG_BYTES)
            .map_err(ReadError::Io)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile {
                path: path.to_path_buf(),
                text,
            }),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let prefix = String::from_utf8_lossy(valid);
                let (line, column) = line_col(&prefix, prefix.len());
                let d = Diagnostic::new("not UTF-8 text").at(path, line, column);
                Err(ReadError::NotText(Box::new(d)))
            }
        }
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    NotText(Box<Diagnostic>),
}

/// Where a value of the merged document was written.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    File {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// The text of the `--set` override.
    Set(String),
}

impl Origin {
    /// Puts this location on a diagnostic.
    pub fn locate(&self, d: Diagnostic) -> Diagnostic {
        match self {
            Origin::File { path, line, column } => d.at(path, *line, *column),
            Origin::Set(text) => d.from_origin(format!("--set {text}")),
        }
    }
}

/// Key path (`a.b[2].c`) → where it was written. Paths absent here came from the defaults.
#[derive(Clone, Debug, Default)]
pub struct Origins(BTreeMap<String, Origin>);

impl Origins {
    pub fn insert(&mut self, path: String, origin: Origin) {
        self.0.insert(path, origin);
    }

    pub fn get(&self, path: &str) -> Option<&Origin> {
        self.0.get(path)
    }

    /// Forgets everything at or below `path` and takes what `other` has there (a value was
    /// replaced whole by an overlay).
    pub fn replace_subtree(&mut self, path: &str, other: &Origins) {
        self.forget_subtree(path);
        for (k, o) in other.subtree(path) {
            self.0.insert(k.clone(), o.clone());
        }
    }

    /// [`Origins::replace_subtree`] for a value written at `other_path` and merged at `path`
    /// (an item of a list written by index: `a.b.2` in the file, `a.b[2]` in the document).
    pub fn replace_subtree_from(&mut self, path: &str, other: &Origins, other_path: &str) {
        self.forget_subtree(path);
        for (k, o) in other.subtree(other_path) {
            let rest = &k[other_path.len()..];
            self.0.insert(format!("{path}{rest}"), o.clone());
        }
    }

    /// Forgets everything at or below `path` and records `origin` for it (an override).
    pub fn set_subtree(&mut self, path: &str, origin: Origin) {
        self.forget_subtree(path);
        self.0.insert(path.to_string(), origin);
    }

    /// The entries at or below `path`. Every key below `path` starts with it, so they lie in
    /// one range of the sorted map: the cost is that of the subtree, not of the whole map
    /// (a scenario may hold hundreds of thousands of dated entries).
    fn subtree<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (&'a String, &'a Origin)> {
        self.0
            .range::<str, _>((std::ops::Bound::Included(path), std::ops::Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(path))
            .filter(move |(k, _)| is_under(k, path))
    }

    fn forget_subtree(&mut self, path: &str) {
        let doomed: Vec<String> = self.subtree(path).map(|(k, _)| k.clone()).collect();
        for k in doomed {
            self.0.remove(&k);
        }
    }

    /// Where `path` was written: the key itself, else the first key written below it (a table
    /// given key by key), else the nearest enclosing key (a list replaced whole).
    pub fn locate<'a>(&'a self, path: &'a str) -> Option<&'a Origin> {
        if let Some(o) = self.0.get(path) {
            return Some(o);
        }
        let below = self.subtree(path).map(|(_, o)| o);
        below
            .min_by_key(|o| position_key(o))
            .or_else(|| self.enclosing(path))
    }

    fn enclosing<'a>(&'a self, path: &'a str) -> Option<&'a Origin> {
        let mut p = path;
        while let Some(cut) = p.rfind(['.', '[']) {
            p = &p[..cut];
            if let Some(o) = self.0.get(p) {
                return Some(o);
            }
        }
        None
    }

    /// A diagnostic about `path`, located where it was written, or at `default`.
    pub fn diagnose(
        &self,
        path: &str,
        value: Option<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::new(message).with_key(path).with_value(value);
        match self.locate(path) {
            Some(o) => o.locate(d),
            None => d.from_origin("default"),
        }
    }
}

fn position_key(o: &Origin) -> (usize, usize) {
    match o {
        Origin::File { line, column, .. } => (*line, *column),
        Origin::Set(_) => (usize::MAX, 0),
    }
}

/// Whether key path `k` is `path` or lies below it.
pub fn is_under(k: &str, path: &str) -> bool {
    path.is_empty()
        || k.strip_prefix(path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// `path.key`, or `key` at the root.
pub fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `path[i]`.
pub fn item_path(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
}

/// Where each line of a text starts, so that locating many offsets costs a binary search each
/// instead of a scan from the start of the text (which made loading quadratic in file size).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset of `text` (the text indexed).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// The spans of one key path: its key (or list item) and its whole value.
#[derive(Clone, Debug)]
pub struct Spans {
    pub key: Range<usize>,
    pub value: Range<usize>,
}

/// A parsed document with the spans of its key paths.
pub struct Spanned {
    pub table: toml::Table,
    pub spans: BTreeMap<String, Spans>,
}

/// Parses TOML text, keeping spans.
pub fn parse_spanned(text: &str) -> Result<Spanned, toml_edit::TomlError> {
    let doc = toml_edit::Document::parse(text)?;
    let mut w = Converter {
        spans: BTreeMap::new(),
    };
    let table = w.table(doc.as_table(), "");
    Ok(Spanned {
        table,
        spans: w.spans,
    })
}

/// Parses a file into its table and the origin of each key path.
pub fn parse_file(file: &SourceFile) -> Result<(toml::Table, Origins), Box<Diagnostic>> {
    let parsed = parse_spanned(&file.text).map_err(|e| {
        let (line, column) = line_col(&file.text, e.span().map_or(0, |s| s.start));
        let d = Diagnostic::new(format!("invalid TOML: {}", e.message()));
        Box::new(d.at(&file.path, line, column))
    })?;
    let mut origins = Origins::default();
    let lines = LineIndex::new(&file.text);
    for (path, spans) in parsed.spans {
        let (line, column) = lines.line_col(&file.text, spans.key.start);
        origins.insert(
            path,
            Origin::File {
                path: file.path.clone(),
                line,
                column,
            },
        );
    }
    Ok((parsed.table, origins))
}

/// toml_edit → toml conversion that records spans on the way.
struct Converter {
    spans: BTreeMap<String, Spans>,
}

impl Converter {
    fn record(&mut self, path: &str, key: Option<Range<usize>>, value: Option<Range<usize>>) {
        if let Some(key) = key.or_else(|| value.clone()) {
            let value = value.unwrap_or_else(|| key.clone());
            self.spans.insert(path.to_string(), Spans { key, value });
        }
    }

    fn table(&mut self, t: &toml_edit::Table, path: &str) -> toml::Table {
        let mut out = toml::Table::new();
        for (k, item) in t.iter() {
            let p = child_path(path, k);
            self.record(&p, t.key(k).and_then(|k| k.span()), item.span());
            if let Some(v) = self.item(item, &p) {
                out.insert(k.to_string(), v);
            }
        }
        out
    }

    fn item(&mut self, item: &toml_edit::Item, path: &str) -> Option<toml::Value> {
        use toml_edit::Item;
        match item {
            Item::None => None,
            Item::Value(v) => Some(self.value(v, path)),
            Item::Table(t) => Some(toml::Value::Table(self.table(t, path))),
            Item::ArrayOfTables(a) => {
                let mut items = Vec::with_capacity(a.len());
                for (i, t) in a.iter().enumerate() {
                    let p = item_path(path, i);
                    self.record(&p, t.span(), t.span());
                    items.push(toml::Value::Table(self.table(t, &p)));
                }
                Some(toml::Value::Array(items))
            }
        }
    }

    fn value(&mut self, v: &toml_edit::Value, path: &str) -> toml::Value {
        use toml_edit::Value as E;
        match v {
            E::String(s) => toml::Value::String(s.value().clone()),
            E::Integer(i) => toml::Value::Integer(*i.value()),
            E::Float(f) => toml::Value::Float(*f.value()),
            E::Boolean(b) => toml::Value::Boolean(*b.value()),
            E::Datetime(d) => toml::Value::Datetime(*d.value()),
            E::Array(a) => {
                let mut items = Vec::with_capacity(a.len());
                for (i, x) in a.iter().enumerate() {
                    let p = item_path(path, i);
                    self.record(&p, x.span(), x.span());
                    items.push(self.value(x, &p));
                }
                toml::Value::Array(items)
            }
            E::InlineTable(t) => {
                let mut out = toml::Table::new();
                for (k, x) in t.iter() {
                    let p = child_path(path, k);
                    self.record(&p, t.key(k).and_then(|k| k.span()), x.span());
                    out.insert(k.to_string(), self.value(x, &p));
                }
                toml::Value::Table(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "x.toml".into(),
            text: text.into(),
        }
    }

    fn at(o: Option<&Origin>) -> (usize, usize) {
        match o {
            Some(Origin::File { line, column, .. }) => (*line, *column),
            other => panic!("not in a file: {other:?}"),
        }
    }

    #[test]
    fn origins_point_at_keys_items_and_inline_keys() {
        let text = "[careers]\nquit_rate.contract = 0.1\n\n[[regions]]\nname = \"a\"\nx = [{ from = 2020, value = 1 }]\n";
        let (table, origins) = parse_file(&file(text)).unwrap();
        assert_eq!(
            table["careers"]["quit_rate"]["contract"].as_float(),
            Some(0.1)
        );
        assert_eq!(at(origins.get("careers.quit_rate.contract")), (2, 11));
        assert_eq!(at(origins.get("regions[0]")), (4, 1));
        assert_eq!(at(origins.get("regions[0].x[0].value")), (6, 21));
        assert_eq!(at(origins.locate("regions[0].x[0]")), (6, 6));
        assert_eq!(
            at(origins.locate("regions[0].nothing")),
            (4, 1),
            "enclosing item"
        );
        assert!(origins.locate("simulation").is_none());
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let d = parse_file(&file("a = 1\nb = \n")).unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(5)));
        assert!(d.message.starts_with("invalid TOML: "), "{d}");
    }

    #[test]
    fn replace_subtree_swaps_origins_below_a_path_only() {
        let (_, mut base) = parse_file(&file("a.b = 1\na.bc = 2\nc = 3\n")).unwrap();
        let (_, top) = parse_file(&file("\n\na.b = 4\n")).unwrap();
        base.replace_subtree("a.b", &top);
        assert_eq!(at(base.get("a.b")), (3, 3));
        assert_eq!(at(base.get("a.bc")), (2, 3));
        base.set_subtree("a", Origin::Set("a=1".into()));
        assert!(base.get("a.bc").is_none());
        assert_eq!(base.get("a"), Some(&Origin::Set("a=1".into())));
    }

    #[test]
    fn line_col_counts_characters_and_survives_bad_offsets() {
        assert_eq!(line_col("ab\n计算x", 9), (2, 3));
        assert_eq!(line_col("计", 1), (1, 1));
        assert_eq!(line_col("", 99), (1, 1));
    }
}
