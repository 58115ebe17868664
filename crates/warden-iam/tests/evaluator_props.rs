//! Properties of the evaluator over generated policies and requests: it never panics, an
//! applicable explicit deny always wins, a negated operator is the exact complement of its
//! positive form (for present and missing keys alike), and decisions name their statements.

use proptest::prelude::*;
use serde_json::{Value as Json, json};
use warden_iam::Policy;
use warden_iam::context::{Principal, Request};
use warden_iam::eval::{Outcome, PolicySet};

fn parse(doc: &Json) -> Option<Policy> {
    Policy::parse(&warden_model::Value::from_json(doc)).ok()
}

/// Strings that exercise wildcards, ARN colons, numbers, dates, addresses and variables.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c*?:/.-]{0,10}",
        "arn:aws:[a-c*]{1,3}:[a-z0-9-]{0,9}:[0-9*]{0,12}:[a-c/*?:]{0,8}",
        "-?[0-9]{1,4}(\\.[0-9]{1,3})?",
        "20[0-9]{2}-0[1-9]-[0-2][1-9](T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z)?",
        "10\\.[0-9]\\.[0-9]\\.[0-9]{1,3}(/[0-9]{1,2})?",
        "2001:db8::[0-9a-f]{1,4}(/[0-9]{1,3})?",
        "\\$\\{[a-z:/*?$]{0,12}(, '[a-z]{0,3}')?\\}[a-c]{0,3}",
        "[A-Za-z0-9+/]{0,8}={0,2}",
    ]
}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Positive operators and their negations.
const PAIRS: &[(&str, &str)] = &[
    ("StringEquals", "StringNotEquals"),
    ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"),
    ("StringLike", "StringNotLike"),
    ("NumericEquals", "NumericNotEquals"),
    ("DateEquals", "DateNotEquals"),
    ("IpAddress", "NotIpAddress"),
    ("ArnEquals", "ArnNotEquals"),
    ("ArnLike", "ArnNotLike"),
];

fn operator() -> impl Strategy<Value = String> {
    (
        prop::sample::select(OPERATORS),
        prop::sample::select(&["", "ForAllValues:", "ForAnyValue:"][..]),
        any::<bool>(),
    )
        .prop_map(|(op, set, if_exists)| format!("{set}{op}{}", if if_exists { "IfExists" } else { "" }))
}

fn statement() -> impl Strategy<Value = Json> {
    (
        any::<bool>(),
        prop::collection::vec("[a-c*?]{1,3}:[a-cA-C*?]{0,6}", 1..3),
        prop::collection::vec(value(), 1..3),
        prop::option::of((operator(), "k[ab]", prop::collection::vec(value(), 1..3))),
        any::<bool>(),
    )
        .prop_map(|(allow, actions, resources, condition, not_action)| {
            let mut s = json!({"Effect": if allow { "Allow" } else { "Deny" }, "Resource": resources});
            s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
            if let Some((op, key, values)) = condition {
                s["Condition"] = json!({ op: { key: values } });
            }
            s
        })
}

fn request() -> impl Strategy<Value = Request> {
    (
        "[a-c]{1,3}:[a-cA-C]{0,6}",
        value(),
        prop::collection::vec(("k[ab]", prop::collection::vec(value(), 0..3)), 0..3),
    )
        .prop_map(|(action, resource, keys)| {
            let principal = Principal::role_session("arn:aws:iam::111122223333:role/r", "s");
            keys.into_iter()
                .fold(Request::new(principal, &action, &resource), |r, (k, v)| {
                    r.with_values(&k, v)
                })
        })
}

fn version() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(&["2012-10-17", "2008-10-17"][..]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_deny_all_wins(
        statements in prop::collection::vec(statement(), 0..6),
        version in version(),
        request in request(),
    ) {
        let mut doc = json!({"Statement": statements});
        if let Some(v) = version {
            doc["Version"] = json!(v);
        }
        let Some(policy) = parse(&doc) else { return Ok(()) };
        let set = PolicySet::new().identity(&policy, "random");
        let decision = set.evaluate(&request);
        prop_assert_eq!(decision.statements.is_empty(), decision.outcome == Outcome::ImplicitDeny);
        let guarded = set.clone().identity(&Policy::parse(&warden_model::Value::from_json(
            &json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}),
        )).expect("deny-all parses"), "deny-all");
        prop_assert_eq!(guarded.evaluate(&request).outcome, Outcome::ExplicitDeny);
    }

    #[test]
    fn negated_operators_complement_positive_ones(
        pair in prop::sample::select(PAIRS),
        policy_values in prop::collection::vec(value(), 1..3),
        request_values in prop::option::of(prop::collection::vec(value(), 1..3)),
        version in version(),
    ) {
        let allowed = |op: &str| {
            let mut doc = json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                "Condition": { op: { "test:key": policy_values.clone() } }}});
            if let Some(v) = version {
                doc["Version"] = json!(v);
            }
            let policy = parse(&doc).expect("condition policy parses");
            let mut request = Request::new(Principal::user("arn:aws:iam::111122223333:user/u"), "s3:GetObject", "*");
            if let Some(values) = &request_values {
                request = request.with_values("test:key", values.clone());
            }
            PolicySet::new().identity(&policy, "p").evaluate(&request).is_allowed()
        };
        let (positive, negated) = pair;
        // An unresolvable policy variable makes both forms fail (the statement is invalid).
        let unresolved = version == Some("2012-10-17")
            && request_values.is_some()
            && policy_values.iter().any(|v| v.contains("${") && !v.contains(", '"))
            && !matches!(positive, "NumericEquals" | "DateEquals" | "IpAddress");
        if !unresolved {
            prop_assert_ne!(allowed(positive), allowed(negated), "{} vs {}", positive, negated);
        }
    }
}
