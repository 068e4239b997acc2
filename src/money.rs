//! Money is integer fen (0.01 yuan). Sums over agents are then exact and independent of the
//! order of reduction, which is what makes runs byte-identical on any thread count.

/// An amount in fen.
pub type Fen = i64;

/// Fen per yuan.
pub const FEN_PER_YUAN: i64 = 100;

/// Rates are applied in parts per million so that `base × rate` is integer arithmetic: the same
/// contribution to the fen on every machine, whatever the floating-point unit does.
pub const PPM: i64 = 1_000_000;

/// Yuan (as written in scenario files and notices) to fen, rounding half away from zero.
pub fn yuan_to_fen(yuan: f64) -> Fen {
    (yuan * FEN_PER_YUAN as f64).round() as Fen
}

/// Fen to yuan, for reports and utilities (never for sums).
pub fn fen_to_yuan(fen: Fen) -> f64 {
    fen as f64 / FEN_PER_YUAN as f64
}

/// "1234.56", "-0.05": the two-decimal form benefit notices print.
pub fn format_yuan(fen: Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// A rate (0.16 for 16 %) as whole parts per million, rounded to the nearest.
pub fn rate_to_ppm(rate: f64) -> i64 {
    (rate * PPM as f64).round() as i64
}

/// `amount × ppm / 10^6`, rounded half away from zero, in exact integer arithmetic.
pub fn apply_ppm(amount: Fen, ppm: i64) -> Fen {
    // Fast path in i64 (every realistic amount); i128 only when the product would overflow.
    if let Some(p) = amount.checked_mul(ppm) {
        let half = PPM / 2;
        return if p >= 0 {
            (p + half) / PPM
        } else {
            (p - half) / PPM
        };
    }
    let p = amount as i128 * ppm as i128;
    let half = PPM as i128 / 2;
    let q = if p >= 0 {
        (p + half) / PPM as i128
    } else {
        (p - half) / PPM as i128
    };
    q as Fen
}

/// `amount × rate`, rounded half away from zero to the fen, with the rate taken to 10^-6.
pub fn apply_rate(amount: Fen, rate: f64) -> Fen {
    apply_ppm(amount, rate_to_ppm(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_half_away_from_zero() {
        assert_eq!(yuan_to_fen(150_397.22), 15_039_722);
        assert_eq!(format_yuan(15_039_722), "150397.22");
        assert_eq!(format_yuan(-5), "-0.05");
        assert_eq!(apply_ppm(5, 500_000), 3); // 2.5 fen -> 3
        assert_eq!(apply_ppm(-5, 500_000), -3);
    }

    #[test]
    fn domain_e8_contributions_to_the_fen() {
        // docs/RULES-EXAMPLES.md E8: base 4,588 yuan at 8 % = 367.04; at 0.5 % = 22.94.
        assert_eq!(apply_rate(458_800, 0.08), 36_704);
        assert_eq!(apply_rate(458_800, 0.005), 2_294);
        // base 22,938 at 0.5 % = 114.69
        assert_eq!(apply_rate(2_293_800, 0.005), 11_469);
    }
}
