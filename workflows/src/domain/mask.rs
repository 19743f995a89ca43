//! Masking of personal data for logs, errors and `Debug` output.

/// Shows only the last `visible` characters of `value`, every other one as `*`,
/// so that a log line can be matched to a record without revealing it.
pub fn mask_tail(value: &str, visible: usize) -> String {
    let count = value.chars().count();
    let hidden = count.saturating_sub(visible);
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < hidden { '*' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mask_tail;

    #[test]
    fn keeps_only_the_tail() {
        assert_eq!(mask_tail("4111111111111111", 4), "************1111");
        assert_eq!(mask_tail("ab", 4), "ab");
    }
}
