//! The shared execution role, `IamRoleLambdaExecution` (`lib/merge-iam-templates.js`): one role
//! for every function that names none, allowed to write its functions' logs, with the
//! provider's statements (`iam.role.statements`, v1/v2 `iamRoleStatements`) and managed
//! policies (`iam.role.managedPolicies`, `iamManagedPolicies`), and what the functions' settings
//! and events need.

use warden_model::{Span, Value, ValueKind};

use super::{Compiler, Naming};
use crate::build::{Obj, at, concat, entry, list, reference, set, statement, sub, text};
use crate::naming;

impl Compiler<'_> {
    pub(super) fn role(&mut self) {
        if !self.has_default_role() {
            return;
        }
        let provider = self.provider.clone();
        let role_settings = at(&provider, &["iam", "role"]).cloned();
        // Findings on the role point at where its permissions are written.
        let (span, comment_line) = self.role_span(role_settings.as_ref());

        let mut statements = self.log_statements(span);
        let user_statements = role_settings
            .as_ref()
            .and_then(|r| set(r, "statements"))
            .or_else(|| set(&provider, "iamRoleStatements"))
            .cloned();
        if let Some(user) = user_statements {
            match &user.kind {
                ValueKind::List(items) => statements.extend(items.iter().cloned()),
                _ => self.not_read(&user, "the execution role's statements"),
            }
        }
        statements.append(&mut self.role_statements);

        let mut managed: Vec<Value> = Vec::new();
        let user_managed = role_settings
            .as_ref()
            .and_then(|r| set(r, "managedPolicies"))
            .or_else(|| set(&provider, "iamManagedPolicies"))
            .cloned();
        if let Some(user) = user_managed {
            match &user.kind {
                ValueKind::List(items) => managed.extend(items.iter().cloned()),
                _ => self.not_read(&user, "the execution role's managed policies"),
            }
        }
        let in_vpc =
            set(&provider, "vpc").is_some() || self.functions.iter().any(|f| f.body.get("vpc").is_some());
        if in_vpc {
            managed.push(concat(
                vec![
                    text("arn:", span),
                    reference("AWS::Partition", span),
                    text(
                        ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                        span,
                    ),
                ],
                span,
            ));
        }

        let document = Obj::new(span)
            .set("Version", text("2012-10-17", span))
            .set("Statement", list(statements, span))
            .build();
        let policy = Obj::new(span)
            .set("PolicyName", self.policy_name(span))
            .set("PolicyDocument", document)
            .build();
        let setting = |name: &str| role_settings.as_ref().and_then(|r| set(r, name)).cloned();
        let boundary = setting("permissionsBoundary")
            .or_else(|| setting("permissionBoundary"))
            .or_else(|| set(&provider, "rolePermissionsBoundary").cloned());
        let role_name = setting("name").unwrap_or_else(|| {
            concat(
                vec![
                    self.service_name("", span),
                    text("-", span),
                    reference("AWS::Region", span),
                    text("-lambdaRole", span),
                ],
                span,
            )
        });
        let props = Obj::new(span)
            .set("AssumeRolePolicyDocument", lambda_trust_policy(span))
            .set("Path", setting("path").unwrap_or_else(|| text("/", span)))
            .set("RoleName", role_name)
            .set("Policies", list(vec![policy], span))
            .opt(
                "ManagedPolicyArns",
                (!managed.is_empty()).then(|| list(managed, span)),
            )
            .opt("PermissionsBoundary", boundary)
            .build();
        let body = self.resource("AWS::IAM::Role", props, span, comment_line);
        let implied_by = self
            .functions
            .iter()
            .find(|f| f.default_role)
            .map(|f| f.logical.clone());
        self.add(
            naming::ROLE,
            span,
            body,
            Naming {
                name: naming::ROLE.to_string(),
                implied_by,
            },
        );
    }

    /// Where the role is written: `provider.iam` (or `iamRoleStatements`), else `provider`;
    /// skip comments on or above that key apply to the role.
    fn role_span(&self, role_settings: Option<&Value>) -> (Span, Option<u32>) {
        let keys = ["iam", "iamRoleStatements", "iamManagedPolicies"];
        for name in keys {
            if let Some((key, _)) = entry(&self.provider, name) {
                return (key.span, Some(key.span.start.line));
            }
        }
        let span = role_settings
            .map(|r| r.span)
            .unwrap_or_else(|| self.provider_span("name"));
        let span = if span.is_known() {
            span
        } else {
            self.functions.first().map(|f| f.key_span).unwrap_or_default()
        };
        (span, None)
    }

    /// The two statements that let functions create and write their log groups (functions
    /// with a custom `name` get their own log group resources).
    fn log_statements(&self, span: Span) -> Vec<Value> {
        let prefix = self.service_name("", span);
        let mut groups: Vec<String> = Vec::new();
        let canonical = match prefix.as_text() {
            Some(p) => p.into_owned(),
            None => prefix.as_unknown().map(|u| u.expr.clone()).unwrap_or_default(),
        };
        let mut canonical_used = false;
        for f in &self.functions {
            if crate::build::truthy(set(&f.body, "disableLogs")) {
                continue;
            }
            match set(&f.body, "name").and_then(Value::as_str) {
                Some(name) if !name.starts_with(&canonical) => groups.push(format!("/aws/lambda/{name}")),
                _ => canonical_used = true,
            }
        }
        if canonical_used {
            groups.push(format!("/aws/lambda/{canonical}*"));
        }
        let arn = |group: &str, suffix: &str| {
            sub(
                format!(
                    "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{group}{suffix}"
                ),
                span,
            )
        };
        vec![
            statement(
                "Allow",
                &["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
                groups.iter().map(|g| arn(g, ":*")).collect(),
                span,
            ),
            statement(
                "Allow",
                &["logs:PutLogEvents"],
                groups.iter().map(|g| arn(g, ":*:*")).collect(),
                span,
            ),
        ]
    }

    fn policy_name(&self, span: Span) -> Value {
        super::joined(
            &[
                &self.service,
                &text("-", span),
                &self.stage,
                &text("-lambda", span),
            ],
            span,
        )
    }
}

fn lambda_trust_policy(span: Span) -> Value {
    let statement = Obj::new(span)
        .set("Effect", text("Allow", span))
        .set(
            "Principal",
            Obj::new(span)
                .set("Service", list(vec![text("lambda.amazonaws.com", span)], span))
                .build(),
        )
        .set("Action", list(vec![text("sts:AssumeRole", span)], span))
        .build();
    Obj::new(span)
        .set("Version", text("2012-10-17", span))
        .set("Statement", list(vec![statement], span))
        .build()
}
