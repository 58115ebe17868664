//! Evaluator cases written from AWS's documented semantics ("IAM JSON policy elements:
//! Condition operators", "Conditions with multiple context keys or values", "Single-valued vs.
//! multivalued context keys", "IAM policy elements: Variables and tags", "Policy evaluation
//! logic", "Cross-account policy evaluation logic", "AWS JSON policy elements: Principal" and
//! "NotPrincipal"). Each table row is one case; a table fails listing every row that disagrees.

use serde_json::{Value as Json, json};
use warden_iam::Policy;
use warden_iam::context::{Principal, Request};
use warden_iam::eval::{Outcome, PolicyKind, PolicySet};

const A: &str = "111122223333";
const B: &str = "444455556666";
const ROLE: &str = "arn:aws:iam::111122223333:role/app";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/s1";
const USER: &str = "arn:aws:iam::111122223333:user/alice";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:f";
const INVOKE: &str = "lambda:InvokeFunction";

fn policy(json: Json) -> Policy {
    Policy::parse(&warden_model::Value::from_json(&json)).expect("test policy parses")
}

fn role() -> Principal {
    Principal::role_session(ROLE, "s1")
}

/// A 2012-10-17 policy of one statement.
fn one(statement: Json) -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": [statement]}))
}

fn allow(action: &str, resource: &str) -> Policy {
    one(json!({"Sid": "Allow", "Effect": "Allow", "Action": action, "Resource": resource}))
}

fn deny(action: &str, resource: &str) -> Policy {
    one(json!({"Sid": "Deny", "Effect": "Deny", "Action": action, "Resource": resource}))
}

/// A resource policy granting `action` on the function to `principal`.
fn grant(principal: Json, action: &str) -> Policy {
    one(
        json!({"Sid": "Grant", "Effect": "Allow", "Principal": principal, "Action": action, "Resource": FUNCTION}),
    )
}

fn invoke(principal: Principal) -> Request {
    Request::new(principal, INVOKE, FUNCTION)
}

// ---------------------------------------------------------------------------------------------
// Condition operators: one identity statement with the condition, one request with the keys.

struct CondCase {
    name: &'static str,
    version: Option<&'static str>,
    condition: Json,
    keys: Vec<(&'static str, Vec<&'static str>)>,
    allowed: bool,
}

/// A case under `Version: 2012-10-17`.
fn c(
    name: &'static str,
    condition: Json,
    keys: &[(&'static str, &[&'static str])],
    allowed: bool,
) -> CondCase {
    cv(name, Some("2012-10-17"), condition, keys, allowed)
}

/// A case under the given policy version (`None`: no `Version` element).
fn cv(
    name: &'static str,
    version: Option<&'static str>,
    condition: Json,
    keys: &[(&'static str, &[&'static str])],
    allowed: bool,
) -> CondCase {
    CondCase {
        name,
        version,
        condition,
        keys: keys.iter().map(|(k, v)| (*k, v.to_vec())).collect(),
        allowed,
    }
}

