//! Recognising secrets in environment variables, and showing them without revealing them.
//!
//! Two signals: a value in a known credential format (whatever the variable is called), and a
//! variable *named* like a secret whose value is a literal rather than a reference to where the
//! secret is kept. Findings show secrets only through [`crate::redacted`].

use std::sync::LazyLock;

use regex::Regex;
use warden_model::Severity;

/// A credential format recognisable from the value alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CredentialKind {
    AwsAccessKeyId,
    PrivateKey,
    GitHubToken,
    SlackToken,
    StripeLiveKey,
    Jwt,
    /// `scheme://user:password@host`: a connection string with the password in it.
    UrlPassword,
}

impl CredentialKind {
    pub fn describe(self) -> &'static str {
        match self {
            CredentialKind::AwsAccessKeyId => "an AWS access key ID",
            CredentialKind::PrivateKey => "a PEM private key",
            CredentialKind::GitHubToken => "a GitHub token",
            CredentialKind::SlackToken => "a Slack token",
            CredentialKind::StripeLiveKey => "a Stripe live secret key",
            CredentialKind::Jwt => "a JSON Web Token",
            CredentialKind::UrlPassword => "a connection URL with a password",
        }
    }

    /// Provider credentials that work as they are are critical; a password in a URL is as
    /// serious as any other literal password.
    pub fn severity(self) -> Severity {
        match self {
            CredentialKind::UrlPassword => Severity::High,
            _ => Severity::Critical,
        }
    }
}

/// Patterns are constants; a pattern that failed to compile would only disable itself (a unit
/// test checks they all compile).
fn pattern(re: &str) -> Option<Regex> {
    Regex::new(re).ok()
}

static PATTERNS: LazyLock<Vec<(CredentialKind, Option<Regex>)>> = LazyLock::new(|| {
    vec![
        (
            CredentialKind::AwsAccessKeyId,
            pattern(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
        ),
        (
            CredentialKind::PrivateKey,
            pattern(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        ),
        (
            CredentialKind::GitHubToken,
            pattern(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,255})\b"),
        ),
        (
            CredentialKind::SlackToken,
            pattern(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
        ),
        (
            CredentialKind::StripeLiveKey,
            pattern(r"\b[rs]k_live_[A-Za-z0-9]{20,}\b"),
        ),
        (
            CredentialKind::Jwt,
            pattern(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        ),
        (
            CredentialKind::UrlPassword,
            pattern(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:(?P<password>[^/\s@]+)@"),
        ),
    ]
});

/// A credential found in a value: its kind and the matched text (to be redacted, never shown).
pub(crate) struct Credential<'a> {
    pub kind: CredentialKind,
    pub text: &'a str,
}

/// The first credential in a known format found in `value`.
pub(crate) fn find_credential(value: &str) -> Option<Credential<'_>> {
    for (kind, re) in PATTERNS.iter() {
        let Some(re) = re else { continue };
        for caps in re.captures_iter(value) {
            let Some(whole) = caps.get(0) else { continue };
            // `postgres://user:changeme@host` in a sample is not a credential.
            if let Some(password) = caps.name("password")
                && is_placeholder(password.as_str())
            {
                continue;
            }
            return Some(Credential {
                kind: *kind,
                text: whole.as_str(),
            });
        }
    }
    None
}

/// What a variable named like a secret holds, by its name: `Some("password")` for
/// `DB_PASSWORD`, `None` for `PASSWORD_MIN_LENGTH` or `KMS_KEY_ID`.
///
/// The name is split into words (`_`, `-`, `.`, and camelCase boundaries) and judged by its
/// *last* word, the noun it names: `SECRET_ARN`, `TOKEN_URL`, `API_KEY_HEADER` and
/// `PASSWORD_POLICY` name something else and are not secrets. A last word `KEY` is a secret
/// (`SIGNING_KEY`, `STRIPE_KEY`) unless the word before it says it is an identifier or a data
/// key (`KMS_KEY`, `TABLE_KEY`, `PARTITION_KEY`, `S3_KEY`, `PUBLIC_KEY`, ...). Plural `TOKENS`
/// is not a secret (`MAX_TOKENS`), nor are pagination tokens (`NEXT_TOKEN`).
pub(crate) fn secret_name(name: &str) -> Option<&'static str> {
    let words = words(name);
    let last = words.last()?.as_str();
    let previous = words
        .len()
        .checked_sub(2)
        .and_then(|i| words.get(i))
        .map(String::as_str);
    let compound = words.len() > 1;
    match last {
        "PASSWORD" | "PASSWD" | "PASSPHRASE" => Some("password"),
        "PWD" | "PASS" if compound => Some("password"),
        "SECRET" => Some("secret"),
        "TOKEN"
            if !matches!(
                previous,
                Some("NEXT" | "PAGE" | "PAGINATION" | "CONTINUATION" | "CURSOR" | "SYNC")
            ) =>
        {
            Some("token")
        }
        "APIKEY" => Some("API key"),
        "CREDENTIAL" | "CREDENTIALS" | "CREDS" => Some("credential"),
        "KEY" => match previous {
            Some("API") => Some("API key"),
            Some("PRIVATE") => Some("private key"),
            Some("ACCESS") => Some("access key"),
            Some("SECRET") => Some("secret key"),
            Some(word) if NOT_SECRET_KEYS.contains(&word) => None,
            Some(_) => Some("key"),
            None => None,
        },
        _ => None,
    }
}

/// Words before a final `KEY` that make it an identifier or a data key rather than a secret.
const NOT_SECRET_KEYS: &[&str] = &[
    "KMS",
    "CMK",
    "TABLE",
    "PARTITION",
    "SORT",
    "HASH",
    "RANGE",
    "PRIMARY",
    "FOREIGN",
    "COMPOSITE",
    "UNIQUE",
    "CACHE",
    "S3",
    "OBJECT",
    "BUCKET",
    "PREFIX",
    "FILE",
    "PATH",
    "IDEMPOTENCY",
    "DEDUP",
    "DEDUPLICATION",
    "PUBLIC",
    "GROUP",
    "MESSAGE",
    "ROUTING",
    "SEARCH",
    "LOOKUP",
    "MAP",
    "FIELD",
    "COLUMN",
    "INDEX",
    "SHARD",
    "STREAM",
    "PARAMETER",
    "PARAM",
    "SSM",
    "EVENT",
    "ORDER",
    "CURSOR",
    "PAGINATION",
    "FEATURE",
    "CONFIG",
    "LOCK",
    "QUEUE",
    "TOPIC",
    "ATTRIBUTE",
    "ITEM",
    "RECORD",
    "ENTITY",
    "JSON",
    "HEADER",
    "QUERY",
    "METRIC",
    "DIMENSION",
    "TENANT",
    "USER",
    "CUSTOMER",
];

/// Upper-case words of a variable name: `dbPassword` → `DB`, `PASSWORD`; `APIKey` → `API`, `KEY`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if c.is_ascii_uppercase() => {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
                _ => false,
            };
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word).to_ascii_uppercase());
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word.to_ascii_uppercase());
        }
    }
    out
}

