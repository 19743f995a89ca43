//! A person's full name as a bank or wallet holds it.

use super::{is_invisible, ParseError};
use serde::{Deserialize, Serialize};
use std::fmt;

const FIELD: &str = "name";
const MAX_CHARS: usize = 64;

/// A trimmed name of at most 64 characters without control characters, with at least one
/// visible character (a name of zero-width or bidi-control characters only looks empty).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(ParseError::new(FIELD, "must not be empty"));
        }
        if value.chars().count() > MAX_CHARS {
            return Err(ParseError::new(FIELD, "must be at most 64 characters"));
        }
        if value.chars().any(char::is_control) {
            return Err(ParseError::new(
                FIELD,
                "must not contain control characters",
            ));
        }
        if value.chars().all(is_invisible) {
            return Err(ParseError::new(FIELD, "must contain a visible character"));
        }
        Ok(Self(value.to_owned()))
    }

    /// The clear value, for party calls only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The name as it may be shown to another person: first character, the rest starred.
    pub fn masked(&self) -> String {
        self.0
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect()
    }
}

impl TryFrom<String> for PersonName {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", self.masked())
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::PersonName;

    #[test]
    fn parses_and_masks() {
        let name = PersonName::parse(" 张三丰 ").unwrap();
        assert_eq!(name.expose(), "张三丰");
        assert_eq!(name.masked(), "张**");
        assert!(PersonName::parse("  ").is_err());
        assert!(PersonName::parse("a\nb").is_err());
    }

    #[test]
    fn refuses_names_of_invisible_characters_only() {
        for raw in [
            "\u{200B}",
            "\u{200E}\u{200F}",
            "\u{202E}",
            "\u{2066}\u{2069}",
            "\u{FEFF}",
            "\u{00AD}\u{00AD}",
            " \u{200B} \u{3000}\u{2060} ",
        ] {
            let error = PersonName::parse(raw).unwrap_err();
            assert_eq!(error.field, "name", "{raw:?}");
        }
        assert_eq!(
            PersonName::parse("\u{200B}李雷").unwrap().expose(),
            "\u{200B}李雷"
        );
    }
}
