//! The policy evaluator: given the policies that apply to a request and the request, decide
//! Allow, explicit Deny or implicit Deny the way AWS does, and say which statements decided.
//!
//! Pages followed (facts only):
//!
//! - "Policy evaluation logic" and "How AWS enforcement code logic evaluates requests to allow
//!   or deny access": an explicit deny in any policy wins; then SCPs (each level from the root
//!   to the account must allow; they restrict principals of member accounts, including the
//!   root user, but not the management account nor service-linked roles), RCPs (the same for
//!   resources), resource-based policies, identity-based policies, permissions boundaries and
//!   session policies. Within one account an allow in an identity policy or a resource policy
//!   suffices, except that IAM role trust policies and KMS key policies must allow explicitly.
//!   The principal a resource policy names decides which implicit denies still bind: a grant
//!   to an IAM user ARN, a role session ARN or a federated user session ARN is not limited by
//!   identity policies, boundaries or session policies; a grant to a role ARN (or to the IAM
//!   user behind a federated session) is limited by the boundary and the session policy.
//!   Federated user sessions have only the permissions their session policy allows.
//! - "Cross-account policy evaluation logic": across accounts the caller's identity-based
//!   policies (with whatever limits them) and the resource policy must both allow.
//! - "AWS JSON policy elements: Principal": an account principal (`123456789012` or its
//!   `:root` ARN) delegates to the account — its identities still need identity-based
//!   permissions; a role ARN covers the role's sessions (with the role's limits); `"*"` and the
//!   `aws:PrincipalArn` pattern are not limited by boundaries or session policies.
//! - "AWS JSON policy elements: NotPrincipal": AWS may check the account, the role and the
//!   session of a principal, so a principal escapes a `NotPrincipal` only when all of them are
//!   listed. "Permissions boundaries for IAM entities": a `Deny` with `NotPrincipal` always
//!   denies a principal that has a permissions boundary.
//!
//! Speed: policies are compiled once ([`CompiledPolicy`]: lowercased action patterns, glob
//! shapes, parsed condition values); an evaluation allocates nothing unless a statement uses
//! policy variables or more than four statements decide.

use std::fmt;
use std::sync::Arc;

use warden_model::Span;

use crate::condition::{CompiledCondition, Glob, Template, Tri, glob_match};
use crate::context::{Principal, PrincipalKind, Request};
use crate::policy::{Effect, Matcher, Policy, PolicyVersion, PrincipalId, Statement, Text};

/// The policy types AWS evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    Identity,
    /// A resource-based policy (function policy, bucket policy, role trust policy, key policy).
    Resource,
    PermissionsBoundary,
    Session,
    /// An AWS Organizations service control policy.
    ServiceControl,
    /// An AWS Organizations resource control policy.
    ResourceControl,
}

/// How a resource policy takes part: an ordinary one can grant on its own within the account,
/// or stand aside for identity policies; a role trust policy or a KMS key policy must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResourcePolicyMode {
    #[default]
    Ordinary,
    MustAllow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// A policy compiled for evaluation. Compile once, evaluate many times; share with [`Arc`].
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    kind: PolicyKind,
    name: Box<str>,
    statements: Box<[CompiledStatement]>,
}

impl CompiledPolicy {
    /// Compile `policy` as a policy of `kind`, labelled `name` in decisions.
    pub fn new(policy: &Policy, kind: PolicyKind, name: &str) -> CompiledPolicy {
        CompiledPolicy {
            kind,
            name: name.into(),
            statements: policy
                .statements
                .iter()
                .map(|s| CompiledStatement::new(s, policy.version))
                .collect(),
        }
    }

    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether its statements are matched against the request's principal.
    fn names_principals(&self) -> bool {
        matches!(self.kind, PolicyKind::Resource | PolicyKind::ResourceControl)
    }
}

/// Items of `Action` / `Resource` / `Principal`, or of their `Not...` forms.
#[derive(Debug, Clone)]
struct PatternSet<T> {
    not: bool,
    items: Box<[T]>,
}

impl<T> PatternSet<T> {
    fn new<S>(matcher: &Matcher<S>, compile: impl Fn(&S) -> T) -> PatternSet<T> {
        PatternSet {
            not: matcher.is_not(),
            items: matcher.items().iter().map(compile).collect(),
        }
    }

