//! The request context an evaluation is asked about: who makes the request, the action, the
//! resource and its account, and the context keys that conditions test.
//!
//! Follows AWS's "Policy evaluation logic" (processing the request context), "IAM JSON policy
//! elements: Condition" (context key names are not case-sensitive) and "IAM policy elements:
//! Variables and tags" (the principal keys `aws:username`, `aws:PrincipalType`, ...).
//!
//! Values are kept as the strings a request carries; each operator family reads them as its
//! own type (number, date, IP address, base64 binary), parsed at most once per value.

use std::net::IpAddr;
use std::sync::OnceLock;

use crate::condition::{Decimal, parse_binary, parse_date, parse_ip};
use crate::policy::arn_account;

/// What kind of principal makes a request. Decides which policy types apply to it: identity
/// policies, boundaries and session policies exist only for IAM users, roles and their
/// sessions; services and anonymous callers are reached only through resource policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// The account's root user: full access in its own account unless denied or limited by SCPs.
    Root,
    User,
    /// An assumed-role session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`).
    RoleSession,
    /// A `GetFederationToken` session (`arn:aws:sts::ACCOUNT:federated-user/NAME`).
    FederatedUser,
    /// An AWS service principal such as `s3.amazonaws.com`.
    Service,
    Anonymous,
}

/// The principal making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    kind: PrincipalKind,
    /// The ARN the request is made as (the session ARN for role sessions), or the service name.
    arn: Box<str>,
    account: Option<Box<str>>,
    /// For a role session, the role's ARN; for a federated user, the IAM user who federated.
    parent_arn: Option<Box<str>>,
    service_linked: bool,
}

impl Principal {
    /// The root user of `account`.
    pub fn root(account: &str) -> Principal {
        Principal {
            kind: PrincipalKind::Root,
            arn: format!("arn:aws:iam::{account}:root").into(),
            account: Some(account.into()),
            parent_arn: None,
            service_linked: false,
        }
    }

    /// An IAM user, from its ARN (`arn:aws:iam::ACCOUNT:user/path/name`).
    pub fn user(arn: &str) -> Principal {
        Principal {
            kind: PrincipalKind::User,
            arn: arn.into(),
            account: arn_account(arn).map(Into::into),
            parent_arn: None,
            service_linked: false,
        }
    }

    /// A session of the role `role_arn` (which may carry a path) named `session`. The session
    /// ARN drops the path, as STS does. Roles under `/aws-service-role/` are service-linked.
    pub fn role_session(role_arn: &str, session: &str) -> Principal {
        let mut parts = role_arn.splitn(6, ':');
        let partition = parts.nth(1).unwrap_or("aws");
        let account = arn_account(role_arn).unwrap_or_default();
        let resource = role_arn.splitn(6, ':').nth(5).unwrap_or_default();
        let name = resource.rsplit('/').next().unwrap_or(resource);
        Principal {
            kind: PrincipalKind::RoleSession,
            arn: format!("arn:{partition}:sts::{account}:assumed-role/{name}/{session}").into(),
            account: (!account.is_empty()).then(|| account.into()),
            parent_arn: Some(role_arn.into()),
            service_linked: resource.starts_with("role/aws-service-role/"),
        }
    }

    /// A role session from its STS ARN (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). The
    /// role's path is not in a session ARN, so the role ARN is taken to have none; use
    /// [`Principal::role_session`] when the path is known.
    pub fn assumed_role(session_arn: &str) -> Principal {
        let partition = session_arn.split(':').nth(1).unwrap_or("aws");
        let account = arn_account(session_arn).unwrap_or_default();
        let resource = session_arn.splitn(6, ':').nth(5).unwrap_or_default();
        let role = resource
            .strip_prefix("assumed-role/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        Principal {
            kind: PrincipalKind::RoleSession,
            arn: session_arn.into(),
            account: (!account.is_empty()).then(|| account.into()),
            parent_arn: Some(format!("arn:{partition}:iam::{account}:role/{role}").into()),
            service_linked: false,
        }
    }

