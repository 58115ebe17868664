use std::collections::BTreeSet;

use warden_model::{Finding, Function, Inventory, RuleMeta, Value, ValueKind};

use super::branches::branches;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions attached to a VPC through a single subnet, or through subnets that are
    /// all in one Availability Zone.
    ///
    /// The number of subnets is known whenever `SubnetIds` is written as a list. Their zones
    /// are known only for subnets defined in the same template (or the same account snapshot)
    /// with a literal `AvailabilityZone` (`eu-west-1a`); a zone computed at deploy time
    /// (`!Select [0, !GetAZs '']`) or a subnet passed in as a parameter or an id is not
    /// knowable, and such a function is not reported unless it lists a single subnet.
    ///
    /// ## Why is this bad
    /// Lambda runs a VPC function only in the Availability Zones of its subnets. With one zone,
    /// an outage of that zone (or exhaustion of the subnet's IP addresses, which Lambda needs
    /// for its network interfaces) stops the function entirely: a denial of service that
    /// Lambda would otherwise absorb by running in another zone.
    ///
    /// ## Example
    /// ```yaml
    /// SubnetA:
    ///   Type: AWS::EC2::Subnet
    ///   Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: eu-west-1a }
    /// SubnetB:
    ///   Type: AWS::EC2::Subnet
    ///   Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: eu-west-1a }
    /// Worker:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     VpcConfig:
    ///       SubnetIds: [!Ref SubnetA, !Ref SubnetB]
    ///       SecurityGroupIds: [!Ref WorkerSecurityGroup]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// SubnetB:
    ///   Type: AWS::EC2::Subnet
    ///   Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: eu-west-1b }
    /// ```
    ///
    /// ## Fix
    /// List at least two private subnets in different Availability Zones in `VpcConfig`, each
    /// with enough free addresses for the function's concurrency.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-5
    pub struct VpcSingleAz {
        id: "CFG004",
        name: "vpc-single-az",
        summary: "VPC function runs in a single Availability Zone",
        layer: Configuration,
        severity: Medium,
        checklist: [Throttling],
        sources: ["securityhub:Lambda.5", "prowler:awslambda_function_vpc_multi_az"],
    }
}

impl Check for VpcSingleAz {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            let Some(vpc) = &function.vpc else { continue };
            let name = &function.meta.name;
            for branch in branches(&vpc.subnet_ids) {
                // A whole-list unknown (`!Ref SubnetIdsParameter`) may hold any number of subnets.
                let ValueKind::List(items) = &branch.value.kind else {
                    continue;
                };
                let subnets: BTreeSet<String> = items.iter().map(subnet_identity).collect();
                let span = branch.value.span.or(vpc.span);
                let message = match subnets.len() {
                    0 => continue, // no VPC at all: CFG003
                    1 => format!(
                        "function `{name}` is attached to a VPC through a single subnet{}; \
                         it runs in one Availability Zone",
                        branch.when()
                    ),
                    _ => {
                        let zones: Option<BTreeSet<String>> =
                            items.iter().map(|s| zone_of(cx.inventory, function, s)).collect();
                        match zones {
                            Some(zones) if zones.len() == 1 => format!(
                                "function `{name}` is attached to {} subnets that are all in \
                                 Availability Zone `{}`{}",
                                subnets.len(),
                                zones.into_iter().next().unwrap_or_default(),
                                branch.when()
                            ),
                            _ => continue,
                        }
                    }
                };
                out.push(finding_at(meta, &function.meta, span, &branch.key(), message));
            }
        }
    }
}

/// How a listed subnet is told apart from the others: the resource it refers to, or its text.
fn subnet_identity(item: &Value) -> String {
    match item.as_unknown() {
        Some(u) if !u.refs.is_empty() => u.refs.join(","),
        Some(u) => u.expr.clone(),
        None => item.display(),
    }
}

/// The zone of a listed subnet, when the subnet is in the same source (a reference to a subnet
/// of the template, or a subnet id of the same account snapshot) with a literal
/// `AvailabilityZone`.
fn zone_of(inventory: &Inventory, function: &Function, item: &Value) -> Option<String> {
    let name = match item.as_unknown() {
        Some(unknown) => match unknown.refs.as_slice() {
            [logical_id] => logical_id.as_str(),
            _ => return None,
        },
        None => item.as_str()?,
    };
    let path = function.meta.origin.path();
    let subnet = inventory
        .subnets
        .iter()
        .find(|s| s.meta.name == name && s.meta.origin.path() == path)?;
    subnet.availability_zone.as_ref()?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use warden_model::{Inventory, Subnet, ValueKind, VpcConfig};

    use super::*;
    use crate::rules::config::testing::{at, findings, function};

    fn subnet(id: &str, zone: Value) -> Subnet {
        let mut meta = function(id).meta;
        meta.resource_type = "AWS::EC2::Subnet".into();
        Subnet {
            meta,
            availability_zone: Some(zone),
        }
    }

    fn attached(subnet_ids: Vec<Value>, subnets: Vec<Subnet>) -> Vec<Finding> {
        let mut worker = function("Worker");
        worker.vpc = Some(VpcConfig {
            subnet_ids: Value::new(ValueKind::List(subnet_ids), at(5)),
            security_group_ids: Value::null(at(6)),
            span: at(4),
        });
        let inventory = Inventory {
            functions: vec![worker],
            subnets,
            ..Inventory::default()
        };
        findings(&VpcSingleAz, &inventory, jiff::civil::date(2026, 11, 24))
    }

    fn reference(logical_id: &str) -> Value {
        Value::unknown(format!("!Ref {logical_id}"), vec![logical_id.to_string()], at(5))
    }

    #[test]
    fn subnets_in_one_zone_by_reference_or_by_id() {
        let zone = |z: &str| Value::string(z, at(2));
        let found = attached(
            vec![reference("A"), reference("B")],
            vec![subnet("A", zone("eu-west-1a")), subnet("B", zone("eu-west-1a"))],
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`eu-west-1a`"));
        let by_id = attached(
            vec![Value::string("subnet-1", at(5)), Value::string("subnet-2", at(5))],
            vec![
                subnet("subnet-1", zone("eu-west-1a")),
                subnet("subnet-2", zone("eu-west-1a")),
            ],
        );
        assert_eq!(by_id.len(), 1);
        let spread = attached(
            vec![reference("A"), reference("B")],
            vec![subnet("A", zone("eu-west-1a")), subnet("B", zone("eu-west-1b"))],
        );
        assert!(spread.is_empty());
    }

    #[test]
    fn a_zone_that_is_not_knowable_is_not_reported() {
        let computed = Value::unknown("!Select [0, !GetAZs \"\"]", Vec::new(), at(2));
        let found = attached(
            vec![reference("A"), reference("B")],
            vec![
                subnet("A", Value::string("eu-west-1a", at(2))),
                subnet("B", computed),
            ],
        );
        assert!(found.is_empty());
    }

    #[test]
    fn the_same_subnet_twice_is_one_subnet() {
        let found = attached(vec![reference("A"), reference("A")], Vec::new());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("single subnet"));
    }
}
