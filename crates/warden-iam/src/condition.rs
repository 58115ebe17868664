//! Condition blocks, compiled once and evaluated against a request's context keys the way AWS
//! documents them. Pages followed (facts only):
//!
//! - "IAM JSON policy elements: Condition operators": a key missing from the request makes a
//!   positive operator false and a negated one (`StringNotEquals`, `ArnNotLike`,
//!   `NotIpAddress`, ...) true; `...IfExists` is true for a missing key; `Null` tests presence
//!   (`true` = absent); `StringLike` takes `*` / `?`; `ArnEquals` and `ArnLike` behave alike and
//!   compare each of the six colon-delimited ARN components separately; IP ranges are CIDR
//!   (IPv4 and IPv6), a bare address meaning `/32`; dates are W3C ISO 8601 or epoch seconds;
//!   `BinaryEquals` compares bytes against the base64 value in the policy.
//! - "Conditions with multiple context keys or values": operators and keys are AND'ed, the
//!   values of one key OR'ed, and for a negated operator NOR'ed.
//! - "Single-valued vs. multivalued context keys" and "Multivalued context key examples":
//!   `ForAllValues:` is true when every request value matches some policy value, and also when
//!   the key is missing or empty — AWS warns that with `Allow` this grants access to requests
//!   that simply omit the key, so pair it with a `Null` check. `ForAnyValue:` is true when at
//!   least one request value matches, and false for a missing or empty key. With a negated
//!   operator the per-value test is "matches none of the policy values".
//! - "IAM policy elements: Variables and tags": `${key}`, `${key, 'default'}`, `${*}`, `${?}`,
//!   `${$}` are substituted only under `Version: 2012-10-17`, in string and ARN operators (and
//!   `Bool`, which the operators page lists); a variable that cannot be resolved makes the
//!   statement not apply.
//!
//! Two readings the pages leave open, chosen here: a plain (unqualified) operator on a key
//! with several request values is true when any value matches, and its negated form is the
//! negation of that (no value matches any policy value); `ForAnyValue:...IfExists` on a
//! missing key follows the `IfExists` rule (true).

use std::borrow::Cow;
use std::net::IpAddr;
use std::str::FromStr;

use base64::Engine as _;

use crate::context::{ContextKeys, ContextValue};
use crate::policy::{Condition, ConditionOperator, PolicyVersion, SetQualifier, Text};

/// A test result that remembers whether it consulted a value that is not statically known
/// (a template expression): such a value matches nothing, but the answer may be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tri {
    pub value: bool,
    pub uncertain: bool,
}

impl Tri {
    pub const TRUE: Tri = Tri {
        value: true,
        uncertain: false,
    };
    pub const FALSE: Tri = Tri {
        value: false,
        uncertain: false,
    };
    /// What an unknown value gives: no match, but maybe it would have matched.
    pub const UNKNOWN: Tri = Tri {
        value: false,
        uncertain: true,
    };

    pub fn certain(value: bool) -> Tri {
        Tri {
            value,
            uncertain: false,
        }
    }

    /// Whether this is `value` for sure.
    pub fn is_certainly(self, value: bool) -> bool {
        self.value == value && !self.uncertain
    }

    /// Either holds. A certain `true` on one side makes the whole certain.
    pub fn or(self, other: Tri) -> Tri {
        if self.is_certainly(true) || other.is_certainly(true) {
            return Tri::TRUE;
        }
        Tri {
            value: self.value || other.value,
            uncertain: self.uncertain || other.uncertain,
        }
    }

    /// Both hold. A certain `false` on one side makes the whole certain.
    pub fn and(self, other: Tri) -> Tri {
        if self.is_certainly(false) || other.is_certainly(false) {
            return Tri::FALSE;
        }
        Tri {
            value: self.value && other.value,
            uncertain: self.uncertain || other.uncertain,
        }
    }
}

/// Negation keeps the uncertainty.
impl std::ops::Not for Tri {
    type Output = Tri;

    fn not(self) -> Tri {
        Tri {
            value: !self.value,
            uncertain: self.uncertain,
        }
    }
}

/// An IAM wildcard pattern (`*` any run, `?` one character), compiled to a fast shape when it
/// has at most one `*` at an end. Case-sensitive: callers lowercase both sides for actions.
/// `*` / `?` that came from `${*}` / `${?}` or from a substituted value are literal.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    pattern: Box<str>,
    literal_at: Box<[u32]>,
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Any,
    Exact,
    Prefix,
    Suffix,
    General,
}

