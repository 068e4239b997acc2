//! One scenario open in the editor: its TOML text, where it lives, whether it is saved, and
//! what the core's loader says about the text right now. Validation is always
//! `sisandbox::scenario::from_str` on the text in memory, so unsaved edits are checked exactly
//! as the CLI would check the saved file.

use sisandbox::scenario::overrides::{parse_path, Segment};
use sisandbox::scenario::{self, Diagnostic, Scenario, ScenarioError};
use std::path::{Path, PathBuf};

/// Stable identity of an open scenario (positions in the list change when one closes).
pub type DocId = u64;

/// What the loader says about the current text.
#[derive(Clone, Debug)]
pub enum Check {
    /// A valid scenario, and the same as a TOML table (for looking up effective values).
    Valid {
        scenario: Box<Scenario>,
        effective: toml::Table,
    },
    /// Every problem, with file, line and key where the loader knows them.
    Invalid(Vec<Diagnostic>),
}

#[derive(Clone, Debug)]
pub struct ScenarioDoc {
    pub id: DocId,
    /// Where the text is saved (and the origin `extends` is resolved from). A new scenario gets
    /// a proposed path before it is first saved.
    pub path: PathBuf,
    /// Whether `path` exists with this document's last saved text.
    pub on_disk: bool,
    /// Whether `path` is only a proposal (a new scenario): saving asks where first.
    pub needs_path: bool,
    pub text: String,
    saved_text: String,
    pub check: Check,
    /// The open scenario this one was created from, for the diff view.
    pub base: Option<DocId>,
    /// The resolved scenario of the last text that validated, so the form keeps showing
    /// values while the text has a problem.
    last_effective: Option<toml::Table>,
    /// The text as a plain TOML table (only the keys it writes), when it parses: the form shows
    /// a key's written value, even an invalid one, so the entry can be seen and corrected.
    written: Option<toml::Table>,
}

impl ScenarioDoc {
    /// A document for `text` at `path`; `on_disk` when the text is what the file holds.
    pub fn new(id: DocId, path: PathBuf, text: String, on_disk: bool) -> Self {
        let saved_text = if on_disk { text.clone() } else { String::new() };
        let check = validate(&text, &path);
        let mut doc = ScenarioDoc {
            id,
            path,
            on_disk,
            needs_path: false,
            text,
            saved_text,
            check,
            base: None,
            last_effective: None,
            written: None,
        };
        doc.remember();
        doc
    }

    /// Reads a scenario file. A file that cannot be read is an error; a file that reads but
    /// does not validate opens with its problems shown.
    pub fn open(id: DocId, path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read scenario file: {e}", path.display()))?;
        Ok(ScenarioDoc::new(id, path.to_path_buf(), text, true))
    }

    /// The scenario's name: the validated `name`, else the file stem.
    pub fn label(&self) -> String {
        match &self.check {
            Check::Valid { scenario, .. } => scenario.name.clone(),
            Check::Invalid(_) => self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".into()),
        }
    }

    pub fn is_dirty(&self) -> bool {
        !self.on_disk || self.text != self.saved_text
    }

    pub fn scenario(&self) -> Option<&Scenario> {
        match &self.check {
            Check::Valid { scenario, .. } => Some(scenario),
            Check::Invalid(_) => None,
        }
    }

    pub fn effective(&self) -> Option<&toml::Table> {
        match &self.check {
            Check::Valid { effective, .. } => Some(effective),
            Check::Invalid(_) => None,
        }
    }

    /// The resolved values to show in the form: the current ones, or the last valid ones.
    pub fn shown(&self) -> Option<&toml::Table> {
        self.effective().or(self.last_effective.as_ref())
    }

    /// The value the form shows at a key path: what the text writes there, else the resolved
    /// value (from a base or the defaults), else the last resolved value.
    pub fn value_at(&self, path: &str) -> Option<&toml::Value> {
        self.written
            .as_ref()
            .and_then(|w| lookup(w, path))
            .or_else(|| self.shown().and_then(|e| lookup(e, path)))
    }

    /// Whether the text itself writes a value at this key path (rather than inheriting it).
    pub fn writes(&self, path: &str) -> bool {
        self.written
            .as_ref()
            .is_some_and(|w| lookup(w, path).is_some())
    }

    fn remember(&mut self) {
        if let Check::Valid { effective, .. } = &self.check {
            self.last_effective = Some(effective.clone());
        }
        self.written = toml::from_str(&self.text).ok();
    }