    /// Whether the set admits something, given how each item matches it.
    fn admits(&self, item: impl Fn(&T) -> Tri) -> Tri {
        let mut any = Tri::FALSE;
        for pattern in &self.items {
            any = any.or(item(pattern));
            if any.is_certainly(true) {
                break;
            }
        }
        if self.not { !any } else { any }
    }
}

#[derive(Debug, Clone)]
enum ActionPattern {
    /// Lowercased: actions ignore case.
    Glob(Glob),
    Unknown,
}

#[derive(Debug, Clone)]
enum ResourcePattern {
    Glob(Glob),
    /// Policy variables in the resource part (after the fifth colon), under `2012-10-17`.
    Template {
        prefix: Box<str>,
        rest: Template,
    },
    Unknown,
}

#[derive(Debug, Clone)]
enum PrincipalPattern {
    Any,
    /// An account id (from `123456789012` or `arn:aws:iam::123456789012:root`).
    Account(Box<str>),
    Arn(Box<str>),
    Service(Box<str>),
    /// Federated providers and canonical users: no request principal here is one.
    Other,
    Unknown,
}

/// How a resource-policy statement names the request's principal, which decides the implicit
/// denies that still bind its grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    /// `*`, the principal's own ARN, or its service: not limited by identity policies,
    /// boundaries or session policies.
    Direct = 0,
    /// The role of a role session, or the user behind a federated session: limited by the
    /// boundary and the session policy.
    Limited = 1,
    /// The principal's account: the account's identity policies must also allow.
    Delegated = 2,
}

/// A statement compiled for evaluation.
#[derive(Debug, Clone)]
pub struct CompiledStatement {
    effect: Effect,
    action: PatternSet<ActionPattern>,
    resource: Option<PatternSet<ResourcePattern>>,
    principal: Option<PatternSet<PrincipalPattern>>,
    conditions: Box<[CompiledCondition]>,
    index: usize,
    sid: Option<Box<str>>,
    span: Span,
}

impl CompiledStatement {
    fn new(statement: &Statement, version: PolicyVersion) -> CompiledStatement {
        let variables = version.supports_variables();
        CompiledStatement {
            effect: statement.effect,
            action: PatternSet::new(&statement.action, action_pattern),
            resource: statement
                .resource
                .as_ref()
                .map(|m| PatternSet::new(m, |t| resource_pattern(t, variables))),
            principal: statement
                .principal
                .as_ref()
                .map(|m| PatternSet::new(m, principal_pattern)),
            conditions: statement
                .conditions
                .iter()
                .map(|c| CompiledCondition::compile(c, version))
                .collect(),
            index: statement.index,
            sid: statement.sid.as_deref().map(Into::into),
            span: statement.span,
        }
    }
}

fn action_pattern(text: &Text) -> ActionPattern {
    if text.known {
        ActionPattern::Glob(Glob::new(&text.text.to_ascii_lowercase()))
    } else {
        ActionPattern::Unknown
    }
}

/// Variables are substituted only in the resource part of an ARN (after the fifth colon).
fn resource_pattern(text: &Text, variables: bool) -> ResourcePattern {
    if !text.known {
        return ResourcePattern::Unknown;
    }
    let split = text.text.match_indices(':').nth(4).map(|(i, _)| i + 1);
    if variables
        && let Some(at) = split
        && let Some(rest) = Template::parse(&text.text[at..])
    {
        return ResourcePattern::Template {
            prefix: text.text[..at].into(),
            rest,
        };
    }
    ResourcePattern::Glob(Glob::new(&text.text))
}

fn principal_pattern(id: &PrincipalId) -> PrincipalPattern {
    match id {
        PrincipalId::Any => PrincipalPattern::Any,
        PrincipalId::Aws(t) | PrincipalId::Service(t) if !t.known => PrincipalPattern::Unknown,
        PrincipalId::Aws(t) => match root_account(&t.text) {
            Some(account) => PrincipalPattern::Account(account.into()),
            None => PrincipalPattern::Arn(t.text.as_str().into()),
        },
        PrincipalId::Service(t) => PrincipalPattern::Service(t.text.as_str().into()),
        PrincipalId::Federated(t) | PrincipalId::CanonicalUser(t) if !t.known => PrincipalPattern::Unknown,
        PrincipalId::Federated(_) | PrincipalId::CanonicalUser(_) => PrincipalPattern::Other,
    }
}

/// `arn:PARTITION:iam::ACCOUNT:root` -> `ACCOUNT`.
fn root_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let ok = parts.next() == Some("arn") && parts.nth(1) == Some("iam");
    let account = parts.nth(1)?;
    (ok && parts.next() == Some("root")).then_some(account)
}