impl Glob {
    pub(crate) fn new(pattern: &str) -> Glob {
        Glob::with_literals(pattern, &[])
    }

    /// A pattern whose bytes at `literal_at` are literal characters, not wildcards.
    pub(crate) fn with_literals(pattern: &str, literal_at: &[u32]) -> Glob {
        let wildcards: Vec<(usize, u8)> = pattern
            .bytes()
            .enumerate()
            .filter(|&(i, b)| is_wildcard(b) && !is_literal(literal_at, i))
            .collect();
        let last = pattern.len().saturating_sub(1);
        let shape = match wildcards.as_slice() {
            [] => Shape::Exact,
            [(0, b'*')] if pattern.len() == 1 => Shape::Any,
            [(i, b'*')] if *i == last => Shape::Prefix,
            [(0, b'*')] => Shape::Suffix,
            _ => Shape::General,
        };
        Glob {
            pattern: pattern.into(),
            literal_at: literal_at.into(),
            shape,
        }
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        let p = &*self.pattern;
        match self.shape {
            Shape::Any => true,
            Shape::Exact => p == text,
            Shape::Prefix => text.starts_with(&p[..p.len() - 1]),
            Shape::Suffix => text.ends_with(&p[1..]),
            Shape::General => glob_match(p, &self.literal_at, 0, text),
        }
    }
}

fn is_wildcard(b: u8) -> bool {
    b == b'*' || b == b'?'
}

fn is_literal(literal_at: &[u32], i: usize) -> bool {
    !literal_at.is_empty() && literal_at.binary_search(&(i as u32)).is_ok()
}

/// Width in bytes of the UTF-8 character starting with `b` (`?` matches one character).
fn char_width(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Wildcard matching without allocation: one backtrack point per `*`, so linear in practice
/// and never exponential. `offset` places `pattern` inside the string `literal_at` indexes.
pub(crate) fn glob_match(pattern: &str, literal_at: &[u32], offset: usize, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let wild = |i: usize, w: u8| p[i] == w && !is_literal(literal_at, i + offset);
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && wild(pi, b'?') {
            pi += 1;
            ti += char_width(t[ti]);
        } else if pi < p.len() && wild(pi, b'*') {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((star_p, star_t)) = star {
            let next = star_t + char_width(t[star_t]);
            star = Some((star_p, next));
            pi = star_p + 1;
            ti = next;
        } else {
            return false;
        }
    }
    while pi < p.len() && wild(pi, b'*') {
        pi += 1;
    }
    pi == p.len() && ti == t.len()
}

/// An ARN pattern for the `Arn*` operators: six colon-delimited components, each matched on
/// its own so a wildcard never crosses a `:` (the sixth, the resource, keeps its colons).
#[derive(Debug, Clone)]
pub(crate) struct ArnGlob {
    parts: Box<[Glob]>,
}

impl ArnGlob {
    /// `None` when the pattern does not have six components.
    pub(crate) fn new(pattern: &str, literal_at: &[u32]) -> Option<ArnGlob> {
        let mut parts = Vec::with_capacity(6);
        let mut start = 0usize;
        for piece in pattern.splitn(6, ':') {
            let end = start + piece.len();
            let literals: Vec<u32> = literal_at
                .iter()
                .filter(|&&i| (start..end).contains(&(i as usize)))
                .map(|&i| i - start as u32)
                .collect();
            parts.push(Glob::with_literals(piece, &literals));
            start = end + 1;
        }
        (parts.len() == 6).then(|| ArnGlob {
            parts: parts.into_boxed_slice(),
        })
    }

    pub(crate) fn matches(&self, arn: &str) -> bool {
        let mut pieces = arn.splitn(6, ':');
        self.parts
            .iter()
            .all(|part| pieces.next().is_some_and(|piece| part.matches(piece)))
    }
}

/// A string with policy variables, resolved against each request.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    parts: Box<[Part]>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(Box<str>),
    /// `${*}`, `${?}`, `${$}`: the character itself, never a wildcard.
    Literal(char),
    Variable {
        key: Box<str>,
        default: Option<Box<str>>,
    },
}

