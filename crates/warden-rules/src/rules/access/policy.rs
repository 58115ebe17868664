//! What the `ACC` and `IAM` rules share about IAM policies: what an action pattern can match,
//! the principals and conditions of resource-based permissions, and the policy documents that
//! apply to execution roles, parsed and analysed by the IAM engine (`warden_iam`). The policy
//! logic itself (grammar, wildcard expansion, the action catalog, least privilege) lives in
//! the engine; this module only finds the documents and words the findings.

use warden_iam::privilege::{PrivilegeIssue, PrivilegeKind, analyze};
use warden_iam::{Effect, Matcher, Policy, PolicyError, PrincipalId};
use warden_model::{Finding, Inventory, Meta, Role, RuleMeta, Span, Value, ValueKind};

use crate::finding_at;

/// Whether the IAM action pattern `pattern` (`s3:Get*`, `lambda:*`) matches `action`: the
/// engine's matcher, case-insensitive as IAM compares actions.
pub(super) use warden_iam::action_matches;

/// The actions that invoke a function: all a resource-based permission on a function should
/// grant. (`lambda:InvokeAsync` is deprecated, but it only invokes.)
pub(super) const INVOKE_ACTIONS: &[&str] = &[
    "lambda:InvokeFunction",
    "lambda:InvokeFunctionUrl",
    "lambda:InvokeAsync",
];

/// A condition property of a permission (`SourceArn`, `PrincipalOrgID`, ...) that is set on
/// every branch: a branch that leaves it out (`!Ref AWS::NoValue`) or empty is unconditioned.
pub(super) fn is_set(value: Option<&Value>) -> bool {
    value.is_some_and(|v| {
        v.candidates()
            .into_iter()
            .all(|c| !c.is_null() && c.as_str() != Some(""))
    })
}

/// The `*` that makes a principal public: `"*"` or `{"AWS": "*"}`, which IAM treats alike.
pub(super) fn public_principal(principal: &Value) -> Option<&Value> {
    principal.candidates().into_iter().find_map(|candidate| {
        if candidate.as_str() == Some("*") {
            return Some(candidate);
        }
        candidate
            .get_ignore_case("AWS")?
            .items()
            .into_iter()
            .find(|v| v.as_str() == Some("*"))
    })
}

/// Whether a role's trust policy lets Lambda assume it: an `Allow` statement naming the Lambda
/// (or Lambda@Edge) service principal, on any branch of an undecided condition.
fn trusts_lambda(role: &Role) -> bool {
    let Some(document) = &role.trust_policy else {
        return false;
    };
    document
        .candidates()
        .into_iter()
        .filter_map(|candidate| Policy::parse(candidate).ok())
        .any(|trust| {
            trust.statements.iter().any(|statement| {
                statement.effect == Effect::Allow
                    && matches!(&statement.principal, Some(Matcher::Only(principals))
                        if principals.iter().any(is_lambda_service))
            })
        })
}

fn is_lambda_service(principal: &PrincipalId) -> bool {
    matches!(principal, PrincipalId::Service(service) if service.known
        && (service.text.eq_ignore_ascii_case("lambda.amazonaws.com")
            || service.text.eq_ignore_ascii_case("edgelambda.amazonaws.com")))
}

/// Roles Lambda functions run as: every role a function names, and every role whose trust
/// policy lets Lambda assume it (a function defined elsewhere may use it).
pub(super) fn execution_roles(inv: &Inventory) -> Vec<&Role> {
    inv.roles
        .iter()
        .filter(|role| inv.functions_with_role(&role.meta.id).next().is_some() || trusts_lambda(role))
        .collect()
}

/// How messages name an execution role: "execution role `R` of function `F`".
pub(super) fn role_label(inv: &Inventory, role: &Role) -> String {
    let functions: Vec<String> = inv
        .functions_with_role(&role.meta.id)
        .map(|f| format!("`{}`", f.meta.name))
        .collect();
    match functions.as_slice() {
        [] => format!("execution role `{}`", role.meta.name),
        // The role SAM creates for a function carries the function's name.
        [only] if role.meta.implied_by.is_some() => format!("the execution role of function {only}"),
        [only] => format!("execution role `{}` of function {only}", role.meta.name),
        many => format!(
            "execution role `{}` of functions {}",
            role.meta.name,
            many.join(", ")
        ),
    }
}

/// A policy document that applies to at least one execution role, as the IAM engine reads it.
pub(super) struct ExecutionPolicy<'a> {
    /// The element findings about the document are reported on: the role for its inline
    /// policies, the policy resource for a standalone one.
    pub element: &'a Meta,
    /// Identifies the document within its element, for fingerprints.
    name: String,
    /// How messages name the document, with the role(s) it applies to.
    pub label: String,
    /// Whether the loader wrote the document from a SAM policy template or a managed policy
    /// name: AWS's text rather than the template author's, so its slips (such as
    /// `SQSPollerPolicy`'s `sqs:DeleteMessageBatch`, which no service defines) are not theirs
    /// to fix. What it grants still counts.
    pub expanded: bool,
    /// The document as written (one branch of it, when the whole document sits under an
    /// undecided condition).
    document: &'a Value,
    /// The parsed document, or why the engine cannot read it.
    pub parsed: Result<Policy, PolicyError>,
    /// Where to point when a statement has no position of its own (expanded SAM policy
    /// templates).
    fallback: Span,
    /// The least-privilege analysis of `parsed`, computed on first use.
    issues: std::sync::OnceLock<Vec<PrivilegeIssue>>,
}

