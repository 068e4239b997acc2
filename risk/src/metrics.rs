//! Discrimination and calibration of scores against labels.

/// Area under the ROC curve (ties count one half), by ranks.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let pos = labels.iter().filter(|&&l| l).count();
    let neg = labels.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if labels[k] {
                rank_sum += avg;
            }
        }
        i = j + 1;
    }
    Some((rank_sum - pos as f64 * (pos as f64 + 1.0) / 2.0) / (pos as f64 * neg as f64))
}

/// Indices by descending score (ties by index, so the order is reproducible).
fn descending(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    idx
}

/// Average precision (area under the precision–recall curve, step-wise).
pub fn pr_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let pos = labels.iter().filter(|&&l| l).count();
    if pos == 0 {
        return None;
    }
    let (mut tp, mut ap) = (0usize, 0.0);
    for (n, &i) in descending(scores).iter().enumerate() {
        if labels[i] {
            tp += 1;
            ap += tp as f64 / (n + 1) as f64;
        }
    }
    Some(ap / pos as f64)
}

pub fn brier(scores: &[f64], labels: &[bool]) -> f64 {
    let n = scores.len().max(1) as f64;
    scores
        .iter()
        .zip(labels)
        .map(|(s, &l)| (s - f64::from(u8::from(l))).powi(2))
        .sum::<f64>()
        / n
}

/// The lowest threshold at which the examples scored at or above it reach `precision`
/// (None when no threshold does).
pub fn threshold_for_precision(scores: &[f64], labels: &[bool], precision: f64) -> Option<f64> {
    let mut tp = 0usize;
    let mut best = None;
    let idx = descending(scores);
    for (n, &i) in idx.iter().enumerate() {
        tp += usize::from(labels[i]);
        let next_differs = idx.get(n + 1).is_none_or(|&j| scores[j] < scores[i]);
        if next_differs && tp >= 5 && tp as f64 / (n + 1) as f64 >= precision {
            best = Some(scores[i]);
        }
    }
    best
}

/// Calibration in `bins` groups of equal size by predicted risk (deciles for 10; equal-count
/// groups suit rare events, where equal-width bins would hold nearly everything in the first):
/// (mean predicted, observed rate, n).
pub fn calibration(scores: &[f64], labels: &[bool], bins: usize) -> Vec<(f64, f64, usize)> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(a.cmp(&b)));
    let n = idx.len();
    (0..bins)
        .filter_map(|b| {
            let part = &idx[b * n / bins..(b + 1) * n / bins];
            if part.is_empty() {
                return None;
            }
            let k = part.len() as f64;
            let p = part.iter().map(|&i| scores[i]).sum::<f64>() / k;
            let o = part.iter().filter(|&&i| labels[i]).count() as f64 / k;
            Some((p, o, part.len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_perfect_random_and_reversed_scores() {
        let labels = [false, false, true, true];
        assert_eq!(auc(&[0.1, 0.2, 0.8, 0.9], &labels), Some(1.0));
        assert_eq!(auc(&[0.9, 0.8, 0.2, 0.1], &labels), Some(0.0));
        assert_eq!(auc(&[0.5; 4], &labels), Some(0.5));
        assert_eq!(pr_auc(&[0.1, 0.2, 0.8, 0.9], &labels), Some(1.0));
        assert!((brier(&[0.0, 1.0], &[false, true])).abs() < 1e-12);
    }
}