impl Template {
    /// The variables of `text`; `None` when it has none. A `${` that does not form a variable
    /// stays literal text.
    pub(crate) fn parse(text: &str) -> Option<Template> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut plain = String::new();
        let mut found = false;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            match variable(&after[..end]) {
                Some(part) => {
                    plain.push_str(&rest[..start]);
                    if !plain.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut plain).into()));
                    }
                    parts.push(part);
                    found = true;
                }
                None => plain.push_str(&rest[..start + 2 + end + 1]),
            }
            rest = &after[end + 1..];
        }
        plain.push_str(rest);
        if !plain.is_empty() {
            parts.push(Part::Text(plain.into()));
        }
        found.then(|| Template {
            parts: parts.into_boxed_slice(),
        })
    }

    /// Whether resolving needs the request (it has a variable, not just `${*}` and the like).
    pub(crate) fn needs_context(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Variable { .. }))
    }

    /// Write the resolved string to `out`, recording in `literal_at` the `*` / `?` that are
    /// characters rather than wildcards. `false` when a variable has no single value and no
    /// default (AWS: the statement is then invalid and does not apply).
    pub(crate) fn resolve(
        &self,
        context: Option<&ContextKeys>,
        out: &mut String,
        literal_at: &mut Vec<u32>,
    ) -> bool {
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Literal(c) => push_literal(out, literal_at, c.encode_utf8(&mut [0; 4])),
                Part::Variable { key, default } => {
                    let value = context.and_then(|c| c.single(key)).or(default.as_deref());
                    match value {
                        Some(value) => push_literal(out, literal_at, value),
                        None => return false,
                    }
                }
            }
        }
        true
    }
}

fn push_literal(out: &mut String, literal_at: &mut Vec<u32>, text: &str) {
    for (i, b) in text.bytes().enumerate() {
        if is_wildcard(b) {
            literal_at.push((out.len() + i) as u32);
        }
    }
    out.push_str(text);
}

/// The inside of `${...}`: a special character, `key`, or `key, 'default'`.
fn variable(inner: &str) -> Option<Part> {
    let inner = inner.trim();
    match inner {
        "*" => return Some(Part::Literal('*')),
        "?" => return Some(Part::Literal('?')),
        "$" => return Some(Part::Literal('$')),
        _ => {}
    }
    let (name, default) = match inner.split_once(',') {
        Some((name, default)) => {
            let quoted = default.trim();
            let value = quoted.strip_prefix('\'')?.strip_suffix('\'')?;
            (name.trim(), Some(value.into()))
        }
        None => (inner, None),
    };
    let valid = !name.is_empty() && !name.contains(['$', '{', '}', '\'', ' ']);
    valid.then(|| Part::Variable {
        key: name.to_ascii_lowercase().into(),
        default,
    })
}

/// A number of a `Numeric*` operator: integer or decimal, exact to 18 decimal places (further
/// digits are dropped), so `10` equals `10.0` and large integers do not lose precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(i128);

const DECIMAL_PLACES: u32 = 18;

impl Decimal {
    pub fn parse(s: &str) -> Option<Decimal> {
        let (negative, digits) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        let mut units: i128 = 0;
        for d in int.bytes() {
            units = units.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
        }
        let mut scaled = units.checked_mul(10i128.pow(DECIMAL_PLACES))?;
        let mut place = 10i128.pow(DECIMAL_PLACES - 1);
        for d in frac.bytes().take(DECIMAL_PLACES as usize) {
            scaled = scaled.checked_add(i128::from(d - b'0') * place)?;
            place /= 10;
        }
        Some(Decimal(if negative { -scaled } else { scaled }))
    }
}

/// A date of a `Date*` operator as nanoseconds since the epoch: epoch seconds (integer or
/// decimal), or a W3C ISO 8601 form — `YYYY-MM`, `YYYY-MM-DD`, or a date-time with or without
/// seconds and offset (no offset read as UTC).
pub fn parse_date(s: &str) -> Option<i128> {
    if let Some(Decimal(scaled)) = Decimal::parse(s) {
        return Some(scaled / 10i128.pow(DECIMAL_PLACES - 9));
    }
    if let Ok(ts) = jiff::Timestamp::from_str(s) {
        return Some(ts.as_nanosecond());
    }
    let utc = |dt: jiff::civil::DateTime| {
        jiff::tz::TimeZone::UTC
            .to_timestamp(dt)
            .ok()
            .map(|t| t.as_nanosecond())
    };
    if let Ok(dt) = jiff::civil::DateTime::from_str(s) {
        return utc(dt);
    }
    if let Ok(date) = jiff::civil::Date::from_str(s) {
        return utc(date.to_datetime(jiff::civil::Time::midnight()));
    }
    if s.len() == 7
        && let Ok(date) = jiff::civil::Date::from_str(&format!("{s}-01"))
    {
        return utc(date.to_datetime(jiff::civil::Time::midnight()));
    }
    None
}

