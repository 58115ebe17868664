//! A small reading of IAM policies shared by the `ACC` and `IAM` rules: the statements of a
//! document, what an action pattern can match, the principals and conditions of resource-based
//! permissions, and the policy documents that apply to execution roles.
//!
//! This is deliberately not an evaluator: conditions are not weighed and `NotResource` simply
//! counts as "applies broadly". The IAM engine refines these answers.

use warden_model::{Finding, Inventory, Meta, Role, RuleMeta, Span, Value};

use crate::finding_at;

/// One statement of a policy document.
pub(super) struct Statement<'a> {
    /// Position among the document's statements: identifies it in fingerprints without
    /// depending on line numbers.
    pub index: usize,
    pub node: &'a Value,
    allow: bool,
}

/// Where a statement applies to every resource.
pub(super) enum AnyResource<'a> {
    /// `Resource: "*"` (the `*` entry).
    Star(&'a Value),
    /// `NotResource`: everything except what it lists.
    Not(&'a Value),
}

impl AnyResource<'_> {
    pub fn span(&self) -> Span {
        match self {
            AnyResource::Star(v) | AnyResource::Not(v) => v.span,
        }
    }

    /// For messages: "every resource (`*`)".
    pub fn describe(&self) -> &'static str {
        match self {
            AnyResource::Star(_) => "every resource (`*`)",
            AnyResource::Not(_) => "every resource outside its `NotResource`",
        }
    }
}

impl<'a> Statement<'a> {
    /// Whether the statement grants (`Effect: Allow`, or an effect not known statically, so the
    /// branch that grants is checked); `Deny` statements grant nothing.
    pub fn is_allow(&self) -> bool {
        self.allow
    }

    fn field(&self, name: &str) -> Option<&'a Value> {
        self.node.get_ignore_case(name)
    }

    /// The entries of `Action` (a string or a list).
    pub fn actions(&self) -> Vec<&'a Value> {
        self.field("Action").map(Value::items).unwrap_or_default()
    }

    pub fn not_action(&self) -> Option<&'a Value> {
        self.field("NotAction").filter(|v| !v.is_null())
    }

    pub fn principal(&self) -> Option<&'a Value> {
        self.field("Principal")
    }

    /// Whether the statement applies to every resource: a `*` among `Resource`, or any
    /// `NotResource`.
    pub fn any_resource(&self) -> Option<AnyResource<'a>> {
        if let Some(star) = self
            .field("Resource")
            .and_then(|r| r.items().into_iter().find(|v| v.as_str() == Some("*")))
        {
            return Some(AnyResource::Star(star));
        }
        self.field("NotResource")
            .filter(|v| !v.is_null())
            .map(AnyResource::Not)
    }

    /// A short rendering of `Resource` for messages.
    pub fn resources_display(&self) -> String {
        self.field("Resource").map(Value::display).unwrap_or_default()
    }
}

/// The statements of a policy document: `Statement` as a list or a single object, every branch
/// of an undecided condition included.
pub(super) fn statements(document: &Value) -> Vec<Statement<'_>> {
    let mut out = Vec::new();
    for candidate in document.candidates() {
        let Some(list) = candidate.get_ignore_case("Statement") else {
            continue;
        };
        for node in list.items() {
            if node.as_map().is_none() {
                continue;
            }
            let allow = node.get_ignore_case("Effect").is_some_and(|effect| {
                effect
                    .candidates()
                    .into_iter()
                    .any(|e| e.is_unknown() || e.as_str().is_some_and(|s| s.eq_ignore_ascii_case("Allow")))
            });
            out.push(Statement {
                index: out.len(),
                node,
                allow,
            });
        }
    }
    out
}

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

/// Whether an action pattern matches every action of every service (`*`, `*:*`).
pub(super) fn is_every_action(pattern: &str) -> bool {
    pattern.contains('*') && pattern.chars().all(|c| c == '*' || c == ':')
}

/// Verbs that begin the names of actions that change things (write, tag or permissions
/// management). A heuristic: AWS's own access levels are not available offline here, and the
/// IAM engine replaces this with them. `Pass` (for `iam:PassRole`) is left to its own rule.
const WRITE_VERBS: &[&str] = &[
    "add",
    "associate",
    "attach",
    "authorize",
    "change",
    "copy",
    "create",
    "delete",
    "deregister",
    "detach",
    "disable",
    "disassociate",
    "enable",
    "import",
    "invoke",
    "modify",
    "publish",
    "put",
    "register",
    "remove",
    "replace",
    "reset",
    "restore",
    "revoke",
    "run",
    "send",
    "set",
    "start",
    "stop",
    "tag",
    "terminate",
    "untag",
    "update",
    "upload",
    "write",
];

