//! Policy checks in the spirit of IAM Access Analyzer's policy validation: errors (the policy
//! is wrong), security warnings (it grants too much), warnings and suggestions. The same
//! checks serve `warden policy check FILE` and the least-privilege analysis of execution roles.

use warden_model::Span;

use crate::pattern::action_matches;
use crate::policy::{Effect, Matcher, Policy, PolicyVersion, PrincipalId, Statement, Text};
use crate::privilege::{PrivilegeKind, analyze};

/// What kind of policy is checked: the grammar differs (identity policies have no
/// `Principal`, resource policies need one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Identity,
    Resource,
    Trust,
    PermissionsBoundary,
    ServiceControl,
}

/// Access Analyzer's finding types, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueLevel {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

impl IssueLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueLevel::Error => "error",
            IssueLevel::SecurityWarning => "security-warning",
            IssueLevel::Warning => "warning",
            IssueLevel::Suggestion => "suggestion",
        }
    }
}

/// One problem in a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyIssue {
    pub level: IssueLevel,
    /// Stable kebab-case code, e.g. `allow-all-actions`, `passrole-any-role`.
    pub code: &'static str,
    pub message: String,
    /// The statement (0-based) the issue is about, when it is about one.
    pub statement: Option<usize>,
    pub span: Span,
}

fn issue(level: IssueLevel, code: &'static str, s: &Statement, span: Span, message: String) -> PolicyIssue {
    PolicyIssue {
        level,
        code,
        message,
        statement: Some(s.index),
        span: if span.is_known() { span } else { s.span },
    }
}

/// Whether a resource element admits every resource (`*`, or absent / `NotResource` with a
/// narrow exclusion, which is almost everything).
pub fn any_resource(resource: Option<&Matcher<Text>>) -> Option<Span> {
    match resource {
        None => Some(Span::default()),
        Some(Matcher::Only(items)) => items.iter().find(|t| t.is("*")).map(|t| t.span),
        Some(Matcher::Not(items)) => items.first().map(|t| t.span).or(Some(Span::default())),
    }
}

/// Known actions of a statement's `Action` that match `action` (case-insensitive wildcards).
pub fn grants_action<'a>(statement: &'a Statement, action: &str) -> Option<&'a Text> {
    match &statement.action {
        Matcher::Only(items) => items.iter().find(|t| t.known && action_matches(&t.text, action)),
        Matcher::Not(items) => {
            if items.iter().any(|t| t.known && action_matches(&t.text, action)) {
                None
            } else {
                items.first()
            }
        }
    }
}

/// Checks that need no catalog: grammar per policy kind and the broad grants.
pub fn check(policy: &Policy, kind: PolicyKind) -> Vec<PolicyIssue> {
    let mut out = Vec::new();
    if policy.version != PolicyVersion::V2012_10_17 {
        out.push(PolicyIssue {
            level: IssueLevel::Suggestion,
            code: "policy-version",
            message: "set `Version: 2012-10-17`: older versions treat policy variables such as \
                      ${aws:username} as literal text"
                .into(),
            statement: None,
            span: policy.span,
        });
    }
    let mut sids: Vec<&str> = Vec::new();
    for s in &policy.statements {
        if let Some(sid) = s.sid.as_deref() {
            if sids.contains(&sid) {
                out.push(issue(
                    IssueLevel::Error,
                    "duplicate-sid",
                    s,
                    s.span,
                    format!("duplicate `Sid` `{sid}`"),
                ));
            }
            sids.push(sid);
        }
        grammar(s, kind, &mut out);
        if s.effect == Effect::Allow && matches!(kind, PolicyKind::Resource | PolicyKind::Trust) {
            public_grants(s, &mut out);
        }
    }
    if matches!(kind, PolicyKind::Identity | PolicyKind::PermissionsBoundary) {
        privilege_issues(policy, &mut out);
    }
    out
}

