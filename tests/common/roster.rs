//! A synthetic staff roster in the format `sisandbox` reads (docs/ROSTER.md), shared by the
//! tests of roster runs: the core's (`tests/roster_anonymity.rs`, through `common`) and the
//! desktop app's (`gui/tests/ui/`, whose `main.rs` includes this file by its path).

/// A roster of `n` staff in the way an HR export is sorted, by hire month, with facts that go
/// together as in a university (older staff hold higher titles and earn more). A fixed
/// linear congruential sequence makes it the same in every test run.
pub fn roster_text(n: usize) -> String {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % m
    };
    let mut rows: Vec<(String, String)> = (0..n)
        .map(|_| {
            let age = 24 + next(35) as i32;
            let birth_year = 2024 - age;
            let work_year = (birth_year + 23 + next(3) as i32).min(2023);
            let hired_year = (work_year + 1 + next(6) as i32).min(2024);
            let hired = format!("{hired_year}-{:02}", 1 + next(12));
            let academic = next(3) > 0;
            let rung = ((age - 24) / 9).clamp(0, 3) as usize;
            let title = if academic {
                ["assistant", "lecturer", "associate_professor", "professor"][rung]
            } else {
                ["clerk", "section", "division", "bureau"][rung]
            };
            let wage = 6_000 + rung as u64 * 3_000 + next(2_000);
            let row =
                format!(
                "{},{birth_year}-{:02},{},{},{title},university-a,{work_year}-09,{hired},{wage}",
                if next(2) == 0 { "male" } else { "female" },
                1 + next(12),
                if next(4) == 0 { "contract" } else { "establishment" },
                if academic { "academic" } else { "administrative" },
            );
            (hired, row)
        })
        .collect();
    rows.sort();
    let mut text =
        String::from("sex,birth,track,ladder,title,university,work_start,hired,monthly_wage\n");
    for (_, row) in rows {
        text.push_str(&row);
        text.push('\n');
    }
    text
}
