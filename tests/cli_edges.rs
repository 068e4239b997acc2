//! End-to-end: the small edges of the command line. A reader that closes the output pipe early
//! (`sisandbox docs scenarios | head -1`) ends the program quietly with status 0; a seed that
//! TOML cannot store and a thread count without bound are refused with the range allowed; a run
//! folder whose manifest is a FIFO is refused at once by `compare` and `reproduce` instead of
//! hanging.

mod common;

use common::{bin, lossy, sisandbox};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn a_closed_output_pipe_is_a_quiet_exit() {
    for args in [
        &["docs", "scenarios"][..],
        &["rates", "sichuan", "--month", "2025-07"],
    ] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes before the program has written anything (as `| head -1` does once
        // it has its line): every write meets a closed pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", lossy(&out.stderr));
    }
}

#[test]
fn seeds_and_thread_counts_out_of_range_are_refused_with_the_range() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, needles) in [
        (
            &["run", "--seed", "9223372036854775808"][..],
            &["--seed", "9223372036854775807"][..],
        ),
        (
            &["run", "--seed", "18446744073709551615"],
            &["--seed", "2^63"],
        ),
        (&["run", "--threads", "100000"], &["--threads", "1024"]),
    ] {
        let o = sisandbox(args, tmp.path());
        let err = lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in {err}");
        }
    }
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().next().is_none(),
        "nothing is written"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_manifest_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    std::fs::create_dir(&run).unwrap();
    let fifo = run.join("manifest.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let path = fifo.display().to_string();
    for args in [&["compare", "run", "run"][..], &["reproduce", &path]] {
        let t0 = Instant::now();
        let o = sisandbox(args, tmp.path());
        let err = lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
        assert!(t0.elapsed() < Duration::from_secs(10), "{args:?} waited");
    }
}

#[test]
fn bench_checks_every_size_against_the_memory_guard_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let o = bin()
        .args([
            "bench",
            "--agents",
            "300,5000000",
            "--years",
            "40",
            "--threads",
            "1",
        ])
        .env("SISANDBOX_MAX_MEMORY", "256M")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let err = lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("SISANDBOX_MAX_MEMORY") && err.contains("5000000 staff"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "no size was run: {}", lossy(&o.stdout));
    assert!(
        t0.elapsed() < Duration::from_secs(10),
        "refused before running"
    );
}