    /// The file this scenario `extends`, resolved against its folder, when the text names one.
    pub fn extends_path(&self) -> Option<PathBuf> {
        let name = self.written.as_ref()?.get("extends")?.as_str()?;
        let dir = self.path.parent().unwrap_or(Path::new(""));
        Some(dir.join(name))
    }

    /// Validates the text again, for when a file it `extends` may have changed on disk.
    pub fn revalidate(&mut self) {
        self.check = validate(&self.text, &self.path);
        self.remember();
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.check {
            Check::Valid { .. } => &[],
            Check::Invalid(d) => d,
        }
    }

    /// Replaces the text and validates it.
    pub fn set_text(&mut self, text: String) {
        if text != self.text {
            self.text = text;
            self.check = validate(&self.text, &self.path);
            self.remember();
        }
    }

    /// Writes `value` at a key path (`careers.quit_rate.contract`, `universities[1].region`)
    /// into the text, keeping comments and layout. An item of a list the file does not write
    /// itself is written as an item overlay (`[universities.1]` with `region = …`), so only
    /// that change enters the file and the other items keep coming from the base; a list the
    /// file writes whole is edited in place.
    pub fn set_value(&mut self, path: &str, value: toml::Value) -> Result<(), String> {
        let mut doc: toml_edit::DocumentMut = self
            .text
            .parse()
            .map_err(|e| format!("the TOML text does not parse: {e}"))?;
        let segments = parse_path(path)?;
        let effective = self.shown().cloned();
        set_in(doc.as_item_mut(), &segments, &value, effective.as_ref(), "")?;
        self.set_text(doc.to_string());
        Ok(())
    }

    /// Removes a key from the text, so the base's (or the default) value applies again. A key
    /// of a list item written as an item overlay removes just that key (and the item's table
    /// when nothing is left in it); a key inside a list the file writes whole removes the whole
    /// list, since that list replaces the base's.
    pub fn remove_key(&mut self, path: &str) -> Result<(), String> {
        let mut doc: toml_edit::DocumentMut = self
            .text
            .parse()
            .map_err(|e| format!("the TOML text does not parse: {e}"))?;
        let segments = parse_path(path)?;
        // The keys as the text writes them: an index into an item overlay is a key; the walk
        // stops at a list the text writes whole.
        let mut keys: Vec<String> = Vec::new();
        let mut first_index = None;
        {
            let mut item: Option<&toml_edit::Item> = Some(doc.as_item());
            for s in &segments {
                let key = match s {
                    Segment::Key(k) => k.clone(),
                    Segment::Index(i) => {
                        if !item.is_some_and(|x| x.is_table_like()) {
                            break;
                        }
                        first_index.get_or_insert(keys.len());
                        i.to_string()
                    }
                };
                item = item.and_then(|x| x.get(&key));
                keys.push(key);
            }
        }
        let Some((last, parents)) = keys.split_last() else {
            return Ok(());
        };
        if let Some(t) = item_at(doc.as_item_mut(), parents).and_then(|i| i.as_table_like_mut()) {
            t.remove(last);
        }
        // Tables of an item overlay left empty go too, up to the list's own
        // (`[careers.academic.1]`, then `careers.academic` when it holds nothing else).
        if let Some(p) = first_index {
            for d in (p.saturating_sub(1)..parents.len()).rev() {
                let empty = item_at(doc.as_item_mut(), &keys[..=d])
                    .and_then(|i| i.as_table_like())
                    .is_some_and(|t| t.is_empty());
                if let (true, Some(t)) = (
                    empty,
                    item_at(doc.as_item_mut(), &keys[..d]).and_then(|i| i.as_table_like_mut()),
                ) {
                    t.remove(&keys[d]);
                }
            }
        }
        self.set_text(doc.to_string());
        Ok(())
    }

    /// Saves to `path` (atomically, through the core's writer) and makes it the document's path.
    pub fn save_to(&mut self, path: &Path) -> Result<(), String> {
        let text = self.text.clone();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "{}: cannot create the folder {}: {e}",
                    path.display(),
                    dir.display()
                )
            })?;
        }
        // The message names the file asked for, never the temporary file beside it.
        sisandbox::output::write_atomic(path, |w| w.write_all(text.as_bytes())).map_err(
            |e| match e {
                sisandbox::output::OutputError::Io { error, .. } => {
                    format!("{}: cannot save: {error}", path.display())
                }
                other => format!("{}: {other}", path.display()),
            },
        )?;
        self.needs_path = false;
        if path != self.path {
            self.path = path.to_path_buf();
            self.check = validate(&self.text, &self.path);
            self.remember();
        }
        self.saved_text = text;
        self.on_disk = true;
        Ok(())
    }
}

