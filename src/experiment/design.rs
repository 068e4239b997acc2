//! Experimental designs over parameters: full grids, Latin hypercubes and Morris one-at-a-time
//! trajectories. Designs work in the unit cube; `spec` maps unit coordinates to parameter
//! values. Random choices (LHS strata, Morris starting points and orders) come from a keyed
//! hash of the master seed ([`unit`]), so a design is a pure function of the sweep file.

use crate::rng::mix64;

/// A uniform number in [0, 1) keyed by (seed, stream, index): the `index`-th draw of the
/// design stream `stream`. A pure function, so designs need no generator state.
pub fn unit(seed: u64, stream: u64, index: u64) -> f64 {
    let k = mix64(mix64(seed ^ 0x5EED_DE51_6E00_0000) ^ mix64(stream.wrapping_add(0x9E37_79B9)));
    let z = mix64(k ^ mix64(index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1)));
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// An integer in 0..n from [`unit`].
fn below(seed: u64, stream: u64, index: u64, n: usize) -> usize {
    ((unit(seed, stream, index) * n as f64) as usize).min(n.saturating_sub(1))
}

/// A permutation of 0..n (Fisher–Yates over keyed draws).
fn permutation(seed: u64, stream: u64, n: usize) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = below(seed, stream, i as u64, i + 1);
        p.swap(i, j);
    }
    p
}

/// Every combination of level indices, the last parameter varying fastest.
pub fn grid(levels: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for &n in levels {
        let mut next = Vec::with_capacity(out.len() * n);
        for prefix in &out {
            for i in 0..n {
                let mut v = prefix.clone();
                v.push(i);
                next.push(v);
            }
        }
        out = next;
    }
    out
}

/// A Latin hypercube of `samples` points in `k` dimensions: in every dimension each of the
/// `samples` equal strata holds exactly one point, placed uniformly inside its stratum.
pub fn latin_hypercube(seed: u64, samples: usize, k: usize) -> Vec<Vec<f64>> {
    let perms: Vec<Vec<usize>> = (0..k)
        .map(|j| permutation(seed, 1_000 + j as u64, samples))
        .collect();
    (0..samples)
        .map(|i| {
            (0..k)
                .map(|j| {
                    let u = unit(seed, 2_000 + j as u64, i as u64);
                    (perms[j][i] as f64 + u) / samples as f64
                })
                .collect()
        })
        .collect()
}

/// One point of a Morris trajectory: its unit coordinates, and for every point after the
/// first, which parameter moved and by how much (±Δ in unit space).
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisPoint {
    pub trajectory: usize,
    pub step: usize,
    pub x: Vec<f64>,
    pub moved: Option<(usize, f64)>,
}

/// `r` Morris trajectories of `k + 1` points on a grid of `p` levels (p even), with the step
/// Δ = p / (2(p − 1)) (Morris 1991; Saltelli et al. 2008, ch. 3). Each trajectory starts at a
/// random grid point from which every coordinate can move by Δ in its random direction, then
/// moves the parameters one at a time in a random order.
pub fn morris(seed: u64, r: usize, k: usize, p: usize) -> Vec<MorrisPoint> {
    let half = p / 2; // Δ in grid steps
    let delta = half as f64 / (p - 1) as f64;
    let mut out = Vec::with_capacity(r * (k + 1));
    for t in 0..r {
        let stream = 10_000 + 10 * t as u64;
        let dirs: Vec<f64> = (0..k)
            .map(|i| {
                if unit(seed, stream, i as u64) < 0.5 {
                    1.0
                } else {
                    -1.0
                }
            })
            .collect();
        // Starting level: 0..p-half going up, half..p going down.
        let mut x: Vec<f64> = (0..k)
            .map(|i| {
                let l = below(seed, stream + 1, i as u64, p - half);
                let level = if dirs[i] > 0.0 { l } else { l + half };
                level as f64 / (p - 1) as f64
            })
            .collect();
        let order = permutation(seed, stream + 2, k);
        out.push(MorrisPoint {
            trajectory: t,
            step: 0,
            x: x.clone(),
            moved: None,
        });
        for (s, &i) in order.iter().enumerate() {
            let d = dirs[i] * delta;
            // Snap to the grid so the level arithmetic stays exact.
            x[i] = ((x[i] + d) * (p - 1) as f64).round() / (p - 1) as f64;
            out.push(MorrisPoint {
                trajectory: t,
                step: s + 1,
                x: x.clone(),
                moved: Some((i, d)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_the_full_product_last_fastest() {
        assert_eq!(
            grid(&[2, 3]),
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        assert_eq!(grid(&[]), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn latin_hypercube_fills_each_stratum_once() {
        let pts = latin_hypercube(7, 10, 3);
        assert_eq!(pts.len(), 10);
        for j in 0..3 {
            let mut strata: Vec<usize> = pts.iter().map(|p| (p[j] * 10.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>(), "dimension {j}");
        }
        assert_eq!(pts, latin_hypercube(7, 10, 3), "deterministic");
        assert_ne!(pts, latin_hypercube(8, 10, 3), "depends on the seed");
    }

    #[test]
    fn morris_moves_one_parameter_by_delta_each_step_and_stays_in_the_cube() {
        let (k, p) = (4, 4);
        let pts = morris(3, 5, k, p);
        assert_eq!(pts.len(), 5 * (k + 1));
        let delta = 2.0 / 3.0;
        for w in pts.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            for c in &b.x {
                assert!((0.0..=1.0).contains(c), "{c}");
            }
            if let Some((i, d)) = b.moved {
                assert_eq!(a.trajectory, b.trajectory);
                assert!((d.abs() - delta).abs() < 1e-12);
                assert!((b.x[i] - a.x[i] - d).abs() < 1e-12);
                for j in (0..k).filter(|&j| j != i) {
                    assert_eq!(a.x[j], b.x[j]);
                }
            }
        }
        // Every parameter moves exactly once per trajectory.
        for t in 0..5 {
            let mut moved: Vec<usize> = pts
                .iter()
                .filter(|p| p.trajectory == t)
                .filter_map(|p| p.moved.map(|m| m.0))
                .collect();
            moved.sort_unstable();
            assert_eq!(moved, (0..k).collect::<Vec<_>>());
        }
    }
}
