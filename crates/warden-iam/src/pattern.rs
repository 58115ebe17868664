//! IAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one.
//! Actions compare without regard to ASCII case; ARNs and most condition values with it.

use crate::condition::glob_match;

/// Whether `text` matches the IAM wildcard `pattern`. One matcher serves the whole engine:
/// the evaluator's allocation-free one (`condition::glob_match`).
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if ignore_case
        && (pattern.bytes().any(|b| b.is_ascii_uppercase()) || text.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return glob_match(&pattern.to_ascii_lowercase(), &[], 0, &text.to_ascii_lowercase());
    }
    glob_match(pattern, &[], 0, text)
}

/// Whether an action pattern (`s3:Get*`, `*`) covers the action `service:Name`.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, true)
}

/// Whether an ARN pattern covers the ARN (case-sensitive, as AWS compares ARNs).
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    wildcard_match(pattern, arn, false)
}

/// Whether a pattern can match more than one string.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn basics() {
        assert!(action_matches("s3:Get*", "s3:GetObject"));
        assert!(action_matches("S3:get*", "s3:GetObject"), "actions ignore case");
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(action_matches("*", "iam:PassRole"));
        assert!(action_matches("s3:?etObject", "s3:GetObject"));
        assert!(!action_matches("s3:?etObject", "s3:etObject"));
        assert!(arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b"));
        assert!(
            !arn_matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a"),
            "ARNs are case-sensitive"
        );
        assert!(
            arn_matches("a*b*c", "abc") && arn_matches("a*b*c", "aXbYbZc") && !arn_matches("a*b*c", "acb")
        );
    }

    #[test]
    fn adversarial_patterns_stay_fast() {
        let pattern = "a*".repeat(200) + "b";
        let text = "a".repeat(5_000);
        assert!(!wildcard_match(&pattern, &text, false));
    }

    /// A reference implementation by recursion, for small inputs.
    fn reference(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => reference(&p[1..], &t[1..]),
            _ => false,
        }
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(wildcard_match(&p, &t, false), reference(&pc, &tc));
        }

        #[test]
        fn a_literal_matches_itself(t in "[a-zA-Z0-9:/_-]{0,40}") {
            prop_assert!(wildcard_match(&t, &t, false));
            prop_assert!(wildcard_match("*", &t, false));
        }

        #[test]
        fn case_folding_only_when_asked(t in "[a-z]{1,20}") {
            let upper = t.to_uppercase();
            prop_assert!(wildcard_match(&upper, &t, true));
            prop_assert!(!wildcard_match(&upper, &t, false));
        }
    }
}