/// One statement of one policy, as reported in a [`Decision`].
#[derive(Clone, Copy)]
pub struct StatementRef<'a> {
    policy: &'a CompiledPolicy,
    statement: &'a CompiledStatement,
}

impl<'a> StatementRef<'a> {
    pub fn policy_kind(&self) -> PolicyKind {
        self.policy.kind
    }

    pub fn policy_name(&self) -> &'a str {
        &self.policy.name
    }

    /// Position of the statement in its policy (0-based).
    pub fn index(&self) -> usize {
        self.statement.index
    }

    pub fn sid(&self) -> Option<&'a str> {
        self.statement.sid.as_deref()
    }

    pub fn span(&self) -> Span {
        self.statement.span
    }

    pub fn effect(&self) -> Effect {
        self.statement.effect
    }

    /// `Sid` or `#n` (1-based), for messages.
    pub fn label(&self) -> String {
        match self.sid() {
            Some(sid) => sid.to_string(),
            None => format!("#{}", self.index() + 1),
        }
    }
}

impl fmt::Debug for StatementRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} {} statement {}",
            self.policy_kind(),
            self.policy_name(),
            self.label()
        )
    }
}

/// The statements behind a decision. Holds four without allocating.
#[derive(Clone, Default)]
pub struct StatementList<'a> {
    inline: [Option<StatementRef<'a>>; 4],
    len: usize,
    spill: Vec<StatementRef<'a>>,
}

impl<'a> StatementList<'a> {
    fn push(&mut self, statement: StatementRef<'a>) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(statement),
            None => self.spill.push(statement),
        }
        self.len += 1;
    }

    fn extend(&mut self, statements: impl IntoIterator<Item = StatementRef<'a>>) {
        for s in statements {
            self.push(s);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = StatementRef<'a>> + '_ {
        self.inline.iter().flatten().chain(self.spill.iter()).copied()
    }

    pub fn to_vec(&self) -> Vec<StatementRef<'a>> {
        self.iter().collect()
    }
}

impl fmt::Debug for StatementList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The answer to a request, with the statements that produced it.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub outcome: Outcome,
    /// For `ExplicitDeny`, the deny statements that apply; for `Allow`, the allow statements
    /// each required policy type contributed; empty for `ImplicitDeny`.
    pub statements: StatementList<'a>,
    /// A value that is not statically known took part, so the outcome may be wrong.
    pub uncertain: bool,
    /// For `ImplicitDeny`, the policy type whose allow was missing.
    pub missing_allow: Option<PolicyKind>,
}

impl Decision<'_> {
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allow
    }
}

/// The policies that apply to requests of one principal on one resource, compiled.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    identity: Vec<Arc<CompiledPolicy>>,
    boundary: Option<Arc<CompiledPolicy>>,
    session: Vec<Arc<CompiledPolicy>>,
    resource: Vec<Arc<CompiledPolicy>>,
    resource_mode: ResourcePolicyMode,
    scp_levels: Vec<Vec<Arc<CompiledPolicy>>>,
    rcp_levels: Vec<Vec<Arc<CompiledPolicy>>>,
    principal_in_management_account: bool,
    resource_in_management_account: bool,
}

impl PolicySet {
    pub fn new() -> PolicySet {
        PolicySet::default()
    }

    /// An identity-based policy of the principal (user, group or role policy).
    pub fn identity(self, policy: &Policy, name: &str) -> PolicySet {
        self.with_compiled(CompiledPolicy::new(policy, PolicyKind::Identity, name))
    }

    /// The principal's permissions boundary.
    pub fn boundary(self, policy: &Policy, name: &str) -> PolicySet {
        self.with_compiled(CompiledPolicy::new(policy, PolicyKind::PermissionsBoundary, name))
    }

    /// A session policy passed when the session was created (several form their union).
    pub fn session(self, policy: &Policy, name: &str) -> PolicySet {
        self.with_compiled(CompiledPolicy::new(policy, PolicyKind::Session, name))
    }

    /// The resource's resource-based policy.
    pub fn resource_policy(self, policy: &Policy, name: &str) -> PolicySet {
        self.with_compiled(CompiledPolicy::new(policy, PolicyKind::Resource, name))
    }

