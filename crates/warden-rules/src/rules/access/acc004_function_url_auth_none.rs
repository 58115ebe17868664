use warden_model::{Finding, FunctionUrl, Inventory, Permission, RuleMeta};

use super::{label, policy};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags function URLs whose `AuthType` is `NONE` (SAM `FunctionUrlConfig` or
    /// `AWS::Lambda::Url`).
    ///
    /// ## Why is this bad
    /// With `AuthType: NONE`, Lambda does not authenticate requests to the URL: whoever the
    /// function's resource policy allows can call it with a plain HTTPS request, and SAM (like
    /// the console) adds a policy statement that allows everyone. The function is then an
    /// internet endpoint with no authentication, no throttling per caller, and no WAF in front,
    /// and all its authorization has to be done in code.
    ///
    /// ## Example
    /// ```yaml
    /// WebhookFunction:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    ///     Runtime: python3.12
    ///     FunctionUrlConfig:
    ///       AuthType: NONE
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// WebhookFunction:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    ///     Runtime: python3.12
    ///     FunctionUrlConfig:
    ///       AuthType: AWS_IAM
    /// ```
    ///
    /// ## Fix
    /// Use `AuthType: AWS_IAM` and have callers sign requests with SigV4 (a CloudFront
    /// distribution with origin access control can sign for browsers). If the endpoint must be
    /// public, such as a webhook, put API Gateway with an authorizer or a WAF in front of it, or
    /// verify the caller's signature in the function and suppress this finding with a reason.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    /// - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html
    pub struct FunctionUrlAuthNone {
        id: "ACC004",
        name: "function-url-auth-none",
        summary: "Function URL allows unauthenticated access (AuthType NONE)",
        layer: Iam,
        severity: High,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_258", "prowler:awslambda_function_url_public"],
    }
}

impl Check for FunctionUrlAuthNone {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for url in &cx.inventory.function_urls {
            for auth in url.auth_type.candidates() {
                if !auth.as_str().is_some_and(|a| a.eq_ignore_ascii_case("NONE")) {
                    continue;
                }
                let function = label::function(cx.inventory, &url.function);
                let message = match public_url_permission(cx.inventory, url) {
                    Some(permission) => format!(
                        "function URL of function `{function}` uses AuthType NONE and {} allows everyone \
                         (`*`): anyone on the internet can invoke it",
                        label::permission(permission)
                    ),
                    None => format!(
                        "function URL of function `{function}` uses AuthType NONE: requests are not \
                         authenticated, so anyone its resource policy allows can invoke it unsigned"
                    ),
                };
                out.push(finding_at(meta, &url.meta, auth.span, "", message));
            }
        }
    }
}

/// A permission in the Inventory that lets everyone call the URL's function through its URL.
fn public_url_permission<'a>(inv: &'a Inventory, url: &FunctionUrl) -> Option<&'a Permission> {
    let function = url.function.target.as_deref()?;
    inv.permissions.iter().find(|p| {
        p.function.target.as_deref() == Some(function)
            && policy::public_principal(&p.principal).is_some()
            && p.action
                .strings()
                .iter()
                .any(|a| policy::action_matches(a, "lambda:InvokeFunctionUrl"))
    })
}