    /// A federated user session (`arn:aws:sts::ACCOUNT:federated-user/NAME`), optionally with
    /// the IAM user who called `GetFederationToken`.
    pub fn federated_user(arn: &str, federated_by: Option<&str>) -> Principal {
        Principal {
            kind: PrincipalKind::FederatedUser,
            arn: arn.into(),
            account: arn_account(arn).map(Into::into),
            parent_arn: federated_by.map(Into::into),
            service_linked: false,
        }
    }

    /// An AWS service principal such as `lambda.amazonaws.com`.
    pub fn service(name: &str) -> Principal {
        Principal {
            kind: PrincipalKind::Service,
            arn: name.into(),
            account: None,
            parent_arn: None,
            service_linked: false,
        }
    }

    /// An unauthenticated caller.
    pub fn anonymous() -> Principal {
        Principal {
            kind: PrincipalKind::Anonymous,
            arn: "".into(),
            account: None,
            parent_arn: None,
            service_linked: false,
        }
    }

    /// The principal an ARN names: `:root`, `user/`, `assumed-role/`, `federated-user/`, or a
    /// role ARN (read as a session named after the role). `None` for anything else.
    pub fn from_arn(arn: &str) -> Option<Principal> {
        let resource = arn.splitn(6, ':').nth(5)?;
        let account = arn_account(arn)?;
        Some(if resource == "root" {
            Principal::root(account)
        } else if resource.starts_with("user/") {
            Principal::user(arn)
        } else if resource.starts_with("assumed-role/") {
            Principal::assumed_role(arn)
        } else if resource.starts_with("federated-user/") {
            Principal::federated_user(arn, None)
        } else if resource.starts_with("role/") {
            let name = resource.rsplit('/').next().unwrap_or(resource);
            Principal::role_session(arn, name)
        } else {
            return None;
        })
    }

    /// Mark the principal as (not) a service-linked role, which SCPs and RCPs do not restrict.
    pub fn with_service_linked(mut self, service_linked: bool) -> Principal {
        self.service_linked = service_linked;
        self
    }

    pub fn kind(&self) -> PrincipalKind {
        self.kind
    }

    /// The ARN the request is made as; the service name for a service; empty when anonymous.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The role of a role session, or the IAM user behind a federated user session.
    pub fn parent_arn(&self) -> Option<&str> {
        self.parent_arn.as_deref()
    }

    pub fn is_service_linked(&self) -> bool {
        self.service_linked
    }

    /// `aws:PrincipalArn`: for a role session it is the role, not the session.
    fn principal_arn(&self) -> Option<&str> {
        match self.kind {
            PrincipalKind::RoleSession => self.parent_arn.as_deref(),
            PrincipalKind::Service | PrincipalKind::Anonymous => None,
            _ => Some(&self.arn),
        }
    }

    /// `aws:PrincipalType` as AWS documents it for each kind of principal.
    fn principal_type(&self) -> Option<&'static str> {
        match self.kind {
            PrincipalKind::Root => Some("Account"),
            PrincipalKind::User => Some("User"),
            PrincipalKind::RoleSession => Some("AssumedRole"),
            PrincipalKind::FederatedUser => Some("FederatedUser"),
            PrincipalKind::Anonymous => Some("Anonymous"),
            PrincipalKind::Service => None,
        }
    }
}

/// One value of a context key: the request's string, with its readings as the other
/// condition types computed on first use.
#[derive(Debug, Clone)]
pub struct ContextValue {
    text: Box<str>,
    number: OnceLock<Option<Decimal>>,
    date: OnceLock<Option<i128>>,
    ip: OnceLock<Option<IpAddr>>,
    binary: OnceLock<Option<Box<[u8]>>>,
}

