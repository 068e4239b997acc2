//! Reading user files with bounds: only regular files, and no larger than a limit, so that a
//! path to a device, a pipe or a huge file gives a clear error instead of exhausting memory.

use std::io::{self, Read};
use std::path::Path;

/// Largest scenario or sweep file read (a scenario is a few kilobytes).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Reads `path` whole if it is a regular file of at most `max_bytes`.
pub fn read_bounded(path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "larger than {} MiB, the limit for this kind of file",
                max_bytes >> 20
            ),
        )
    };
    if meta.len() > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_large_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_bounded(dir.path(), 10)
            .unwrap_err()
            .to_string()
            .contains("not a regular file"));
        if Path::new("/dev/zero").exists() {
            assert!(read_bounded(Path::new("/dev/zero"), 10).is_err());
        }
        let f = dir.path().join("big.toml");
        std::fs::write(&f, vec![b'a'; 2 << 20]).unwrap();
        assert!(read_bounded(&f, 1 << 20)
            .unwrap_err()
            .to_string()
            .contains("larger than 1 MiB"));
        assert_eq!(read_bounded(&f, 4 << 20).unwrap().len(), 2 << 20);
    }
}
