//! Link tokens: what the merchant's app hands to the wallet app, and what the wallet
//! exchanges for a virtual account id. 256 random bits; the store keeps only their
//! SHA-256 (a fast hash suffices for a value that cannot be guessed).

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What every link token starts with, so a leaked one is recognisable in a secret scan.
const PREFIX: &str = "lt_";
/// Random bytes in a token.
const RANDOM_BYTES: usize = 32;

/// A link token. Shown once, to the merchant that created the link; never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkToken(String);

impl LinkToken {
    /// A new random token.
    pub fn generate() -> LinkToken {
        let mut random = [0u8; RANDOM_BYTES];
        rand::rng().fill_bytes(&mut random);
        LinkToken(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(random)))
    }

    /// The token a wallet presented, if it has a token's shape; anything else can name no
    /// link, so it is answered like an unknown token.
    pub fn presented(raw: &str) -> Option<LinkToken> {
        let body = raw.strip_prefix(PREFIX)?;
        let decoded = URL_SAFE_NO_PAD.decode(body).ok()?;
        (decoded.len() == RANDOM_BYTES).then(|| LinkToken(raw.to_owned()))
    }

    /// The hash under which the store keeps it (hex SHA-256).
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The token in clear: only for the response that hands it out.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::LinkToken;

    #[test]
    fn tokens_are_random_and_only_their_own_shape_is_presented() {
        let token = LinkToken::generate();
        assert_ne!(token, LinkToken::generate());
        assert_eq!(token.expose().len(), 3 + 43);
        assert_eq!(LinkToken::presented(token.expose()), Some(token.clone()));
        assert_eq!(token.hash().len(), 64);
        assert!(!format!("{token:?}").contains(&token.expose()[3..]));
        let body = &token.expose()[3..];
        for bad in [
            String::new(),
            body.to_owned(),
            format!("lt_{}", &body[1..]),
            format!("lt_{body}A"),
            format!("lt_{}", body.replace(|c: char| c.is_alphanumeric(), "+")),
            "lt_张".to_owned(),
        ] {
            assert_eq!(LinkToken::presented(&bad), None, "{bad:?}");
        }
    }
}
