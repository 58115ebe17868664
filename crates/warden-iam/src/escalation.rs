//! Privilege-escalation paths through Lambda (and the core IAM methods), as a graph.
//!
//! Nodes are the roles of the Inventory; functions act through their execution roles. An edge
//! `A -> B` exists when role `A`'s policies, evaluated like AWS evaluates them, allow every
//! action one escalation method needs on `B` or on a function that runs as `B` (and `B`'s trust
//! policy lets the service in, where the method needs it). A scoped `iam:PassRole` or a
//! condition-limited `lambda:UpdateFunctionCode` therefore makes no edge. A finding is a path
//! from a function's role to a strictly more privileged role.
//!
//! Template values that name other resources (`!GetAtt AdminRole.Arn`) are made concrete with
//! synthetic ARNs in a placeholder account, so the evaluator can match them.

use std::collections::{HashMap, VecDeque};

use warden_model::{ElementId, Inventory, Key, Role, Value, ValueKind};

use crate::context::{Principal, Request};
use crate::eval::PolicySet;
use crate::policy::Policy;
use crate::privilege::{PrivilegeKind, analyze};

/// The account and region synthetic ARNs use for template resources.
const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";

/// How one role becomes another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `iam:PassRole` + `lambda:CreateFunction` + `lambda:InvokeFunction` (or
    /// `lambda:CreateEventSourceMapping`): a new function that runs as the role.
    PassRoleToNewFunction,
    /// `lambda:UpdateFunctionCode` on a function that runs as the role (with code signing
    /// enforced, also removing or replacing its code-signing config).
    UpdateFunctionCode,
    /// `lambda:UpdateFunctionConfiguration` on a function that runs as the role: a new layer,
    /// handler or runtime wrapper runs attacker code.
    UpdateFunctionConfiguration,
    /// `sts:AssumeRole` on a role whose trust policy admits the caller.
    AssumeRole,
    /// `iam:UpdateAssumeRolePolicy` + `sts:AssumeRole`: rewrite the trust policy, then assume.
    UpdateAssumeRolePolicy,
    /// `iam:PassRole` to another service that runs code as the role (EC2, CloudFormation,
    /// Glue, CodeBuild, ECS).
    PassRoleToService,
    /// `iam:PutRolePolicy` / `AttachRolePolicy` / `CreatePolicyVersion` on its own role:
    /// grant itself anything.
    ModifyOwnPolicy,
}

impl Method {
    pub fn describe(self) -> &'static str {
        match self {
            Method::PassRoleToNewFunction => "pass it to a new Lambda function and invoke that",
            Method::UpdateFunctionCode => "overwrite the code of a function that runs as it",
            Method::UpdateFunctionConfiguration => {
                "change the configuration (layers, handler) of a function that runs as it"
            }
            Method::AssumeRole => "assume it (its trust policy admits the caller)",
            Method::UpdateAssumeRolePolicy => "rewrite its trust policy, then assume it",
            Method::PassRoleToService => "pass it to another service that runs code",
            Method::ModifyOwnPolicy => "attach or write any policy on itself",
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub from: ElementId,
    pub to: ElementId,
    pub method: Method,
    /// What the step acts on (the role, or the function whose code is replaced).
    pub through: String,
    /// The statements that allow it (`policy label #n`).
    pub statements: Vec<String>,
}

/// A path from a function's execution role to a more privileged role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationPath {
    pub function: ElementId,
    pub steps: Vec<Step>,
    /// Whether the path ends in administrator access.
    pub to_admin: bool,
}

/// Coarse privilege: what a role can do to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Ordinary,
    /// Permissions management, PassRole or credential minting on every resource.
    Powerful,
    Admin,
}