fn grammar(s: &Statement, kind: PolicyKind, out: &mut Vec<PolicyIssue>) {
    let wants_principal = matches!(kind, PolicyKind::Resource | PolicyKind::Trust);
    match (&s.principal, wants_principal) {
        (Some(p), false) => {
            let span = p.items().first().map(principal_span).unwrap_or(s.span);
            out.push(issue(
                IssueLevel::Error,
                "principal-in-identity-policy",
                s,
                span,
                "identity-based policies, boundaries and SCPs cannot name a `Principal`".into(),
            ));
        }
        (None, true) => out.push(issue(
            IssueLevel::Error,
            "missing-principal",
            s,
            s.span,
            "a resource-based or trust policy statement needs a `Principal`".into(),
        )),
        _ => {}
    }
    if s.resource.is_none() && matches!(kind, PolicyKind::Identity | PolicyKind::PermissionsBoundary) {
        out.push(issue(
            IssueLevel::Error,
            "missing-resource",
            s,
            s.span,
            "an identity-based policy statement needs a `Resource`".into(),
        ));
    }
    if let Some(Matcher::Not(_)) = &s.principal
        && s.effect == Effect::Allow
    {
        out.push(issue(
            IssueLevel::SecurityWarning,
            "allow-with-not-principal",
            s,
            s.span,
            "`Allow` with `NotPrincipal` grants every principal except those listed, anonymous \
                 users included"
                .into(),
        ));
    }
}

fn principal_span(p: &PrincipalId) -> Span {
    match p {
        PrincipalId::Any => Span::default(),
        PrincipalId::Aws(t)
        | PrincipalId::Service(t)
        | PrincipalId::Federated(t)
        | PrincipalId::CanonicalUser(t) => t.span,
    }
}

/// Resource-based and trust policies: grants to everyone with no condition.
fn public_grants(s: &Statement, out: &mut Vec<PolicyIssue>) {
    if let Some(Matcher::Only(principals)) = &s.principal
        && principals.contains(&PrincipalId::Any)
        && s.conditions.is_empty()
    {
        out.push(issue(
            IssueLevel::SecurityWarning,
            "public-access",
            s,
            s.span,
            "grants access to everyone (`*`) with no condition".into(),
        ));
    }
}

/// What the least-privilege analysis finds, as policy-check issues.
fn privilege_issues(policy: &Policy, out: &mut Vec<PolicyIssue>) {
    for found in analyze(policy) {
        let (level, code) = match &found.kind {
            PrivilegeKind::EffectiveAdmin => (IssueLevel::SecurityWarning, "administrator-access"),
            PrivilegeKind::AllowNotAction => (IssueLevel::SecurityWarning, "allow-with-not-action"),
            PrivilegeKind::PassRoleAnyRole => (IssueLevel::SecurityWarning, "passrole-any-role"),
            PrivilegeKind::PermissionsManagementOnAnyResource => (
                IssueLevel::SecurityWarning,
                "permissions-management-on-any-resource",
            ),
            PrivilegeKind::CredentialsExposure => (IssueLevel::SecurityWarning, "credentials-exposure"),
            PrivilegeKind::DataExfiltration => (IssueLevel::SecurityWarning, "data-access-on-any-resource"),
            PrivilegeKind::WriteOnAnyResource => (IssueLevel::Warning, "write-on-any-resource"),
            PrivilegeKind::ServiceWildcard { .. } => (IssueLevel::Warning, "service-wildcard"),
            PrivilegeKind::UnknownAction { .. } => (IssueLevel::Error, "unknown-action"),
            PrivilegeKind::ResourceMismatch => (IssueLevel::Warning, "resource-does-not-fit-action"),
            PrivilegeKind::ConditionKeyNotApplicable { .. } => {
                (IssueLevel::Warning, "condition-key-not-applicable")
            }
        };
        out.push(PolicyIssue {
            level,
            code,
            message: found.message,
            statement: Some(found.statement),
            span: found.span,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_model::Value;

    fn codes(json: serde_json::Value, kind: PolicyKind) -> Vec<&'static str> {
        let policy = Policy::parse(&Value::from_json(&json)).expect("policy");
        check(&policy, kind).into_iter().map(|i| i.code).collect()
    }

    #[test]
    fn admin_passrole_and_not_action() {
        let c = codes(
            serde_json::json!({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*"},
                {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Deny", "Action": "*", "Resource": "*"}
            ]}),
            PolicyKind::Identity,
        );
        assert_eq!(
            c,
            vec![
                "administrator-access",
                "passrole-any-role",
                "administrator-access"
            ]
        );
    }

    #[test]
    fn grammar_per_kind() {
        let doc = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": "*"}]});
        assert!(codes(doc.clone(), PolicyKind::Identity).contains(&"principal-in-identity-policy"));
        assert!(codes(doc, PolicyKind::Resource).contains(&"public-access"));
        let no_principal = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]});
        assert!(codes(no_principal, PolicyKind::Trust).contains(&"missing-principal"));
        let old = serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Sid": "A"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::c/*", "Sid": "A"}]});
        let c = codes(old, PolicyKind::Identity);
        assert!(
            c.contains(&"policy-version") && c.contains(&"duplicate-sid"),
            "{c:?}"
        );
    }
}
