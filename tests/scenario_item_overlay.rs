//! One item of a list changed through `extends`: a table of item indices where the base has a
//! list changes those items and keeps the others (docs/SCENARIOS.md), and a bad index is an
//! error naming the key as written, with file and line.

use sisandbox::scenario::{self, Scenario};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_reform_changes_one_rung_and_keeps_the_rest_of_its_base() {
    let dir = tempfile::tempdir().unwrap();
    // The base changes the first university and the first rung over the defaults.
    let base = write(
        dir.path(),
        "base.toml",
        "name = \"base\"\n[careers.academic.0]\nbase_wage = 7000\n\n[universities.0]\nwage_level = 1.1\n",
    );
    // The reform changes the second rung by a dotted key, and the first university's name.
    let reform = write(
        dir.path(),
        "reform.toml",
        "extends = \"base.toml\"\nname = \"reform\"\ncareers.academic.1.base_wage = 9000\nuniversities.0.name = \"renamed\"\n",
    );
    let d = Scenario::default();
    let b = scenario::load(&base, &[]).unwrap().scenario;
    let r = scenario::load(&reform, &[]).unwrap().scenario;
    assert_eq!(b.careers.academic.len(), d.careers.academic.len());
    assert_eq!(b.careers.academic[0].base_wage, 7000.0);
    assert_eq!(b.careers.academic[1..], d.careers.academic[1..]);
    assert_eq!(b.universities[0].wage_level, 1.1);
    assert_eq!(b.universities[0].name, d.universities[0].name);

    assert_eq!(r.careers.academic.len(), d.careers.academic.len());
    assert_eq!(r.careers.academic[0].base_wage, 7000.0, "from its base");
    assert_eq!(r.careers.academic[1].base_wage, 9000.0);
    assert_eq!(
        r.careers.academic[1].min_years, d.careers.academic[1].min_years,
        "the item's other keys stay"
    );
    assert_eq!(r.careers.academic[2..], d.careers.academic[2..]);
    assert_eq!(r.careers.administrative, d.careers.administrative);
    assert_eq!(r.universities[0].name, "renamed");
    assert_eq!(r.universities[0].wage_level, 1.1, "from its base");
}

#[test]
fn an_item_overlay_is_checked_like_the_item_itself() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", "name = \"base\"\n");
    let rungs = Scenario::default().careers.academic.len();
    let cases = [
        (
            "extends = \"base.toml\"\n\n[careers.academic.9]\nbase_wage = 9000\n".to_string(),
            format!(
                "reform.toml:3:19: careers.academic.9: no item 9 in the list `careers.academic`: its items are 0 to {}",
                rungs - 1
            ),
        ),
        (
            "extends = \"base.toml\"\ncareers.academic.first.base_wage = 9000\ncareers.academic.0.base_wage = 1\n"
                .to_string(),
            "reform.toml:2:18: careers.academic.first: `first` is not an item index".to_string(),
        ),
        (
            // The item's value is checked against the catalog, located where it was written.
            "extends = \"base.toml\"\ncareers.academic.1.base_wage = -5\n".to_string(),
            "reform.toml:2:".to_string(),
        ),
        (
            "extends = \"base.toml\"\ncareers.academic.1.base_wag = 5\n".to_string(),
            "did you mean `base_wage`".to_string(),
        ),
    ];
    for (text, want) in cases {
        let reform = write(dir.path(), "reform.toml", &text);
        let e = scenario::load(&reform, &[]).unwrap_err().to_string();
        let e = e.replace(&format!("{}/", dir.path().display()), "");
        assert!(e.contains(&want), "{text}\nexpected {want}\nin {e}");
        assert!(e.contains("careers.academic"), "{e}");
    }
}
