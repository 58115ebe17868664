//! `ACC` and `IAM` rules.

use crate::Rule;

mod label;
mod policy;

pub(crate) use policy::SharedAnalyses;

pub mod acc001_public_invoke_permission;
pub mod acc002_service_principal_without_source;
pub mod acc003_permission_action_too_broad;
pub mod acc004_function_url_auth_none;
pub mod acc005_function_url_cors_any_origin;
pub mod acc006_api_route_without_authorization;
pub mod acc007_layer_permission_public;
pub mod iam001_role_admin_or_full_access;
pub mod iam002_role_write_on_any_resource;
pub mod iam003_role_passrole_any;
pub mod iam004_role_shared_by_functions;
pub mod iam005_role_data_or_credential_access_on_any_resource;
pub mod iam006_unknown_action;
pub mod iam007_resource_does_not_fit_action;
pub mod iam008_condition_key_not_applicable;
pub mod iam009_invalid_policy_document;
pub mod iam010_privilege_escalation_path;

/// The rules of this area, in id order.
pub static RULES: &[&dyn Rule] = &[
    &acc001_public_invoke_permission::PublicInvokePermission,
    &acc002_service_principal_without_source::ServicePrincipalWithoutSource,
    &acc003_permission_action_too_broad::PermissionActionTooBroad,
    &acc004_function_url_auth_none::FunctionUrlAuthNone,
    &acc005_function_url_cors_any_origin::FunctionUrlCorsAnyOrigin,
    &acc006_api_route_without_authorization::ApiRouteWithoutAuthorization,
    &acc007_layer_permission_public::LayerPermissionPublic,
    &iam001_role_admin_or_full_access::RoleAdminOrFullAccess,
    &iam002_role_write_on_any_resource::RoleWriteOnAnyResource,
    &iam003_role_passrole_any::RolePassRoleAny,
    &iam004_role_shared_by_functions::RoleSharedByFunctions,
    &iam005_role_data_or_credential_access_on_any_resource::RoleDataOrCredentialAccessOnAnyResource,
    &iam006_unknown_action::UnknownAction,
    &iam007_resource_does_not_fit_action::ResourceDoesNotFitAction,
    &iam008_condition_key_not_applicable::ConditionKeyNotApplicable,
    &iam009_invalid_policy_document::InvalidPolicyDocument,
    &iam010_privilege_escalation_path::PrivilegeEscalationPath,
];