/// Validates text with the core loader, naming it by `path`.
pub fn validate(text: &str, path: &Path) -> Check {
    match scenario::from_str(text, &path.to_string_lossy(), &[]) {
        Ok(loaded) => match toml::Value::try_from(&loaded.scenario) {
            Ok(toml::Value::Table(effective)) => Check::Valid {
                scenario: Box::new(loaded.scenario),
                effective,
            },
            _ => Check::Invalid(vec![Diagnostic::new(
                "internal error: the scenario does not serialise",
            )]),
        },
        Err(e) => Check::Invalid(diagnostics_of(e)),
    }
}

fn diagnostics_of(e: ScenarioError) -> Vec<Diagnostic> {
    e.diagnostics().to_vec()
}

/// The item at a path of keys in a TOML document.
fn item_at<'a>(
    mut item: &'a mut toml_edit::Item,
    keys: &[String],
) -> Option<&'a mut toml_edit::Item> {
    for k in keys {
        item = item.get_mut(k.as_str())?;
    }
    Some(item)
}

/// The value at a key path of a TOML table.
pub fn lookup<'a>(table: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut segments = parse_path(path).ok()?.into_iter();
    let Segment::Key(first) = segments.next()? else {
        return None;
    };
    let mut v = table.get(&first)?;
    for s in segments {
        v = match s {
            Segment::Key(k) => v.get(k.as_str())?,
            // An item overlay writes the item under its index as a key.
            Segment::Index(i) => v.get(i).or_else(|| v.get(i.to_string().as_str()))?,
        };
    }
    Some(v)
}

fn edit_value(v: &toml::Value) -> Result<toml_edit::Value, String> {
    v.to_string()
        .parse::<toml_edit::Value>()
        .map_err(|e| format!("cannot write {v}: {e}"))
}

fn join(prefix: &str, seg: &Segment) -> String {
    match seg {
        Segment::Key(k) if prefix.is_empty() => k.clone(),
        Segment::Key(k) => format!("{prefix}.{k}"),
        Segment::Index(i) => format!("{prefix}[{i}]"),
    }
}

