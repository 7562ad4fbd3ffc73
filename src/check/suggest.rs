//! "Did you mean …?": the nearest known name by edit distance.

/// The optimal-string-alignment distance between two names (a swap of neighbours counts 1).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a likely misspelling
/// (at most a third of the name's length, and at least one edit, away). Ties go to the
/// alphabetically first candidate, so the answer is deterministic.
pub fn nearest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_misspelt_predicate() {
        let known = ["diplomatic_ties", "trade_complementarity", "window_open"];
        assert_eq!(nearest("diplomatic_tie", known), Some("diplomatic_ties"));
        assert_eq!(nearest("diplomatci_ties", known), Some("diplomatic_ties"));
        assert_eq!(nearest("policy", known), None);
        assert_eq!(distance("ab", "ba"), 1);
    }
}