impl ExecutionPolicy<'_> {
    /// What the engine's least-privilege analysis finds in the document; nothing when it does
    /// not parse (IAM009 reports that).
    pub fn privilege_issues(&self) -> &[PrivilegeIssue] {
        self.issues
            .get_or_init(|| self.parsed.as_ref().map(analyze).unwrap_or_default())
    }

    /// Why the document cannot be read, unless the engine only stumbled on a value the
    /// template decides at deploy time (`!Ref Param` as a whole statement, an `!If` on
    /// `Effect`): that is not the document's fault, only beyond static analysis.
    pub fn invalid(&self) -> Option<&PolicyError> {
        let error = self.parsed.as_ref().err()?;
        (!undecided_at(self.document, error.span)).then_some(error)
    }

    /// A finding about statement `statement` (0-based) of the document, at `span` when known.
    /// `key` separates several findings of one rule on one statement.
    pub fn finding(
        &self,
        rule: &RuleMeta,
        statement: usize,
        span: Span,
        key: &str,
        message: String,
    ) -> Finding {
        finding_at(
            rule,
            self.element,
            span.or(self.fallback),
            &format!("{}/{statement}/{key}", self.name),
            message,
        )
    }

    /// A finding for an issue of the engine's analysis: its message, said of this document.
    pub fn issue_finding(&self, rule: &RuleMeta, issue: &PrivilegeIssue, key: &str) -> Finding {
        // The engine words most issues as a predicate ("allows ... on every resource"), the
        // rest as sentences of their own.
        let message = if issue.message.starts_with("allows ") {
            format!("{} {}", self.label, issue.message)
        } else {
            format!("{}: {}", self.label, issue.message)
        };
        self.finding(rule, issue.statement, issue.span, key, message)
    }
}

/// Whether some node of `value` at `span` is a value the template leaves to deploy time.
fn undecided_at(value: &Value, span: Span) -> bool {
    if value.span == span && matches!(value.kind, ValueKind::Unknown(_) | ValueKind::Choice { .. }) {
        return true;
    }
    match &value.kind {
        ValueKind::List(items) => items.iter().any(|item| undecided_at(item, span)),
        ValueKind::Map(entries) => entries.iter().any(|(_, v)| undecided_at(v, span)),
        ValueKind::Choice {
            when_true,
            when_false,
            ..
        } => undecided_at(when_true, span) || undecided_at(when_false, span),
        _ => false,
    }
}

/// Whether every action of `issue` is also reported, on the same statement, by an issue of a
/// kind `reported` selects: a service granted whole (`s3:*`, IAM001) covers its actions,
/// `iam:PassRole` on any role (IAM003) and data or credential access (IAM005) cover the
/// actions they name. The engine files an action under each kind it fits (`iam:PassRole` and
/// `kms:Decrypt` are also *Write* actions), and one grant is worth one finding.
pub(super) fn reported_elsewhere(
    issue: &PrivilegeIssue,
    issues: &[PrivilegeIssue],
    reported: fn(&PrivilegeKind) -> bool,
) -> bool {
    let others: Vec<&PrivilegeIssue> = issues
        .iter()
        .filter(|other| {
            other.statement == issue.statement && other.kind != issue.kind && reported(&other.kind)
        })
        .collect();
    !issue.actions.is_empty()
        && issue.actions.iter().all(|action| {
            others.iter().any(|other| match &other.kind {
                PrivilegeKind::ServiceWildcard { service } => action
                    .split_once(':')
                    .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(service)),
                _ => other.actions.iter().any(|a| a.eq_ignore_ascii_case(action)),
            })
        })
}

/// Every policy document of every execution role: the roles' inline policies (SAM `Policies`
/// included, already expanded by the loader) and the customer-managed / standalone policies of
/// the Inventory attached to them, each parsed once. A document under an undecided condition
/// gives one entry per branch. AWS managed policies are known only by ARN and are not here.
/// What the IAM rules share: every execution-policy document, parsed and analysed once per run.
#[derive(Default)]
pub(crate) struct SharedAnalyses<'a> {
    execution_policies: std::sync::OnceLock<Vec<ExecutionPolicy<'a>>>,
}

/// Every execution-policy document of the Inventory, parsed once per run.
pub(super) fn execution_policies<'c, 'a>(cx: &'c crate::Context<'a>) -> &'c [ExecutionPolicy<'a>] {
    cx.shared
        .execution_policies
        .get_or_init(|| collect_execution_policies(cx.inventory))
}