impl ContextValue {
    pub fn new(text: impl Into<String>) -> ContextValue {
        ContextValue {
            text: text.into().into_boxed_str(),
            number: OnceLock::new(),
            date: OnceLock::new(),
            ip: OnceLock::new(),
            binary: OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value as an integer or decimal, for `Numeric*` operators.
    pub(crate) fn number(&self) -> Option<Decimal> {
        *self.number.get_or_init(|| Decimal::parse(&self.text))
    }

    /// The value as an instant (nanoseconds since the epoch), for `Date*` operators.
    pub(crate) fn date(&self) -> Option<i128> {
        *self.date.get_or_init(|| parse_date(&self.text))
    }

    /// The value as an IP address, for `IpAddress` / `NotIpAddress`.
    pub(crate) fn ip(&self) -> Option<IpAddr> {
        *self.ip.get_or_init(|| parse_ip(&self.text))
    }

    /// The value's bytes (it is carried base64-encoded), for `BinaryEquals`.
    pub(crate) fn binary(&self) -> Option<&[u8]> {
        self.binary.get_or_init(|| parse_binary(&self.text)).as_deref()
    }
}

impl PartialEq for ContextValue {
    fn eq(&self, other: &ContextValue) -> bool {
        self.text == other.text
    }
}

/// The context keys of a request. Key names compare without regard to ASCII case, as AWS
/// documents; a key may carry several values (a multivalued key such as `aws:TagKeys`) or
/// none (an empty set, which set operators treat like a missing key).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContextKeys {
    entries: Vec<(Box<str>, Vec<ContextValue>)>,
}

impl ContextKeys {
    /// Set `key` to `values`, replacing what it had.
    pub fn set<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<ContextValue> = values.into_iter().map(ContextValue::new).collect();
        match self.position(key) {
            Some(i) => self.entries[i].1 = values,
            None => self
                .entries
                .push((key.to_ascii_lowercase().into_boxed_str(), values)),
        }
    }

    pub fn remove(&mut self, key: &str) {
        if let Some(i) = self.position(key) {
            self.entries.remove(i);
        }
    }

    /// The values of `key`, if the request has it (an empty slice for an empty set).
    pub fn get(&self, key: &str) -> Option<&[ContextValue]> {
        self.position(key).map(|i| self.entries[i].1.as_slice())
    }

    /// The single value of `key`; `None` when it is missing or has several values (a
    /// multivalued key cannot be a policy variable).
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            [one] => Some(one.as_str()),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[ContextValue])> {
        self.entries.iter().map(|(k, v)| (&**k, v.as_slice()))
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|(k, _)| k.len() == key.len() && k.eq_ignore_ascii_case(key))
    }
}

/// A request to authorize: principal, action, resource, the resource's account and the
/// context keys.
///
/// [`Request::new`] fills the keys AWS derives from the principal and resource
/// (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username` for IAM
/// users, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName` for services,
/// `aws:ResourceAccount`); [`Request::with`] and [`Request::without`] override them.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    principal: Principal,
    action: Box<str>,
    action_lower: Box<str>,
    resource: Box<str>,
    resource_account: Option<Box<str>>,
    context: ContextKeys,
}

impl Request {
    /// A request by `principal` for `action` (`service:Name`) on the resource ARN `resource`.
    /// The resource's account is read from its ARN; set it with [`Request::resource_account`]
    /// when the ARN has none (S3 buckets).
    pub fn new(principal: Principal, action: &str, resource: &str) -> Request {
        let mut request = Request {
            action: action.into(),
            action_lower: action.to_ascii_lowercase().into_boxed_str(),
            resource: resource.into(),
            resource_account: arn_account(resource).map(Into::into),
            context: ContextKeys::default(),
            principal,
        };
        request.derive_principal_keys();
        request.derive_resource_account_key();
        request
    }

    /// Set the account that owns the resource (and `aws:ResourceAccount`).
    pub fn resource_account(mut self, account: &str) -> Request {
        self.resource_account = Some(account.into());
        self.derive_resource_account_key();
        self
    }

    /// Set a single-valued context key.
    pub fn with(mut self, key: &str, value: &str) -> Request {
        self.context.set(key, [value]);
        self
    }