fn set_in(
    item: &mut toml_edit::Item,
    segments: &[Segment],
    value: &toml::Value,
    effective: Option<&toml::Table>,
    done: &str,
) -> Result<(), String> {
    let Some((seg, rest)) = segments.split_first() else {
        *item = toml_edit::Item::Value(edit_value(value)?);
        return Ok(());
    };
    let here = join(done, seg);
    match seg {
        Segment::Key(k) => {
            if item.is_none() {
                *item = toml_edit::Item::Table(toml_edit::Table::new());
                if let Some(t) = item.as_table_mut() {
                    t.set_implicit(true);
                }
            }
            let table = item
                .as_table_like_mut()
                .ok_or_else(|| format!("`{done}` is not a table in the text"))?;
            if let Some((Segment::Index(i), after)) = rest.split_first() {
                let written_whole = table
                    .get(k)
                    .is_some_and(|x| x.is_array() || x.is_array_of_tables());
                if !written_whole {
                    // A list written only in a base: write this item by its index (an item
                    // overlay), never the rest of the list.
                    let len = effective
                        .and_then(|e| lookup(e, &here))
                        .and_then(toml::Value::as_array)
                        .map(Vec::len)
                        .ok_or_else(|| format!("`{here}` has no items to edit"))?;
                    if *i >= len {
                        return Err(format!("`{here}[{i}]`: the list has {len} items"));
                    }
                    let mut keyed = vec![Segment::Key(i.to_string())];
                    keyed.extend(after.iter().cloned());
                    let entry = table.entry(k).or_insert(toml_edit::Item::None);
                    return set_in(entry, &keyed, value, effective, &here);
                }
            }
            let entry = table.entry(k).or_insert(toml_edit::Item::None);
            set_in(entry, rest, value, effective, &here)
        }
        Segment::Index(i) => {
            let len = match item {
                toml_edit::Item::ArrayOfTables(a) => a.len(),
                toml_edit::Item::Value(toml_edit::Value::Array(a)) => a.len(),
                _ => return Err(format!("`{done}` is not a list in the text")),
            };
            if *i >= len {
                return Err(format!("`{here}`: the list has {len} items"));
            }
            match item {
                toml_edit::Item::ArrayOfTables(a) => {
                    let t = a
                        .get_mut(*i)
                        .ok_or_else(|| format!("`{here}` is missing"))?;
                    let mut tmp = toml_edit::Item::Table(std::mem::take(t));
                    let r = set_in(&mut tmp, rest, value, effective, &here);
                    if let toml_edit::Item::Table(back) = tmp {
                        *t = back;
                    }
                    r
                }
                toml_edit::Item::Value(toml_edit::Value::Array(a)) => {
                    let v = a
                        .get_mut(*i)
                        .ok_or_else(|| format!("`{here}` is missing"))?;
                    let mut tmp = toml_edit::Item::Value(v.clone());
                    set_in(&mut tmp, rest, value, effective, &here)?;
                    *v = tmp
                        .into_value()
                        .map_err(|_| format!("`{here}` cannot hold a table here"))?;
                    Ok(())
                }
                _ => unreachable!("checked above"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> ScenarioDoc {
        ScenarioDoc::new(1, PathBuf::from("t.toml"), text.into(), false)
    }

    #[test]
    fn setting_a_key_keeps_comments_and_validates() {
        let mut d = doc("# keep me\n[careers]\nmove_share = 0.3\n");
        d.set_value("careers.conversion_rate", toml::Value::Float(0.05))
            .unwrap();
        assert!(d.text.contains("# keep me"), "{}", d.text);
        assert!(d.text.contains("conversion_rate = 0.05"), "{}", d.text);
        assert!(d.scenario().is_some(), "{:?}", d.diagnostics());
        d.set_value("careers.move_share", toml::Value::Float(2.0))
            .unwrap();
        let msgs: Vec<String> = d.diagnostics().iter().map(|x| x.to_string()).collect();
        assert!(
            msgs[0].starts_with("t.toml:3:1: careers.move_share = 2"),
            "{msgs:?}"
        );
    }

    #[test]
    fn setting_a_list_item_writes_only_that_item() {
        let mut d = doc("name = \"x\"\n");
        d.set_value("universities[0].wage_level", toml::Value::Float(1.5))
            .unwrap();
        let s = d.scenario().expect("valid");
        assert_eq!(s.universities[0].wage_level, 1.5);
        assert_eq!(s.universities.len(), Scenario::default().universities.len());
        assert!(d.is_dirty());
        assert!(d.text.contains("[universities.0]"), "{}", d.text);
        assert!(!d.text.contains("region"), "only the change: {}", d.text);
        assert!(d.writes("universities[0].wage_level"));
        assert!(!d.writes("universities[0].region"));
        d.set_value("careers.academic[1].base_wage", toml::Value::Float(9000.0))
            .unwrap();
        assert!(d.text.contains("[careers.academic.1]"), "{}", d.text);
        assert_eq!(d.scenario().unwrap().careers.academic[1].base_wage, 9000.0);
        assert!(d
            .set_value("careers.academic[40].base_wage", toml::Value::Float(1.0))
            .is_err());
        // Reset removes the item's key and the tables left empty.
        d.remove_key("universities[0].wage_level").unwrap();
        d.remove_key("careers.academic[1].base_wage").unwrap();
        assert_eq!(d.text.trim(), "name = \"x\"", "{}", d.text);
        // A list the file writes whole is edited in place and reset whole.
        let mut w = doc("[[universities]]\nname = \"u\"\nregion = \"sichuan\"\nfiscal = \"local\"\nstaff_share = 1.0\nenterprise_annuity = true\nheadcount_growth = 0.0\nwage_level = 1.0\n");
        w.set_value("universities[0].wage_level", toml::Value::Float(1.2))
            .unwrap();
        assert!(w.text.contains("[[universities]]"), "{}", w.text);
        assert_eq!(
            w.scenario().map(|s| s.universities.len()),
            Some(1),
            "{:?}",
            w.diagnostics()
        );
        w.remove_key("universities[0].wage_level").unwrap();
        assert!(!w.text.contains("universities"), "{}", w.text);
    }

    #[test]
    fn lookup_follows_keys_and_indices() {
        let d = doc("");
        let e = d.effective().unwrap();
        assert_eq!(
            lookup(e, "simulation.agents"),
            Some(&toml::Value::Integer(3000))
        );
        assert!(lookup(e, "universities[0].name").is_some());
        assert!(lookup(e, "nothing.here").is_none());
    }
}
