use warden_model::{Finding, RuleMeta, ValueKind};

use super::branches::branches;
use crate::{Check, Context, declare_rule, finding, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions with no VPC configuration (`VpcConfig` with subnets), or whose
    /// `VpcConfig` lists no subnet, in any branch of an undecided condition.
    ///
    /// Not every function needs a VPC. A function that only calls public AWS APIs and reaches
    /// no private resource is not made safer by a VPC, and attaching one costs NAT gateways or
    /// VPC endpoints for outbound traffic. The finding is low severity and meant for accounts
    /// whose policy is that functions run inside a VPC; disable it (or suppress it per function
    /// with a reason) where that is not the policy.
    ///
    /// ## Why is this bad
    /// A function outside a VPC has unrestricted outbound internet access: code that is
    /// compromised (a vulnerable dependency, an injection) can exfiltrate data or reach
    /// attacker infrastructure, and there are no security groups, network ACLs or VPC flow logs
    /// to restrict or record its traffic. Inside a VPC, egress can be limited to VPC endpoints
    /// and known destinations.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: nodejs22.x
    ///     Handler: index.handler
    ///     CodeUri: src/
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: nodejs22.x
    ///     Handler: index.handler
    ///     CodeUri: src/
    ///     VpcConfig:
    ///       SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    ///       SecurityGroupIds: [!Ref WorkerSecurityGroup]
    /// ```
    ///
    /// ## Fix
    /// Set `VpcConfig` with private subnets (in at least two Availability Zones, see CFG004)
    /// and a security group that allows only the egress the function needs. Give the
    /// execution role `AWSLambdaVPCAccessExecutionRole` (or the equivalent ENI permissions),
    /// and add VPC endpoints or a NAT gateway for the AWS services it calls.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-3
    pub struct FunctionNotInVpc {
        id: "CFG003",
        name: "function-not-in-vpc",
        summary: "Function is not attached to a VPC",
        layer: Configuration,
        severity: Low,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_117", "securityhub:Lambda.3", "prowler:awslambda_function_inside_vpc"],
    }
}

impl Check for FunctionNotInVpc {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            let name = &function.meta.name;
            let Some(vpc) = &function.vpc else {
                out.push(finding(
                    meta,
                    &function.meta,
                    format!("function `{name}` is not attached to a VPC"),
                ));
                continue;
            };
            for branch in branches(&vpc.subnet_ids) {
                let empty = match &branch.value.kind {
                    ValueKind::Null => true,
                    ValueKind::List(items) => items.is_empty(),
                    _ => false,
                };
                if empty {
                    out.push(finding_at(
                        meta,
                        &function.meta,
                        branch.value.span.or(vpc.span),
                        &branch.key(),
                        format!(
                            "function `{name}` has a `VpcConfig` without subnets{}, so it is not attached \
                             to a VPC",
                            branch.when()
                        ),
                    ));
                }
            }
        }
    }
}