/// Whether a literal value named like a secret is plausibly the secret itself, rather than a
/// pointer to where it is kept or a placeholder: not empty, not a dynamic reference
/// (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`, `{{resolve:ssm:...}}`), not
/// an ARN, a KMS alias or a parameter path (`/prod/db/password`), not a boolean, not shorter
/// than 4 characters, and not an obvious placeholder.
pub(crate) fn is_literal_secret(name: &str, value: &str) -> bool {
    let value = value.trim();
    if value.chars().count() < 4 || value.contains("{{resolve:") {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let pointer = lower.starts_with("arn:")
        || lower.starts_with("alias/")
        || (value.starts_with('/') && !value.contains(char::is_whitespace));
    let boolean = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "enabled" | "disabled" | "none" | "null"
    );
    !(pointer || boolean || is_placeholder(value) || lower == name.to_ascii_lowercase())
}

/// `changeme`, `<your-token>`, `${TOKEN}`, `{{token}}`, `xxxxxxxx`, `********`, `your_api_key_here`...
fn is_placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    let bracketed = |open: &str, close: &str| lower.starts_with(open) && lower.ends_with(close);
    const WORDS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "replaceme",
        "replace-me",
        "replace_me",
        "todo",
        "tbd",
        "placeholder",
        "dummy",
        "redacted",
        "example",
        "n/a",
        "null",
        "none",
        "secret-here",
    ];
    let repeated = lower.chars().next().is_some_and(|first| {
        (!first.is_ascii_alphanumeric() || first == 'x') && lower.chars().all(|c| c == first)
    });
    WORDS.contains(&lower.as_str())
        || repeated
        || bracketed("<", ">")
        || bracketed("${", "}")
        || bracketed("{{", "}}")
        || bracketed("%", "%")
        || lower.starts_with("your-")
        || lower.starts_with("your_")
        || lower.starts_with("your ")
        || lower.ends_with("_here")
        || lower.ends_with("-here")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for (kind, re) in PATTERNS.iter() {
            assert!(re.is_some(), "{kind:?} pattern does not compile");
        }
    }

    // Token-shaped test inputs are split with `concat!` so that secret scanners reading this
    // source do not mistake them for leaked credentials.
    #[test]
    fn known_formats_are_found_anywhere_in_a_value() {
        let kind = |v: &str| find_credential(v).map(|c| c.kind);
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), Some(CredentialKind::AwsAccessKeyId));
        assert_eq!(
            kind("id=ASIAY34FZKBOKMUTVV7A;"),
            Some(CredentialKind::AwsAccessKeyId)
        );
        assert_eq!(
            kind("-----BEGIN RSA PRIVATE KEY-----\nMIIEow..."),
            Some(CredentialKind::PrivateKey)
        );
        assert_eq!(
            kind("-----BEGIN PRIVATE KEY-----"),
            Some(CredentialKind::PrivateKey)
        );
        assert_eq!(
            kind(concat!("gh", "p_0123456789abcdefghijABCDEFGHIJ012345")),
            Some(CredentialKind::GitHubToken)
        );
        assert_eq!(
            kind(concat!("xo", "xb-1234567890-abcdefghij")),
            Some(CredentialKind::SlackToken)
        );
        assert_eq!(
            kind(concat!("sk", "_live_4eC39HqLyjWDarjtT1zdp7dc")),
            Some(CredentialKind::StripeLiveKey)
        );
        assert_eq!(
            kind(
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
            ),
            Some(CredentialKind::Jwt)
        );
        assert_eq!(
            kind("postgres://app:S3cr3t-Passw0rd@db.internal:5432/app"),
            Some(CredentialKind::UrlPassword)
        );
    }

    #[test]
    fn look_alikes_are_not_credentials() {
        for value in [
            "AKIA",                                  // too short
            "arn:aws:iam::123456789012:role/AKIA",   // not 20 characters
            "-----BEGIN PUBLIC KEY-----",            // public
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",      // test key
            "https://example.com/path",              // no userinfo
            "postgres://app:changeme@localhost/app", // placeholder password
            "postgres://app:${DbPassword}@db/app",   // templated password
        ] {
            assert!(find_credential(value).is_none(), "{value}");
        }
    }

    #[test]
    fn names_are_judged_by_their_last_word() {
        for (name, kind) in [
            ("DB_PASSWORD", "password"),
            ("dbPassword", "password"),
            ("DB_PASS", "password"),
            ("CLIENT_SECRET", "secret"),
            ("GITHUB_TOKEN", "token"),
            ("apiKey", "API key"),
            ("APIKey", "API key"),
            ("STRIPE_APIKEY", "API key"),
            ("JWT_PRIVATE_KEY", "private key"),
            ("AWS_SECRET_ACCESS_KEY", "access key"),
            ("SERVICE_CREDENTIALS", "credential"),
            ("SIGNING_KEY", "key"),
        ] {
            assert_eq!(secret_name(name), Some(kind), "{name}");
        }
        for name in [
            "KMS_KEY_ID",
            "KMS_KEY",
            "SIGNING_KEY_ARN",
            "SECRET_NAME",
            "SECRET_ARN",
            "TABLE_KEY",
            "PARTITION_KEY",
            "S3_OBJECT_KEY",
            "PUBLIC_KEY",
            "KEY",
            "PASSWORD_MIN_LENGTH",
            "TOKEN_URL",
            "MAX_TOKENS",
            "NEXT_TOKEN",
            "PWD",
            "PASS_THROUGH",
            "BYPASS",
            "TABLE_NAME",
        ] {
            assert_eq!(secret_name(name), None, "{name}");
        }
    }

    #[test]
    fn references_and_placeholders_are_not_literal_secrets() {
        for value in [
            "",
            "   ",
            "abc",
            "{{resolve:secretsmanager:prod/db:SecretString:password}}",
            "{{resolve:ssm-secure:/prod/db/password:1}}",
            "{{resolve:ssm:/prod/api/key}}",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
            "alias/app-key",
            "/prod/db/password",
            "true",
            "changeme",
            "<your-password>",
            "${DB_PASSWORD}",
            "xxxxxxxx",
            "********",
            "your_api_key_here",
            "DB_PASSWORD",
        ] {
            assert!(!is_literal_secret("DB_PASSWORD", value), "{value:?}");
        }
        assert!(is_literal_secret("DB_PASSWORD", "hunter2!"));
        assert!(is_literal_secret("DB_PASSWORD", "p@ss word with spaces"));
    }
}
