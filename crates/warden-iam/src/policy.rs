//! Policy documents: identity policies, resource-based policies, trust policies, permission
//! boundaries, SCPs and session policies share one grammar. Parsed from a spanned
//! [`Value`] (a template object, or a JSON / YAML file read into one), so every statement,
//! condition and error keeps its position.

use warden_model::{Span, Value, ValueKind};

/// The policy language version. Policy variables (`${aws:username}`) are only substituted
/// under `2012-10-17`; under `2008-10-17` or without a version they are literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyVersion {
    V2012_10_17,
    V2008_10_17,
    Missing,
}

impl PolicyVersion {
    pub fn supports_variables(self) -> bool {
        self == PolicyVersion::V2012_10_17
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: PolicyVersion,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A string from the policy: known text, or a template value that is not statically known
/// (kept as its expression, which never matches anything but itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub known: bool,
    pub span: Span,
}

impl Text {
    /// A template value as policy text: known scalars as they are, anything else as its
    /// expression, marked unknown.
    pub fn from_value(value: &Value) -> Text {
        match value.as_text() {
            Some(t) => Text {
                text: t.into_owned(),
                known: true,
                span: value.span,
            },
            None => Text {
                text: value.display(),
                known: false,
                span: value.span,
            },
        }
    }

    pub fn is(&self, s: &str) -> bool {
        self.known && self.text == s
    }
}

/// `Action` / `NotAction`, `Resource` / `NotResource`, `Principal` / `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher<T> {
    /// Matches what one of the items matches.
    Only(Vec<T>),
    /// Matches what none of the items matches.
    Not(Vec<T>),
}

impl<T> Matcher<T> {
    pub fn items(&self) -> &[T] {
        match self {
            Matcher::Only(items) | Matcher::Not(items) => items,
        }
    }

    pub fn is_not(&self) -> bool {
        matches!(self, Matcher::Not(_))
    }

    /// Whether the matcher admits something, given whether one of its items matches it.
    pub fn admits(&self, item_matches: impl Fn(&T) -> bool) -> bool {
        match self {
            Matcher::Only(items) => items.iter().any(item_matches),
            Matcher::Not(items) => !items.iter().any(item_matches),
        }
    }
}

/// One principal of a `Principal` element, normalized: `"*"` and `{"AWS": "*"}` are both
/// [`PrincipalId::Any`]; a bare account id is its `arn:aws:iam::ID:root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalId {
    Any,
    Aws(Text),
    Service(Text),
    Federated(Text),
    CanonicalUser(Text),
}

impl PrincipalId {
    /// The account an `AWS` principal belongs to (`arn:aws:iam::111122223333:role/x` ->
    /// `111122223333`), when it is known.
    pub fn account(&self) -> Option<&str> {
        match self {
            PrincipalId::Aws(t) if t.known => arn_account(&t.text),
            _ => None,
        }
    }
}

/// The account field of an ARN (`arn:partition:service:region:account:resource`).
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let account = parts.nth(3)?;
    (!account.is_empty()).then_some(account)
}

/// Whether `s` is a 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const OPERATORS: &[(&str, ConditionOperator)] = &[
    ("StringEquals", ConditionOperator::StringEquals),
    ("StringNotEquals", ConditionOperator::StringNotEquals),
    (
        "StringEqualsIgnoreCase",
        ConditionOperator::StringEqualsIgnoreCase,
    ),
    (
        "StringNotEqualsIgnoreCase",
        ConditionOperator::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", ConditionOperator::StringLike),
    ("StringNotLike", ConditionOperator::StringNotLike),
    ("NumericEquals", ConditionOperator::NumericEquals),
    ("NumericNotEquals", ConditionOperator::NumericNotEquals),
    ("NumericLessThan", ConditionOperator::NumericLessThan),
    ("NumericLessThanEquals", ConditionOperator::NumericLessThanEquals),
    ("NumericGreaterThan", ConditionOperator::NumericGreaterThan),
    (
        "NumericGreaterThanEquals",
        ConditionOperator::NumericGreaterThanEquals,
    ),
    ("DateEquals", ConditionOperator::DateEquals),
    ("DateNotEquals", ConditionOperator::DateNotEquals),
    ("DateLessThan", ConditionOperator::DateLessThan),
    ("DateLessThanEquals", ConditionOperator::DateLessThanEquals),
    ("DateGreaterThan", ConditionOperator::DateGreaterThan),
    ("DateGreaterThanEquals", ConditionOperator::DateGreaterThanEquals),
    ("Bool", ConditionOperator::Bool),
    ("BinaryEquals", ConditionOperator::BinaryEquals),
    ("IpAddress", ConditionOperator::IpAddress),
    ("NotIpAddress", ConditionOperator::NotIpAddress),
    ("ArnEquals", ConditionOperator::ArnEquals),
    ("ArnLike", ConditionOperator::ArnLike),
    ("ArnNotEquals", ConditionOperator::ArnNotEquals),
    ("ArnNotLike", ConditionOperator::ArnNotLike),
    ("Null", ConditionOperator::Null),
];