/// AWS managed policies whose grants matter here, as their documents are not on disk. Only
/// the broad ones: the rest are treated as granting nothing for escalation purposes.
fn aws_managed_policy(arn: &str) -> Option<serde_json::Value> {
    let name = arn.rsplit('/').next()?;
    let statement = match name {
        "AdministratorAccess" => serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        "IAMFullAccess" => serde_json::json!([{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]),
        "PowerUserAccess" => {
            serde_json::json!([{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}])
        }
        _ => return None,
    };
    Some(serde_json::json!({"Version": "2012-10-17", "Statement": statement}))
}

/// Synthetic ARNs for the roles and functions of the Inventory, by logical name.
struct Names {
    roles: HashMap<String, String>,
    functions: HashMap<String, String>,
    /// Customer-managed policies (`AWS::IAM::ManagedPolicy`, `aws_iam_policy`): versioned, so
    /// `iam:CreatePolicyVersion` rewrites them.
    policies: HashMap<String, String>,
}

impl Names {
    fn new(inv: &Inventory) -> Names {
        let short = |id: &str| id.rsplit_once('#').map_or(id, |(_, n)| n).to_string();
        let roles = inv
            .roles
            .iter()
            .map(|r| {
                let name = r
                    .role_name
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| short(&r.meta.id).replace('.', "-"));
                (short(&r.meta.id), format!("arn:aws:iam::{ACCOUNT}:role/{name}"))
            })
            .collect();
        let functions = inv
            .functions
            .iter()
            .map(|f| {
                let name = f
                    .function_name
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| short(&f.meta.id));
                (
                    short(&f.meta.id),
                    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"),
                )
            })
            .collect();
        let policies = inv
            .managed_policies
            .iter()
            .filter(|p| {
                matches!(
                    p.meta.resource_type.as_str(),
                    "AWS::IAM::ManagedPolicy" | "aws_iam_policy"
                )
            })
            .map(|p| {
                let name = short(&p.meta.id).replace('.', "-");
                (short(&p.meta.id), format!("arn:aws:iam::{ACCOUNT}:policy/{name}"))
            })
            .collect();
        Names {
            roles,
            functions,
            policies,
        }
    }

    /// The ARN of a template element an unknown value refers to, when it is one.
    fn arn_of(&self, reference: &str) -> Option<&str> {
        self.roles
            .get(reference)
            .or_else(|| self.functions.get(reference))
            .map(String::as_str)
    }

    /// A copy of a policy document with references to template resources and pseudo
    /// parameters replaced by concrete text.
    fn concretize(&self, value: &Value) -> Value {
        let kind = match &value.kind {
            ValueKind::Unknown(u) => {
                let mut text = u.expr.clone();
                if let Some(target) = u
                    .expr
                    .strip_prefix("!GetAtt ")
                    .and_then(|e| e.strip_suffix(".Arn"))
                    && let Some(arn) = self.arn_of(target)
                {
                    return Value::string(arn, value.span);
                }
                if let Some(target) = u.expr.strip_prefix("!Ref ")
                    && let Some(arn) = self.functions.get(target).or_else(|| self.policies.get(target))
                {
                    return Value::string(arn, value.span);
                }
                for reference in &u.refs {
                    if let Some(arn) = self.arn_of(reference) {
                        text = text.replace(&format!("${{{reference}.Arn}}"), arn);
                    }
                }
                text = text
                    .replace("${AWS::AccountId}", ACCOUNT)
                    .replace("${AWS::Region}", REGION);
                if text.contains("${") {
                    return value.clone();
                }
                ValueKind::String(text)
            }
            ValueKind::List(items) => ValueKind::List(items.iter().map(|v| self.concretize(v)).collect()),
            ValueKind::Map(entries) => ValueKind::Map(
                entries
                    .iter()
                    .map(|(k, v): &(Key, Value)| (k.clone(), self.concretize(v)))
                    .collect(),
            ),
            ValueKind::Choice {
                condition,
                when_true,
                when_false,
            } => ValueKind::Choice {
                condition: condition.clone(),
                when_true: Box::new(self.concretize(when_true)),
                when_false: Box::new(self.concretize(when_false)),
            },
            other => other.clone(),
        };
        Value::new(kind, value.span)
    }
}