/// The request's IP address for `IpAddress` / `NotIpAddress` (IPv4-mapped IPv6 read as IPv4).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    IpAddr::from_str(s).ok().map(|ip| ip.to_canonical())
}

/// The bytes of a base64 value (padded or not), for `BinaryEquals`.
pub fn parse_binary(s: &str) -> Option<Box<[u8]>> {
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::STANDARD_NO_PAD,
    ];
    engines
        .iter()
        .find_map(|e| e.decode(s).ok())
        .map(Vec::into_boxed_slice)
}

/// An IPv4 or IPv6 range in CIDR notation; a bare address is a single-address range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cidr {
    V4 { network: u32, prefix: u8 },
    V6 { network: u128, prefix: u8 },
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u8>().ok()?)),
            None => (s.trim(), None),
        };
        Some(match IpAddr::from_str(addr).ok()?.to_canonical() {
            IpAddr::V4(ip) => {
                let prefix = prefix.unwrap_or(32);
                (prefix <= 32).then_some(())?;
                Cidr::V4 {
                    network: u32::from(ip) & mask32(prefix),
                    prefix,
                }
            }
            IpAddr::V6(ip) => {
                let prefix = prefix.unwrap_or(128);
                (prefix <= 128).then_some(())?;
                Cidr::V6 {
                    network: u128::from(ip) & mask128(prefix),
                    prefix,
                }
            }
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self, ip) {
            (Cidr::V4 { network, prefix }, IpAddr::V4(ip)) => u32::from(ip) & mask32(*prefix) == *network,
            (Cidr::V6 { network, prefix }, IpAddr::V6(ip)) => u128::from(ip) & mask128(*prefix) == *network,
            _ => false,
        }
    }
}

fn mask32(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

/// A policy value read as its operator's type once, at compile time.
#[derive(Debug, Clone)]
enum PolicyValue {
    /// Not statically known: matches nothing, and says so.
    Unknown,
    /// Not readable as the operator's type (a number that is not a number): matches nothing.
    Invalid,
    /// `StringEquals` / `StringNotEquals`.
    Exact(Box<str>),
    /// `...IgnoreCase`, `Bool`: compared without regard to case.
    Folded(Box<str>),
    Like(Glob),
    Arn(ArnGlob),
    Number(Decimal),
    Date(i128),
    Binary(Box<[u8]>),
    Range(Cidr),
    /// `Null`: `true` tests absence, `false` presence.
    Absent(bool),
    /// Has policy variables: resolved, then read, per request.
    Template(Template),
}

/// The operator families: how a value is read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    StringExact,
    StringFolded,
    StringLike,
    Numeric(Order),
    Date(Order),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// The comparison of a `Numeric*` / `Date*` operator (the negated `NotEquals` is `Equal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Order {
    fn holds<T: Ord>(self, request: T, policy: T) -> bool {
        match self {
            Order::Equal => request == policy,
            Order::Less => request < policy,
            Order::LessOrEqual => request <= policy,
            Order::Greater => request > policy,
            Order::GreaterOrEqual => request >= policy,
        }
    }
}

fn family(op: ConditionOperator) -> Family {
    use ConditionOperator::*;
    match op {
        StringEquals | StringNotEquals => Family::StringExact,
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => Family::StringFolded,
        StringLike | StringNotLike => Family::StringLike,
        NumericEquals | NumericNotEquals => Family::Numeric(Order::Equal),
        NumericLessThan => Family::Numeric(Order::Less),
        NumericLessThanEquals => Family::Numeric(Order::LessOrEqual),
        NumericGreaterThan => Family::Numeric(Order::Greater),
        NumericGreaterThanEquals => Family::Numeric(Order::GreaterOrEqual),
        DateEquals | DateNotEquals => Family::Date(Order::Equal),
        DateLessThan => Family::Date(Order::Less),
        DateLessThanEquals => Family::Date(Order::LessOrEqual),
        DateGreaterThan => Family::Date(Order::Greater),
        DateGreaterThanEquals => Family::Date(Order::GreaterOrEqual),
        Bool => Family::Bool,
        BinaryEquals => Family::Binary,
        IpAddress | NotIpAddress => Family::Ip,
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
        Null => Family::Null,
    }
}