impl ConditionOperator {
    pub fn name(self) -> &'static str {
        OPERATORS
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// Negated operators match when no value matches (and, for a missing key, match).
    pub fn is_negated(self) -> bool {
        use ConditionOperator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }
}

/// `ForAllValues:` / `ForAnyValue:` before an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// One `Operator: {Key: values}` test of a statement's `Condition` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub qualifier: Option<SetQualifier>,
    pub operator: ConditionOperator,
    pub if_exists: bool,
    /// The key as written (compare with [`Condition::key_is`]: keys ignore case).
    pub key: String,
    pub values: Vec<Text>,
    pub span: Span,
}

impl Condition {
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Position of the statement in the policy (0-based), for messages without a `Sid`.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<Matcher<PrincipalId>>,
    pub action: Matcher<Text>,
    /// `None` when the statement names no resource (allowed in some resource policies).
    pub resource: Option<Matcher<Text>>,
    pub conditions: Vec<Condition>,
    pub span: Span,
}

impl Statement {
    /// `Sid` or `#index`, for messages.
    pub fn label(&self) -> String {
        self.sid.clone().unwrap_or_else(|| format!("#{}", self.index + 1))
    }
}

/// A policy that cannot be understood, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    pub message: String,
    pub span: Span,
}

fn error(span: Span, message: impl Into<String>) -> PolicyError {
    PolicyError {
        message: message.into(),
        span,
    }
}

/// Element names are matched without regard to case, as IAM does.
fn get<'v>(value: &'v Value, key: &str) -> Option<&'v (warden_model::Key, Value)> {
    value
        .as_map()?
        .iter()
        .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
}

fn text(value: &Value) -> Text {
    Text::from_value(value)
}

/// Strings of an element that may be a string or a list of strings (undecided template
/// conditions contribute every branch).
fn texts(value: &Value, element: &str) -> Result<Vec<Text>, PolicyError> {
    let items = value.items();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match &item.kind {
            ValueKind::Map(_) | ValueKind::List(_) => {
                return Err(error(
                    item.span,
                    format!("`{element}` must be a string or a list of strings"),
                ));
            }
            _ => out.push(text(item)),
        }
    }
    Ok(out)
}

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

impl Policy {
    /// Parse a policy document. Unknown top-level and statement elements, a missing `Effect`
    /// or `Action`, both `Action` and `NotAction`, and malformed conditions are errors.
    pub fn parse(doc: &Value) -> Result<Policy, PolicyError> {
        if doc.as_map().is_none() {
            return Err(error(doc.span, "a policy document must be an object"));
        }
        let mut version = PolicyVersion::Missing;
        let mut id = None;
        let mut statements = Vec::new();
        for (key, value) in doc.as_map().unwrap_or_default() {
            match key.name.to_ascii_lowercase().as_str() {
                "version" => {
                    version = match value.as_text().as_deref() {
                        Some("2012-10-17") => PolicyVersion::V2012_10_17,
                        Some("2008-10-17") => PolicyVersion::V2008_10_17,
                        _ => {
                            return Err(error(
                                value.span,
                                format!("unknown policy `Version` {}", value.display()),
                            ));
                        }
                    }
                }
                "id" => id = value.as_text().map(|t| t.into_owned()),
                "statement" => {
                    for item in value.items() {
                        statements.push(Statement::parse(item, statements.len())?);
                    }
                }
                other => return Err(error(key.span, format!("unknown policy element `{other}`"))),
            }
        }
        if get(doc, "Statement").is_none() {
            return Err(error(doc.span, "a policy needs a `Statement`"));
        }
        Ok(Policy {
            version,
            id,
            statements,
            span: doc.span,
        })
    }
}

