//! The normalized Inventory: every source (CloudFormation / SAM, Terraform, Serverless, a live
//! account) loads into these types, and rules only ever see them.

use std::sync::Arc;

use crate::{Origin, Span, Value};

/// Stable identity of an Inventory element: `path#LogicalId` for IaC, the ARN for AWS.
pub type ElementId = String;

/// What every element carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub id: ElementId,
    /// Logical id, Terraform address or resource name, as the user wrote it.
    pub name: String,
    /// Source resource type, e.g. `AWS::Serverless::Function` or `aws_lambda_function`.
    pub resource_type: String,
    pub origin: Origin,
    /// Set when a transform (SAM, a module) created the element: the element that implies it.
    pub implied_by: Option<ElementId>,
    /// Suppressions written on the element itself (CloudFormation `Metadata.warden.skip`).
    pub skips: Vec<Skip>,
}

/// A suppression written next to the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub rule: String,
    pub reason: Option<String>,
    pub span: Span,
}

/// A reference from one element to another (or to something outside the source).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The element referred to, when it is in the Inventory.
    pub target: Option<ElementId>,
    /// The value as written (an ARN, a name, or an unknown reference).
    pub value: Value,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    /// Source files this Inventory was loaded from, with their text (for snippets).
    pub sources: Vec<SourceFile>,
    pub functions: Vec<Function>,
    pub roles: Vec<Role>,
    pub managed_policies: Vec<ManagedPolicy>,
    pub permissions: Vec<Permission>,
    pub layers: Vec<LayerVersion>,
    pub layer_permissions: Vec<LayerPermission>,
    pub function_urls: Vec<FunctionUrl>,
    pub aliases: Vec<Alias>,
    pub apis: Vec<Api>,
    pub routes: Vec<Route>,
    pub authorizers: Vec<Authorizer>,
    pub stages: Vec<Stage>,
    pub event_sources: Vec<EventSource>,
    pub event_invoke_configs: Vec<EventInvokeConfig>,
    pub trails: Vec<Trail>,
    pub log_groups: Vec<LogGroup>,
    pub kms_keys: Vec<KmsKey>,
    pub subnets: Vec<Subnet>,
    /// Things a loader could not model fully (an unresolvable intrinsic, an unsupported
    /// property): reported to the user, never findings.
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    pub path: Arc<str>,
    pub format: SourceFormat,
    pub text: Arc<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceFormat {
    CloudFormationYaml,
    CloudFormationJson,
    Terraform,
    TerraformPlan,
    Serverless,
    Snapshot,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::CloudFormationYaml => "cloudformation-yaml",
            SourceFormat::CloudFormationJson => "cloudformation-json",
            SourceFormat::Terraform => "terraform",
            SourceFormat::TerraformPlan => "terraform-plan",
            SourceFormat::Serverless => "serverless",
            SourceFormat::Snapshot => "snapshot",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub origin: Origin,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub name_span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VpcConfig {
    pub subnet_ids: Value,
    pub security_group_ids: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CodeLocation {
    /// A local path (SAM `CodeUri: src/`, Terraform `filename`).
    Local(Value),
    /// `s3://bucket/key` or Bucket/Key properties.
    S3 { bucket: Value, key: Value },
    /// Inline source (`ZipFile`, `InlineCode`).
    Inline(Value),
    /// A container image URI.
    Image(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub meta: Meta,
    /// `FunctionName` when set.
    pub function_name: Option<Value>,
    pub runtime: Option<Value>,
    pub handler: Option<Value>,
    pub architectures: Option<Value>,
    pub memory_size: Option<Value>,
    pub timeout: Option<Value>,
    /// `None` when the function sets no environment at all.
    pub environment: Option<Vec<EnvVar>>,
    pub environment_span: Span,
    pub kms_key: Option<Value>,
    pub vpc: Option<VpcConfig>,
    pub reserved_concurrency: Option<Value>,
    pub dead_letter_target: Option<Value>,
    pub tracing: Option<Value>,
    pub layers: Vec<Value>,
    pub code_signing_config: Option<Value>,
    pub tags: Vec<(String, Value)>,
    pub package_type: Option<Value>,
    pub code: Option<CodeLocation>,
    pub role: Option<Link>,
    /// SAM `AutoPublishAlias`.
    pub auto_publish_alias: Option<Value>,
}

/// An IAM policy document attached inline (or by a SAM template) to a role.
#[derive(Debug, Clone, PartialEq)]
pub struct InlinePolicy {
    pub name: String,
    pub document: Value,
    pub origin: Origin,
    /// For SAM policy templates and managed names expanded by the loader: what was written.
    pub expanded_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub meta: Meta,
    pub role_name: Option<Value>,
    pub trust_policy: Option<Value>,
    pub inline_policies: Vec<InlinePolicy>,
    /// Managed policies by ARN (AWS managed or customer managed) or by reference.
    pub managed_policies: Vec<Link>,
    pub permissions_boundary: Option<Value>,
}

/// A customer-managed policy defined in the source (`AWS::IAM::ManagedPolicy`), or a standalone
/// `AWS::IAM::Policy` attached to roles.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedPolicy {
    pub meta: Meta,
    pub document: Value,
    /// Roles it is attached to (from the policy's own `Roles` property).
    pub roles: Vec<Link>,
}

/// A resource-based policy statement on a function (`AWS::Lambda::Permission`, SAM event
/// permissions, a statement of a live function policy).
#[derive(Debug, Clone, PartialEq)]
pub struct Permission {
    pub meta: Meta,
    pub function: Link,
    pub action: Value,
    pub principal: Value,
    pub source_arn: Option<Value>,
    pub source_account: Option<Value>,
    pub principal_org_id: Option<Value>,
    pub function_url_auth_type: Option<Value>,
    pub event_source_token: Option<Value>,
    /// Any further condition (live policies), as a policy `Condition` block.
    pub condition: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayerVersion {
    pub meta: Meta,
    pub layer_name: Option<Value>,
    pub compatible_runtimes: Option<Value>,
    pub content: Option<CodeLocation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayerPermission {
    pub meta: Meta,
    pub layer: Link,
    pub action: Value,
    pub principal: Value,
    pub organization_id: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cors {
    pub allow_origins: Option<Value>,
    pub allow_methods: Option<Value>,
    pub allow_headers: Option<Value>,
    pub allow_credentials: Option<Value>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionUrl {
    pub meta: Meta,
    pub function: Link,
    pub qualifier: Option<Value>,
    pub auth_type: Value,
    pub cors: Option<Cors>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    pub meta: Meta,
    pub function: Link,
    pub alias_name: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    Rest,
    Http,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub meta: Meta,
    pub kind: ApiKind,
    /// A REST API resource policy, when one is set.
    pub resource_policy: Option<Value>,
    /// `EndpointConfiguration` type (`EDGE`, `REGIONAL`, `PRIVATE`).
    pub endpoint_type: Option<Value>,
    pub disable_execute_api_endpoint: Option<Value>,
}

/// How a route is protected, normalized across REST methods, HTTP API routes and SAM `Auth`.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteAuth {
    /// `NONE`: anyone who can reach the endpoint.
    None,
    Iam,
    Cognito {
        authorizer: Option<Link>,
    },
    Lambda {
        authorizer: Option<Link>,
    },
    Jwt {
        authorizer: Option<Link>,
    },
    /// An authorization type the loader cannot determine statically.
    Unknown(String),
}

impl RouteAuth {
    pub fn is_none(&self) -> bool {
        matches!(self, RouteAuth::None)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub meta: Meta,
    pub api: Link,
    pub method: String,
    pub path: String,
    /// The function this route invokes, when it is a Lambda integration.
    pub function: Option<Link>,
    pub auth: RouteAuth,
    pub api_key_required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Authorizer {
    pub meta: Meta,
    pub api: Option<Link>,
    /// `COGNITO_USER_POOLS`, `TOKEN`, `REQUEST`, `JWT`, ...
    pub authorizer_type: Value,
    pub function: Option<Link>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub meta: Meta,
    pub api: Link,
    pub stage_name: Option<Value>,
    /// Default throttling: rate and burst limits (`None` when unset).
    pub throttling_rate_limit: Option<Value>,
    pub throttling_burst_limit: Option<Value>,
    pub access_log_destination: Option<Value>,
    pub tracing_enabled: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventSourceKind {
    S3,
    Sqs,
    Sns,
    EventBridge,
    Schedule,
    DynamoDb,
    Kinesis,
    CloudWatchLogs,
    Kafka,
    MQ,
    /// AWS IoT rules (invoke asynchronously).
    Iot,
    Other,
}

impl EventSourceKind {
    /// The source as a sentence names it.
    pub fn describe(self) -> &'static str {
        match self {
            EventSourceKind::S3 => "S3",
            EventSourceKind::Sqs => "SQS",
            EventSourceKind::Sns => "SNS",
            EventSourceKind::EventBridge => "EventBridge",
            EventSourceKind::Schedule => "a schedule",
            EventSourceKind::DynamoDb => "DynamoDB",
            EventSourceKind::Kinesis => "Kinesis",
            EventSourceKind::CloudWatchLogs => "CloudWatch Logs",
            EventSourceKind::Kafka => "Kafka",
            EventSourceKind::MQ => "Amazon MQ",
            EventSourceKind::Iot => "an AWS IoT rule",
            EventSourceKind::Other => "an event source",
        }
    }

    /// Whether Lambda invokes the function asynchronously for this trigger (so failed events
    /// need a DLQ or an on-failure destination to be kept).
    pub fn is_asynchronous(self) -> bool {
        matches!(
            self,
            EventSourceKind::S3
                | EventSourceKind::Sns
                | EventSourceKind::EventBridge
                | EventSourceKind::Schedule
                | EventSourceKind::CloudWatchLogs
                | EventSourceKind::Iot
        )
    }
}

/// A trigger: something that invokes a function.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSource {
    pub meta: Meta,
    pub kind: EventSourceKind,
    pub function: Link,
    /// The source (queue, stream, bucket, topic, rule pattern or schedule expression).
    pub source: Option<Value>,
    /// For stream / queue mappings: the on-failure destination configured on the mapping.
    pub on_failure_destination: Option<Value>,
}

/// `AWS::Lambda::EventInvokeConfig` or SAM `EventInvokeConfig`: async destinations.
#[derive(Debug, Clone, PartialEq)]
pub struct EventInvokeConfig {
    pub meta: Meta,
    pub function: Link,
    pub on_failure_destination: Option<Value>,
    pub on_success_destination: Option<Value>,
    pub maximum_retry_attempts: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trail {
    pub meta: Meta,
    pub is_logging: Option<Value>,
    pub is_multi_region: Option<Value>,
    pub event_selectors: Option<Value>,
    pub advanced_event_selectors: Option<Value>,
    pub kms_key: Option<Value>,
    pub log_file_validation: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogGroup {
    pub meta: Meta,
    pub log_group_name: Option<Value>,
    pub retention_in_days: Option<Value>,
    pub kms_key: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KmsKey {
    pub meta: Meta,
    pub key_policy: Option<Value>,
    pub enable_key_rotation: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subnet {
    pub meta: Meta,
    pub availability_zone: Option<Value>,
}

impl Inventory {
    /// Append another Inventory (e.g. one file's) to this one.
    pub fn extend(&mut self, other: Inventory) {
        let Inventory {
            sources,
            functions,
            roles,
            managed_policies,
            permissions,
            layers,
            layer_permissions,
            function_urls,
            aliases,
            apis,
            routes,
            authorizers,
            stages,
            event_sources,
            event_invoke_configs,
            trails,
            log_groups,
            kms_keys,
            subnets,
            notes,
        } = other;
        self.sources.extend(sources);
        self.functions.extend(functions);
        self.roles.extend(roles);
        self.managed_policies.extend(managed_policies);
        self.permissions.extend(permissions);
        self.layers.extend(layers);
        self.layer_permissions.extend(layer_permissions);
        self.function_urls.extend(function_urls);
        self.aliases.extend(aliases);
        self.apis.extend(apis);
        self.routes.extend(routes);
        self.authorizers.extend(authorizers);
        self.stages.extend(stages);
        self.event_sources.extend(event_sources);
        self.event_invoke_configs.extend(event_invoke_configs);
        self.trails.extend(trails);
        self.log_groups.extend(log_groups);
        self.kms_keys.extend(kms_keys);
        self.subnets.extend(subnets);
        self.notes.extend(notes);
    }

    pub fn function(&self, id: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.meta.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.meta.id == id)
    }

    pub fn source(&self, path: &str) -> Option<&SourceFile> {
        self.sources.iter().find(|s| &*s.path == path)
    }

    /// Functions whose execution role is `role_id`.
    pub fn functions_with_role<'a>(&'a self, role_id: &'a str) -> impl Iterator<Item = &'a Function> + 'a {
        self.functions
            .iter()
            .filter(move |f| f.role.as_ref().and_then(|l| l.target.as_deref()) == Some(role_id))
    }

    /// Triggers of a function.
    pub fn event_sources_of<'a>(
        &'a self,
        function_id: &'a str,
    ) -> impl Iterator<Item = &'a EventSource> + 'a {
        self.event_sources
            .iter()
            .filter(move |e| e.function.target.as_deref() == Some(function_id))
    }

    /// Customer-managed policies that apply to a role: attached by the role's
    /// `ManagedPolicyArns` (as references) or by the policy's own `Roles` list.
    pub fn policies_of_role<'a>(&'a self, role: &'a Role) -> impl Iterator<Item = &'a ManagedPolicy> + 'a {
        self.managed_policies
            .iter()
            .filter(move |p| Inventory::is_attached(p, role))
    }

    /// Whether a customer-managed policy applies to a role (either side may name the other).
    pub fn is_attached(policy: &ManagedPolicy, role: &Role) -> bool {
        policy
            .roles
            .iter()
            .any(|l| l.target.as_deref() == Some(role.meta.id.as_str()))
            || role
                .managed_policies
                .iter()
                .any(|l| l.target.as_deref() == Some(policy.meta.id.as_str()))
    }
}
