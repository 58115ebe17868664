//! `CFG` and `MON` rules.

mod branches;
mod log_groups;
mod secrets;
mod stages;
#[cfg(test)]
mod testing;

mod cfg001_secret_in_environment;
mod cfg002_environment_without_cmk;
mod cfg003_function_not_in_vpc;
mod cfg004_vpc_single_az;
mod cfg005_no_reserved_concurrency;
mod cfg006_tracing_not_active;
mod cfg007_async_without_failure_destination;
mod cfg008_deprecated_runtime;
mod cfg009_runtime_deprecating_soon;
mod cfg010_no_code_signing;
mod cfg011_layer_from_other_account;
mod cfg012_api_stage_without_throttling;
mod cfg013_api_stage_without_access_logs;
mod mon001_log_group_without_retention;
mod mon002_log_group_without_kms;
mod mon003_trail_without_lambda_data_events;

pub use cfg001_secret_in_environment::SecretInEnvironment;
pub use cfg002_environment_without_cmk::EnvironmentWithoutCmk;
pub use cfg003_function_not_in_vpc::FunctionNotInVpc;
pub use cfg004_vpc_single_az::VpcSingleAz;
pub use cfg005_no_reserved_concurrency::NoReservedConcurrency;
pub use cfg006_tracing_not_active::TracingNotActive;
pub use cfg007_async_without_failure_destination::AsyncWithoutFailureDestination;
pub use cfg008_deprecated_runtime::DeprecatedRuntime;
pub use cfg009_runtime_deprecating_soon::RuntimeDeprecatingSoon;
pub use cfg010_no_code_signing::NoCodeSigning;
pub use cfg011_layer_from_other_account::LayerFromOtherAccount;
pub use cfg012_api_stage_without_throttling::ApiStageWithoutThrottling;
pub use cfg013_api_stage_without_access_logs::ApiStageWithoutAccessLogs;
pub use mon001_log_group_without_retention::LogGroupWithoutRetention;
pub use mon002_log_group_without_kms::LogGroupWithoutKms;
pub use mon003_trail_without_lambda_data_events::TrailWithoutLambdaDataEvents;

use crate::Rule;

/// The rules of this area, in id order.
pub static RULES: &[&dyn Rule] = &[
    &SecretInEnvironment,
    &EnvironmentWithoutCmk,
    &FunctionNotInVpc,
    &VpcSingleAz,
    &NoReservedConcurrency,
    &TracingNotActive,
    &AsyncWithoutFailureDestination,
    &DeprecatedRuntime,
    &RuntimeDeprecatingSoon,
    &NoCodeSigning,
    &LayerFromOtherAccount,
    &ApiStageWithoutThrottling,
    &ApiStageWithoutAccessLogs,
    &LogGroupWithoutRetention,
    &LogGroupWithoutKms,
    &TrailWithoutLambdaDataEvents,
];