    /// A role trust policy or KMS key policy: a resource policy that must allow.
    pub fn trust_policy(self, policy: &Policy, name: &str) -> PolicySet {
        self.resource_policy(policy, name)
            .resource_mode(ResourcePolicyMode::MustAllow)
    }

    pub fn resource_mode(mut self, mode: ResourcePolicyMode) -> PolicySet {
        self.resource_mode = mode;
        self
    }

    /// One level of SCPs (the root, an OU, or the account): one of them must allow.
    pub fn scp_level<'p>(self, policies: impl IntoIterator<Item = (&'p Policy, &'p str)>) -> PolicySet {
        let level = compile_level(policies, PolicyKind::ServiceControl);
        self.compiled_level(level)
    }

    /// One level of RCPs: one of them must allow.
    pub fn rcp_level<'p>(self, policies: impl IntoIterator<Item = (&'p Policy, &'p str)>) -> PolicySet {
        let level = compile_level(policies, PolicyKind::ResourceControl);
        self.compiled_level(level)
    }

    /// Add a level of compiled SCPs or RCPs (by the policies' kind; an empty level allows
    /// nothing, as no policy of it can allow).
    pub fn compiled_level(mut self, level: Vec<Arc<CompiledPolicy>>) -> PolicySet {
        match level.first().map(|p| p.kind) {
            Some(PolicyKind::ResourceControl) => self.rcp_levels.push(level),
            _ => self.scp_levels.push(level),
        }
        self
    }

    /// Add a compiled policy where its kind belongs; an SCP or RCP joins the last level.
    pub fn with_compiled(mut self, policy: impl Into<Arc<CompiledPolicy>>) -> PolicySet {
        let policy = policy.into();
        match policy.kind {
            PolicyKind::Identity => self.identity.push(policy),
            PolicyKind::PermissionsBoundary => self.boundary = Some(policy),
            PolicyKind::Session => self.session.push(policy),
            PolicyKind::Resource => self.resource.push(policy),
            PolicyKind::ServiceControl => push_to_last(&mut self.scp_levels, policy),
            PolicyKind::ResourceControl => push_to_last(&mut self.rcp_levels, policy),
        }
        self
    }

    /// The principal belongs to the organization's management account: SCPs do not apply.
    pub fn principal_in_management_account(mut self, yes: bool) -> PolicySet {
        self.principal_in_management_account = yes;
        self
    }

    /// The resource belongs to the organization's management account: RCPs do not apply.
    pub fn resource_in_management_account(mut self, yes: bool) -> PolicySet {
        self.resource_in_management_account = yes;
        self
    }

    /// Decide `request` against these policies.
    pub fn evaluate(&self, request: &Request) -> Decision<'_> {
        Evaluation::new(self, request).decide()
    }
}

fn compile_level<'p>(
    policies: impl IntoIterator<Item = (&'p Policy, &'p str)>,
    kind: PolicyKind,
) -> Vec<Arc<CompiledPolicy>> {
    policies
        .into_iter()
        .map(|(p, name)| Arc::new(CompiledPolicy::new(p, kind, name)))
        .collect()
}

fn push_to_last(levels: &mut Vec<Vec<Arc<CompiledPolicy>>>, policy: Arc<CompiledPolicy>) {
    match levels.last_mut() {
        Some(level) => level.push(policy),
        None => levels.push(vec![policy]),
    }
}

/// What a group of policies (the identity policies, one SCP level, the resource policies)
/// allows: per grant kind, whether some statement allows and the first that does.
#[derive(Clone, Copy)]
struct Allows<'a> {
    tri: [Tri; 3],
    first: [Option<StatementRef<'a>>; 3],
}

impl<'a> Allows<'a> {
    const NONE: Allows<'static> = Allows {
        tri: [Tri::FALSE; 3],
        first: [None; 3],
    };

    fn record(&mut self, grant: Grant, applies: Tri, statement: StatementRef<'a>) {
        let i = grant as usize;
        let was_certain = self.tri[i].is_certainly(true);
        self.tri[i] = self.tri[i].or(applies);
        if applies.value && (self.first[i].is_none() || (!was_certain && !applies.uncertain)) {
            self.first[i] = Some(statement);
        }
    }

    fn grants(&self, grant: Grant) -> Tri {
        self.tri[grant as usize]
    }

    /// Any grant, however the principal was named.
    fn any(&self) -> Tri {
        self.tri[0].or(self.tri[1]).or(self.tri[2])
    }

    fn statement(&self, grant: Grant) -> Option<StatementRef<'a>> {
        self.first[grant as usize]
    }

    /// The statement of the strongest grant that applies.
    fn best(&self) -> Option<StatementRef<'a>> {
        self.first.iter().flatten().next().copied()
    }
}

