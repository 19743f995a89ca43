//! Masks personal data before it reaches a log line.

/// Keeps only the last four characters of `value`, enough to correlate log
/// lines without revealing an id, phone or card number. Values of four
/// characters or fewer are hidden entirely.
pub(crate) fn mask(value: &str) -> String {
    let count = value.chars().count();
    if count <= 4 {
        return "***".to_owned();
    }
    let tail: String = value.chars().skip(count - 4).collect();
    format!("***{tail}")
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn keeps_only_the_last_four_characters() {
        assert_eq!(mask("11010519491231002X"), "***002X");
        assert_eq!(mask("1234"), "***");
        assert_eq!(mask(""), "***");
    }
}
