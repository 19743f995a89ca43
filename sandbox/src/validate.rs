//! Checks on request fields that serde alone cannot express; each names the
//! offending field so a caller can fix its request.

use onboard_workflows::domain::is_invisible;

use crate::error::ApiError;

/// A field that must show something: not empty, and not only blank or invisible
/// characters (zero-width, bidi controls), which would read as empty to a person.
pub(crate) fn required(field: &str, value: &str) -> Result<(), ApiError> {
    if value.chars().all(is_invisible) {
        return Err(ApiError::Validation(format!(
            "`{field}` must contain a visible character"
        )));
    }
    Ok(())
}

/// A card number: only digits, at least four of them so its last four can be shown.
pub(crate) fn card_number(field: &str, value: &str) -> Result<(), ApiError> {
    if value.len() < 4 || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(ApiError::Validation(format!(
            "`{field}` must be a card number of at least 4 digits"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_blank_and_non_digit_values() {
        assert!(required("name", "  ").is_err());
        assert!(required("name", "\u{200B}\u{202E}\u{2066}\u{FEFF}\u{00AD}").is_err());
        assert!(required("name", "Li Lei").is_ok());
        assert!(card_number("card_number", "123").is_err());
        assert!(card_number("card_number", "4111 1111").is_err());
        assert!(card_number("card_number", "4111111111111111").is_ok());
    }
}