/// Every level allows (a conjunction), with one allowing statement per level.
struct Levels<'a> {
    tri: Tri,
    statements: StatementList<'a>,
}

/// The SCP and RCP gates together: all must pass before any other policy can allow.
struct Gates<'a> {
    tri: Tri,
    statements: StatementList<'a>,
    /// The first control policy type that did not allow.
    missing: Option<PolicyKind>,
}

impl<'a> Gates<'a> {
    fn new(gates: [(Option<Levels<'a>>, PolicyKind); 2]) -> Gates<'a> {
        let mut out = Gates {
            tri: Tri::TRUE,
            statements: StatementList::default(),
            missing: None,
        };
        for (levels, kind) in gates.into_iter() {
            let Some(levels) = levels else { continue };
            out.tri = out.tri.and(levels.tri);
            out.statements.extend(levels.statements.iter());
            if !levels.tri.value && out.missing.is_none() {
                out.missing = Some(kind);
            }
        }
        out
    }
}

/// One evaluation: the request, the policies, and the deny statements met so far.
struct Evaluation<'a, 'r> {
    set: &'a PolicySet,
    request: &'r Request,
    denies: StatementList<'a>,
    deny: Tri,
}

impl<'a, 'r> Evaluation<'a, 'r> {
    fn new(set: &'a PolicySet, request: &'r Request) -> Evaluation<'a, 'r> {
        Evaluation {
            set,
            request,
            denies: StatementList::default(),
            deny: Tri::FALSE,
        }
    }

    fn principal(&self) -> &'r Principal {
        self.request.principal()
    }

    /// SCPs restrict IAM principals of member accounts, root included, but not
    /// service-linked roles, services or anonymous callers.
    fn scps_apply(&self) -> bool {
        let p = self.principal();
        !self.set.scp_levels.is_empty()
            && !self.set.principal_in_management_account
            && !p.is_service_linked()
            && !matches!(p.kind(), PrincipalKind::Service | PrincipalKind::Anonymous)
    }

    /// RCPs restrict access to resources of member accounts by anyone but service-linked roles.
    fn rcps_apply(&self) -> bool {
        !self.set.rcp_levels.is_empty()
            && !self.set.resource_in_management_account
            && !self.principal().is_service_linked()
    }

    /// Identity policies, boundaries and session policies exist only for IAM principals.
    fn has_identity(&self) -> bool {
        matches!(
            self.principal().kind(),
            PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser
        )
    }

    fn decide(mut self) -> Decision<'a> {
        let set = self.set;
        let scp = self.scps_apply().then(|| self.levels(&set.scp_levels));
        let rcp = self.rcps_apply().then(|| self.levels(&set.rcp_levels));
        let resource = self.scan(&set.resource);
        let (identity, boundary, session) = if self.has_identity() {
            (
                self.scan(&set.identity),
                set.boundary.as_ref().map(|b| self.scan(std::slice::from_ref(b))),
                (!set.session.is_empty()).then(|| self.scan(&set.session)),
            )
        } else {
            (Allows::NONE, None, None)
        };
        if self.deny.value {
            return Decision {
                outcome: Outcome::ExplicitDeny,
                uncertain: self.deny.uncertain,
                statements: self.denies,
                missing_allow: None,
            };
        }
        let chain = IdentityChain::new(self.principal().kind(), &identity, boundary, session);
        let gates = Gates::new([
            (scp, PolicyKind::ServiceControl),
            (rcp, PolicyKind::ResourceControl),
        ]);
        let path = self.access_path(&chain, &resource);
        let allowed = gates.tri.and(path.tri);
        let mut statements = StatementList::default();
        if allowed.value {
            statements.extend(gates.statements.iter());
            statements.extend(path.statements.iter());
        }
        Decision {
            outcome: if allowed.value {
                Outcome::Allow
            } else {
                Outcome::ImplicitDeny
            },
            statements,
            uncertain: allowed.uncertain || self.deny.uncertain,
            missing_allow: (!allowed.value).then(|| gates.missing.unwrap_or(path.missing)),
        }
    }

    /// How the request can be allowed once no deny applies and SCPs / RCPs pass: through the
    /// identity side, the resource policy, or both, as the principal, account boundary and
    /// resource policy mode require.
    fn access_path(&self, chain: &IdentityChain<'a>, resource: &Allows<'a>) -> Path<'a> {
        let kind = self.principal().kind();
        let direct = resource.grants(Grant::Direct);
        let limited = resource.grants(Grant::Limited).and(chain.limits);
        let resource_only =
            |tri: Tri| Path::from(tri, resource.statement(Grant::Direct), None, PolicyKind::Resource);
        if matches!(kind, PrincipalKind::Service | PrincipalKind::Anonymous) {
            return resource_only(direct);
        }
        if self.request.is_cross_account() {
            let tri = chain.tri.and(resource.any());
            let missing = if chain.tri.value {
                PolicyKind::Resource
            } else {
                chain.missing
            };
            return Path::from(tri, resource.best(), chain.statements.iter(), missing);
        }
        let via_limited = Path::from(
            limited,
            resource.statement(Grant::Limited),
            chain.limit_statements.iter(),
            chain.missing,
        );
        let via_identity = Path::from(chain.tri, None, chain.statements.iter(), chain.missing);
        let paths = match self.set.resource_mode {
            ResourcePolicyMode::Ordinary => [resource_only(direct), via_limited, via_identity],
            ResourcePolicyMode::MustAllow => {
                let delegated = resource.grants(Grant::Delegated).and(chain.tri);
                let via_delegation = Path::from(
                    delegated,
                    resource.statement(Grant::Delegated),
                    chain.statements.iter(),
                    if resource.any().value {
                        chain.missing
                    } else {
                        PolicyKind::Resource
                    },
                );
                [resource_only(direct), via_limited, via_delegation]
            }
        };
        Path::first_open(paths)
    }