fn collect_execution_policies(inv: &Inventory) -> Vec<ExecutionPolicy<'_>> {
    let roles = execution_roles(inv);
    let mut out = Vec::new();
    for role in &roles {
        let label = role_label(inv, role);
        for (index, policy) in role.inline_policies.iter().enumerate() {
            let shown = policy.expanded_from.as_deref().unwrap_or(&policy.name);
            let name = if policy.name.is_empty() {
                format!("inline-{index}")
            } else {
                policy.name.clone()
            };
            push_branches(
                &mut out,
                Source {
                    element: &role.meta,
                    name: &name,
                    label: &format!("policy `{shown}` of {label}"),
                    expanded: policy.expanded_from.is_some(),
                    fallback: policy.origin.span(),
                },
                &policy.document,
            );
        }
    }
    for policy in &inv.managed_policies {
        let attached: Vec<String> = roles
            .iter()
            .filter(|role| Inventory::is_attached(policy, role))
            .map(|role| role_label(inv, role))
            .collect();
        if attached.is_empty() {
            continue;
        }
        push_branches(
            &mut out,
            Source {
                element: &policy.meta,
                name: "",
                label: &format!(
                    "policy `{}` (attached to {})",
                    policy.meta.name,
                    attached.join(" and ")
                ),
                expanded: false,
                fallback: Span::default(),
            },
            &policy.document,
        );
    }
    out
}

/// Where a policy document comes from: the fields of [`ExecutionPolicy`] that all branches of
/// the document share.
struct Source<'a, 's> {
    element: &'a Meta,
    name: &'s str,
    label: &'s str,
    expanded: bool,
    fallback: Span,
}

/// One entry per branch of `document` (one for a document not under a condition).
fn push_branches<'a>(out: &mut Vec<ExecutionPolicy<'a>>, source: Source<'a, '_>, document: &'a Value) {
    for (branch, candidate) in document.candidates().into_iter().enumerate() {
        out.push(ExecutionPolicy {
            element: source.element,
            // The first branch keeps the plain name, so fingerprints stay put when a condition
            // is added around a document.
            name: match branch {
                0 => source.name.to_string(),
                n => format!("{}#{n}", source.name),
            },
            label: source.label.to_string(),
            expanded: source.expanded,
            document: candidate,
            parsed: Policy::parse(candidate),
            fallback: source.fallback,
            issues: std::sync::OnceLock::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(kind: PrivilegeKind, statement: usize, actions: &[&str]) -> PrivilegeIssue {
        PrivilegeIssue {
            kind,
            statement,
            span: Span::default(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            message: String::new(),
        }
    }

    #[test]
    fn a_grant_reported_by_a_more_specific_kind_is_not_repeated() {
        let any = |_: &PrivilegeKind| true;
        let wildcard = issue(
            PrivilegeKind::ServiceWildcard { service: "S3".into() },
            0,
            &["S3:*"],
        );
        let passrole = issue(PrivilegeKind::PassRoleAnyRole, 0, &["iam:PassRole"]);
        let writes = issue(
            PrivilegeKind::WriteOnAnyResource,
            0,
            &["s3:PutObject", "iam:PassRole"],
        );
        let issues = [wildcard, passrole, writes.clone()];
        assert!(reported_elsewhere(&writes, &issues, any));
        // Only some of the actions are covered: the finding stays.
        let more = issue(
            PrivilegeKind::WriteOnAnyResource,
            0,
            &["s3:PutObject", "sns:Publish"],
        );
        assert!(!reported_elsewhere(&more, &issues, any));
        // Another statement's grants cover nothing here.
        let elsewhere = issue(PrivilegeKind::WriteOnAnyResource, 1, &["s3:PutObject"]);
        assert!(!reported_elsewhere(&elsewhere, &issues, any));
        // Only the kinds selected count.
        assert!(!reported_elsewhere(&writes, &issues, |kind| {
            matches!(kind, PrivilegeKind::ServiceWildcard { .. })
        }));
    }

    #[test]
    fn errors_on_values_decided_at_deploy_time_are_not_the_documents_fault() {
        let span = |line| Span {
            start: warden_model::Pos {
                line,
                column: 1,
                offset: 0,
            },
            end: warden_model::Pos::default(),
        };
        let parameter = Value::unknown("!Ref ExtraPolicy", vec![], span(3));
        let document = Value::new(
            ValueKind::List(vec![Value::string("x", span(2)), parameter]),
            span(1),
        );
        assert!(undecided_at(&document, span(3)));
        assert!(!undecided_at(&document, span(2)));
    }

    #[test]
    fn action_patterns_match_like_iam() {
        assert!(action_matches("lambda:Invoke*", "lambda:InvokeFunction"));
        assert!(action_matches("LAMBDA:invokefunction", "lambda:InvokeFunction"));
        assert!(action_matches("iam:Pass?ole", "iam:PassRole"));
        assert!(action_matches("*", "iam:PassRole"));
        assert!(action_matches("iam:*Role", "iam:PassRole"));
        assert!(!action_matches("iam:Get*", "iam:PassRole"));
        assert!(!action_matches(
            "lambda:InvokeFunction",
            "lambda:InvokeFunctionUrl"
        ));
    }
}