fn run_conditions(cases: Vec<CondCase>) -> usize {
    let mut failures = Vec::new();
    for case in &cases {
        let mut doc = json!({"Statement": [{
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": case.condition
        }]});
        if let Some(v) = case.version {
            doc["Version"] = json!(v);
        }
        let set = PolicySet::new().identity(&policy(doc), "cond");
        let mut request = Request::new(role(), "s3:GetObject", "arn:aws:s3:::bucket/key");
        for (key, values) in &case.keys {
            request = request.with_values(key, values.iter().copied());
        }
        let decision = set.evaluate(&request);
        if decision.is_allowed() != case.allowed {
            failures.push(format!(
                "{}: expected {}, got {:?}",
                case.name,
                if case.allowed { "allow" } else { "deny" },
                decision.outcome
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

const TEAM: &str = "aws:PrincipalTag/team";

#[rustfmt::skip]
#[test]
fn string_operators() {
    let n = run_conditions(vec![
        c("StringEquals match", json!({"StringEquals": {TEAM: "blue"}}), &[(TEAM, &["blue"])], true),
        c("StringEquals values are case-sensitive", json!({"StringEquals": {TEAM: "blue"}}), &[(TEAM, &["Blue"])], false),
        c("StringEquals missing key is false", json!({"StringEquals": {TEAM: "blue"}}), &[], false),
        c("StringEquals values OR'ed", json!({"StringEquals": {TEAM: ["red", "blue"]}}), &[(TEAM, &["blue"])], true),
        c("StringEquals takes no wildcards", json!({"StringEquals": {TEAM: "b*"}}), &[(TEAM, &["blue"])], false),
        c("StringEquals literal star", json!({"StringEquals": {TEAM: "b*"}}), &[(TEAM, &["b*"])], true),
        c("StringEqualsIfExists missing key is true", json!({"StringEqualsIfExists": {TEAM: "blue"}}), &[], true),
        c("StringEqualsIfExists present mismatch", json!({"StringEqualsIfExists": {TEAM: "blue"}}), &[(TEAM, &["red"])], false),
        c("StringEqualsIfExists present match", json!({"StringEqualsIfExists": {TEAM: "blue"}}), &[(TEAM, &["blue"])], true),
        c("StringNotEquals mismatch", json!({"StringNotEquals": {TEAM: "blue"}}), &[(TEAM, &["red"])], true),
        c("StringNotEquals match", json!({"StringNotEquals": {TEAM: "blue"}}), &[(TEAM, &["blue"])], false),
        c("StringNotEquals missing key is true", json!({"StringNotEquals": {TEAM: "blue"}}), &[], true),
        c("StringNotEquals values NOR'ed: one equal", json!({"StringNotEquals": {TEAM: ["red", "blue"]}}), &[(TEAM, &["blue"])], false),
        c("StringNotEquals values NOR'ed: none equal", json!({"StringNotEquals": {TEAM: ["red", "blue"]}}), &[(TEAM, &["green"])], true),
        c("StringNotEquals is case-sensitive", json!({"StringNotEquals": {TEAM: "blue"}}), &[(TEAM, &["BLUE"])], true),
        c("StringNotEqualsIfExists missing key", json!({"StringNotEqualsIfExists": {TEAM: "blue"}}), &[], true),
        c("StringNotEqualsIfExists present equal", json!({"StringNotEqualsIfExists": {TEAM: "blue"}}), &[(TEAM, &["blue"])], false),
        c("StringEqualsIgnoreCase", json!({"StringEqualsIgnoreCase": {TEAM: "BLUE"}}), &[(TEAM, &["blue"])], true),
        c("StringEqualsIgnoreCase mismatch", json!({"StringEqualsIgnoreCase": {TEAM: "BLUE"}}), &[(TEAM, &["bluer"])], false),
        c("StringEqualsIgnoreCase missing key", json!({"StringEqualsIgnoreCase": {TEAM: "BLUE"}}), &[], false),
        c("StringEqualsIgnoreCase non-ASCII", json!({"StringEqualsIgnoreCase": {TEAM: "ÉQUIPE"}}), &[(TEAM, &["équipe"])], true),
        c("StringEqualsIgnoreCaseIfExists missing key", json!({"StringEqualsIgnoreCaseIfExists": {TEAM: "BLUE"}}), &[], true),
        c("StringNotEqualsIgnoreCase equal ignoring case", json!({"StringNotEqualsIgnoreCase": {TEAM: "BLUE"}}), &[(TEAM, &["blue"])], false),
        c("StringNotEqualsIgnoreCase different", json!({"StringNotEqualsIgnoreCase": {TEAM: "BLUE"}}), &[(TEAM, &["green"])], true),
        c("StringNotEqualsIgnoreCase missing key", json!({"StringNotEqualsIgnoreCase": {TEAM: "BLUE"}}), &[], true),
        c("StringNotEqualsIgnoreCaseIfExists equal", json!({"StringNotEqualsIgnoreCaseIfExists": {TEAM: "blue"}}), &[(TEAM, &["BLUE"])], false),
        c("StringLike star", json!({"StringLike": {TEAM: "b*"}}), &[(TEAM, &["blue"])], true),
        c("StringLike question mark", json!({"StringLike": {TEAM: "bl?e"}}), &[(TEAM, &["blue"])], true),
        c("StringLike question mark is one character", json!({"StringLike": {TEAM: "bl?e"}}), &[(TEAM, &["bleue"])], false),
        c("StringLike is case-sensitive", json!({"StringLike": {TEAM: "B*"}}), &[(TEAM, &["blue"])], false),
        c("StringLike needs wildcards for partial matches", json!({"StringLike": {TEAM: "blu"}}), &[(TEAM, &["blue"])], false),
        c("StringLike missing key", json!({"StringLike": {TEAM: "*"}}), &[], false),
        c("StringLike star matches empty value", json!({"StringLike": {TEAM: "*"}}), &[(TEAM, &[""])], true),
        c("StringLikeIfExists missing key", json!({"StringLikeIfExists": {TEAM: "b*"}}), &[], true),
        c("StringLikeIfExists present mismatch", json!({"StringLikeIfExists": {TEAM: "b*"}}), &[(TEAM, &["red"])], false),
        c("StringNotLike matching value", json!({"StringNotLike": {TEAM: "b*"}}), &[(TEAM, &["blue"])], false),
        c("StringNotLike other value", json!({"StringNotLike": {TEAM: "b*"}}), &[(TEAM, &["red"])], true),
        c("StringNotLike missing key is true", json!({"StringNotLike": {TEAM: "b*"}}), &[], true),
        c("StringNotLikeIfExists present match", json!({"StringNotLikeIfExists": {TEAM: "b*"}}), &[(TEAM, &["blue"])], false),
        c("StringNotLikeIfExists missing key", json!({"StringNotLikeIfExists": {TEAM: "b*"}}), &[], true),
    ]);
    assert_eq!(n, 40);
}

#[rustfmt::skip]
#[test]
fn numeric_operators() {
    const K: &str = "s3:max-keys";
    let n = run_conditions(vec![
        c("NumericEquals", json!({"NumericEquals": {K: "10"}}), &[(K, &["10"])], true),
        c("NumericEquals decimal equals integer", json!({"NumericEquals": {K: "10"}}), &[(K, &["10.0"])], true),
        c("NumericEquals other", json!({"NumericEquals": {K: "10"}}), &[(K, &["11"])], false),
        c("NumericEquals missing key", json!({"NumericEquals": {K: "10"}}), &[], false),
        c("NumericEquals values OR'ed", json!({"NumericEquals": {K: ["1", "2"]}}), &[(K, &["2"])], true),
        c("NumericEquals not a number", json!({"NumericEquals": {K: "10"}}), &[(K, &["ten"])], false),
        c("NumericEqualsIfExists missing key", json!({"NumericEqualsIfExists": {K: "10"}}), &[], true),
        c("NumericNotEquals other", json!({"NumericNotEquals": {K: "10"}}), &[(K, &["11"])], true),
        c("NumericNotEquals equal", json!({"NumericNotEquals": {K: "10"}}), &[(K, &["10"])], false),
        c("NumericNotEquals missing key is true", json!({"NumericNotEquals": {K: "10"}}), &[], true),
        c("NumericNotEqualsIfExists equal", json!({"NumericNotEqualsIfExists": {K: "10"}}), &[(K, &["10"])], false),
        c("NumericLessThan below", json!({"NumericLessThan": {K: "10"}}), &[(K, &["9"])], true),
        c("NumericLessThan equal", json!({"NumericLessThan": {K: "10"}}), &[(K, &["10"])], false),
        c("NumericLessThan negative", json!({"NumericLessThan": {K: "0"}}), &[(K, &["-1"])], true),
        c("NumericLessThan missing key", json!({"NumericLessThan": {K: "10"}}), &[], false),
        c("NumericLessThanIfExists missing key", json!({"NumericLessThanIfExists": {K: "10"}}), &[], true),
        c("NumericLessThanIfExists above", json!({"NumericLessThanIfExists": {K: "10"}}), &[(K, &["11"])], false),
        c("NumericLessThanEquals equal", json!({"NumericLessThanEquals": {K: "10"}}), &[(K, &["10"])], true),
        c("NumericLessThanEquals decimal above", json!({"NumericLessThanEquals": {K: "10"}}), &[(K, &["10.5"])], false),
        c("NumericLessThanEqualsIfExists missing key", json!({"NumericLessThanEqualsIfExists": {K: "10"}}), &[], true),
        c("NumericGreaterThan above", json!({"NumericGreaterThan": {K: "10"}}), &[(K, &["11"])], true),
        c("NumericGreaterThan equal", json!({"NumericGreaterThan": {K: "10"}}), &[(K, &["10"])], false),
        c("NumericGreaterThan decimal", json!({"NumericGreaterThan": {K: "10"}}), &[(K, &["10.01"])], true),
        c("NumericGreaterThanIfExists missing key", json!({"NumericGreaterThanIfExists": {K: "10"}}), &[], true),
        c("NumericGreaterThanEquals equal", json!({"NumericGreaterThanEquals": {K: "10"}}), &[(K, &["10"])], true),
        c("NumericGreaterThanEquals below", json!({"NumericGreaterThanEquals": {K: "10"}}), &[(K, &["9.99"])], false),
        c("NumericGreaterThanEqualsIfExists missing key", json!({"NumericGreaterThanEqualsIfExists": {K: "10"}}), &[], true),
        c("NumericGreaterThanEqualsIfExists below", json!({"NumericGreaterThanEqualsIfExists": {K: "10"}}), &[(K, &["5"])], false),
        c("Numeric large integers stay exact", json!({"NumericEquals": {K: "9007199254740993"}}), &[(K, &["9007199254740992"])], false),
        c("Numeric policy value not a number", json!({"NumericEquals": {K: "ten"}}), &[(K, &["10"])], false),
    ]);
    assert_eq!(n, 30);
}

#[rustfmt::skip]
#[test]
fn date_operators() {
    const T: &str = "aws:CurrentTime";
    const DAY: &str = "2020-01-01T00:00:00Z";
    let n = run_conditions(vec![
        c("DateEquals", json!({"DateEquals": {T: DAY}}), &[(T, &[DAY])], true),
        c("DateEquals epoch seconds", json!({"DateEquals": {T: DAY}}), &[(T, &["1577836800"])], true),
        c("DateEquals with offset", json!({"DateEquals": {T: "2020-01-01T01:00:00+01:00"}}), &[(T, &[DAY])], true),
        c("DateEquals date only", json!({"DateEquals": {T: "2020-01-01"}}), &[(T, &[DAY])], true),
        c("DateEquals other", json!({"DateEquals": {T: DAY}}), &[(T, &["2020-01-02T00:00:00Z"])], false),
        c("DateEquals missing key", json!({"DateEquals": {T: DAY}}), &[], false),
        c("DateEqualsIfExists missing key", json!({"DateEqualsIfExists": {T: DAY}}), &[], true),
        c("DateNotEquals other", json!({"DateNotEquals": {T: DAY}}), &[(T, &["2021-01-01T00:00:00Z"])], true),
        c("DateNotEquals equal", json!({"DateNotEquals": {T: DAY}}), &[(T, &[DAY])], false),
        c("DateNotEquals missing key is true", json!({"DateNotEquals": {T: DAY}}), &[], true),
        c("DateNotEqualsIfExists equal", json!({"DateNotEqualsIfExists": {T: DAY}}), &[(T, &[DAY])], false),
        c("DateLessThan before", json!({"DateLessThan": {T: "2020-06-01T00:00:00Z"}}), &[(T, &[DAY])], true),
        c("DateLessThan after", json!({"DateLessThan": {T: "2019-06-01T00:00:00Z"}}), &[(T, &[DAY])], false),
        c("DateLessThan equal", json!({"DateLessThan": {T: DAY}}), &[(T, &[DAY])], false),
        c("DateLessThan missing key", json!({"DateLessThan": {T: DAY}}), &[], false),
        c("DateLessThan epoch policy value", json!({"DateLessThan": {"aws:EpochTime": "1600000000"}}), &[("aws:EpochTime", &["1577836800"])], true),
        c("DateLessThanIfExists missing key", json!({"DateLessThanIfExists": {T: DAY}}), &[], true),
        c("DateLessThanEquals equal", json!({"DateLessThanEquals": {T: DAY}}), &[(T, &[DAY])], true),
        c("DateLessThanEqualsIfExists missing key", json!({"DateLessThanEqualsIfExists": {T: DAY}}), &[], true),
        c("DateGreaterThan after", json!({"DateGreaterThan": {T: DAY}}), &[(T, &["2021-01-01T00:00:00Z"])], true),
        c("DateGreaterThan before", json!({"DateGreaterThan": {T: DAY}}), &[(T, &["2019-01-01T00:00:00Z"])], false),
        c("DateGreaterThanIfExists missing key", json!({"DateGreaterThanIfExists": {T: DAY}}), &[], true),
        c("DateGreaterThanEquals equal", json!({"DateGreaterThanEquals": {T: DAY}}), &[(T, &[DAY])], true),
        c("DateGreaterThanEquals before", json!({"DateGreaterThanEquals": {T: DAY}}), &[(T, &["2019-12-31T23:59:59Z"])], false),
        c("DateGreaterThanEqualsIfExists missing key", json!({"DateGreaterThanEqualsIfExists": {T: DAY}}), &[], true),
        c("Date request value not a date", json!({"DateGreaterThan": {T: DAY}}), &[(T, &["tomorrow"])], false),
    ]);
    assert_eq!(n, 26);
}

#[rustfmt::skip]
#[test]
fn bool_binary_ip_operators() {
    const TLS: &str = "aws:SecureTransport";
    const IP: &str = "aws:SourceIp";
    const BIN: &str = "test:Binary";
    const B64: &str = "QmluYXJ5VmFsdWVJbkJhc2U2NA==";
    let n = run_conditions(vec![
        c("Bool true", json!({"Bool": {TLS: "true"}}), &[(TLS, &["true"])], true),
        c("Bool mismatch", json!({"Bool": {TLS: "true"}}), &[(TLS, &["false"])], false),
        c("Bool JSON boolean value", json!({"Bool": {TLS: false}}), &[(TLS, &["false"])], true),
        c("Bool ignores case of true/false", json!({"Bool": {TLS: "True"}}), &[(TLS, &["true"])], true),
        c("Bool missing key", json!({"Bool": {TLS: "true"}}), &[], false),
        c("BoolIfExists missing key", json!({"BoolIfExists": {TLS: "true"}}), &[], true),
        c("BoolIfExists present false", json!({"BoolIfExists": {TLS: "true"}}), &[(TLS, &["false"])], false),
        c("BinaryEquals same bytes", json!({"BinaryEquals": {BIN: B64}}), &[(BIN, &[B64])], true),
        c("BinaryEquals unpadded request value", json!({"BinaryEquals": {BIN: B64}}), &[(BIN, &["QmluYXJ5VmFsdWVJbkJhc2U2NA"])], true),
        c("BinaryEquals other bytes", json!({"BinaryEquals": {BIN: B64}}), &[(BIN, &["b3RoZXI="])], false),
        c("BinaryEquals missing key", json!({"BinaryEquals": {BIN: B64}}), &[], false),
        c("BinaryEqualsIfExists missing key", json!({"BinaryEqualsIfExists": {BIN: B64}}), &[], true),
        c("IpAddress in range", json!({"IpAddress": {IP: "203.0.113.0/24"}}), &[(IP, &["203.0.113.7"])], true),
        c("IpAddress outside range", json!({"IpAddress": {IP: "203.0.113.0/24"}}), &[(IP, &["198.51.100.1"])], false),
        c("IpAddress bare address is /32", json!({"IpAddress": {IP: "203.0.113.7"}}), &[(IP, &["203.0.113.7"])], true),
        c("IpAddress bare address neighbour", json!({"IpAddress": {IP: "203.0.113.7"}}), &[(IP, &["203.0.113.8"])], false),
        c("IpAddress IPv6 range", json!({"IpAddress": {IP: "2001:DB8:1234:5678::/64"}}), &[(IP, &["2001:db8:1234:5678::abcd"])], true),
        c("IpAddress IPv6 outside", json!({"IpAddress": {IP: "2001:DB8:1234:5678::/64"}}), &[(IP, &["2001:db8:1234:9999::1"])], false),
        c("IpAddress IPv4 and IPv6 ranges OR'ed", json!({"IpAddress": {IP: ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}), &[(IP, &["2001:db8:1234:5678::1"])], true),
        c("IpAddress missing key (VPC endpoint)", json!({"IpAddress": {IP: "203.0.113.0/24"}}), &[], false),
        c("IpAddress request value not an address", json!({"IpAddress": {IP: "0.0.0.0/0"}}), &[(IP, &["vpce-1"])], false),
        c("IpAddressIfExists missing key", json!({"IpAddressIfExists": {IP: "203.0.113.0/24"}}), &[], true),
        c("NotIpAddress inside", json!({"NotIpAddress": {IP: "203.0.113.0/24"}}), &[(IP, &["203.0.113.7"])], false),
        c("NotIpAddress outside", json!({"NotIpAddress": {IP: "203.0.113.0/24"}}), &[(IP, &["198.51.100.1"])], true),
        c("NotIpAddress missing key is true", json!({"NotIpAddress": {IP: "203.0.113.0/24"}}), &[], true),
        c("NotIpAddressIfExists inside", json!({"NotIpAddressIfExists": {IP: "203.0.113.0/24"}}), &[(IP, &["203.0.113.7"])], false),
    ]);
    assert_eq!(n, 26);
}

#[rustfmt::skip]
#[test]
fn arn_and_null_operators() {
    const SRC: &str = "aws:SourceArn";
    const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:topic";
    let n = run_conditions(vec![
        c("ArnEquals exact", json!({"ArnEquals": {SRC: TOPIC}}), &[(SRC, &[TOPIC])], true),
        c("ArnEquals other account", json!({"ArnEquals": {SRC: TOPIC}}), &[(SRC, &["arn:aws:sns:us-east-1:444455556666:topic"])], false),
        c("ArnEquals takes wildcards like ArnLike", json!({"ArnEquals": {SRC: "arn:aws:sns:*:111122223333:*"}}), &[(SRC, &[TOPIC])], true),
        c("ArnEquals missing key", json!({"ArnEquals": {SRC: TOPIC}}), &[], false),
        c("ArnEqualsIfExists missing key", json!({"ArnEqualsIfExists": {SRC: TOPIC}}), &[], true),
        c("ArnLike wildcard region and resource", json!({"ArnLike": {SRC: "arn:aws:sns:*:111122223333:*"}}), &[(SRC, &[TOPIC])], true),
        c(
            "ArnLike wildcard does not cross a colon",
            json!({"ArnLike": {SRC: "arn:aws:someservice:*:111122223333:finance/*"}}),
            &[(
                SRC,
                &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
            )],
            false,
        ),
        c(
            "StringLike crosses colons where ArnLike does not",
            json!({"StringLike": {SRC: "arn:aws:someservice:*:111122223333:finance/*"}}),
            &[(
                SRC,
                &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
            )],
            true,
        ),
        c("ArnLike is case-sensitive", json!({"ArnLike": {SRC: "arn:aws:sns:*:111122223333:Topic"}}), &[(SRC, &[TOPIC])], false),
        c("ArnLike resource part keeps its colons", json!({"ArnLike": {SRC: "arn:aws:logs:*:*:log-group:/aws/*"}}), &[(SRC, &["arn:aws:logs:us-east-1:1:log-group:/aws/x:*"])], true),
        c("ArnLike request value not an ARN", json!({"ArnLike": {SRC: "arn:*:*:*:*:*"}}), &[(SRC, &["topic"])], false),
        c("ArnLike policy value not an ARN matches nothing", json!({"ArnLike": {SRC: "*"}}), &[(SRC, &[TOPIC])], false),
        c("ArnLikeIfExists missing key", json!({"ArnLikeIfExists": {SRC: "arn:aws:sns:*:*:*"}}), &[], true),
        c("ArnNotEquals equal", json!({"ArnNotEquals": {SRC: TOPIC}}), &[(SRC, &[TOPIC])], false),
        c("ArnNotEquals other", json!({"ArnNotEquals": {SRC: TOPIC}}), &[(SRC, &["arn:aws:sns:us-east-1:111122223333:other"])], true),
        c("ArnNotEquals missing key is true", json!({"ArnNotEquals": {SRC: TOPIC}}), &[], true),
        c("ArnNotEqualsIfExists missing key", json!({"ArnNotEqualsIfExists": {SRC: TOPIC}}), &[], true),
        c("ArnNotLike matching", json!({"ArnNotLike": {SRC: "arn:aws:sns:*:111122223333:*"}}), &[(SRC, &[TOPIC])], false),
        c("ArnNotLike other", json!({"ArnNotLike": {SRC: "arn:aws:sns:*:444455556666:*"}}), &[(SRC, &[TOPIC])], true),
        c("ArnNotLike missing key is true", json!({"ArnNotLike": {SRC: "arn:aws:sns:*:*:*"}}), &[], true),
        c("ArnNotLikeIfExists matching", json!({"ArnNotLikeIfExists": {SRC: "arn:aws:sns:*:*:*"}}), &[(SRC, &[TOPIC])], false),
        c("Null true, key missing", json!({"Null": {"aws:TokenIssueTime": "true"}}), &[], true),
        c("Null true, key present", json!({"Null": {"aws:TokenIssueTime": "true"}}), &[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])], false),
        c("Null false, key present", json!({"Null": {"aws:TokenIssueTime": "false"}}), &[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])], true),
        c("Null false, key missing", json!({"Null": {"aws:TokenIssueTime": "false"}}), &[], false),
        c("Null JSON boolean", json!({"Null": {"aws:TokenIssueTime": true}}), &[], true),
        c("Null true, empty multivalued key is absent", json!({"Null": {"aws:TagKeys": "true"}}), &[("aws:TagKeys", &[])], true),
    ]);
    assert_eq!(n, 27);
}

#[rustfmt::skip]
#[test]
fn multiple_keys_operators_and_key_case() {
    let n = run_conditions(vec![
        c("two keys of one operator AND'ed: both", json!({"StringEquals": {TEAM: "blue", "aws:PrincipalTag/env": "prod"}}), &[(TEAM, &["blue"]), ("aws:PrincipalTag/env", &["prod"])], true),
        c(
            "two keys of one operator AND'ed: one fails",
            json!({"StringEquals": {TEAM: "blue", "aws:PrincipalTag/env": "prod"}}),
            &[(TEAM, &["blue"]), ("aws:PrincipalTag/env", &["dev"])],
            false,
        ),
        c("two operators AND'ed: both", json!({"StringEquals": {TEAM: "blue"}, "Bool": {"aws:SecureTransport": "true"}}), &[(TEAM, &["blue"]), ("aws:SecureTransport", &["true"])], true),
        c(
            "two operators AND'ed: one fails",
            json!({"StringEquals": {TEAM: "blue"}, "Bool": {"aws:SecureTransport": "true"}}),
            &[(TEAM, &["blue"]), ("aws:SecureTransport", &["false"])],
            false,
        ),
        c("IfExists on one key does not excuse another", json!({"StringEqualsIfExists": {TEAM: "blue"}, "StringEquals": {"aws:PrincipalTag/env": "prod"}}), &[], false),
        c("condition key names ignore case", json!({"IpAddress": {"AWS:SOURCEIP": "203.0.113.0/24"}}), &[("aws:sourceip", &["203.0.113.9"])], true),
        c("tag key names ignore case", json!({"StringEquals": {"aws:principaltag/TEAM": "blue"}}), &[("aws:PrincipalTag/team", &["blue"])], true),
        c("operator names ignore case of the set prefix", json!({"forallvalues:StringEquals": {"aws:TagKeys": "a"}}), &[("aws:TagKeys", &["a"])], true),
    ]);
    assert_eq!(n, 8);
}

#[rustfmt::skip]
#[test]
fn set_operators_and_multivalued_keys() {
    const TK: &str = "aws:TagKeys";
    let n = run_conditions(vec![
        c("ForAllValues every value in the policy set", json!({"ForAllValues:StringEquals": {TK: ["a", "b", "c"]}}), &[(TK, &["a", "b"])], true),
        c("ForAllValues one value outside", json!({"ForAllValues:StringEquals": {TK: ["a", "b", "c"]}}), &[(TK, &["a", "d"])], false),
        c("ForAllValues missing key is true (AWS's warning)", json!({"ForAllValues:StringEquals": {TK: ["a"]}}), &[], true),
        c("ForAllValues empty set is true", json!({"ForAllValues:StringEquals": {TK: ["a"]}}), &[(TK, &[])], true),
        c("ForAllValues empty string is a null data set", json!({"ForAllValues:StringEquals": {TK: ["a"]}}), &[(TK, &[""])], true),
        c("ForAllValues guarded by Null false: missing key", json!({"ForAllValues:StringEquals": {TK: ["a"]}, "Null": {TK: "false"}}), &[], false),
        c("ForAllValues guarded by Null false: present", json!({"ForAllValues:StringEquals": {TK: ["a"]}, "Null": {TK: "false"}}), &[(TK, &["a"])], true),
        c("ForAllValues:StringLike", json!({"ForAllValues:StringLike": {TK: "key1*"}}), &[(TK, &["key1:a", "key1:b"])], true),
        c("ForAllValues:StringLike one outside", json!({"ForAllValues:StringLike": {TK: "key1*"}}), &[(TK, &["key1:a", "key2:b"])], false),
        c("ForAllValues:StringEqualsIfExists missing key", json!({"ForAllValues:StringEqualsIfExists": {TK: "a"}}), &[], true),
        c("ForAnyValue one value in the policy set", json!({"ForAnyValue:StringEquals": {TK: ["a"]}}), &[(TK, &["a", "d"])], true),
        c("ForAnyValue no value in the policy set", json!({"ForAnyValue:StringEquals": {TK: ["a"]}}), &[(TK, &["d", "e"])], false),
        c("ForAnyValue missing key is false", json!({"ForAnyValue:StringEquals": {TK: ["a"]}}), &[], false),
        c("ForAnyValue empty set is false", json!({"ForAnyValue:StringEquals": {TK: ["a"]}}), &[(TK, &[])], false),
        c("ForAnyValue:StringEqualsIfExists missing key follows IfExists", json!({"ForAnyValue:StringEqualsIfExists": {TK: "a"}}), &[], true),
        c("ForAnyValue:NumericLessThan", json!({"ForAnyValue:NumericLessThan": {"test:Sizes": "10"}}), &[("test:Sizes", &["50", "5"])], true),
        c("ForAllValues:NumericLessThan one too big", json!({"ForAllValues:NumericLessThan": {"test:Sizes": "10"}}), &[("test:Sizes", &["50", "5"])], false),
        c("ForAnyValue:ArnLike", json!({"ForAnyValue:ArnLike": {"test:Arns": "arn:aws:s3:::b*"}}), &[("test:Arns", &["arn:aws:s3:::x", "arn:aws:s3:::bucket"])], true),
        c("ForAllValues:ArnLike", json!({"ForAllValues:ArnLike": {"test:Arns": "arn:aws:s3:::b*"}}), &[("test:Arns", &["arn:aws:s3:::x", "arn:aws:s3:::bucket"])], false),
        c("ForAnyValue:IpAddress", json!({"ForAnyValue:IpAddress": {"test:Ips": "10.0.0.0/8"}}), &[("test:Ips", &["192.0.2.1", "10.1.2.3"])], true),
        // "Multivalued context key examples": ForAllValues:StringNotLike on aws:TagKeys.
        c("ForAllValues:StringNotLike a value matches", json!({"ForAllValues:StringNotLike": {TK: "key1*"}}), &[(TK, &["key1:legal"])], false),
        c("ForAllValues:StringNotLike no value matches", json!({"ForAllValues:StringNotLike": {TK: "key1*"}}), &[(TK, &["key2:audit"])], true),
        c("ForAllValues:StringNotLike missing key", json!({"ForAllValues:StringNotLike": {TK: "key1*"}}), &[], true),
        c("ForAllValues:StringNotEquals one listed", json!({"ForAllValues:StringNotEquals": {TK: ["DataClass", "Owner"]}}), &[(TK, &["Dept", "DataClass"])], false),
        c("ForAllValues:StringNotEquals none listed", json!({"ForAllValues:StringNotEquals": {TK: ["DataClass", "Owner"]}}), &[(TK, &["Dept", "SIC"])], true),
        c("ForAnyValue:StringNotEquals all listed", json!({"ForAnyValue:StringNotEquals": {TK: ["DataClass", "Owner"]}}), &[(TK, &["DataClass", "Owner"])], false),
        c("ForAnyValue:StringNotEquals one unlisted", json!({"ForAnyValue:StringNotEquals": {TK: ["DataClass", "Owner"]}}), &[(TK, &["Dept", "DataClass"])], true),
        c("ForAnyValue:StringNotEquals missing key", json!({"ForAnyValue:StringNotEquals": {TK: ["DataClass"]}}), &[], false),
        c("ForAnyValue:StringNotLike case-sensitive", json!({"ForAnyValue:StringNotLike": {TK: ["Owner:*", "State:??"]}}), &[(TK, &["owner:Legal", "Owner:Legal"])], true),
        c("plain operator on a multivalued key: any value", json!({"StringEquals": {TK: "a"}}), &[(TK, &["c", "a"])], true),
        c("plain operator on a multivalued key: none", json!({"StringEquals": {TK: "a"}}), &[(TK, &["c", "d"])], false),
        c("negated operator on a multivalued key: one value equal", json!({"StringNotEquals": {TK: "a"}}), &[(TK, &["a", "b"])], false),
        c("negated operator on a multivalued key: none equal", json!({"StringNotEquals": {TK: "a"}}), &[(TK, &["c", "d"])], true),
        c("StringNotLike on a multivalued key", json!({"StringNotLike": {TK: "x*"}}), &[(TK, &["x1", "y1"])], false),
    ]);
    assert_eq!(n, 34);
}

#[rustfmt::skip]
#[test]
fn policy_variables_in_conditions() {
    const P: &str = "s3:prefix";
    const V12: Option<&str> = Some("2012-10-17");
    let n = run_conditions(vec![
        cv("substituted under 2012-10-17", V12, json!({"StringEquals": {P: "home/${aws:username}"}}), &[("aws:username", &["alice"]), (P, &["home/alice"])], true),
        cv("another user's prefix", V12, json!({"StringEquals": {P: "home/${aws:username}"}}), &[("aws:username", &["alice"]), (P, &["home/bob"])], false),
        cv("literal under 2008-10-17", Some("2008-10-17"), json!({"StringEquals": {P: "home/${aws:username}"}}), &[("aws:username", &["alice"]), (P, &["home/alice"])], false),
        cv("literal without Version", None, json!({"StringEquals": {P: "home/${aws:username}"}}), &[("aws:username", &["alice"]), (P, &["home/alice"])], false),
        cv("literal text matches under 2008-10-17", Some("2008-10-17"), json!({"StringEquals": {P: "home/${aws:username}"}}), &[(P, &["home/${aws:username}"])], true),
        cv("variable in StringLike", V12, json!({"StringLike": {P: "home/${aws:username}/*"}}), &[("aws:username", &["alice"]), (P, &["home/alice/x"])], true),
        cv("variable names ignore case", V12, json!({"StringEquals": {P: "${AWS:UserName}"}}), &[("aws:username", &["alice"]), (P, &["alice"])], true),
        cv("${*} is a literal star", V12, json!({"StringLike": {P: "a${*}b"}}), &[(P, &["a*b"])], true),
        cv("${*} is not a wildcard", V12, json!({"StringLike": {P: "a${*}b"}}), &[(P, &["axb"])], false),
        cv("${?} is a literal question mark", V12, json!({"StringLike": {P: "what${?}"}}), &[(P, &["what?"])], true),
        cv("${?} is not a wildcard", V12, json!({"StringLike": {P: "what${?}"}}), &[(P, &["whatx"])], false),
        cv("${$} is a dollar", V12, json!({"StringEquals": {P: "cost${$}"}}), &[(P, &["cost$"])], true),
        cv("default value for a missing key", V12, json!({"StringEquals": {P: "${aws:PrincipalTag/team, 'none'}"}}), &[(P, &["none"])], true),
        cv("default value unused when the key exists", V12, json!({"StringEquals": {P: "${aws:PrincipalTag/team, 'none'}"}}), &[(TEAM, &["blue"]), (P, &["blue"])], true),
        cv("unresolvable variable: statement does not apply", V12, json!({"StringEquals": {P: "home/${aws:username}"}}), &[(P, &["home/"])], false),
        cv("unresolvable variable with a negated operator", V12, json!({"StringNotEquals": {P: "home/${aws:username}"}}), &[(P, &["x"])], false),
        cv("multivalued key is not a variable", V12, json!({"StringEquals": {P: "${aws:TagKeys}"}}), &[("aws:TagKeys", &["a", "b"]), (P, &["a"])], false),
        cv(
            "substituted value is literal, not a wildcard",
            V12,
            json!({"StringLike": {P: "home/${aws:PrincipalTag/dir}/x"}}),
            &[("aws:PrincipalTag/dir", &["*"]), (P, &["home/anything/x"])],
            false,
        ),
        cv(
            "variable in ArnLike",
            V12,
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:PrincipalTag/team}-*"}}),
            &[
                (TEAM, &["blue"]),
                ("aws:SourceArn", &["arn:aws:sns:us-east-1:1:blue-topic"]),
            ],
            true,
        ),
        cv("no variables in Numeric operators", V12, json!({"NumericEquals": {"s3:max-keys": "${aws:PrincipalTag/n}"}}), &[("aws:PrincipalTag/n", &["10"]), ("s3:max-keys", &["10"])], false),
        cv(
            "no variables in IpAddress",
            V12,
            json!({"IpAddress": {"aws:SourceIp": "${aws:PrincipalTag/net}"}}),
            &[
                ("aws:PrincipalTag/net", &["10.0.0.0/8"]),
                ("aws:SourceIp", &["10.0.0.1"]),
            ],
            false,
        ),
        cv("IfExists on a missing key needs no variable", V12, json!({"StringEqualsIfExists": {P: "${aws:username}"}}), &[], true),
    ]);
    assert_eq!(n, 22);
}

// ---------------------------------------------------------------------------------------------
// Actions, resources, Not-elements and case rules.

struct Case {
    name: &'static str,
    set: PolicySet,
    request: Request,
    outcome: Outcome,
}

fn case(name: &'static str, set: PolicySet, request: Request, outcome: Outcome) -> Case {
    Case {
        name,
        set,
        request,
        outcome,
    }
}

fn run(cases: Vec<Case>) -> usize {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let decision = c.set.evaluate(&c.request);
            (decision.outcome != c.outcome).then(|| {
                format!(
                    "{}: expected {:?}, got {:?} (missing {:?}, statements {:?})",
                    c.name, c.outcome, decision.outcome, decision.missing_allow, decision.statements
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

use Outcome::{Allow, ExplicitDeny, ImplicitDeny};

fn id(policy: Policy) -> PolicySet {
    PolicySet::new().identity(&policy, "identity")
}

fn get(resource: &str) -> Request {
    Request::new(role(), "s3:GetObject", resource).resource_account(A)
}

#[rustfmt::skip]
#[test]
fn actions_resources_and_not_elements() {
    let obj = "arn:aws:s3:::bucket/key";
    let n = run(vec![
        case("action names ignore case (policy)", id(allow("S3:getobject", "*")), get(obj), Allow),
        case("action names ignore case (request)", id(allow("s3:GetObject", "*")),
            Request::new(role(), "S3:GETOBJECT", obj), Allow),
        case("action wildcard suffix", id(allow("s3:Get*", "*")), get(obj), Allow),
        case("action wildcard inside", id(allow("s3:*Object", "*")), get(obj), Allow),
        case("action wildcard ?", id(allow("s3:?etObject", "*")), get(obj), Allow),
        case("other action", id(allow("s3:Put*", "*")), get(obj), ImplicitDeny),
        case("action * allows everything", id(allow("*", "*")), get(obj), Allow),
        case("service prefix must match", id(allow("s3x:*", "*")), get(obj), ImplicitDeny),
        case("action list OR'ed", id(one(json!({"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}))), get(obj), Allow),
        case("resource wildcard", id(allow("s3:GetObject", "arn:aws:s3:::bucket/*")), get(obj), Allow),
        case("resource ARNs are case-sensitive", id(allow("s3:GetObject", "arn:aws:s3:::Bucket/*")), get(obj), ImplicitDeny),
        case("resource ? wildcard", id(allow("s3:GetObject", "arn:aws:s3:::bucket/ke?")), get(obj), Allow),
        case("other resource", id(allow("s3:GetObject", "arn:aws:s3:::other/*")), get(obj), ImplicitDeny),
        case("resource list OR'ed", id(one(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::bucket/*"]}))), get(obj), Allow),
        case("NotAction allow covers other actions", id(one(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))), get(obj), Allow),
        case("NotAction allow excludes its actions", id(one(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}))), get(obj), ImplicitDeny),
        case("NotAction deny denies other actions",
            id(allow("*", "*")).identity(&one(json!({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"})), "d"), get(obj), ExplicitDeny),
        case("NotAction deny spares its actions",
            id(allow("*", "*")).identity(&one(json!({"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})), "d"), get(obj), Allow),
        case("NotAction ignores case", id(one(json!({"Effect": "Allow", "NotAction": "S3:GET*", "Resource": "*"}))), get(obj), ImplicitDeny),
        case("NotResource allow covers other resources", id(one(json!({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}))), get(obj), Allow),
        case("NotResource allow excludes its resources", id(one(json!({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/*"}))), get(obj), ImplicitDeny),
        case("NotResource deny denies other resources",
            id(allow("*", "*")).identity(&one(json!({"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::public/*"})), "d"), get(obj), ExplicitDeny),
        case("NotResource deny spares its resources",
            id(allow("*", "*")).identity(&one(json!({"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/*"})), "d"), get(obj), Allow),
        case("NotAction and NotResource together",
            id(one(json!({"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}))), get(obj), Allow),
        case("resource variable substituted under 2012-10-17",
            id(allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/*")),
            Request::new(Principal::user(USER), "s3:GetObject", "arn:aws:s3:::bucket/home/alice/f"), Allow),
        case("resource variable: another user's folder",
            id(allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/*")),
            Request::new(Principal::user(USER), "s3:GetObject", "arn:aws:s3:::bucket/home/bob/f"), ImplicitDeny),
        case("resource variable literal under 2008-10-17",
            PolicySet::new().identity(&policy(json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"}]})), "old"),
            Request::new(Principal::user(USER), "s3:GetObject", "arn:aws:s3:::bucket/home/alice/f"), ImplicitDeny),
        case("resource variable literal without Version",
            PolicySet::new().identity(&policy(json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"}]})), "none"),
            Request::new(Principal::user(USER), "s3:GetObject", "arn:aws:s3:::bucket/home/alice/f"), ImplicitDeny),
        case("resource variable unresolvable (role sessions have no aws:username)",
            id(allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/*")), get("arn:aws:s3:::bucket/home/app/f"), ImplicitDeny),
        case("resource variable default",
            id(allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username, 'shared'}/*")), get("arn:aws:s3:::bucket/home/shared/f"), Allow),
        case("resource variable from a tag",
            id(allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*")), get("arn:aws:s3:::bucket/blue/f").with(TEAM, "blue"), Allow),
        case("unresolvable variable makes a deny not apply",
            id(allow("s3:*", "*")).identity(&deny("s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/*"), "d"), get("arn:aws:s3:::bucket/x/f"), Allow),
        case("an empty policy allows nothing", id(policy(json!({"Version": "2012-10-17", "Statement": []}))), get(obj), ImplicitDeny),
        case("no policies at all", PolicySet::new(), get(obj), ImplicitDeny),
    ]);
    assert_eq!(n, 34);
}

// ---------------------------------------------------------------------------------------------
// Policy type combinations.

#[rustfmt::skip]
#[test]
fn identity_and_resource_policies_same_account() {
    let fun = |p: Principal| invoke(p);
    let n = run(vec![
        case("identity allow only", id(allow(INVOKE, FUNCTION)), fun(role()), Allow),
        case("identity allows another function", id(allow(INVOKE, "arn:aws:lambda:us-east-1:111122223333:function:g")), fun(role()), ImplicitDeny),
        case("explicit deny in the same identity policy",
            id(policy(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "lambda:*", "Resource": "*"},
                {"Effect": "Deny", "Action": INVOKE, "Resource": FUNCTION}]}))), fun(role()), ExplicitDeny),
        case("explicit deny in another identity policy", id(allow("*", "*")).identity(&deny(INVOKE, "*"), "deny"), fun(role()), ExplicitDeny),
        case("deny of another action does not apply", id(allow("*", "*")).identity(&deny("lambda:DeleteFunction", "*"), "deny"), fun(role()), Allow),
        case("deny with a failing condition does not apply",
            id(allow("*", "*")).identity(&one(json!({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})), "deny"),
            fun(role()).with("aws:SecureTransport", "true"), Allow),
        case("resource policy alone: role ARN grant", PolicySet::new().resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn"), fun(role()), Allow),
        case("resource policy alone: session ARN grant", PolicySet::new().resource_policy(&grant(json!({"AWS": SESSION}), INVOKE), "fn"), fun(role()), Allow),
        case("resource policy alone: user ARN grant", PolicySet::new().resource_policy(&grant(json!({"AWS": USER}), INVOKE), "fn"), fun(Principal::user(USER)), Allow),
        case("resource policy alone: Principal *", PolicySet::new().resource_policy(&grant(json!("*"), INVOKE), "fn"), fun(role()), Allow),
        case("resource policy alone: account grant delegates to identity policies",
            PolicySet::new().resource_policy(&grant(json!({"AWS": A}), INVOKE), "fn"), fun(role()), ImplicitDeny),
        case("account grant plus identity allow", id(allow(INVOKE, "*")).resource_policy(&grant(json!({"AWS": A}), INVOKE), "fn"), fun(role()), Allow),
        case("resource grant to another principal", PolicySet::new().resource_policy(&grant(json!({"AWS": USER}), INVOKE), "fn"), fun(role()), ImplicitDeny),
        case("resource grant of another action", PolicySet::new().resource_policy(&grant(json!({"AWS": ROLE}), "lambda:GetFunction"), "fn"), fun(role()), ImplicitDeny),
        case("either identity or resource suffices", id(allow(INVOKE, "*")).resource_policy(&grant(json!({"AWS": USER}), INVOKE), "fn"), fun(role()), Allow),
        case("explicit deny in the resource policy beats an identity allow",
            id(allow(INVOKE, "*")).resource_policy(&one(json!({"Effect": "Deny", "Principal": "*", "Action": INVOKE, "Resource": FUNCTION})), "fn"), fun(role()), ExplicitDeny),
        case("explicit deny in the identity policy beats a resource allow",
            id(deny(INVOKE, "*")).resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn"), fun(role()), ExplicitDeny),
        case("resource statement without Principal names no one",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Allow", "Action": INVOKE, "Resource": FUNCTION})), "fn"), fun(role()), ImplicitDeny),
        case("the root user needs no identity policy", PolicySet::new(), fun(Principal::root(A)), Allow),
        case("the root user is still explicitly denied",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"})), "fn"), fun(Principal::root(A)), ExplicitDeny),
        case("identity policies of a service principal do not exist",
            id(allow("*", "*")), fun(Principal::service("s3.amazonaws.com")), ImplicitDeny),
    ]);
    assert_eq!(n, 21);
}

#[rustfmt::skip]
#[test]
fn cross_account() {
    let other_role = "arn:aws:iam::444455556666:role/caller";
    let caller = || Principal::role_session(other_role, "s");
    let fun = |p: Principal| invoke(p);
    let n = run(vec![
        case("both identity and resource allow", id(allow(INVOKE, FUNCTION)).resource_policy(&grant(json!({"AWS": other_role}), INVOKE), "fn"), fun(caller()), Allow),
        case("resource allows but identity does not", PolicySet::new().resource_policy(&grant(json!({"AWS": other_role}), INVOKE), "fn"), fun(caller()), ImplicitDeny),
        case("identity allows but no resource policy", id(allow(INVOKE, "*")), fun(caller()), ImplicitDeny),
        case("account grant to the caller's account plus identity", id(allow(INVOKE, "*")).resource_policy(&grant(json!({"AWS": B}), INVOKE), "fn"), fun(caller()), Allow),
        case("account grant as root ARN", id(allow(INVOKE, "*")).resource_policy(&grant(json!({"AWS": format!("arn:aws:iam::{B}:root")}), INVOKE), "fn"), fun(caller()), Allow),
        case("account grant to a third account", id(allow(INVOKE, "*")).resource_policy(&grant(json!({"AWS": "999999999999"}), INVOKE), "fn"), fun(caller()), ImplicitDeny),
        case("Principal * still needs the caller's identity policy", PolicySet::new().resource_policy(&grant(json!("*"), INVOKE), "fn"), fun(caller()), ImplicitDeny),
        case("Principal * and identity allow", id(allow("lambda:*", "*")).resource_policy(&grant(json!("*"), INVOKE), "fn"), fun(caller()), Allow),
        case("session ARN grant still needs identity", PolicySet::new().resource_policy(&grant(json!({"AWS": "arn:aws:sts::444455556666:assumed-role/caller/s"}), INVOKE), "fn"), fun(caller()), ImplicitDeny),
        case("cross-account boundary limits", id(allow(INVOKE, "*")).boundary(&allow("s3:*", "*"), "b").resource_policy(&grant(json!({"AWS": other_role}), INVOKE), "fn"), fun(caller()), ImplicitDeny),
        case("cross-account explicit deny in resource policy",
            id(allow(INVOKE, "*")).resource_policy(&policy(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": B}, "Action": INVOKE, "Resource": FUNCTION},
                {"Effect": "Deny", "Principal": {"AWS": other_role}, "Action": INVOKE, "Resource": FUNCTION}]})), "fn"), fun(caller()), ExplicitDeny),
        case("cross-account root user with resource grant", PolicySet::new().resource_policy(&grant(json!({"AWS": B}), INVOKE), "fn"), fun(Principal::root(B)), Allow),
        case("cross-account root user without resource grant", PolicySet::new(), fun(Principal::root(B)), ImplicitDeny),
        case("resource account given explicitly for ARNs without one",
            id(allow("s3:GetObject", "*")), Request::new(caller(), "s3:GetObject", "arn:aws:s3:::bucket/k").resource_account(A), ImplicitDeny),
        case("same account when the resource account is unknown",
            id(allow("s3:GetObject", "*")), Request::new(caller(), "s3:GetObject", "arn:aws:s3:::bucket/k"), Allow),
    ]);
    assert_eq!(n, 15);
}

#[rustfmt::skip]
#[test]
fn permissions_boundaries() {
    let fun = |p: Principal| invoke(p);
    let narrow = || allow("s3:*", "*");
    let n = run(vec![
        case("identity and boundary allow", id(allow(INVOKE, "*")).boundary(&allow("lambda:*", "*"), "b"), fun(role()), Allow),
        case("boundary does not allow", id(allow(INVOKE, "*")).boundary(&narrow(), "b"), fun(role()), ImplicitDeny),
        case("boundary grants nothing by itself", PolicySet::new().boundary(&allow("*", "*"), "b"), fun(role()), ImplicitDeny),
        case("explicit deny in the boundary", id(allow("*", "*")).boundary(&deny(INVOKE, "*"), "b"), fun(role()), ExplicitDeny),
        case("role ARN grant is limited by the boundary", PolicySet::new().boundary(&narrow(), "b").resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn"), fun(role()), ImplicitDeny),
        case("role ARN grant within the boundary", PolicySet::new().boundary(&allow("lambda:*", "*"), "b").resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn"), fun(role()), Allow),
        case("role session ARN grant is not limited by the boundary", PolicySet::new().boundary(&narrow(), "b").resource_policy(&grant(json!({"AWS": SESSION}), INVOKE), "fn"), fun(role()), Allow),
        case("user ARN grant is not limited by the boundary", PolicySet::new().boundary(&narrow(), "b").resource_policy(&grant(json!({"AWS": USER}), INVOKE), "fn"), fun(Principal::user(USER)), Allow),
        case("Principal * grant is not limited by the boundary", PolicySet::new().boundary(&narrow(), "b").resource_policy(&grant(json!("*"), INVOKE), "fn"), fun(role()), Allow),
        case("account grant needs identity within the boundary", id(allow(INVOKE, "*")).boundary(&narrow(), "b").resource_policy(&grant(json!({"AWS": A}), INVOKE), "fn"), fun(role()), ImplicitDeny),
        case("NotPrincipal deny always denies a principal with a boundary",
            id(allow("*", "*")).boundary(&allow("*", "*"), "b").resource_policy(&one(json!({"Effect": "Deny", "NotPrincipal": {"AWS": [SESSION, ROLE, A]}, "Action": "*", "Resource": "*"})), "fn"),
            fun(role()), ExplicitDeny),
        case("boundary with a condition",
            id(allow("*", "*")).boundary(&one(json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}})), "b"),
            fun(role()).with("aws:RequestedRegion", "eu-west-1"), ImplicitDeny),
    ]);
    assert_eq!(n, 12);
}

#[rustfmt::skip]
#[test]
fn session_policies() {
    let fun = |p: Principal| invoke(p);
    let fed = "arn:aws:sts::111122223333:federated-user/bob";
    let bob = "arn:aws:iam::111122223333:user/bob";
    let n = run(vec![
        case("identity and session allow", id(allow(INVOKE, "*")).session(&allow("lambda:*", "*"), "s"), fun(role()), Allow),
        case("session policy does not allow", id(allow(INVOKE, "*")).session(&allow("s3:*", "*"), "s"), fun(role()), ImplicitDeny),
        case("session policy grants nothing by itself", PolicySet::new().session(&allow("*", "*"), "s"), fun(role()), ImplicitDeny),
        case("explicit deny in the session policy", id(allow("*", "*")).session(&deny(INVOKE, "*"), "s"), fun(role()), ExplicitDeny),
        case("several session policies form a union", id(allow("*", "*")) .session(&allow("s3:*", "*"), "s1") .session(&allow("lambda:*", "*"), "s2"), fun(role()), Allow),
        case(
            "role ARN grant is limited by the session policy",
            PolicySet::new()
                .session(&allow("s3:*", "*"), "s")
                .resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn"),
            fun(role()),
            ImplicitDeny,
        ),
        case(
            "session ARN grant is not limited by the session policy",
            PolicySet::new()
                .session(&allow("s3:*", "*"), "s")
                .resource_policy(&grant(json!({"AWS": SESSION}), INVOKE), "fn"),
            fun(role()),
            Allow,
        ),
        case("boundary, session and identity all allow", id(allow("*", "*")) .boundary(&allow("lambda:*", "*"), "b") .session(&allow(INVOKE, "*"), "s"), fun(role()), Allow),
        case("federated user without a session policy has no permissions", id(allow("*", "*")), fun(Principal::federated_user(fed, Some(bob))), ImplicitDeny),
        case("federated user with identity and session policy", id(allow("*", "*")).session(&allow(INVOKE, "*"), "s"), fun(Principal::federated_user(fed, Some(bob))), Allow),
        case("federated user ARN grant is direct", PolicySet::new().resource_policy(&grant(json!({"AWS": fed}), INVOKE), "fn"), fun(Principal::federated_user(fed, Some(bob))), Allow),
        case(
            "grant to the user who federated is limited by the session policy",
            PolicySet::new()
                .session(&allow("s3:*", "*"), "s")
                .resource_policy(&grant(json!({"AWS": bob}), INVOKE), "fn"),
            fun(Principal::federated_user(fed, Some(bob))),
            ImplicitDeny,
        ),
        case(
            "grant to the user who federated within the session policy",
            PolicySet::new()
                .session(&allow("lambda:*", "*"), "s")
                .resource_policy(&grant(json!({"AWS": bob}), INVOKE), "fn"),
            fun(Principal::federated_user(fed, Some(bob))),
            Allow,
        ),
    ]);
    assert_eq!(n, 13);
}

fn full_access() -> Policy {
    one(json!({"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}))
}

#[rustfmt::skip]
#[test]
fn service_and_resource_control_policies() {
    let fun = |p: Principal| invoke(p);
    let fa = full_access();
    let s3_only = allow("s3:*", "*");
    let region_deny = one(
        json!({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}),
    );
    let outside_org = one(
        json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-123"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}),
    );
    let rcp_full = one(json!({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}));
    let slr = Principal::role_session(
        "arn:aws:iam::111122223333:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda",
        "x",
    );
    let n = run(vec![
        case("one SCP level allows", id(allow("*", "*")).scp_level([(&fa, "FullAWSAccess")]), fun(role()), Allow),
        case("every SCP level must allow", id(allow("*", "*")) .scp_level([(&fa, "root")]) .scp_level([(&s3_only, "ou")]), fun(role()), ImplicitDeny),
        case("each level needs only one allowing SCP", id(allow("*", "*")) .scp_level([(&fa, "root")]) .scp_level([(&s3_only, "ou-a"), (&fa, "ou-b")]), fun(role()), Allow),
        case("SCP allow grants nothing by itself", PolicySet::new().scp_level([(&fa, "FullAWSAccess")]), fun(role()), ImplicitDeny),
        case("explicit deny in an SCP", id(allow("*", "*")).scp_level([(&fa, "fa"), (&deny(INVOKE, "*"), "deny")]), fun(role()), ExplicitDeny),
        case("SCP deny with a condition", id(allow("*", "*")).scp_level([(&fa, "fa"), (&region_deny, "region")]), fun(role()).with("aws:RequestedRegion", "eu-west-1"), ExplicitDeny),
        case("SCP deny with a condition that fails", id(allow("*", "*")).scp_level([(&fa, "fa"), (&region_deny, "region")]), fun(role()).with("aws:RequestedRegion", "us-east-1"), Allow),
        case(
            "SCP NotAction deny",
            id(allow("*", "*")).scp_level([
                (&fa, "fa"),
                (
                    &one(json!({"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})),
                    "only-s3",
                ),
            ]),
            fun(role()),
            ExplicitDeny,
        ),
        case(
            "SCPs limit access granted by a resource policy",
            PolicySet::new()
                .resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn")
                .scp_level([(&s3_only, "s3")]),
            fun(role()),
            ImplicitDeny,
        ),
        case("SCPs limit the root user of a member account", PolicySet::new().scp_level([(&s3_only, "s3")]), fun(Principal::root(A)), ImplicitDeny),
        case("SCPs do not apply in the management account", id(allow("*", "*")) .scp_level([(&s3_only, "s3")]) .principal_in_management_account(true), fun(role()), Allow),
        case("SCPs do not apply to service-linked roles", id(allow("*", "*")).scp_level([(&s3_only, "s3")]), fun(slr.clone()), Allow),
        case("SCP deny does not apply to service-linked roles", id(allow("*", "*")).scp_level([(&fa, "fa"), (&deny("*", "*"), "deny")]), fun(slr.clone()), Allow),
        case(
            "SCPs do not apply to service principals",
            PolicySet::new()
                .resource_policy(&grant(json!({"Service": "s3.amazonaws.com"}), INVOKE), "fn")
                .scp_level([(&s3_only, "s3")]),
            fun(Principal::service("s3.amazonaws.com")),
            Allow,
        ),
        case("an empty SCP level allows nothing", id(allow("*", "*")).compiled_level(Vec::new()), fun(role()), ImplicitDeny),
        case(
            "RCP full access",
            id(allow("*", "*")).rcp_level([(
                &one(json!({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})),
                "RCPFullAWSAccess",
            )]),
            fun(role()),
            Allow,
        ),
        case("RCP level without allow", id(allow("*", "*")).rcp_level([(&s3_only, "no-principal")]), fun(role()), ImplicitDeny),
        case(
            "RCP denies principals outside the organization",
            id(allow("*", "*"))
                .resource_policy(&grant(json!("*"), INVOKE), "fn")
                .rcp_level([(&outside_org, "perimeter")]),
            fun(Principal::role_session("arn:aws:iam::444455556666:role/x", "s"))
                .with("aws:PrincipalOrgID", "o-999"),
            ExplicitDeny,
        ),
        case(
            "RCP perimeter spares AWS services",
            PolicySet::new()
                .resource_policy(&grant(json!({"Service": "s3.amazonaws.com"}), INVOKE), "fn")
                .rcp_level([(&outside_org, "perimeter"), (&rcp_full, "RCPFullAWSAccess")]),
            fun(Principal::service("s3.amazonaws.com")).with("aws:PrincipalOrgID", "o-999"),
            Allow,
        ),
        case(
            "RCP perimeter spares the organization",
            id(allow("*", "*")).rcp_level([
                (&outside_org, "perimeter"),
                (
                    &one(json!({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})),
                    "full",
                ),
            ]),
            fun(role()).with("aws:PrincipalOrgID", "o-123"),
            Allow,
        ),
        case("RCPs do not apply to management account resources", id(allow("*", "*")) .rcp_level([(&s3_only, "none")]) .resource_in_management_account(true), fun(role()), Allow),
        case("RCPs do not apply to service-linked roles", id(allow("*", "*")).rcp_level([(&s3_only, "none")]), fun(slr), Allow),
    ]);
    assert_eq!(n, 22);
}

#[rustfmt::skip]
#[test]
fn trust_and_key_policies_must_allow() {
    let assume = |p: Principal| Request::new(p, "sts:AssumeRole", "arn:aws:iam::111122223333:role/target");
    let trust =
        |principal: Json| one(json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}));
    let key = "arn:aws:kms:us-east-1:111122223333:key/k";
    let decrypt = |p: Principal| Request::new(p, "kms:Decrypt", key);
    let key_policy = |principal: Json| {
        one(json!({"Effect": "Allow", "Principal": principal, "Action": "kms:*", "Resource": "*"}))
    };
    let user = || Principal::user(USER);
    let n = run(vec![
        case("trust names the role ARN: no identity policy needed", PolicySet::new().trust_policy(&trust(json!({"AWS": ROLE})), "trust"), assume(role()), Allow),
        case("trust names the user ARN: no identity policy needed", PolicySet::new().trust_policy(&trust(json!({"AWS": USER})), "trust"), assume(user()), Allow),
        case("trust names the account: identity policy needed", PolicySet::new().trust_policy(&trust(json!({"AWS": A})), "trust"), assume(user()), ImplicitDeny),
        case("trust names the account and identity allows", id(allow("sts:AssumeRole", "*")).trust_policy(&trust(json!({"AWS": A})), "trust"), assume(user()), Allow),
        case("trust does not name the principal: identity allow is not enough", id(allow("sts:AssumeRole", "*")).trust_policy(&trust(json!({"AWS": ROLE})), "trust"), assume(user()), ImplicitDeny),
        case("no trust policy at all", id(allow("sts:AssumeRole", "*")).resource_mode(warden_iam::eval::ResourcePolicyMode::MustAllow), assume(user()), ImplicitDeny),
        case("cross-account trust names the account and identity allows", id(allow("sts:AssumeRole", "*")).trust_policy(&trust(json!({"AWS": B})), "trust"),
            assume(Principal::user("arn:aws:iam::444455556666:user/eve")), Allow),
        case("cross-account trust without identity policy", PolicySet::new().trust_policy(&trust(json!({"AWS": B})), "trust"),
            assume(Principal::user("arn:aws:iam::444455556666:user/eve")), ImplicitDeny),
        case("service principal in trust", PolicySet::new().trust_policy(&trust(json!({"Service": "lambda.amazonaws.com"})), "trust"), assume(Principal::service("lambda.amazonaws.com")), Allow),
        case("other service principal in trust", PolicySet::new().trust_policy(&trust(json!({"Service": "ec2.amazonaws.com"})), "trust"), assume(Principal::service("lambda.amazonaws.com")), ImplicitDeny),
        case("trust with a failing condition",
            PolicySet::new().trust_policy(&one(json!({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "secret"}}})), "trust"),
            assume(role()).with("sts:ExternalId", "guess"), ImplicitDeny),
        case("explicit deny in a trust policy",
            id(allow("*", "*")).trust_policy(&policy(json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"},
                {"Effect": "Deny", "Principal": {"AWS": USER}, "Action": "sts:AssumeRole"}]})), "trust"), assume(user()), ExplicitDeny),
        case("key policy without root grant: IAM policies cannot grant", id(allow("kms:*", "*")).trust_policy(&key_policy(json!({"AWS": ROLE})), "key"), decrypt(user()), ImplicitDeny),
        case("key policy enabling IAM policies", id(allow("kms:Decrypt", key)).trust_policy(&key_policy(json!({"AWS": format!("arn:aws:iam::{A}:root")})), "key"), decrypt(user()), Allow),
        case("key policy enabling IAM policies, no identity allow", PolicySet::new().trust_policy(&key_policy(json!({"AWS": A})), "key"), decrypt(user()), ImplicitDeny),
        case("key policy granting the role directly", PolicySet::new().trust_policy(&key_policy(json!({"AWS": ROLE})), "key"), decrypt(role()), Allow),
        case("key policy grant to the role limited by its boundary", PolicySet::new().boundary(&allow("s3:*", "*"), "b").trust_policy(&key_policy(json!({"AWS": ROLE})), "key"), decrypt(role()), ImplicitDeny),
        case("root user and a key policy granting the account", PolicySet::new().trust_policy(&key_policy(json!({"AWS": A})), "key"), decrypt(Principal::root(A)), Allow),
        case("root user and a key policy not granting the account", PolicySet::new().trust_policy(&key_policy(json!({"AWS": ROLE})), "key"), decrypt(Principal::root(A)), ImplicitDeny),
    ]);
    assert_eq!(n, 19);
}

#[rustfmt::skip]
#[test]
fn principal_forms() {
    let fun = |p: Principal| invoke(p);
    let rp = |principal: Json| PolicySet::new().resource_policy(&grant(principal, INVOKE), "fn");
    let path_role = "arn:aws:iam::111122223333:role/team/app";
    let n = run(vec![
        case("Principal * reaches anonymous callers", rp(json!("*")), fun(Principal::anonymous()), Allow),
        case("{\"AWS\": \"*\"} equals Principal *", rp(json!({"AWS": "*"})), fun(Principal::anonymous()), Allow),
        case("account grant does not reach anonymous callers", rp(json!({"AWS": A})), fun(Principal::anonymous()), ImplicitDeny),
        case("account id equals its root ARN (root user)", rp(json!({"AWS": A})), fun(Principal::root(A)), Allow),
        case("root ARN grant reaches the root user", rp(json!({"AWS": format!("arn:aws:iam::{A}:root")})), fun(Principal::root(A)), Allow),
        case("root ARN grant delegates for other identities", rp(json!({"AWS": format!("arn:aws:iam::{A}:root")})), fun(role()), ImplicitDeny),
        case("role ARN covers its sessions", rp(json!({"AWS": ROLE})), fun(Principal::assumed_role(SESSION)), Allow),
        case("role ARN with a path covers its sessions", rp(json!({"AWS": path_role})), fun(Principal::role_session(path_role, "s")), Allow),
        case("other role's ARN", rp(json!({"AWS": "arn:aws:iam::111122223333:role/other"})), fun(role()), ImplicitDeny),
        case("another session of the role", rp(json!({"AWS": "arn:aws:sts::111122223333:assumed-role/app/other"})), fun(role()), ImplicitDeny),
        case("principal ARNs are case-sensitive", rp(json!({"AWS": "arn:aws:iam::111122223333:user/Alice"})), fun(Principal::user(USER)), ImplicitDeny),
        case("principal ARNs take no wildcards", rp(json!({"AWS": "arn:aws:iam::111122223333:user/*"})), fun(Principal::user(USER)), ImplicitDeny),
        case("service principal", rp(json!({"Service": "s3.amazonaws.com"})), fun(Principal::service("s3.amazonaws.com")), Allow),
        case("other service principal", rp(json!({"Service": "sns.amazonaws.com"})), fun(Principal::service("s3.amazonaws.com")), ImplicitDeny),
        case("service principal with source condition met",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": INVOKE, "Resource": FUNCTION,
                "Condition": {"StringEquals": {"aws:SourceAccount": A}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket"}}})), "fn"),
            fun(Principal::service("s3.amazonaws.com")).with("aws:SourceAccount", A).with("aws:SourceArn", "arn:aws:s3:::bucket"), Allow),
        case("service principal with source condition unmet",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": INVOKE, "Resource": FUNCTION,
                "Condition": {"StringEquals": {"aws:SourceAccount": A}}})), "fn"),
            fun(Principal::service("s3.amazonaws.com")).with("aws:SourceAccount", B), ImplicitDeny),
        case("several principals OR'ed", rp(json!({"AWS": [USER, ROLE]})), fun(role()), Allow),
        case("federated provider principal names no session here", rp(json!({"Federated": "cognito-identity.amazonaws.com"})), fun(role()), ImplicitDeny),
        case("wildcard principal with aws:PrincipalArn condition",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Allow", "Principal": "*", "Action": INVOKE, "Resource": FUNCTION,
                "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/a*"}}})), "fn"),
            fun(role()), Allow),
        case("aws:PrincipalArn of a session is the role",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Allow", "Principal": "*", "Action": INVOKE, "Resource": FUNCTION,
                "Condition": {"StringEquals": {"aws:PrincipalArn": SESSION}}})), "fn"),
            fun(role()), ImplicitDeny),
        case("NotPrincipal allow reaches everyone else", rp_not_allow(USER), fun(role()), Allow),
        case("NotPrincipal allow excludes a fully listed principal",
            PolicySet::new().resource_policy(&one(json!({"Effect": "Allow", "NotPrincipal": {"AWS": [USER, A]}, "Action": INVOKE, "Resource": FUNCTION})), "fn"),
            fun(Principal::user(USER)), ImplicitDeny),
        case("NotPrincipal allow reaches anonymous callers", rp_not_allow(USER), fun(Principal::anonymous()), Allow),
        case("NotPrincipal deny listing only the user still denies it", not_deny(json!([USER])), fun(Principal::user(USER)), ExplicitDeny),
        case("NotPrincipal deny listing user and account spares it", not_deny(json!([USER, A])), fun(Principal::user(USER)), Allow),
        case("NotPrincipal deny listing session, role and account spares it", not_deny(json!([SESSION, ROLE, A])), fun(role()), Allow),
        case("NotPrincipal deny missing the role denies the session", not_deny(json!([SESSION, A])), fun(role()), ExplicitDeny),
        case("NotPrincipal deny denies other principals", not_deny(json!([USER, A])), fun(role()), ExplicitDeny),
        case("NotPrincipal deny denies anonymous callers", not_deny(json!([USER, A])), fun(Principal::anonymous()), ExplicitDeny),
        case("NotPrincipal deny spares a listed service",
            id(allow("*", "*")).resource_policy(&grant(json!({"Service": "s3.amazonaws.com"}), INVOKE), "g")
                .resource_policy(&one(json!({"Effect": "Deny", "NotPrincipal": {"Service": "s3.amazonaws.com"}, "Action": "*", "Resource": "*"})), "d"),
            fun(Principal::service("s3.amazonaws.com")), Allow),
    ]);
    assert_eq!(n, 30);
}

fn rp_not_allow(except: &str) -> PolicySet {
    PolicySet::new().resource_policy(
        &one(json!({"Effect": "Allow", "NotPrincipal": {"AWS": except}, "Action": INVOKE, "Resource": FUNCTION})),
        "fn",
    )
}

/// Identity allows everything; the resource policy allows `*` and denies all but `listed`.
fn not_deny(listed: Json) -> PolicySet {
    id(allow("*", "*")).resource_policy(
        &policy(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": listed}, "Action": "*", "Resource": "*"}]})),
        "fn",
    )
}

// ---------------------------------------------------------------------------------------------
// Decisions explain themselves; unknown template values make them uncertain.

#[test]
fn decisions_name_their_statements() {
    let set = PolicySet::new()
        .identity(
            &one(json!({"Sid": "InvokeAll", "Effect": "Allow", "Action": "lambda:*", "Resource": "*"})),
            "exec-role",
        )
        .boundary(
            &one(json!({"Sid": "Bound", "Effect": "Allow", "Action": "*", "Resource": "*"})),
            "boundary",
        )
        .scp_level([(&full_access(), "FullAWSAccess")]);
    let d = set.evaluate(&invoke(role()));
    assert_eq!(d.outcome, Allow);
    let names: Vec<(PolicyKind, String, String)> = d
        .statements
        .iter()
        .map(|s| (s.policy_kind(), s.policy_name().to_string(), s.label()))
        .collect();
    assert_eq!(
        names,
        vec![
            (
                PolicyKind::ServiceControl,
                "FullAWSAccess".into(),
                "FullAWSAccess".into()
            ),
            (PolicyKind::Identity, "exec-role".into(), "InvokeAll".into()),
            (PolicyKind::PermissionsBoundary, "boundary".into(), "Bound".into()),
        ]
    );
    assert!(!d.uncertain && d.missing_allow.is_none());

    let denied = set.clone().identity(
        &policy(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "lambda:Invoke*", "Resource": "*"}]})),
        "guard",
    );
    let d = denied.evaluate(&invoke(role()));
    assert_eq!(d.outcome, ExplicitDeny);
    let deny: Vec<_> = d
        .statements
        .iter()
        .map(|s| (s.policy_name(), s.index(), s.sid()))
        .collect();
    assert_eq!(deny, vec![("guard", 1, None)]);

    let set = PolicySet::new()
        .identity(&allow("s3:*", "*"), "p")
        .boundary(&allow("*", "*"), "b");
    let d = set.evaluate(&invoke(role()));
    assert_eq!(
        (d.outcome, d.missing_allow, d.statements.len()),
        (ImplicitDeny, Some(PolicyKind::Identity), 0)
    );
    let set = PolicySet::new()
        .identity(&allow("*", "*"), "p")
        .boundary(&allow("s3:*", "*"), "b");
    let d = set.evaluate(&invoke(role()));
    assert_eq!(d.missing_allow, Some(PolicyKind::PermissionsBoundary));
    let set = PolicySet::new().resource_policy(&grant(json!({"AWS": ROLE}), INVOKE), "fn");
    let d = set.evaluate(&invoke(role()));
    let via: Vec<_> = d
        .statements
        .iter()
        .map(|s| (s.policy_kind(), s.label()))
        .collect();
    assert_eq!(via, vec![(PolicyKind::Resource, "Grant".to_string())]);
    let set = id(allow("*", "*"));
    let d = set.evaluate(&invoke(Principal::role_session(
        "arn:aws:iam::444455556666:role/x",
        "s",
    )));
    assert_eq!(d.missing_allow, Some(PolicyKind::Resource));
}

/// A policy built from a template: `!GetAtt Table.Arn` and the like are not statically known.
fn templated(resource_known: bool, condition_known: bool) -> Policy {
    use warden_model::{Key, Span, Value, ValueKind};
    let s = |t: &str| Value::string(t, Span::default());
    let unknown = |e: &str| Value::unknown(e, vec![], Span::default());
    let key = |n: &str| Key {
        name: n.into(),
        span: Span::default(),
    };
    let map = |entries: Vec<(&str, Value)>| {
        Value::new(
            ValueKind::Map(entries.into_iter().map(|(k, v)| (key(k), v)).collect()),
            Span::default(),
        )
    };
    let resource = if resource_known {
        s("arn:aws:dynamodb:us-east-1:111122223333:table/t")
    } else {
        unknown("!GetAtt Table.Arn")
    };
    let source = if condition_known {
        s(A)
    } else {
        unknown("!Ref AWS::AccountId")
    };
    let statement = map(vec![
        ("Effect", s("Allow")),
        ("Action", s("dynamodb:GetItem")),
        ("Resource", resource),
        (
            "Condition",
            map(vec![("StringEquals", map(vec![("aws:ResourceAccount", source)]))]),
        ),
    ]);
    let doc = map(vec![
        ("Version", s("2012-10-17")),
        (
            "Statement",
            Value::new(ValueKind::List(vec![statement]), Span::default()),
        ),
    ]);
    Policy::parse(&doc).expect("templated policy parses")
}

#[test]
fn unknown_values_match_nothing_but_say_so() {
    let table = "arn:aws:dynamodb:us-east-1:111122223333:table/t";
    let req = || Request::new(role(), "dynamodb:GetItem", table);
    let set = id(templated(true, true));
    let d = set.evaluate(&req());
    assert_eq!((d.outcome, d.uncertain), (Allow, false));
    let set = id(templated(false, true));
    let d = set.evaluate(&req());
    assert_eq!((d.outcome, d.uncertain), (ImplicitDeny, true), "unknown resource");
    let set = id(templated(true, false));
    let d = set.evaluate(&req());
    assert_eq!(
        (d.outcome, d.uncertain),
        (ImplicitDeny, true),
        "unknown condition value"
    );
    let set = id(templated(false, true)).identity(&allow("dynamodb:*", "*"), "wide");
    let d = set.evaluate(&req());
    assert_eq!(
        (d.outcome, d.uncertain),
        (Allow, false),
        "a certain allow elsewhere decides"
    );
    let set = id(templated(false, true));
    let d = set.evaluate(&Request::new(role(), "s3:GetObject", table));
    assert_eq!(
        (d.outcome, d.uncertain),
        (ImplicitDeny, false),
        "action decides first"
    );
}