    /// Scan each SCP / RCP level; every level must allow.
    fn levels(&mut self, levels: &'a [Vec<Arc<CompiledPolicy>>]) -> Levels<'a> {
        let mut out = Levels {
            tri: Tri::TRUE,
            statements: StatementList::default(),
        };
        for level in levels {
            let allows = self.scan(level);
            out.tri = out.tri.and(allows.any());
            if let Some(s) = allows.best() {
                out.statements.push(s);
            }
        }
        out
    }

    /// One pass over a group of policies: deny statements go to the evaluation's denies, allow
    /// statements to the group's [`Allows`]. Allows stop being examined once one certainly
    /// applies directly (nothing more can be learnt from them).
    fn scan(&mut self, policies: &'a [Arc<CompiledPolicy>]) -> Allows<'a> {
        let mut allows = Allows::NONE;
        for policy in policies {
            for statement in &policy.statements {
                let r = StatementRef { policy, statement };
                match statement.effect {
                    Effect::Deny => {
                        let (applies, _) = self.applies(policy, statement);
                        self.deny = self.deny.or(applies);
                        if applies.value {
                            self.denies.push(r);
                        }
                    }
                    Effect::Allow => {
                        if allows.grants(Grant::Direct).is_certainly(true) {
                            continue;
                        }
                        let (applies, grant) = self.applies(policy, statement);
                        allows.record(grant, applies, r);
                    }
                }
            }
        }
        allows
    }

    /// Whether a statement applies to the request, and how it names the principal. Checks go
    /// cheapest first: action, principal, resource, conditions.
    fn applies(&self, policy: &CompiledPolicy, statement: &CompiledStatement) -> (Tri, Grant) {
        let request = self.request;
        let mut result = statement
            .action
            .admits(|p| action_matches(p, request.action_lower()));
        if !result.value {
            return (result, Grant::Direct);
        }
        let mut grant = Grant::Direct;
        if policy.names_principals() {
            let (names, how) = self.names_principal(statement);
            result = result.and(names);
            grant = how;
            if !result.value {
                return (result, grant);
            }
        }
        if let Some(resource) = &statement.resource {
            result = result.and(resource.admits(|p| resource_matches(p, request)));
            if !result.value {
                return (result, grant);
            }
        }
        for condition in &statement.conditions {
            result = result.and(condition.evaluate(request.context()));
            if !result.value {
                return (result, grant);
            }
        }
        (result, grant)
    }

    /// Whether a resource-policy statement names the request's principal, and how.
    fn names_principal(&self, statement: &CompiledStatement) -> (Tri, Grant) {
        let p = self.principal();
        let Some(set) = &statement.principal else {
            return (Tri::FALSE, Grant::Direct);
        };
        if set.not {
            if statement.effect == Effect::Deny && self.set.boundary.is_some() && self.has_identity() {
                return (Tri::TRUE, Grant::Direct);
            }
            return (not_principal_admits(&set.items, p), Grant::Direct);
        }
        let mut best: Option<Grant> = None;
        let mut uncertain = false;
        for item in &set.items {
            match principal_grant(item, p) {
                Some(grant) if best.is_none_or(|b| (grant as u8) < (b as u8)) => best = Some(grant),
                Some(_) => {}
                None => uncertain |= matches!(item, PrincipalPattern::Unknown),
            }
        }
        let tri = Tri {
            value: best.is_some(),
            uncertain: uncertain && best != Some(Grant::Direct),
        };
        (tri, best.unwrap_or(Grant::Direct))
    }
}

/// What the identity side allows: identity policies, limited by the boundary and (for
/// sessions) the session policies; and `limits`, the boundary and session policies alone,
/// which bind a resource-policy grant to a role ARN.
struct IdentityChain<'a> {
    tri: Tri,
    statements: StatementList<'a>,
    limits: Tri,
    limit_statements: StatementList<'a>,
    /// The first policy type of the chain that does not allow.
    missing: PolicyKind,
}

impl<'a> IdentityChain<'a> {
    fn new(
        kind: PrincipalKind,
        identity: &Allows<'a>,
        boundary: Option<Allows<'a>>,
        session: Option<Allows<'a>>,
    ) -> IdentityChain<'a> {
        let mut chain = IdentityChain {
            tri: Tri::TRUE,
            statements: StatementList::default(),
            limits: Tri::TRUE,
            limit_statements: StatementList::default(),
            missing: PolicyKind::Identity,
        };
        match kind {
            // The root user has full access in its own account; nothing limits it but denies
            // and SCPs.
            PrincipalKind::Root => return chain,
            PrincipalKind::Service | PrincipalKind::Anonymous => {
                chain.tri = Tri::FALSE;
                chain.limits = Tri::FALSE;
                return chain;
            }
            _ => {}
        }
        chain.tri = identity.grants(Grant::Direct);
        chain.statements.extend(identity.statement(Grant::Direct));
        if let Some(boundary) = &boundary {
            chain.limit_by(boundary, PolicyKind::PermissionsBoundary);
        }
        match (&session, kind) {
            (Some(session), PrincipalKind::RoleSession | PrincipalKind::FederatedUser) => {
                chain.limit_by(session, PolicyKind::Session);
            }
            // A federated user session has no permissions without a session policy.
            (None, PrincipalKind::FederatedUser) => chain.limit_by(&Allows::NONE, PolicyKind::Session),
            _ => {}
        }
        chain
    }

