use warden_model::{Finding, Permission, RuleMeta, Value};

use warden_iam::exposure::{Reach, permission_grants};

use super::{label, policy};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags permissions that let an AWS service (`*.amazonaws.com`) invoke a function without
    /// saying on whose behalf: no `SourceArn` and no `SourceAccount` (nor an equivalent
    /// `aws:SourceArn` / `aws:SourceAccount` condition). For Amazon S3 a `SourceArn` alone is
    /// not enough either: bucket ARNs carry no account id, so `SourceAccount` is required.
    ///
    /// ## Why is this bad
    /// A service principal stands for the service acting for *any* customer. Without a source
    /// condition, anyone can point their own bucket, topic, rule or API at your function's ARN
    /// and have the service invoke it for them: the confused-deputy problem. For S3, bucket
    /// names are global and reusable; if you delete a bucket, someone else can create one with
    /// the same name (and ARN) in their account and trigger your function with it.
    ///
    /// ## Example
    /// ```yaml
    /// UploadsInvoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Thumbnailer
    ///     Action: lambda:InvokeFunction
    ///     Principal: s3.amazonaws.com
    ///     SourceArn: arn:aws:s3:::acme-uploads
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// UploadsInvoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Thumbnailer
    ///     Action: lambda:InvokeFunction
    ///     Principal: s3.amazonaws.com
    ///     SourceArn: arn:aws:s3:::acme-uploads
    ///     SourceAccount: !Ref AWS::AccountId
    /// ```
    ///
    /// ## Fix
    /// Set `SourceArn` to the ARN of the one resource that should trigger the function (the
    /// rule, topic, API or log group), and `SourceAccount` to the account that owns it. For S3,
    /// always set `SourceAccount`. SAM sets these for the `Events` it generates permissions for.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-1
    pub struct ServicePrincipalWithoutSource {
        id: "ACC002",
        name: "service-principal-without-source",
        summary: "Service may invoke the function on behalf of any account (no SourceArn / SourceAccount)",
        layer: Iam,
        severity: High,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_364", "securityhub:Lambda.1"],
    }
}

impl Check for ServicePrincipalWithoutSource {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for permission in &cx.inventory.permissions {
            if !grants_invoke(&permission.action) {
                continue;
            }
            let has_arn = policy::is_set(permission.source_arn.as_ref());
            // The engine decides whether a source condition pins the calling resource.
            for grant in permission_grants(permission) {
                let Reach::Service {
                    service,
                    pinned_by: None,
                } = &grant.reach
                else {
                    continue;
                };
                let is_s3 = service.eq_ignore_ascii_case("s3.amazonaws.com");
                out.push(finding_at(
                    meta,
                    &permission.meta,
                    grant.origin.span(),
                    service,
                    message(cx, permission, service, is_s3 && has_arn),
                ));
            }
        }
    }
}

fn message(cx: &Context<'_>, permission: &Permission, service: &str, s3_arn_only: bool) -> String {
    let subject = label::permission(permission);
    let function = label::function(cx.inventory, &permission.function);
    if s3_arn_only {
        format!(
            "{subject} lets `{service}` invoke function `{function}` with a SourceArn but no SourceAccount: \
             bucket ARNs carry no account, so a bucket of that name in another account also matches"
        )
    } else {
        format!(
            "{subject} lets `{service}` invoke function `{function}` on behalf of any account: \
             it has no SourceArn or SourceAccount"
        )
    }
}

/// Whether the permission's action can invoke the function. An action that is not known
/// statically counts, since permissions are almost always for invocation.
fn grants_invoke(action: &Value) -> bool {
    action.items().into_iter().any(|a| match a.as_str() {
        Some(pattern) => policy::INVOKE_ACTIONS
            .iter()
            .any(|invoke| policy::action_matches(pattern, invoke)),
        None => a.is_unknown(),
    })
}
