//! Social insurance rules of both pension tracks, the other insurances and the housing fund:
//! pure functions over plain data, tested against official benefit notices and worked cases.
//! The regional variants are data: the rule table of [`regions`]. Money is integer fen; rates are resolved once per month and region into a
//! [`RatesAt`] so that the engine's loop over agents does no lookups.

pub mod accounts;
pub mod annuity;
pub mod base;
pub mod benefit;
pub mod case;
pub mod contributions;
pub mod divisor;
pub mod funds;
pub mod medical;
pub mod outcomes;
pub mod params;
pub mod regions;
pub mod retirement;
pub mod transfer;

pub use params::{InsuranceParams, RatesAt};

use serde::{Deserialize, Serialize};

/// Sex, which sets the statutory retirement age and some local medical rules.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Post category; for women it sets the statutory age (cadre 55 → 58, worker 50 → 55).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 干部 / 技术岗 (academic and professional posts).
    Cadre,
    /// 工人.
    Worker,
}

/// Pension pillar 1 the person belongs to (国发〔2015〕2号: established posts join the
/// public-institution scheme).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// 城镇企业职工基本养老保险: contract and non-established staff.
    Enterprise,
    /// 机关事业单位基本养老保险: established posts (编内), with the occupational annuity.
    Institution,
}

/// A decimal from a scenario float by its shortest printed form, so 0.935 is exactly 0.935
/// (the benefit formulas round at fixed decimals and must not see binary noise).
///
/// Awards call this for every rate, index and divisor they use, and printing each would be a
/// few per cent of a small run: nearly every float takes [`shortest_decimal`], the same
/// decimal read from the shortest digits without a string; the rest print and parse
/// ([`printed_decimal`]).
///
/// Most calls convert the same few rates and divisors again, so each thread remembers its
/// last conversions in a small table by the float's bits (a pure function's results: the
/// same whichever thread or order).
pub(crate) fn dec(x: f64) -> rust_decimal::Decimal {
    if !x.is_finite() {
        return rust_decimal::Decimal::ZERO;
    }
    let bits = x.to_bits();
    let slot = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_BITS)) as usize;
    if let Some(d) = MEMO.with(|m| {
        let (key, d) = m.borrow()[slot];
        (key == bits).then_some(d)
    }) {
        return d;
    }
    let d = shortest_decimal(x).unwrap_or_else(|| printed_decimal(x));
    MEMO.with(|m| m.borrow_mut()[slot] = (bits, d));
    d
}

/// log2 of the slots of `dec`'s table.
const MEMO_BITS: u32 = 6;

thread_local! {
    /// `dec`'s recent conversions: (bits of the float, its decimal); the key of an empty slot
    /// is a NaN's, which `dec` never converts.
    static MEMO: std::cell::RefCell<[(u64, rust_decimal::Decimal); 1 << MEMO_BITS]> =
        const { std::cell::RefCell::new([(u64::MAX, rust_decimal::Decimal::ZERO); 1 << MEMO_BITS]) };
}

/// `Decimal::from_str(&format!("{x}"))`: the definition [`shortest_decimal`] follows.
fn printed_decimal(x: f64) -> rust_decimal::Decimal {
    use std::str::FromStr;
    rust_decimal::Decimal::from_str(&format!("{x}"))
        .or_else(|_| rust_decimal::Decimal::try_from(x))
        .unwrap_or(rust_decimal::Decimal::ZERO)
}

/// What `Decimal::from_str(&format!("{x}"))` reads, from Ryū's digits (`ryu`, the shortest
/// that read back as `x` and of several the nearest, as `Display` prints): the digits without
/// trailing zeros as the mantissa, and as the scale the places `Display` writes, none for a
/// whole number. `None`, for the printed way, for zero (whose sign `Display` prints), a float
/// exactly halfway between two shortest forms (below), a whole number from 2^53 on, and more
/// than 28 places (where `from_str` would round).
fn shortest_decimal(x: f64) -> Option<rust_decimal::Decimal> {
    if x == 0.0 {
        return None;
    }
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(x.abs()).as_bytes();
    let (digits, exp) = match text.iter().position(|&c| c == b'e') {
        Some(i) => (&text[..i], parse_exponent(&text[i + 1..])?),
        None => (text, 0),
    };
    // Digits before and after the point as one integer, and the power of ten it is scaled by.
    let (mut mantissa, mut exp) = (0u64, exp);
    let mut after_point = false;
    for &c in digits {
        match c {
            b'.' => after_point = true,
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                exp -= i32::from(after_point);
            }
            _ => return None,
        }
    }
    while mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        exp += 1;
    }
    // Where two shortest forms are equally near (`x` exactly halfway), Ryū and `Display` may
    // choose differently: leave those to printing. Halfway between two decimals of `s` places
    // has exactly `s + 1` places, and `x`'s exact expansion has as many as its binary
    // fraction has bits; a whole number below 2^53 has no nearer rival.
    let (mantissa, scale) = if exp >= 0 {
        if x.abs() >= 9_007_199_254_740_992.0 {
            return None;
        }
        let whole = i128::from(mantissa).checked_mul(10i128.checked_pow(exp as u32)?)?;
        (whole, 0)
    } else {
        if exact_places(x) == exp.unsigned_abs() + 1 {
            return None;
        }
        (i128::from(mantissa), exp.unsigned_abs())
    };
    if scale > 28 {
        return None;
    }
    let signed = if x < 0.0 { -mantissa } else { mantissa };
    Some(rust_decimal::Decimal::from_i128_with_scale(signed, scale))
}

