use warden_model::{Finding, RuleMeta};

use warden_iam::exposure::{Reach, layer_permission_grants};

use super::label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags layer version permissions (`AWS::Lambda::LayerVersionPermission`) that grant every
    /// AWS account (`Principal: "*"`) without limiting them to an organization
    /// (`OrganizationId`).
    ///
    /// ## Why is this bad
    /// `lambda:GetLayerVersion` returns a link to download the layer's content. With `*`, any
    /// AWS account can download it and use it in its own functions: any code, configuration,
    /// or credentials packaged into the layer are public, and what the layer reveals about
    /// your dependencies helps an attacker target them.
    ///
    /// ## Example
    /// ```yaml
    /// SharedLibsPermission:
    ///   Type: AWS::Lambda::LayerVersionPermission
    ///   Properties:
    ///     LayerVersionArn: !Ref SharedLibs
    ///     Action: lambda:GetLayerVersion
    ///     Principal: "*"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// SharedLibsPermission:
    ///   Type: AWS::Lambda::LayerVersionPermission
    ///   Properties:
    ///     LayerVersionArn: !Ref SharedLibs
    ///     Action: lambda:GetLayerVersion
    ///     Principal: "*"
    ///     OrganizationId: o-a1b2c3d4e5
    /// ```
    ///
    /// ## Fix
    /// Grant the accounts that use the layer by id, or keep `*` and add `OrganizationId` to
    /// share it within your organization only. Publish a layer to everyone only when it is
    /// meant to be public and contains nothing private; then suppress this finding with the
    /// reason.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-layerversionpermission.html
    pub struct LayerPermissionPublic {
        id: "ACC007",
        name: "layer-permission-public",
        summary: "Layer version is shared with every AWS account",
        layer: Iam,
        severity: High,
        checklist: [AuthN],
        sources: [],
    }
}

impl Check for LayerPermissionPublic {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for permission in &cx.inventory.layer_permissions {
            // The engine decides reach: an organization id limits `*`.
            for grant in layer_permission_grants(permission)
                .into_iter()
                .filter(|g| g.reach == Reach::AnyAwsPrincipal)
            {
                out.push(finding_at(
                    meta,
                    &permission.meta,
                    grant.origin.span(),
                    "",
                    format!(
                        "layer permission `{}` lets every AWS account (`*`) use and download layer `{}`: \
                         it has no OrganizationId",
                        permission.meta.name,
                        label::layer(cx.inventory, &permission.layer),
                    ),
                ));
            }
        }
    }
}