/// A role ready for evaluation.
struct Node<'a> {
    role: &'a Role,
    arn: String,
    identity: PolicySet,
    trust: Option<Policy>,
    rank: Rank,
    /// The escalation actions some `Allow` statement grants (whatever the resource).
    grants: std::collections::HashSet<&'static str>,
    /// The services (Lambda and those of [`PASSROLE_SERVICES`]) the trust policy admits.
    trusted_services: Vec<&'static str>,
    principal: Principal,
    /// ARNs of the customer-managed policies attached to the role.
    attached: Vec<String>,
}

fn policies_of<'a>(inv: &'a Inventory, role: &'a Role, names: &Names) -> Vec<(Policy, String)> {
    let mut out = Vec::new();
    for inline in &role.inline_policies {
        if let Ok(policy) = Policy::parse(&names.concretize(&inline.document)) {
            let label = inline
                .expanded_from
                .clone()
                .unwrap_or_else(|| inline.name.clone());
            out.push((policy, label));
        }
    }
    for managed in inv.policies_of_role(role) {
        if let Ok(policy) = Policy::parse(&names.concretize(&managed.document)) {
            out.push((policy, managed.meta.name.clone()));
        }
    }
    for link in &role.managed_policies {
        let Some(arn) = link.value.as_str() else { continue };
        if let Some(json) = aws_managed_policy(arn)
            && let Ok(policy) = Policy::parse(&Value::from_json(&json))
        {
            out.push((policy, arn.rsplit('/').next().unwrap_or(arn).to_string()));
        }
    }
    out
}

fn rank(policies: &[(Policy, String)]) -> Rank {
    let issues: Vec<PrivilegeKind> = policies
        .iter()
        .flat_map(|(p, _)| analyze(p))
        .map(|i| i.kind)
        .collect();
    if issues.contains(&PrivilegeKind::EffectiveAdmin) {
        Rank::Admin
    } else if issues.iter().any(|k| {
        matches!(
            k,
            PrivilegeKind::PermissionsManagementOnAnyResource
                | PrivilegeKind::PassRoleAnyRole
                | PrivilegeKind::CredentialsExposure
        ) || matches!(k, PrivilegeKind::ServiceWildcard { service } if service == "iam")
    }) {
        Rank::Powerful
    } else {
        Rank::Ordinary
    }
}

impl Node<'_> {
    /// The statements that allow `action` on `resource`, when the role's policies allow it.
    fn can(&self, action: &str, resource: &str, context: &[(&str, &str)]) -> Option<Vec<String>> {
        let mut request = Request::new(self.principal.clone(), action, resource);
        for (key, value) in context {
            request = request.with(key, value);
        }
        let decision = self.identity.evaluate(&request);
        decision
            .is_allowed()
            .then(|| decision.statements.iter().map(|s| s.label()).collect())
    }

    /// Whether this role's trust policy lets `principal` assume it.
    fn trusts(&self, principal: Principal) -> bool {
        let Some(trust) = &self.trust else { return false };
        let set = PolicySet::new().trust_policy(trust, "trust policy");
        set.evaluate(&Request::new(principal, "sts:AssumeRole", &self.arn))
            .is_allowed()
    }
}

/// Services that run code as a role passed to them, with the actions that start it.
const PASSROLE_SERVICES: &[(&str, &[&str])] = &[
    ("ec2.amazonaws.com", &["ec2:RunInstances"]),
    ("cloudformation.amazonaws.com", &["cloudformation:CreateStack"]),
    ("glue.amazonaws.com", &["glue:CreateDevEndpoint"]),
    (
        "codebuild.amazonaws.com",
        &["codebuild:CreateProject", "codebuild:StartBuild"],
    ),
    ("ecs-tasks.amazonaws.com", &["ecs:RunTask"]),
];

