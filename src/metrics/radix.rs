//! An exact radix sort of `f64` in the order of `f64::total_cmp`, for the Gini coefficient of
//! a January's expected pensions: linear in the count where a comparison sort of the
//! 100,000-odd values was about one per cent of a run.

/// The order of `f64::total_cmp` as an unsigned key: `total_cmp` compares the bits as signed
/// integers after flipping all but the sign bit of negative values; flipping the sign bit too
/// makes that order the unsigned one. A bijection (see [`value`]).
#[inline]
fn key(x: f64) -> u64 {
    let b = x.to_bits() as i64;
    let ordered = b ^ (((b >> 63) as u64) >> 1) as i64;
    (ordered as u64) ^ (1 << 63)
}

/// The value of a [`key`].
#[inline]
fn value(k: u64) -> f64 {
    let ordered = (k ^ (1 << 63)) as i64;
    f64::from_bits((ordered ^ (((ordered >> 63) as u64) >> 1) as i64) as u64)
}

/// Below this many values a comparison sort is cheaper than the radix passes' counts.
const SMALL: usize = 256;

/// Sorts `values` in the order of `f64::total_cmp`. Values equal under that order are the same
/// bits, so the result is the one any comparison sort gives, bit for bit. Least significant
/// byte first, eight passes at most; a pass whose byte is the same for every value (the high
/// bytes of values of one sign and magnitude) is skipped.
pub fn sort_total(values: &mut [f64]) {
    let n = values.len();
    if n < SMALL {
        values.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut keys: Vec<u64> = values.iter().map(|&x| key(x)).collect();
    let mut spare = vec![0u64; n];
    let mut counts = [[0usize; 256]; 8];
    for &k in &keys {
        for (byte, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * byte)) & 0xFF) as usize] += 1;
        }
    }
    for (byte, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut at = 0;
        for (slot, &count) in next.iter_mut().zip(c) {
            *slot = at;
            at += count;
        }
        for &k in &keys {
            let d = ((k >> (8 * byte)) & 0xFF) as usize;
            spare[next[d]] = k;
            next[d] += 1;
        }
        std::mem::swap(&mut keys, &mut spare);
    }
    for (x, &k) in values.iter_mut().zip(&keys) {
        *x = value(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_comparison(v: &[f64]) -> Vec<u64> {
        let mut v = v.to_vec();
        v.sort_unstable_by(f64::total_cmp);
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn keys_keep_the_order_and_come_back() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            1e300,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for a in xs {
            assert_eq!(value(key(a)).to_bits(), a.to_bits());
            for b in xs {
                assert_eq!(key(a).cmp(&key(b)), a.total_cmp(&b), "{a} vs {b}");
            }
        }
    }

    proptest! {
        /// Any values, NaNs, infinities and signed zeros included, end in the order and with
        /// the bits of a comparison sort, above and below the small-input cut-off.
        #[test]
        fn the_same_bits_as_a_comparison_sort(
            bits in proptest::collection::vec(any::<u64>(), 0..1200),
            pensions in proptest::collection::vec(0.0f64..20_000.0, 0..1200),
        ) {
            let mut v: Vec<f64> = bits.iter().map(|&b| f64::from_bits(b)).collect();
            let want = by_comparison(&v);
            sort_total(&mut v);
            prop_assert_eq!(v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want);
            let mut p = pensions.clone();
            let want = by_comparison(&p);
            sort_total(&mut p);
            prop_assert_eq!(p.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want);
        }
    }
}
