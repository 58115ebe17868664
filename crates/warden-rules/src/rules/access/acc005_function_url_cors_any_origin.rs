use warden_model::{Finding, RuleMeta};

use super::label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags function URLs whose CORS configuration allows every origin (`AllowOrigins`
    /// contains `*`).
    ///
    /// ## Why is this bad
    /// CORS decides which web pages a browser lets read the URL's responses. With `*`, script on
    /// any website can call the function from its visitors' browsers and read what comes back,
    /// so whatever the function returns based on who is calling (a cookie or token the browser
    /// attaches) can be read by any site. It also usually means nobody decided which front end
    /// the endpoint serves. CORS only governs browsers; it is not authentication (see ACC004).
    ///
    /// ## Example
    /// ```yaml
    /// ApiUrl:
    ///   Type: AWS::Lambda::Url
    ///   Properties:
    ///     TargetFunctionArn: !GetAtt ApiFunction.Arn
    ///     AuthType: AWS_IAM
    ///     Cors:
    ///       AllowOrigins: ["*"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ApiUrl:
    ///   Type: AWS::Lambda::Url
    ///   Properties:
    ///     TargetFunctionArn: !GetAtt ApiFunction.Arn
    ///     AuthType: AWS_IAM
    ///     Cors:
    ///       AllowOrigins: ["https://app.example.com"]
    /// ```
    ///
    /// ## Fix
    /// List the exact origins (scheme, host and port) of the front ends that call the URL. Leave
    /// `Cors` out entirely if no browser calls it.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
    /// - https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
    pub struct FunctionUrlCorsAnyOrigin {
        id: "ACC005",
        name: "function-url-cors-any-origin",
        summary: "Function URL CORS allows any origin (`*`)",
        layer: Iam,
        severity: Medium,
        checklist: [AuthN],
        sources: ["prowler:awslambda_function_url_cors_policy"],
    }
}

impl Check for FunctionUrlCorsAnyOrigin {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for url in &cx.inventory.function_urls {
            let Some(origins) = url.cors.as_ref().and_then(|c| c.allow_origins.as_ref()) else {
                continue;
            };
            let Some(any) = origins.items().into_iter().find(|o| o.as_str() == Some("*")) else {
                continue;
            };
            out.push(finding_at(
                meta,
                &url.meta,
                any.span,
                "",
                format!(
                    "function URL of function `{}` allows CORS requests from any origin (`*`): \
                     any website can call it from a visitor's browser and read the response",
                    label::function(cx.inventory, &url.function),
                ),
            ));
        }
    }
}