    /// Intersect with a boundary or the session policies.
    fn limit_by(&mut self, allows: &Allows<'a>, kind: PolicyKind) {
        let tri = allows.grants(Grant::Direct);
        if self.tri.value && !tri.value {
            self.missing = kind;
        }
        self.tri = self.tri.and(tri);
        self.limits = self.limits.and(tri);
        if let Some(s) = allows.statement(Grant::Direct) {
            self.statements.push(s);
            self.limit_statements.push(s);
        }
    }
}

/// One way to allow the request: whether it is open, the statements it goes through, and
/// the policy type that lacked an allow when it is not.
struct Path<'a> {
    tri: Tri,
    statements: StatementList<'a>,
    missing: PolicyKind,
}

impl<'a> Path<'a> {
    fn from(
        tri: Tri,
        resource: Option<StatementRef<'a>>,
        others: impl IntoIterator<Item = StatementRef<'a>>,
        missing: PolicyKind,
    ) -> Path<'a> {
        let mut statements = StatementList::default();
        statements.extend(resource);
        statements.extend(others);
        Path {
            tri,
            statements,
            missing,
        }
    }

    /// The first path that is certainly open, else the first open one, else a closed one
    /// (the last, whose missing policy type is the most telling); uncertainty is kept when
    /// no path is certainly open.
    fn first_open(paths: [Path<'a>; 3]) -> Path<'a> {
        let any = paths.iter().fold(Tri::FALSE, |acc, p| acc.or(p.tri));
        let pick = paths
            .iter()
            .position(|p| p.tri.is_certainly(true))
            .or_else(|| paths.iter().position(|p| p.tri.value))
            .unwrap_or(paths.len() - 1);
        let [a, b, c] = paths;
        let mut chosen = match pick {
            0 => a,
            1 => b,
            _ => c,
        };
        chosen.tri = any;
        chosen
    }
}

fn action_matches(pattern: &ActionPattern, action_lower: &str) -> Tri {
    match pattern {
        ActionPattern::Glob(g) => Tri::certain(g.matches(action_lower)),
        ActionPattern::Unknown => Tri::UNKNOWN,
    }
}

fn resource_matches(pattern: &ResourcePattern, request: &Request) -> Tri {
    let arn = request.resource();
    match pattern {
        ResourcePattern::Glob(g) => Tri::certain(g.matches(arn)),
        ResourcePattern::Unknown => Tri::UNKNOWN,
        ResourcePattern::Template { prefix, rest } => {
            let (mut text, mut literal_at) = (String::from(&**prefix), Vec::new());
            if !rest.resolve(Some(request.context()), &mut text, &mut literal_at) {
                return Tri::FALSE;
            }
            Tri::certain(glob_match(&text, &literal_at, 0, arn))
        }
    }
}

/// How one `Principal` item names the request's principal, if it does. Principal ARNs never
/// take wildcards, so they compare exactly.
fn principal_grant(pattern: &PrincipalPattern, p: &Principal) -> Option<Grant> {
    match pattern {
        PrincipalPattern::Any => Some(Grant::Direct),
        PrincipalPattern::Account(account) if p.account() == Some(&**account) => {
            Some(if p.kind() == PrincipalKind::Root {
                Grant::Direct
            } else {
                Grant::Delegated
            })
        }
        PrincipalPattern::Arn(arn) if is_iam_principal(p) && **arn == *p.arn() => Some(Grant::Direct),
        PrincipalPattern::Arn(arn) if is_iam_principal(p) && p.parent_arn() == Some(&**arn) => {
            Some(Grant::Limited)
        }
        PrincipalPattern::Service(name) if p.kind() == PrincipalKind::Service && **name == *p.arn() => {
            Some(Grant::Direct)
        }
        _ => None,
    }
}

fn is_iam_principal(p: &Principal) -> bool {
    !matches!(p.kind(), PrincipalKind::Service | PrincipalKind::Anonymous)
}

/// `NotPrincipal`: the statement applies unless every identity AWS may check for the principal
/// (its ARN, its role for a session, its account) is listed.
fn not_principal_admits(items: &[PrincipalPattern], p: &Principal) -> Tri {
    let listed = |id: &str, account: bool| {
        items.iter().any(|item| match item {
            PrincipalPattern::Any => true,
            PrincipalPattern::Account(a) => account && **a == *id,
            PrincipalPattern::Arn(a) | PrincipalPattern::Service(a) => !account && **a == *id,
            _ => false,
        })
    };
    let excluded = match p.kind() {
        PrincipalKind::Anonymous => items.iter().any(|i| matches!(i, PrincipalPattern::Any)),
        PrincipalKind::Service => listed(p.arn(), false),
        PrincipalKind::Root => p.account().is_some_and(|a| listed(a, true)),
        _ => {
            listed(p.arn(), false)
                && p.parent_arn()
                    .is_none_or(|parent| p.kind() != PrincipalKind::RoleSession || listed(parent, false))
                && p.account().is_some_and(|a| listed(a, true))
        }
    };
    let unknown = items.iter().any(|i| matches!(i, PrincipalPattern::Unknown));
    Tri {
        value: !excluded,
        uncertain: unknown && !excluded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_account_arns() {
        assert_eq!(
            root_account("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(
            root_account("arn:aws-cn:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(root_account("arn:aws:iam::111122223333:user/root"), None);
        assert_eq!(root_account("arn:aws:sts::111122223333:root"), None);
        assert_eq!(root_account("root"), None);
    }

    #[test]
    fn statement_list_spills_past_four() {
        let policy = Policy::parse(&warden_model::Value::from_json(&serde_json::json!({
            "Statement": {"Effect": "Allow", "Action": "*"}
        })))
        .unwrap();
        let compiled = CompiledPolicy::new(&policy, PolicyKind::Identity, "p");
        let r = StatementRef {
            policy: &compiled,
            statement: &compiled.statements[0],
        };
        let mut list = StatementList::default();
        for _ in 0..6 {
            list.push(r);
        }
        assert_eq!((list.len(), list.iter().count()), (6, 6));
        assert_eq!(r.label(), "#1");
    }
}
