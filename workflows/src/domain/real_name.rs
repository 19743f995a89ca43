//! Matching the partial real-name info a client collected against a stored record.

use unicode_normalization::UnicodeNormalization;

use super::{IdNumber, IdSuffix, PersonName};

/// Whether a name and id suffix typed by a client match a stored real-name record: the
/// names are equal after Unicode NFKC normalisation, trimming and collapsing whitespace
/// (ASCII letters compared case-insensitively), and the record's id number ends with the
/// suffix. The id part is
/// compared without an early exit, in time that depends only on the suffix's length.
pub fn real_name_matches(
    name_typed: &PersonName,
    suffix: &IdSuffix,
    record_name: &PersonName,
    record_id: &IdNumber,
) -> bool {
    let names_equal = normalise(name_typed.expose()) == normalise(record_name.expose());
    let id_matches = ends_with_constant_time(record_id.expose().as_bytes(), suffix.expose());
    names_equal & id_matches
}

/// Normalises to NFKC, so that one name typed in another normal form (a decomposed `é`,
/// full-width Latin letters) compares equal; then trims, collapses every run of Unicode
/// whitespace into one space and lowercases ASCII.
fn normalise(name: &str) -> String {
    name.nfkc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// `record.ends_with(suffix)`, touching every suffix byte whatever differs.
fn ends_with_constant_time(record: &[u8], suffix: &str) -> bool {
    let suffix = suffix.as_bytes();
    let Some(start) = record.len().checked_sub(suffix.len()) else {
        return false;
    };
    let difference = record[start..]
        .iter()
        .zip(suffix)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> PersonName {
        PersonName::parse(raw).unwrap()
    }

    fn suffix(raw: &str) -> IdSuffix {
        IdSuffix::parse(raw).unwrap()
    }

    fn id() -> IdNumber {
        IdNumber::parse("11010519491231002X").unwrap()
    }

    #[test]
    fn matches_the_same_name_and_a_true_suffix_of_any_length() {
        for tail in ["002X", "1002x", "31002X"] {
            assert!(real_name_matches(
                &name("张三"),
                &suffix(tail),
                &name("张三"),
                &id()
            ));
        }
    }

    #[test]
    fn collapses_whitespace_and_ignores_ascii_case() {
        let record = name("Li  Wei");
        assert!(real_name_matches(
            &name(" li wei "),
            &suffix("002X"),
            &record,
            &id()
        ));
        assert!(real_name_matches(
            &name("LI\u{3000}WEI"),
            &suffix("002X"),
            &record,
            &id()
        ));
        assert!(!real_name_matches(
            &name("LiWei"),
            &suffix("002X"),
            &record,
            &id()
        ));
    }

    #[test]
    fn compares_names_in_nfkc() {
        let record = name("Zo\u{00E9} Li");
        for typed in ["Zoe\u{0301} Li", "Ｚｏé Ｌｉ", "ＺＯ\u{00E9}\u{3000}ＬＩ"] {
            assert!(
                real_name_matches(&name(typed), &suffix("002X"), &record, &id()),
                "{typed:?}"
            );
        }
        assert!(real_name_matches(
            &name("Zo\u{00E9} Li"),
            &suffix("002X"),
            &name("Zoe\u{0301} Li"),
            &id()
        ));
        assert!(!real_name_matches(
            &name("Zoe Li"),
            &suffix("002X"),
            &record,
            &id()
        ));
    }

    #[test]
    fn refuses_another_name_or_suffix() {
        assert!(!real_name_matches(
            &name("张四"),
            &suffix("002X"),
            &name("张三"),
            &id()
        ));
        assert!(!real_name_matches(
            &name("张三"),
            &suffix("0020"),
            &name("张三"),
            &id()
        ));
        assert!(!real_name_matches(
            &name("张三"),
            &suffix("1231"),
            &name("张三"),
            &id()
        ));
        assert!(!real_name_matches(
            &name("张三"),
            &suffix("931002"),
            &name("张三"),
            &id()
        ));
    }

    #[test]
    fn the_id_comparison_checks_the_whole_tail() {
        assert!(ends_with_constant_time(b"123456", "3456"));
        assert!(!ends_with_constant_time(b"123456", "0456"));
        assert!(!ends_with_constant_time(b"123456", "3450"));
        assert!(!ends_with_constant_time(b"456", "3456"));
    }
}