fn edges<'a>(inv: &'a Inventory, nodes: &[Node<'a>], names: &Names) -> Vec<Step> {
    let mut out = Vec::new();
    let probe = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:warden-escalation-probe");
    let mut functions_by_role: HashMap<&str, Vec<&warden_model::Function>> = HashMap::new();
    for function in &inv.functions {
        if let Some(role) = function.role.as_ref().and_then(|l| l.target.as_deref()) {
            functions_by_role.entry(role).or_default().push(function);
        }
    }
    // Most roles grant none of the actions an escalation needs: they have no outgoing edge,
    // and are skipped without evaluating anything per pair. An administrator gains nothing by
    // becoming another role.
    for a in nodes
        .iter()
        .filter(|a| !a.grants.is_empty() && a.rank != Rank::Admin)
    {
        // What does not depend on the target role is decided once per source role.
        let new_function = if a.grants.contains("iam:PassRole") {
            let create = a.can("lambda:CreateFunction", &probe, &[]);
            let run = a
                .can("lambda:InvokeFunction", &probe, &[])
                .or_else(|| a.can("lambda:CreateEventSourceMapping", "*", &[]));
            create.zip(run).map(|(mut c, r)| {
                c.extend(r);
                c
            })
        } else {
            None
        };
        let service_starts: Vec<(&str, Vec<String>)> = if a.grants.contains("iam:PassRole") {
            PASSROLE_SERVICES
                .iter()
                .filter_map(|(service, actions)| {
                    let starts: Option<Vec<Vec<String>>> =
                        actions.iter().map(|act| a.can(act, "*", &[])).collect();
                    starts.map(|s| (*service, s.into_iter().flatten().collect()))
                })
                .collect()
        } else {
            Vec::new()
        };
        for b in nodes.iter().filter(|b| b.role.meta.id != a.role.meta.id) {
            let mut step = |method: Method, through: String, statements: Vec<String>| {
                out.push(Step {
                    from: a.role.meta.id.clone(),
                    to: b.role.meta.id.clone(),
                    method,
                    through,
                    statements,
                });
            };
            if let Some(run) = new_function
                .as_ref()
                .filter(|_| b.trusted_services.contains(&LAMBDA))
                && let Some(mut statements) =
                    a.can("iam:PassRole", &b.arn, &[("iam:PassedToService", LAMBDA)])
            {
                statements.extend(run.iter().cloned());
                step(
                    Method::PassRoleToNewFunction,
                    b.role.meta.name.clone(),
                    statements,
                );
            }
            for (service, starts) in service_starts
                .iter()
                .filter(|(s, _)| b.trusted_services.contains(s))
            {
                if let Some(mut statements) =
                    a.can("iam:PassRole", &b.arn, &[("iam:PassedToService", service)])
                {
                    statements.extend(starts.iter().cloned());
                    step(
                        Method::PassRoleToService,
                        format!("{} via {service}", b.role.meta.name),
                        statements,
                    );
                }
            }
            let changes_functions = a.grants.contains("lambda:UpdateFunctionCode")
                || a.grants.contains("lambda:UpdateFunctionConfiguration");
            for function in functions_by_role
                .get(b.role.meta.id.as_str())
                .into_iter()
                .flatten()
                .filter(|_| changes_functions)
            {
                let short = function
                    .meta
                    .id
                    .rsplit_once('#')
                    .map_or(function.meta.id.as_str(), |(_, n)| n);
                let Some(arn) = names.functions.get(short) else {
                    continue;
                };
                let tags: Vec<(String, String)> = function
                    .tags
                    .iter()
                    .filter_map(|(k, v)| Some((format!("aws:ResourceTag/{k}"), v.as_text()?.into_owned())))
                    .collect();
                let context: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                if let Some(mut statements) = a.can("lambda:UpdateFunctionCode", arn, &context) {
                    let bypass = if function.code_signing_config.is_some() {
                        a.can("lambda:DeleteFunctionCodeSigningConfig", arn, &context)
                            .or_else(|| a.can("lambda:PutFunctionCodeSigningConfig", arn, &context))
                    } else {
                        Some(Vec::new())
                    };
                    if let Some(more) = bypass {
                        statements.extend(more);
                        step(
                            Method::UpdateFunctionCode,
                            format!("function {}", function.meta.name),
                            statements,
                        );
                    }
                }
                if let Some(statements) = a.can("lambda:UpdateFunctionConfiguration", arn, &context) {
                    step(
                        Method::UpdateFunctionConfiguration,
                        format!("function {}", function.meta.name),
                        statements,
                    );
                }
            }
            if !a.grants.contains("sts:AssumeRole") {
                continue;
            }
            if let Some(statements) = a.can("sts:AssumeRole", &b.arn, &[]) {
                if b.trusts(a.principal.clone()) {
                    step(Method::AssumeRole, b.role.meta.name.clone(), statements);
                } else if let Some(more) = a.can("iam:UpdateAssumeRolePolicy", &b.arn, &[]) {
                    let mut statements = statements;
                    statements.extend(more);
                    step(
                        Method::UpdateAssumeRolePolicy,
                        b.role.meta.name.clone(),
                        statements,
                    );
                }
            }
        }
    }
    out
}

