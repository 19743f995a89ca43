//! Characters that render as nothing, so a text made only of them looks empty to a person.

/// Unicode's Default_Ignorable_Code_Point ranges (zero-width spaces and joiners, bidi
/// controls, the soft hyphen, variation selectors, Hangul fillers, tags, …), and the
/// braille blank U+2800, which is not ignorable but renders as an empty cell.
const BLANK_RANGES: [(char, char); 18] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{034F}', '\u{034F}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFF8}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
    ('\u{2800}', '\u{2800}'),
];

/// Whether `c` shows nothing: whitespace, a control character, a default-ignorable one or
/// the braille blank. Names made only of such characters are refused, because a person
/// could not read or retype them.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || BLANK_RANGES
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::is_invisible;

    #[test]
    fn zero_width_bidi_and_soft_hyphen_are_invisible() {
        for c in [
            '\u{200B}',
            '\u{200E}',
            '\u{202E}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{3000}',
            '\u{2800}',
            '\u{E0041}',
            ' ',
            '\t',
        ] {
            assert!(is_invisible(c), "{:X}", c as u32);
        }
    }

    #[test]
    fn letters_digits_and_marks_are_visible() {
        for c in ['a', 'Z', '张', 'é', '\u{0301}', '0', '-', '·'] {
            assert!(!is_invisible(c), "{:X}", c as u32);
        }
    }
}