impl Statement {
    fn parse(value: &Value, index: usize) -> Result<Statement, PolicyError> {
        let Some(entries) = value.as_map() else {
            return Err(error(value.span, "a statement must be an object"));
        };
        if let Some((key, _)) = entries
            .iter()
            .find(|(k, _)| !STATEMENT_KEYS.iter().any(|s| s.eq_ignore_ascii_case(&k.name)))
        {
            return Err(error(
                key.span,
                format!("unknown statement element `{}`", key.name),
            ));
        }
        let effect = match get(value, "Effect").map(|(_, v)| v) {
            Some(v) => match v.as_str() {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                _ => {
                    return Err(error(
                        v.span,
                        format!("`Effect` must be `Allow` or `Deny`, not {}", v.display()),
                    ));
                }
            },
            None => return Err(error(value.span, "statement has no `Effect`")),
        };
        let action = one_of(value, "Action", "NotAction", texts)?
            .ok_or_else(|| error(value.span, "statement has no `Action` or `NotAction`"))?;
        let resource = one_of(value, "Resource", "NotResource", texts)?;
        let principal = one_of(value, "Principal", "NotPrincipal", |v, _| principals(v))?;
        let conditions = match get(value, "Condition") {
            Some((_, block)) => conditions(block)?,
            None => Vec::new(),
        };
        Ok(Statement {
            index,
            sid: get(value, "Sid")
                .and_then(|(_, v)| v.as_text())
                .map(|t| t.into_owned()),
            effect,
            principal,
            action,
            resource,
            conditions,
            span: value.span,
        })
    }
}

/// `Element` or `NotElement`, never both.
fn one_of<T>(
    statement: &Value,
    positive: &str,
    negative: &str,
    parse: impl Fn(&Value, &str) -> Result<Vec<T>, PolicyError>,
) -> Result<Option<Matcher<T>>, PolicyError> {
    match (get(statement, positive), get(statement, negative)) {
        (Some(_), Some((key, _))) => Err(error(
            key.span,
            format!("a statement cannot have both `{positive}` and `{negative}`"),
        )),
        (Some((_, v)), None) => Ok(Some(Matcher::Only(parse(v, positive)?))),
        (None, Some((_, v))) => Ok(Some(Matcher::Not(parse(v, negative)?))),
        (None, None) => Ok(None),
    }
}

fn principals(value: &Value) -> Result<Vec<PrincipalId>, PolicyError> {
    if let Some(t) = value.as_str() {
        return if t == "*" {
            Ok(vec![PrincipalId::Any])
        } else {
            Err(error(
                value.span,
                format!("`Principal` must be `*` or an object, not `{t}`"),
            ))
        };
    }
    let Some(entries) = value.as_map() else {
        return Err(error(value.span, "`Principal` must be `*` or an object"));
    };
    let mut out = Vec::new();
    for (kind, ids) in entries {
        for id in texts(ids, &kind.name)? {
            let principal = match kind.name.as_str() {
                "AWS" if id.is("*") => PrincipalId::Any,
                "AWS" if id.known && is_account_id(&id.text) => PrincipalId::Aws(Text {
                    text: format!("arn:aws:iam::{}:root", id.text),
                    ..id
                }),
                "AWS" => PrincipalId::Aws(id),
                "Service" => PrincipalId::Service(id),
                "Federated" => PrincipalId::Federated(id),
                "CanonicalUser" => PrincipalId::CanonicalUser(id),
                other => return Err(error(kind.span, format!("unknown principal type `{other}`"))),
            };
            out.push(principal);
        }
    }
    Ok(out)
}