    /// Set a multivalued context key (an empty list is an empty set, not a missing key).
    pub fn with_values<I, S>(mut self, key: &str, values: I) -> Request
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.context.set(key, values);
        self
    }

    /// Remove a context key, including one derived from the principal.
    pub fn without(mut self, key: &str) -> Request {
        self.context.remove(key);
        self
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn action(&self) -> &str {
        &self.action
    }

    /// The action in lowercase: actions compare without regard to case.
    pub(crate) fn action_lower(&self) -> &str {
        &self.action_lower
    }

    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The resource's account; `None` when neither the ARN nor the caller said.
    pub fn resource_owner(&self) -> Option<&str> {
        self.resource_account.as_deref()
    }

    pub fn context(&self) -> &ContextKeys {
        &self.context
    }

    /// Whether the principal's account differs from the resource's. A resource of unknown
    /// account is taken to be in the principal's account.
    pub fn is_cross_account(&self) -> bool {
        match (self.principal.account(), self.resource_owner()) {
            (Some(p), Some(r)) => p != r,
            _ => false,
        }
    }

    fn derive_principal_keys(&mut self) {
        let p = &self.principal;
        let mut keys: Vec<(&str, String)> = Vec::new();
        if let Some(arn) = p.principal_arn() {
            keys.push(("aws:PrincipalArn", arn.to_string()));
        }
        if let Some(account) = p.account() {
            keys.push(("aws:PrincipalAccount", account.to_string()));
        }
        if let Some(kind) = p.principal_type() {
            keys.push(("aws:PrincipalType", kind.to_string()));
        }
        if p.kind == PrincipalKind::User
            && let Some(name) = p.arn.rsplit('/').next()
        {
            keys.push(("aws:username", name.to_string()));
        }
        let is_service = p.kind == PrincipalKind::Service;
        keys.push(("aws:PrincipalIsAWSService", is_service.to_string()));
        if is_service {
            keys.push(("aws:PrincipalServiceName", p.arn.to_string()));
        }
        for (key, value) in keys {
            self.context.set(key, [value]);
        }
    }

    fn derive_resource_account_key(&mut self) {
        if let Some(account) = self.resource_account.clone() {
            self.context.set("aws:ResourceAccount", [account]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_from_arns() {
        let s = Principal::role_session("arn:aws:iam::111122223333:role/team/app", "s1");
        assert_eq!(s.arn(), "arn:aws:sts::111122223333:assumed-role/app/s1");
        assert_eq!(s.parent_arn(), Some("arn:aws:iam::111122223333:role/team/app"));
        assert_eq!(s.account(), Some("111122223333"));
        let a = Principal::assumed_role("arn:aws:sts::111122223333:assumed-role/app/s1");
        assert_eq!(a.parent_arn(), Some("arn:aws:iam::111122223333:role/app"));
        let slr = Principal::role_session(
            "arn:aws:iam::111122223333:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda",
            "x",
        );
        assert!(slr.is_service_linked());
        assert_eq!(
            Principal::from_arn("arn:aws:iam::111122223333:root").map(|p| p.kind()),
            Some(PrincipalKind::Root)
        );
        assert!(Principal::from_arn("arn:aws:s3:::bucket").is_none());
        assert!(Principal::from_arn("not an arn").is_none());
    }

    #[test]
    fn derived_keys_and_case_insensitive_names() {
        let r = Request::new(
            Principal::user("arn:aws:iam::111122223333:user/alice"),
            "S3:GetObject",
            "arn:aws:s3:::bucket/key",
        )
        .with("AWS:SourceIp", "10.0.0.1");
        assert_eq!(r.context().single("aws:username"), Some("alice"));
        assert_eq!(r.context().single("aws:sourceip"), Some("10.0.0.1"));
        assert_eq!(r.context().single("AWS:PRINCIPALTYPE"), Some("User"));
        assert_eq!(r.action_lower(), "s3:getobject");
        assert_eq!(r.resource_owner(), None);
        assert!(!r.is_cross_account());
        let r = r.resource_account("444455556666");
        assert!(r.is_cross_account());
        assert_eq!(r.context().single("aws:ResourceAccount"), Some("444455556666"));
        let r = r.without("aws:username").with_values("aws:TagKeys", ["a", "b"]);
        assert!(r.context().get("aws:username").is_none());
        assert_eq!(r.context().get("aws:tagkeys").map(<[_]>::len), Some(2));
        assert_eq!(r.context().single("aws:tagkeys"), None);
    }

    #[test]
    fn typed_readings() {
        let v = ContextValue::new("10.5");
        assert!(v.number().is_some() && v.ip().is_none());
        assert!(ContextValue::new("2020-01-01T00:00:00Z").date().is_some());
        assert!(ContextValue::new("203.0.113.9").ip().is_some());
        assert_eq!(ContextValue::new("aGk=").binary(), Some(&b"hi"[..]));
    }
}
