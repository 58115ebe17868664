use warden_model::{Finding, RuleMeta};

use crate::{Check, Context, declare_rule, finding};

declare_rule! {
    /// ## What it does
    /// Flags execution roles that more than one function of the source uses, naming the
    /// functions.
    ///
    /// ## Why is this bad
    /// A shared role holds the union of what every function using it needs, so each function
    /// gets permissions it does not use, and a flaw in any one of them exposes everything the
    /// others can reach. It also makes least privilege hard to maintain: no one can tell which
    /// permission is still needed by which function, so permissions only ever accumulate.
    ///
    /// ## Example
    /// ```yaml
    /// SharedRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     AssumeRolePolicyDocument: ...
    /// IngestFunction:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Role: !GetAtt SharedRole.Arn
    /// ReportFunction:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Role: !GetAtt SharedRole.Arn
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// IngestRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     AssumeRolePolicyDocument: ...
    /// ReportRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     AssumeRolePolicyDocument: ...
    /// IngestFunction:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Role: !GetAtt IngestRole.Arn
    /// ReportFunction:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Role: !GetAtt ReportRole.Arn
    /// ```
    ///
    /// ## Fix
    /// Give each function its own role with only the permissions it needs (with SAM, leave
    /// `Role` out and list `Policies`: SAM creates one role per function). Put permissions that
    /// every function needs in a customer managed policy attached to each role.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html
    pub struct RoleSharedByFunctions {
        id: "IAM004",
        name: "role-shared-by-functions",
        summary: "Execution role shared by several functions",
        layer: Iam,
        severity: Low,
        checklist: [AuthN],
        sources: [],
    }
}

impl Check for RoleSharedByFunctions {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for role in &cx.inventory.roles {
            let functions: Vec<String> = cx
                .inventory
                .functions_with_role(&role.meta.id)
                .map(|f| format!("`{}`", f.meta.name))
                .collect();
            if functions.len() < 2 {
                continue;
            }
            out.push(finding(
                meta,
                &role.meta,
                format!(
                    "role `{}` is the execution role of {} functions ({}): each gets the permissions \
                     all of them need",
                    role.meta.name,
                    functions.len(),
                    functions.join(", "),
                ),
            ));
        }
    }
}
