//! Interned series keys (`Key`).

/// A series row's group value, interned: a fixed name (`all`, a track, an insurance item), or
/// a name of the scenario (a university, a region and scheme) made once per run and shared by
/// every row that carries it. A month's hundred-odd rows so copy a pointer each instead of
/// formatting and allocating a string, and a long run's series holds each name once.
#[derive(Clone, Debug)]
pub enum Key {
    Fixed(&'static str),
    Shared(std::sync::Arc<str>),
}

impl Key {
    /// A key made from a name of the run (`format!` once, then cloned into each row).
    pub fn shared(name: impl Into<std::sync::Arc<str>>) -> Self {
        Key::Shared(name.into())
    }

    pub fn as_str(&self) -> &str {
        match self {
            Key::Fixed(s) => s,
            Key::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl From<&'static str> for Key {
    fn from(s: &'static str) -> Self {
        Key::Fixed(s)
    }
}

impl From<String> for Key {
    fn from(s: String) -> Self {
        Key::Shared(s.into())
    }
}

impl From<&Key> for Key {
    fn from(k: &Key) -> Self {
        k.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::Key;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn hash(k: &Key) -> u64 {
        let mut h = DefaultHasher::new();
        k.hash(&mut h);
        h.finish()
    }

    /// A fixed and a shared key of the same name are the same key: equal, hashed and ordered
    /// alike, and written the same.
    #[test]
    fn a_key_is_its_name_however_held() {
        let (fixed, shared) = (Key::from("beijing"), Key::shared(String::from("beijing")));
        assert_eq!(fixed, shared);
        assert_eq!(hash(&fixed), hash(&shared));
        assert_eq!(fixed.cmp(&shared), std::cmp::Ordering::Equal);
        assert_eq!(shared.to_string(), "beijing");
        assert!(shared == "beijing" && *shared == *"beijing");
        let (a, b) = (Key::from("a"), Key::shared("b"));
        assert!(a < b);
        assert_eq!(b.cmp(&a), std::cmp::Ordering::Greater);
        // Clones of a shared key hold the one name.
        if let (Key::Shared(a), Key::Shared(b)) = (&shared, &shared.clone()) {
            assert!(std::sync::Arc::ptr_eq(a, b));
        } else {
            panic!("a shared key stays shared");
        }
    }
}