const LAMBDA: &str = "lambda.amazonaws.com";

/// Actions at least one of which every escalation method needs.
const ESCALATION_ACTIONS: &[&str] = &[
    "iam:PassRole",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "sts:AssumeRole",
    "iam:UpdateAssumeRolePolicy",
];

/// The escalation actions some `Allow` statement of the policies names, whatever the
/// resource or condition (the evaluator decides those per target).
fn escalation_grants(policies: &[(Policy, String)]) -> std::collections::HashSet<&'static str> {
    use crate::policy::{Effect, Matcher};
    let mut out = std::collections::HashSet::new();
    for s in policies
        .iter()
        .flat_map(|(p, _)| &p.statements)
        .filter(|s| s.effect == Effect::Allow)
    {
        for action in ESCALATION_ACTIONS {
            let named = match &s.action {
                Matcher::Not(items) => !items
                    .iter()
                    .any(|t| t.known && crate::pattern::action_matches(&t.text, action)),
                Matcher::Only(items) => items
                    .iter()
                    .any(|t| !t.known || crate::pattern::action_matches(&t.text, action)),
            };
            if named {
                out.insert(*action);
            }
        }
    }
    out
}

/// Whether a role can grant itself any permission: write or attach a policy on itself, or
/// publish a new default version of a customer-managed policy attached to it.
fn modifies_itself(node: &Node<'_>) -> Option<Vec<String>> {
    ["iam:PutRolePolicy", "iam:AttachRolePolicy"]
        .iter()
        .find_map(|action| node.can(action, &node.arn, &[]))
        .or_else(|| {
            node.attached.iter().find_map(|policy| {
                let create = node.can("iam:CreatePolicyVersion", policy, &[]);
                create.or_else(|| node.can("iam:SetDefaultPolicyVersion", policy, &[]))
            })
        })
}