impl Family {
    /// Policy variables are substituted in string and ARN operators (and `Bool`) only.
    fn takes_variables(self) -> bool {
        matches!(
            self,
            Family::StringExact | Family::StringFolded | Family::StringLike | Family::Arn | Family::Bool
        )
    }

    /// Read a (resolved) policy value as this family's type.
    fn read(self, text: &str, literal_at: &[u32]) -> PolicyValue {
        let or_invalid = |v: Option<PolicyValue>| v.unwrap_or(PolicyValue::Invalid);
        match self {
            Family::StringExact => PolicyValue::Exact(text.into()),
            Family::StringFolded | Family::Bool => PolicyValue::Folded(text.into()),
            Family::StringLike => PolicyValue::Like(Glob::with_literals(text, literal_at)),
            Family::Numeric(_) => or_invalid(Decimal::parse(text).map(PolicyValue::Number)),
            Family::Date(_) => or_invalid(parse_date(text).map(PolicyValue::Date)),
            Family::Binary => or_invalid(parse_binary(text).map(PolicyValue::Binary)),
            Family::Ip => or_invalid(Cidr::parse(text).map(PolicyValue::Range)),
            Family::Arn => or_invalid(ArnGlob::new(text, literal_at).map(PolicyValue::Arn)),
            Family::Null => match text.to_ascii_lowercase().as_str() {
                "true" => PolicyValue::Absent(true),
                "false" => PolicyValue::Absent(false),
                _ => PolicyValue::Invalid,
            },
        }
    }

    /// Whether one request value matches one policy value (the positive test; negation and
    /// set qualifiers are applied by the caller).
    fn matches(self, policy: &PolicyValue, request: &ContextValue) -> Tri {
        let hit = match (self, policy) {
            (_, PolicyValue::Unknown) => return Tri::UNKNOWN,
            (Family::StringExact, PolicyValue::Exact(p)) => **p == *request.as_str(),
            (Family::StringFolded | Family::Bool, PolicyValue::Folded(p)) => {
                eq_ignore_case(p, request.as_str())
            }
            (Family::StringLike, PolicyValue::Like(g)) => g.matches(request.as_str()),
            (Family::Arn, PolicyValue::Arn(g)) => g.matches(request.as_str()),
            (Family::Numeric(order), PolicyValue::Number(p)) => {
                request.number().is_some_and(|r| order.holds(r, *p))
            }
            (Family::Date(order), PolicyValue::Date(p)) => request.date().is_some_and(|r| order.holds(r, *p)),
            (Family::Binary, PolicyValue::Binary(p)) => request.binary() == Some(&**p),
            (Family::Ip, PolicyValue::Range(range)) => request.ip().is_some_and(|ip| range.contains(ip)),
            _ => false,
        };
        Tri::certain(hit)
    }
}

/// Case-insensitive equality without allocating (ASCII fast path, Unicode lowercase otherwise).
fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// One compiled `Operator: {Key: values}` test.
#[derive(Debug, Clone)]
pub struct CompiledCondition {
    /// Lowercase: context key names ignore case.
    key: Box<str>,
    operator: ConditionOperator,
    family: Family,
    qualifier: Option<SetQualifier>,
    if_exists: bool,
    values: Box<[PolicyValue]>,
    has_templates: bool,
}

impl CompiledCondition {
    /// Compile a parsed condition; `version` decides whether policy variables are substituted.
    pub fn compile(condition: &Condition, version: PolicyVersion) -> CompiledCondition {
        let family = family(condition.operator);
        let variables = version.supports_variables() && family.takes_variables();
        let values: Box<[PolicyValue]> = condition
            .values
            .iter()
            .map(|text| compile_value(family, text, variables))
            .collect();
        CompiledCondition {
            key: condition.key.to_ascii_lowercase().into(),
            operator: condition.operator,
            family,
            qualifier: condition.qualifier,
            if_exists: condition.if_exists,
            has_templates: values.iter().any(|v| matches!(v, PolicyValue::Template(_))),
            values,
        }
    }