/// Parse `ForAnyValue:StringLikeIfExists` and the like.
pub fn parse_operator(name: &str) -> Option<(Option<SetQualifier>, ConditionOperator, bool)> {
    let (qualifier, rest) = if let Some(rest) = strip_prefix_ignore_case(name, "ForAllValues:") {
        (Some(SetQualifier::ForAllValues), rest)
    } else if let Some(rest) = strip_prefix_ignore_case(name, "ForAnyValue:") {
        (Some(SetQualifier::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let operator = OPERATORS.iter().find(|(n, _)| *n == base).map(|(_, op)| *op)?;
    // `Null` has no IfExists form: it is itself about existence.
    if operator == ConditionOperator::Null && if_exists {
        return None;
    }
    Some((qualifier, operator, if_exists))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

fn conditions(block: &Value) -> Result<Vec<Condition>, PolicyError> {
    let Some(operators) = block.as_map() else {
        return Err(error(block.span, "`Condition` must be an object of operators"));
    };
    let mut out = Vec::new();
    for (op_key, tests) in operators {
        let Some((qualifier, operator, if_exists)) = parse_operator(&op_key.name) else {
            return Err(error(
                op_key.span,
                format!("unknown condition operator `{}`", op_key.name),
            ));
        };
        let Some(tests) = tests.as_map() else {
            return Err(error(
                tests.span,
                format!("`{}` must map condition keys to values", op_key.name),
            ));
        };
        for (key, values) in tests {
            let values = texts(values, &key.name)?;
            if values.is_empty() {
                return Err(error(
                    key.span,
                    format!("condition key `{}` has no value", key.name),
                ));
            }
            out.push(Condition {
                qualifier,
                operator,
                if_exists,
                key: key.name.clone(),
                values,
                span: key.span,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: serde_json::Value) -> Result<Policy, PolicyError> {
        Policy::parse(&Value::from_json(&json))
    }

    #[test]
    fn statement_as_object_or_list_and_principal_normalization() {
        let p = parse(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Principal": {"AWS": ["123456789012", "*"]}, "Action": "lambda:InvokeFunction"}
        }))
        .unwrap();
        assert_eq!(p.statements.len(), 1);
        let principals = p.statements[0].principal.as_ref().unwrap().items().to_vec();
        assert_eq!(principals[0].account(), Some("123456789012"));
        assert!(matches!(&principals[0], PrincipalId::Aws(t) if t.text == "arn:aws:iam::123456789012:root"));
        assert_eq!(principals[1], PrincipalId::Any);
        let star =
            parse(serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}]}))
                .unwrap();
        assert_eq!(
            star.statements[0].principal.as_ref().unwrap().items(),
            &[PrincipalId::Any]
        );
        assert_eq!(star.version, PolicyVersion::Missing);
    }

    #[test]
    fn not_elements_and_conditions() {
        let p = parse(serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "NotAction": ["iam:*"], "NotResource": "arn:aws:s3:::b/*",
            "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]}, "Bool": {"aws:SecureTransport": false}}
        }]}))
        .unwrap();
        let s = &p.statements[0];
        assert!(s.action.is_not() && s.resource.as_ref().is_some_and(Matcher::is_not));
        assert_eq!(s.conditions.len(), 2);
        assert_eq!(s.conditions[0].qualifier, Some(SetQualifier::ForAnyValue));
        assert!(s.conditions[0].if_exists);
        assert_eq!(s.conditions[1].values[0].text, "false");
    }

    #[test]
    fn malformed_policies_are_precise_errors() {
        let cases = [
            (serde_json::json!("nope"), "must be an object"),
            (
                serde_json::json!({"Version": "2012-10-17"}),
                "needs a `Statement`",
            ),
            (
                serde_json::json!({"Version": "2020-01-01", "Statement": []}),
                "unknown policy `Version`",
            ),
            (serde_json::json!({"Statement": [{"Action": "*"}]}), "no `Effect`"),
            (
                serde_json::json!({"Statement": [{"Effect": "Permit", "Action": "*"}]}),
                "`Allow` or `Deny`",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow"}]}),
                "no `Action`",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*"}]}),
                "both",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEqualz": {"a": "b"}}}]}),
                "unknown condition operator",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"Humans": "x"}}]}),
                "unknown principal type",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resources": "*"}]}),
                "unknown statement element",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": {"a": 1}}]}),
                "string or a list",
            ),
            (
                serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"NullIfExists": {"a": "true"}}}]}),
                "unknown condition operator",
            ),
        ];
        for (json, expected) in cases {
            let err = parse(json.clone()).unwrap_err();
            assert!(err.message.contains(expected), "{json}: {}", err.message);
        }
    }

    #[test]
    fn operator_names() {
        assert_eq!(
            parse_operator("StringEquals"),
            Some((None, ConditionOperator::StringEquals, false))
        );
        assert_eq!(
            parse_operator("forallvalues:ArnLikeIfExists"),
            Some((Some(SetQualifier::ForAllValues), ConditionOperator::ArnLike, true))
        );
        assert_eq!(
            parse_operator("Null"),
            Some((None, ConditionOperator::Null, false))
        );
        assert!(parse_operator("StringEqualsX").is_none());
        assert!(ConditionOperator::NotIpAddress.is_negated() && !ConditionOperator::IpAddress.is_negated());
        assert_eq!(
            arn_account("arn:aws:iam::111122223333:role/x"),
            Some("111122223333")
        );
        assert_eq!(arn_account("arn:aws:s3:::bucket"), None);
    }
}