/// Every escalation path from a function's execution role to a more privileged role (or to
/// administrator access through the role's own policies).
pub fn escalation_paths(inv: &Inventory) -> Vec<EscalationPath> {
    let names = Names::new(inv);
    let nodes: Vec<Node<'_>> = inv
        .roles
        .iter()
        .map(|role| {
            let policies = policies_of(inv, role, &names);
            let identity = policies
                .iter()
                .fold(PolicySet::new(), |set, (p, label)| set.identity(p, label));
            let short = role
                .meta
                .id
                .rsplit_once('#')
                .map_or(role.meta.id.as_str(), |(_, n)| n);
            let arn = names.roles.get(short).cloned().unwrap_or_default();
            let trust = role
                .trust_policy
                .as_ref()
                .and_then(|t| Policy::parse(&names.concretize(t)).ok());
            let mut node = Node {
                role,
                principal: Principal::role_session(&arn, "warden"),
                arn,
                identity,
                trust,
                rank: rank(&policies),
                grants: escalation_grants(&policies),
                trusted_services: Vec::new(),
                attached: inv
                    .policies_of_role(role)
                    .filter_map(|p| {
                        names
                            .policies
                            .get(p.meta.id.rsplit_once('#').map_or(p.meta.id.as_str(), |(_, n)| n))
                    })
                    .cloned()
                    .collect(),
            };
            node.trusted_services = std::iter::once(LAMBDA)
                .chain(PASSROLE_SERVICES.iter().map(|(s, _)| *s))
                .filter(|s| node.trusts(Principal::service(s)))
                .collect();
            node
        })
        .collect();
    let edges = edges(inv, &nodes, &names);
    let index: HashMap<&str, &Node<'_>> = nodes.iter().map(|n| (n.role.meta.id.as_str(), n)).collect();
    let mut adjacency: HashMap<&str, Vec<&Step>> = HashMap::new();
    for edge in &edges {
        adjacency.entry(edge.from.as_str()).or_default().push(edge);
    }
    // Functions that share a role share its paths: search once per role.
    let mut by_role: HashMap<&str, Option<(Vec<Step>, bool)>> = HashMap::new();
    let mut paths = Vec::new();
    for function in &inv.functions {
        let Some(start) = function
            .role
            .as_ref()
            .and_then(|l| l.target.as_deref())
            .and_then(|id| index.get(id))
        else {
            continue;
        };
        let found = by_role
            .entry(start.role.meta.id.as_str())
            .or_insert_with(|| best_path(start, &adjacency, &index));
        if let Some((steps, to_admin)) = found {
            paths.push(EscalationPath {
                function: function.meta.id.clone(),
                steps: steps.clone(),
                to_admin: *to_admin,
            });
        }
    }
    paths
}

/// The shortest path from `start` to the most privileged role it can become, when that role
/// is more privileged than `start`.
fn best_path(
    start: &Node<'_>,
    adjacency: &HashMap<&str, Vec<&Step>>,
    index: &HashMap<&str, &Node<'_>>,
) -> Option<(Vec<Step>, bool)> {
    if start.rank == Rank::Admin {
        return None;
    }
    if let Some(statements) = modifies_itself(start) {
        let step = Step {
            from: start.role.meta.id.clone(),
            to: start.role.meta.id.clone(),
            method: Method::ModifyOwnPolicy,
            through: start.role.meta.name.clone(),
            statements,
        };
        return Some((vec![step], true));
    }
    // Breadth-first, so the first role of the highest rank reached is one of the nearest.
    let start_id = start.role.meta.id.as_str();
    let mut previous: HashMap<&str, &Step> = HashMap::new();
    let mut queue = VecDeque::from([start_id]);
    let mut best: Option<(&Node<'_>, &str)> = None;
    while let Some(current) = queue.pop_front() {
        for edge in adjacency.get(current).into_iter().flatten() {
            let to = edge.to.as_str();
            if to == start_id || previous.contains_key(to) {
                continue;
            }
            previous.insert(to, edge);
            queue.push_back(to);
            if let Some(node) = index.get(to)
                && node.rank > start.rank
                && best.is_none_or(|(b, _)| node.rank > b.rank)
            {
                best = Some((node, to));
            }
        }
    }
    let (target, mut at) = best?;
    let mut steps = Vec::new();
    while let Some(step) = previous.get(at) {
        steps.push((*step).clone());
        at = step.from.as_str();
        if at == start_id || steps.len() > index.len() {
            break;
        }
    }
    steps.reverse();
    Some((steps, target.rank == Rank::Admin))
}
