//! Characters that render as nothing, so a text made only of them looks empty to a person.

/// Every character that shows nothing, as ranges: Unicode `White_Space`, the control
/// characters (`Cc`), the Default_Ignorable_Code_Point ranges (zero-width spaces and
/// joiners, bidi controls, the soft hyphen, variation selectors, Hangul fillers, tags, …),
/// and the braille blank U+2800, which is not ignorable but renders as an empty cell.
/// One list serves the check and the schemas that document it.
pub const INVISIBLE_RANGES: [(char, char); 22] = [
    ('\u{0000}', '\u{0020}'),
    ('\u{007F}', '\u{00A0}'),
    ('\u{00AD}', '\u{00AD}'),
    ('\u{034F}', '\u{034F}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{2000}', '\u{200F}'),
    ('\u{2028}', '\u{202F}'),
    ('\u{205F}', '\u{206F}'),
    ('\u{2800}', '\u{2800}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFF8}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
];

/// Whether `c` shows nothing (see [`INVISIBLE_RANGES`]). Names made only of such
/// characters are refused, because a person could not read or retype them.
pub fn is_invisible(c: char) -> bool {
    INVISIBLE_RANGES
        .iter()
        .any(|(first, last)| (*first..=*last).contains(&c))
}

/// The invisible characters as the inside of a regular-expression character class, for
/// the schemas that document the check: `\uXXXX` escapes within the Basic Multilingual
/// Plane, which ECMA-262, Python and Rust read alike, and the characters themselves beyond
/// it, where escapes differ between engines.
pub fn invisible_class() -> String {
    let one = |c: char| {
        if u32::from(c) <= 0xFFFF {
            format!("\\u{:04x}", u32::from(c))
        } else {
            c.to_string()
        }
    };
    INVISIBLE_RANGES
        .iter()
        .map(|(first, last)| match first == last {
            true => one(*first),
            false => format!("{}-{}", one(*first), one(*last)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{invisible_class, is_invisible};

    #[test]
    fn every_white_space_and_control_character_is_invisible() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if c.is_whitespace() || c.is_control() {
                assert!(is_invisible(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn zero_width_bidi_tags_and_fillers_are_invisible() {
        for c in [
            '\u{00AD}',
            '\u{034F}',
            '\u{061C}',
            '\u{115F}',
            '\u{180E}',
            '\u{200B}',
            '\u{200E}',
            '\u{202E}',
            '\u{2066}',
            '\u{2800}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{FFA0}',
            '\u{1BCA0}',
            '\u{1D173}',
            '\u{E0041}',
        ] {
            assert!(is_invisible(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_class_escapes_the_basic_plane_and_spells_out_the_rest() {
        let class = invisible_class();
        assert!(
            class.starts_with("\\u0000-\\u0020\\u007f-\\u00a0"),
            "{class}"
        );
        assert!(class.ends_with("\u{E0000}-\u{E0FFF}"), "{class}");
    }

    #[test]
    fn letters_digits_and_marks_are_visible() {
        for c in ['a', 'Z', '张', 'é', '\u{0301}', '0', '-', '·'] {
            assert!(!is_invisible(c), "{:X}", c as u32);
        }
    }
}
