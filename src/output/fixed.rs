//! Fixed-decimal numbers for the tables, written straight into the row's buffer: the same
//! characters as `format!("{x:.d$}")`, without the formatting machinery for the common case.
//!
//! Why it is exact: `x · 10^d` is computed with one rounding (10^d is exact for d ≤ 15), so the
//! computed product is within half an ulp of the exact one. Rounding the exact product to the
//! nearest integer gives the digits `format!` prints; the computed product rounds the same
//! way unless it lies within an ulp of a tie (fraction ½), and those rare cases, with
//! products too large for exact integers, non-finite values and more than
//! [`MAX_DECIMALS`] decimals, are left to `format!` itself. An `f32` widens to `f64` exactly,
//! and `format!` prints a float's exact value, so the same holds for `f32` values.

use std::io::Write;

/// The most decimals the fast path writes.
pub const MAX_DECIMALS: usize = 9;

const POW10: [u64; MAX_DECIMALS + 1] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// Appends `x` with `decimals` digits after the point, as `write!(line, "{x:.decimals$}")`
/// would (a minus sign for every negative value, −0 and those that round to zero included).
pub fn put_fixed(line: &mut Vec<u8>, x: f64, decimals: usize) {
    if let Some(n) = scaled_digits(x, decimals) {
        if x.is_sign_negative() {
            line.push(b'-');
        }
        let unit = POW10[decimals];
        let mut buf = itoa::Buffer::new();
        line.extend_from_slice(buf.format(n / unit).as_bytes());
        if decimals > 0 {
            line.push(b'.');
            let frac = buf.format(n % unit).as_bytes();
            line.resize(line.len() + decimals - frac.len(), b'0');
            line.extend_from_slice(frac);
        }
    } else {
        let _ = write!(line, "{x:.decimals$}");
    }
}

/// Appends `x` as `write!(line, "{x}")` would (Rust's shortest round-trip form, never an
/// exponent): whole numbers, the counts of the tables, digit by digit; others by `write!`.
pub fn put_shortest(line: &mut Vec<u8>, x: f64) {
    // Whole numbers below 2^53 print as their integer ("-0" for −0), as `Display` does.
    if x.trunc() == x && x.abs() < (1u64 << 53) as f64 {
        if x.is_sign_negative() {
            line.push(b'-');
        }
        line.extend_from_slice(itoa::Buffer::new().format(x.abs() as u64).as_bytes());
    } else {
        let _ = write!(line, "{x}");
    }
}

/// |x| · 10^decimals rounded to the nearest integer, when the rounding is certain (see the
/// module's doc); `None` otherwise.
fn scaled_digits(x: f64, decimals: usize) -> Option<u64> {
    if decimals > MAX_DECIMALS || !x.is_finite() {
        return None;
    }
    let scaled = x.abs() * POW10[decimals] as f64;
    // Below 2^52 the product's ulp is at most ½ and its integer and fractional parts exact.
    if scaled >= (1u64 << 52) as f64 {
        return None;
    }
    let whole = scaled.floor();
    let frac = scaled - whole;
    // An ulp of `scaled` is at most scaled · 2^-52; the margin is twice that, and covers
    // products below 1, whose ulps are smaller still.
    let margin = scaled * (2.0 * f64::EPSILON) + f64::MIN_POSITIVE;
    if (frac - 0.5).abs() <= margin {
        return None;
    }
    Some(whole as u64 + u64::from(frac > 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed(x: f64, d: usize) -> String {
        let mut line = Vec::new();
        put_fixed(&mut line, x, d);
        String::from_utf8(line).unwrap()
    }

    #[test]
    fn matches_format_on_edge_cases() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.25,
            0.125,
            0.0000005,
            -0.0000004,
            -0.0000006,
            0.9999995,
            0.99999949,
            9.9999996,
            123456.1234565,
            1e-300,
            -1e-300,
            f64::MIN_POSITIVE,
            4503599627370495.5,
            4503599627370496.0,
            1e20,
            -1e20,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1 + 0.2,
            1.0 / 3.0,
            2.0 / 3.0,
        ];
        for x in cases {
            for d in 0..=MAX_DECIMALS + 2 {
                assert_eq!(fixed(x, d), format!("{x:.d$}"), "{x:e} with {d} decimals");
            }
        }
    }

    #[test]
    fn takes_the_fast_path_away_from_ties() {
        assert_eq!(scaled_digits(0.1234564, 6), Some(123456));
        assert_eq!(scaled_digits(-2.76, 1), Some(28));
        assert_eq!(
            scaled_digits(0.25, 1),
            None,
            "an exact tie is left to format!"
        );
        assert_eq!(scaled_digits(1e17, 0), None, "too large for exact integers");
    }

    #[test]
    fn matches_format_on_every_f32_of_a_range_of_ties() {
        // Values at and next to the ties of 4 and 6 decimals, where the rounding is hardest.
        for k in 0..20_000u32 {
            let tie = (k as f64 + 0.5) / 10_000.0;
            let t = tie as f32;
            for x in [
                t,
                f32::from_bits(t.to_bits() + 1),
                f32::from_bits(t.to_bits() - 1),
            ] {
                for d in [4, 6] {
                    assert_eq!(
                        fixed(x as f64, d),
                        format!("{x:.d$}"),
                        "{x:e}, {d} decimals"
                    );
                }
            }
        }
    }

    #[test]
    fn shortest_matches_display() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            12345.0,
            0.5,
            -2.25,
            1e15,
            9007199254740991.0,
            9007199254740992.0,
            1e16,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1,
        ] {
            let mut line = Vec::new();
            put_shortest(&mut line, x);
            assert_eq!(String::from_utf8(line).unwrap(), format!("{x}"), "{x:e}");
        }
    }

    proptest! {
        #[test]
        fn shortest_matches_display_on_any_f64(bits in any::<u64>(), n in any::<i64>()) {
            for x in [f64::from_bits(bits), n as f64, (n % 100_000) as f64] {
                let mut line = Vec::new();
                put_shortest(&mut line, x);
                prop_assert_eq!(String::from_utf8(line).unwrap(), format!("{x}"));
            }
        }

        #[test]
        fn matches_format_on_any_f64(bits in any::<u64>(), d in 0usize..12) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(fixed(x, d), format!("{x:.d$}"));
        }

        #[test]
        fn matches_format_on_table_sized_numbers(x in -1e7f64..1e7, d in 0usize..10) {
            prop_assert_eq!(fixed(x, d), format!("{x:.d$}"));
        }

        #[test]
        fn matches_format_on_any_f32(bits in any::<u32>(), d in 0usize..10) {
            let x = f32::from_bits(bits);
            prop_assert_eq!(fixed(x as f64, d), format!("{x:.d$}"));
        }
    }
}
