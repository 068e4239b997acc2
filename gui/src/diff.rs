//! Which keys of a scenario differ from another: both resolved scenarios as TOML, flattened to
//! key paths. Lists of the same length are compared item by item, so a changed rate in a dated
//! table shows as `...rate[1].value` rather than the whole table.

use sisandbox::scenario::Scenario;

/// One key that differs; `None` where the key is absent on that side.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub key: String,
    pub base: Option<String>,
    pub this: Option<String>,
}

/// Keys whose resolved values differ between `base` and `this`, in key order.
pub fn changes(base: &Scenario, this: &Scenario) -> Vec<Change> {
    let (Ok(a), Ok(b)) = (toml::Value::try_from(base), toml::Value::try_from(this)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk("", Some(&a), Some(&b), &mut out);
    out
}

fn walk(path: &str, a: Option<&toml::Value>, b: Option<&toml::Value>, out: &mut Vec<Change>) {
    match (a, b) {
        (Some(toml::Value::Table(x)), Some(toml::Value::Table(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(&p, x.get(k), y.get(k), out);
            }
        }
        (Some(toml::Value::Array(x)), Some(toml::Value::Array(y))) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                walk(&format!("{path}[{i}]"), Some(u), Some(v), out);
            }
        }
        (a, b) if a != b => out.push(Change {
            key: path.to_string(),
            base: a.map(ToString::to_string),
            this: b.map(ToString::to_string),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_keys_are_listed() {
        let base = Scenario::default();
        let mut this = base.clone();
        assert!(changes(&base, &this).is_empty());
        this.simulation.agents = 500;
        this.universities[0].wage_level = 2.0;
        let keys: Vec<String> = changes(&base, &this).into_iter().map(|c| c.key).collect();
        assert_eq!(keys, ["simulation.agents", "universities[0].wage_level"]);
        let c = &changes(&base, &this)[0];
        assert_eq!(c.base.as_deref(), Some("3000"));
        assert_eq!(c.this.as_deref(), Some("500"));
    }
}