    /// Whether the condition holds for the request's context keys.
    pub fn evaluate(&self, context: &ContextKeys) -> Tri {
        let values = context.get(&self.key);
        if self.family == Family::Null {
            return self.null_test(values.is_none_or(<[_]>::is_empty));
        }
        let negated = self.operator.is_negated();
        match self.qualifier {
            None => match values.filter(|v| !v.is_empty()) {
                None => Tri::certain(self.if_exists || negated),
                Some(request) => self.with_values(context, |policy| {
                    let any = any_match(self.family, policy, request);
                    if negated { !any } else { any }
                }),
            },
            Some(SetQualifier::ForAllValues) => match non_null(values) {
                None => Tri::TRUE,
                Some(request) => self.with_values(context, |policy| {
                    request.iter().fold(Tri::TRUE, |all, value| {
                        all.and(per_value(self.family, policy, value, negated))
                    })
                }),
            },
            Some(SetQualifier::ForAnyValue) => match non_null(values) {
                None => Tri::certain(self.if_exists),
                Some(request) => self.with_values(context, |policy| {
                    request.iter().fold(Tri::FALSE, |any, value| {
                        any.or(per_value(self.family, policy, value, negated))
                    })
                }),
            },
        }
    }

    /// `Null`: true when one of the policy values (`true` = absent) agrees with the request.
    fn null_test(&self, absent: bool) -> Tri {
        self.values.iter().fold(Tri::FALSE, |any, v| {
            any.or(match v {
                PolicyValue::Absent(want) => Tri::certain(*want == absent),
                PolicyValue::Unknown => Tri::UNKNOWN,
                _ => Tri::FALSE,
            })
        })
    }

    /// Run `test` on the policy values, resolving variables first when there are any. A
    /// variable that cannot be resolved makes the condition (and so the statement) fail.
    fn with_values(&self, context: &ContextKeys, test: impl Fn(&[PolicyValue]) -> Tri) -> Tri {
        if !self.has_templates {
            return test(&self.values);
        }
        match self.resolved(context) {
            Some(values) => test(&values),
            None => Tri::FALSE,
        }
    }

    fn resolved(&self, context: &ContextKeys) -> Option<Cow<'_, [PolicyValue]>> {
        let mut out = Vec::with_capacity(self.values.len());
        let (mut text, mut literal_at) = (String::new(), Vec::new());
        for value in &self.values {
            match value {
                PolicyValue::Template(t) => {
                    text.clear();
                    literal_at.clear();
                    if !t.resolve(Some(context), &mut text, &mut literal_at) {
                        return None;
                    }
                    out.push(self.family.read(&text, &literal_at));
                }
                other => out.push(other.clone()),
            }
        }
        Some(Cow::Owned(out))
    }
}

/// A multivalued key's values for a set operator: `None` for a missing key or a null data set
/// (no values, or one empty string), which AWS treats alike.
fn non_null(values: Option<&[ContextValue]>) -> Option<&[ContextValue]> {
    match values? {
        [] => None,
        [only] if only.as_str().is_empty() => None,
        values => Some(values),
    }
}

/// Whether any request value matches any policy value (values OR'ed).
fn any_match(family: Family, policy: &[PolicyValue], request: &[ContextValue]) -> Tri {
    let mut any = Tri::FALSE;
    for value in request {
        for p in policy {
            any = any.or(family.matches(p, value));
            if any.is_certainly(true) {
                return any;
            }
        }
    }
    any
}

/// The per-value test of a set operator: matches some policy value, or for a negated operator
/// matches none of them.
fn per_value(family: Family, policy: &[PolicyValue], value: &ContextValue, negated: bool) -> Tri {
    let any = any_match(family, policy, std::slice::from_ref(value));
    if negated { !any } else { any }
}

