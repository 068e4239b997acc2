//! End-to-end: `sisandbox bench --reference` at small sizes, printed and written.

use std::ffi::OsStr;
use std::process::Command;

/// Runs `sisandbox` with `args`, checks it succeeded and returns its stdout and stderr.
fn bench_ok<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sisandbox"))
        .args(args)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bench_with_reference_prints_and_writes_the_ratio_at_every_size() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("PERF.md");
    std::fs::write(
        &doc,
        "old table\n<!-- notes: kept when the table above is measured again -->\nhand notes\n",
    )
    .unwrap();
    let args = [
        "bench",
        "--agents",
        "150,300",
        "--years",
        "1",
        "--threads",
        "1,2",
        "--reference",
        "--write",
    ];
    let (stdout, stderr) = bench_ok(args.map(OsStr::new).into_iter().chain([doc.as_os_str()]));
    assert!(
        stdout.contains("| bare loop agent-months/s | full/bare |"),
        "{stdout}"
    );
    // One row per size and thread count, each with a bare speed and a positive ratio.
    for (agents, threads) in [(150, 1), (150, 2), (300, 1), (300, 2)] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {agents} | 1 | {threads} |")))
            .unwrap_or_else(|| panic!("row {agents}/{threads} in\n{stdout}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert!(cells[9].ends_with(" M"), "{row}");
        let ratio: f64 = cells[10].trim_end_matches('×').parse().expect("ratio");
        assert!(ratio > 0.0, "{row}");
    }
    assert_eq!(stderr.matches("full/bare").count(), 4, "{stderr}");
    let written = std::fs::read_to_string(&doc).unwrap();
    assert!(written.contains("full/bare") && written.contains("bare loop (`--reference`)"));
    assert!(written.ends_with("hand notes\n"), "{written}");
    assert!(!written.contains("old table"));
}

#[test]
fn bench_without_reference_keeps_its_table() {
    let (stdout, _) = bench_ok(["bench", "--agents", "100", "--years", "1", "--threads", "1"]);
    assert!(
        stdout.contains("| 100 | 1 | 1 |") && !stdout.contains("bare"),
        "{stdout}"
    );
}

/// `--repeat`: every size and thread count run that many times, the thread counts taking
/// turns; one row each, the median, with the spread and the number of runs; a count outside
/// 1..=100 is refused by name.
#[test]
fn bench_repeated_reports_one_median_row_per_size_and_thread_count() {
    let args = [
        "bench",
        "--agents",
        "120",
        "--years",
        "1",
        "--threads",
        "1,2",
        "--repeat",
        "3",
        "--reference",
    ];
    let (stdout, stderr) = bench_ok(args);
    assert!(
        stdout.contains(
            "| wall, fastest–slowest (s) | runs | bare loop agent-months/s | full/bare |"
        ),
        "{stdout}"
    );
    for threads in [1, 2] {
        let rows: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("| 120 | 1 | {threads} |")))
            .collect();
        // One row in the table and one in the phases' table.
        assert_eq!(rows.len(), 2, "{stdout}");
        let cells: Vec<&str> = rows[0].split('|').map(str::trim).collect();
        let (fastest, slowest) = cells[9].split_once('–').expect("a spread");
        let wall: f64 = cells[4].parse().unwrap();
        let (fastest, slowest): (f64, f64) = (fastest.parse().unwrap(), slowest.parse().unwrap());
        assert!(fastest <= wall && wall <= slowest, "{}", rows[0]);
        assert_eq!(cells[10], "3", "{}", rows[0]);
    }
    // Runs take turns: 1 thread, 2 threads, 1 thread, ...
    let order: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.split_once(" thread(s), run "))
        .filter_map(|(l, _)| l.rsplit(", ").next())
        .collect();
    assert_eq!(order, ["1", "2", "1", "2", "1", "2"], "{stderr}");
    let refused = Command::new(env!("CARGO_BIN_EXE_sisandbox"))
        .args(["bench", "--repeat", "0"])
        .output()
        .expect("binary runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--repeat"));
}