/// Whether an action pattern can match an action that changes things: a service wildcard
/// (`s3:*`), a name that starts with a write verb (`s3:PutObject`, `dynamodb:BatchWriteItem`),
/// or a wildcard that can complete to one (`s3:P*`, `s3:*Object`).
pub(super) fn is_write_action(pattern: &str) -> bool {
    let Some((_, name)) = pattern.split_once(':') else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let (prefix, wildcard) = match name.find(['*', '?']) {
        Some(end) => (&name[..end], true),
        None => (name.as_str(), false),
    };
    let starts_with_verb = |prefix: &str| {
        WRITE_VERBS
            .iter()
            .any(|verb| prefix.starts_with(verb) || (wildcard && verb.starts_with(prefix)))
    };
    starts_with_verb(prefix)
        || prefix.strip_prefix("batch").is_some_and(starts_with_verb)
        || (wildcard && "batch".starts_with(prefix))
}

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

/// AWS service principals (`s3.amazonaws.com`), written as a plain string (as in
/// `AWS::Lambda::Permission`) or under `Service` in a policy `Principal`.
pub(super) fn service_principals(principal: &Value) -> Vec<&Value> {
    let is_service = |v: &&Value| {
        v.as_str().is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn")
        })
    };
    let mut out = Vec::new();
    for candidate in principal.candidates() {
        if candidate.as_str().is_some() {
            out.extend(Some(candidate).filter(is_service));
        } else if let Some(services) = candidate.get_ignore_case("Service") {
            out.extend(services.items().into_iter().filter(is_service));
        }
    }
    out
}

/// Whether a role's trust policy lets Lambda assume it.
fn trusts_lambda(role: &Role) -> bool {
    role.trust_policy.as_ref().is_some_and(|document| {
        statements(document).iter().any(|statement| {
            statement.is_allow()
                && statement.principal().is_some_and(|principal| {
                    service_principals(principal).iter().any(|s| {
                        s.as_str().is_some_and(|s| {
                            s.eq_ignore_ascii_case("lambda.amazonaws.com")
                                || s.eq_ignore_ascii_case("edgelambda.amazonaws.com")
                        })
                    })
                })
        })
    })
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

/// A policy document that applies to at least one execution role.
pub(super) struct ExecutionPolicy<'a> {
    /// The element findings about the document are reported on: the role for its inline
    /// policies, the policy resource for a standalone one.
    pub element: &'a Meta,
    /// Identifies the document within its element, for fingerprints.
    name: String,
    /// How messages name the document, with the role(s) it applies to.
    pub label: String,
    pub document: &'a Value,
    /// Where to point when a statement has no position of its own (expanded SAM policy
    /// templates).
    fallback: Span,
}

impl ExecutionPolicy<'_> {
    /// A finding about one statement of the document, at `span` inside it when known. `key`
    /// separates several findings on one statement.
    pub fn finding(
        &self,
        rule: &RuleMeta,
        statement: &Statement<'_>,
        span: Span,
        key: &str,
        message: String,
    ) -> Finding {
        finding_at(
            rule,
            self.element,
            span.or(statement.node.span).or(self.fallback),
            &format!("{}/{}/{key}", self.name, statement.index),
            message,
        )
    }
}

/// Every policy document of every execution role: the roles' inline policies (SAM `Policies`
/// included, already expanded by the loader) and the customer-managed / standalone policies of
/// the Inventory attached to them. AWS managed policies are known only by ARN and are not here.
pub(super) fn execution_policies(inv: &Inventory) -> Vec<ExecutionPolicy<'_>> {
    let roles = execution_roles(inv);
    let mut out = Vec::new();
    for role in &roles {
        let label = role_label(inv, role);
        for (index, policy) in role.inline_policies.iter().enumerate() {
            let shown = policy.expanded_from.as_deref().unwrap_or(&policy.name);
            out.push(ExecutionPolicy {
                element: &role.meta,
                name: if policy.name.is_empty() {
                    format!("inline-{index}")
                } else {
                    policy.name.clone()
                },
                label: format!("policy `{shown}` of {label}"),
                document: &policy.document,
                fallback: policy.origin.span(),
            });
        }
    }
    for policy in &inv.managed_policies {
        let attached: Vec<String> = roles
            .iter()
            .filter(|role| inv.policies_of_role(role).any(|p| p.meta.id == policy.meta.id))
            .map(|role| role_label(inv, role))
            .collect();
        if attached.is_empty() {
            continue;
        }
        out.push(ExecutionPolicy {
            element: &policy.meta,
            name: String::new(),
            label: format!(
                "policy `{}` (attached to {})",
                policy.meta.name,
                attached.join(" and ")
            ),
            document: &policy.document,
            fallback: Span::default(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn every_action_patterns() {
        assert!(is_every_action("*"));
        assert!(is_every_action("*:*"));
        assert!(!is_every_action("s3:*"));
        assert!(!is_every_action(":"));
    }

    #[test]
    fn write_actions_by_verb_and_wildcard() {
        for write in [
            "s3:*",
            "s3:PutObject",
            "S3:putobject",
            "dynamodb:BatchWriteItem",
            "dynamodb:Batch*",
            "s3:P*",
            "s3:*Object",
            "sqs:SendMessage",
            "lambda:UpdateFunctionCode",
        ] {
            assert!(is_write_action(write), "{write} should count as a write");
        }
        for read in [
            "s3:GetObject",
            "s3:Get*",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "ec2:Describe*",
            "iam:PassRole",
            "nonsense",
        ] {
            assert!(!is_write_action(read), "{read} should not count as a write");
        }
    }
}