/// The decimal places of `x`'s exact value: `x` is an odd integer times 2^e, and 2^−k has
/// exactly k places.
fn exact_places(x: f64) -> u32 {
    let bits = x.abs().to_bits();
    let (biased, fraction) = ((bits >> 52) as i32, bits & ((1u64 << 52) - 1));
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    if m == 0 {
        return 0;
    }
    (-(e + m.trailing_zeros() as i32)).max(0) as u32
}

/// The exponent after Ryū's `e`: an optional minus and at most three digits.
fn parse_exponent(text: &[u8]) -> Option<i32> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let mut e = 0i32;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        e = e * 10 + i32::from(c - b'0');
    }
    Some(if negative { -e } else { e })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Same value and same scale as the printed form read (`serialize` holds both and the
    /// sign), converted afresh and again from the table.
    fn same(x: f64) {
        let slow = printed_decimal(x);
        for fast in [dec(x), dec(x)] {
            assert_eq!(
                fast.serialize(),
                slow.serialize(),
                "{x:e}: {fast} against {slow}"
            );
        }
    }

    #[test]
    fn scenario_figures_are_their_printed_decimals_without_printing() {
        for x in [
            0.935,
            0.013,
            0.08,
            0.16,
            0.2,
            0.3,
            1.0,
            2.0,
            12.0,
            139.0,
            0.005,
            1.2345,
            0.1,
            0.7,
            100.5,
            8_400.0,
            0.000_123,
            1e-9,
            123_456.789,
            -0.5,
            -1.25,
            1e-12,
            1e15,
            0.1 + 0.2,
            1.0 / 3.0,
            1.234_567_890_123_456_7,
            2.5e-7,
        ] {
            same(x);
            assert!(shortest_decimal(x).is_some(), "{x} takes the fast way");
        }
        let d = dec(0.935);
        assert_eq!((d.mantissa(), d.scale()), (935, 3));
        let d = dec(8_400.0);
        assert_eq!((d.mantissa(), d.scale()), (8_400, 0));
        // Outside the fast way's range, printing decides.
        for x in [0.0, -0.0, 5e-324, 1e-30, f64::MAX, 1e30, 1e20] {
            assert!(shortest_decimal(x).is_none(), "{x:e} is printed");
            same(x);
        }
        // Exactly halfway between two shortest forms: printing chooses.
        let tie: f64 = -(652_839_978_209_852.0 + 0.25);
        assert_eq!(tie.fract(), -0.25, "exactly halfway between ….2 and ….3");
        assert!(shortest_decimal(tie).is_none());
        same(tie);
        assert_eq!(exact_places(0.25), 2);
        assert_eq!(exact_places(8_400.0), 0);
        assert_eq!(exact_places(0.1), 55);
        assert_eq!(dec(f64::NAN), rust_decimal::Decimal::ZERO);
        assert_eq!(dec(f64::INFINITY), rust_decimal::Decimal::ZERO);
    }

    proptest! {
        /// Decimals of a few places, as scenarios and divisor tables hold them.
        #[test]
        fn short_decimals_are_the_printed_ones(k in -10_000_000i64..10_000_000, places in 0u32..10) {
            same(k as f64 / 10f64.powi(places as i32));
        }

        /// Any float, as a computed index is.
        #[test]
        fn any_float_is_the_printed_one(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            same(x);
        }

        /// Floats of the magnitudes the benefit formulas see (indices, rates, yuan).
        #[test]
        fn floats_of_formula_magnitudes_are_the_printed_ones(x in 1e-4f64..1e7) {
            same(x);
            same(-x);
        }
    }
}