fn compile_value(family: Family, text: &Text, variables: bool) -> PolicyValue {
    if !text.known {
        return PolicyValue::Unknown;
    }
    if variables && let Some(template) = Template::parse(&text.text) {
        if template.needs_context() {
            return PolicyValue::Template(template);
        }
        let (mut resolved, mut literal_at) = (String::new(), Vec::new());
        template.resolve(None, &mut resolved, &mut literal_at);
        return family.read(&resolved, &literal_at);
    }
    family.read(&text.text, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_shapes_and_general_matching() {
        for (p, t, want) in [
            ("*", "anything", true),
            ("abc", "abc", true),
            ("abc", "abd", false),
            ("ab*", "abcdef", true),
            ("ab*", "a", false),
            ("*ef", "abcdef", true),
            ("a*c*e", "abcde", true),
            ("a*c*e", "abcdx", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("?", "é", true),
            ("a*?", "aé", true),
            ("*é*", "xéy", true),
            ("", "", true),
            ("", "a", false),
            ("**", "", true),
        ] {
            assert_eq!(Glob::new(p).matches(t), want, "{p} vs {t}");
        }
        // A `*` marked literal (from `${*}`) matches only a `*`.
        let g = Glob::with_literals("home/*", &[5]);
        assert!(g.matches("home/*") && !g.matches("home/x"));
    }

    #[test]
    fn arn_components_do_not_share_wildcards() {
        let g = ArnGlob::new("arn:aws:someservice:*:111122223333:finance/*", &[]).unwrap();
        assert!(g.matches("arn:aws:someservice:us-east-2:111122223333:finance/doc.txt"));
        assert!(!g.matches(
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        ));
        assert!(ArnGlob::new("*", &[]).is_none());
        let resource_colons = ArnGlob::new("arn:aws:logs:*:*:log-group:/aws/lambda/*", &[]).unwrap();
        assert!(resource_colons.matches("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*"));
    }

    #[test]
    fn templates() {
        let t = Template::parse("home/${aws:username}/${*}").unwrap();
        let mut keys = ContextKeys::default();
        keys.set("aws:username", ["bob"]);
        let (mut out, mut lits) = (String::new(), Vec::new());
        assert!(t.resolve(Some(&keys), &mut out, &mut lits));
        assert_eq!((out.as_str(), lits.as_slice()), ("home/bob/*", &[9u32][..]));
        let d = Template::parse("${aws:userid, 'anonymous'}").unwrap();
        out.clear();
        assert!(d.resolve(Some(&ContextKeys::default()), &mut out, &mut lits));
        assert_eq!(out, "anonymous");
        assert!(Template::parse("no variables").is_none());
        assert!(Template::parse("${not closed").is_none());
        assert!(Template::parse("${}").is_none());
        out.clear();
        assert!(!t.resolve(Some(&ContextKeys::default()), &mut out, &mut lits));
    }

    #[test]
    fn values() {
        assert_eq!(Decimal::parse("10"), Decimal::parse("10.0"));
        assert!(Decimal::parse("-1.5") < Decimal::parse("1"));
        assert!(Decimal::parse("1e3").is_none() && Decimal::parse(".").is_none());
        assert!(Decimal::parse("99999999999999999999999999999").is_none());
        let day = parse_date("2020-01-01").unwrap();
        assert_eq!(parse_date("2020-01-01T00:00:00Z"), Some(day));
        assert_eq!(parse_date("2020-01-01T00:00Z"), Some(day));
        assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), Some(day));
        assert_eq!(parse_date("2020-01"), Some(day));
        assert_eq!(parse_date("1577836800"), Some(day));
        assert!(parse_date("yesterday").is_none());
        let net = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(net.contains("203.0.113.7".parse().unwrap()));
        assert!(!net.contains("203.0.114.7".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("1.2.3.4".parse().unwrap())
        );
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains("2001:db8:1234:5678::1".parse().unwrap()));
        assert!(!v6.contains("203.0.113.7".parse().unwrap()));
        assert_eq!(parse_binary("QmluYXJ5").as_deref(), Some(&b"Binary"[..]));
    }

    proptest::proptest! {
        /// The compiled matcher agrees with the reference `pattern::wildcard_match`.
        #[test]
        fn glob_agrees_with_wildcard_match(p in "[ab*?é]{0,8}", t in "[abé]{0,10}") {
            let expected = crate::pattern::wildcard_match(&p, &t, false);
            proptest::prop_assert_eq!(Glob::new(&p).matches(&t), expected);
            proptest::prop_assert_eq!(glob_match(&p, &[], 0, &t), expected);
        }
    }

    #[test]
    fn three_valued_logic() {
        assert_eq!(Tri::UNKNOWN.or(Tri::TRUE), Tri::TRUE);
        assert_eq!(Tri::UNKNOWN.and(Tri::FALSE), Tri::FALSE);
        assert_eq!(Tri::UNKNOWN.or(Tri::FALSE), Tri::UNKNOWN);
        assert!((!Tri::UNKNOWN).value && (!Tri::UNKNOWN).uncertain);
    }
}
