//! IAM: roles with their inline policies, standalone and role policies, and attachments.

use warden_model::{InlinePolicy, Link, ManagedPolicy, Role, Value};

use super::Builder;
use crate::resource::{Resource, document, field, non_empty};

const ROLE: &[&str] = &["aws_iam_role"];
const POLICY: &[&str] = &["aws_iam_policy"];

impl Builder<'_> {
    /// `aws_iam_role` with its `inline_policy` blocks and `managed_policy_arns`.
    pub(super) fn role(&mut self, res: &Resource) {
        let origin = self.origin(res, res.span);
        let inline_policies = res
            .blocks("inline_policy")
            .into_iter()
            // Plans list an empty `inline_policy` entry for roles that have none.
            .filter_map(|block| {
                let policy = non_empty(field(block, "policy"))?;
                Some(InlinePolicy {
                    name: block.get("name").map(Value::display).unwrap_or_default(),
                    document: document(policy),
                    origin: origin.at(block.span),
                    expanded_from: None,
                })
            })
            .collect();
        let managed_policies = res
            .get("managed_policy_arns")
            .map(|arns| {
                arns.items()
                    .into_iter()
                    .map(|arn| self.link(arn, POLICY))
                    .collect()
            })
            .unwrap_or_default();
        let role = Role {
            meta: self.meta(res),
            role_name: res.get("name"),
            trust_policy: res.get("assume_role_policy").map(document),
            inline_policies,
            managed_policies,
            permissions_boundary: non_empty(res.get("permissions_boundary")),
        };
        self.inv.roles.push(role);
    }

    /// `aws_iam_policy` (attached by attachments or `managed_policy_arns`) and
    /// `aws_iam_role_policy` (a document on one role, like CloudFormation's `AWS::IAM::Policy`).
    pub(super) fn managed_policy(&mut self, res: &Resource, role: Option<Value>) {
        let policy = ManagedPolicy {
            meta: self.meta(res),
            document: res
                .get("policy")
                .map(document)
                .unwrap_or_else(|| Value::null(res.span)),
            roles: role.map(|r| self.link(&r, ROLE)).into_iter().collect(),
        };
        self.inv.managed_policies.push(policy);
    }

    /// An attachment adds its policy to the managed policies of the roles of the source it names.
    pub(super) fn attach_policy(&mut self, res: &Resource, roles: &[Value]) {
        let Some(arn) = res.get("policy_arn") else { return };
        let policy = self.link(&arn, POLICY);
        for role in roles {
            let Some(role_id) = self.target(role, ROLE) else {
                continue;
            };
            let Some(element) = self.inv.roles.iter_mut().find(|r| r.meta.id == role_id) else {
                continue;
            };
            if !element.managed_policies.iter().any(|l| same_policy(l, &policy)) {
                element.managed_policies.push(policy.clone());
            }
        }
    }
}

/// Two links to one policy: the same element, or the same known ARN.
fn same_policy(a: &Link, b: &Link) -> bool {
    match (&a.target, &b.target) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.value.as_str().is_some() && a.value.as_str() == b.value.as_str(),
        _ => false,
    }
}
