//! Property tests for the CloudFormation / SAM loader.
//!
//! 1. `load` never panics on generated YAML-ish documents: random nesting of maps, lists and
//!    scalars, CloudFormation short-form tags, anchors and aliases, unknown tags, random
//!    `Resources` with Lambda / IAM / API Gateway types and random properties, and random
//!    edits of the rendered text (truncation, inserted YAML punctuation, deleted spans).
//! 2. YAML and JSON renderings of one generated template (intrinsics in long form, and in a
//!    third rendering as YAML short-form tags) load into the same number of functions,
//!    permissions and roles.
//!
//! Generated structures are rendered by hand (no YAML library), so block style, flow style,
//! plain / quoted scalars and tags are all exercised. Failures are not persisted to disk; the
//! printed minimal input (and seed) is what to turn into a regular test.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use warden_cfn::load;

// ---------------------------------------------------------------------------------------------
// The generated structure
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Node>),
    /// Keys are unique (see [`map`]).
    Map(Vec<(String, Node)>),
    /// An intrinsic function by its long name (`Ref`, `Fn::If`, ...) and its argument.
    Fn(&'static str, Box<Node>),
}

fn s(text: &str) -> Node {
    Node::Str(text.to_string())
}

fn f(name: &'static str, arg: Node) -> Node {
    Node::Fn(name, Box::new(arg))
}

/// A mapping with the first of any duplicate keys (YAML duplicate keys are a parse error, and
/// JSON would keep the last one: neither is what these properties are about).
fn map(entries: Vec<(String, Node)>) -> Node {
    let mut out: Vec<(String, Node)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        if !out.iter().any(|(seen, _)| *seen == k) {
            out.push((k, v));
        }
    }
    Node::Map(out)
}

fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(items).prop_map(str::to_string).boxed()
}

/// Logical ids (resources, parameters, conditions) that `Ref`, `GetAtt`, `Sub` and `If` can find.
const LOGICAL_IDS: &[&str] = &[
    "Fn", "Fn2", "Role", "Perm", "Api", "Url", "Layer", "Bucket", "Queue", "Topic", "Table", "Policy",
];
const PSEUDO: &[&str] = &[
    "AWS::Region",
    "AWS::AccountId",
    "AWS::NoValue",
    "AWS::StackName",
    "AWS::Partition",
];
const PARAMETERS: &[&str] = &["Env", "Stage"];
const CONDITIONS: &[&str] = &["IsProd", "HasStage", "Never", "Missing"];
const ATTRIBUTES: &[&str] = &["Arn", "RoleId", "FunctionUrl", "RootResourceId", "Name", "Nope"];

const WORDS: &[&str] = &[
    "*",
    "lambda:InvokeFunction",
    "lambda:InvokeFunctionUrl",
    "lambda:*",
    "sts:AssumeRole",
    "s3:GetObject",
    "iam:PassRole",
    "lambda.amazonaws.com",
    "apigateway.amazonaws.com",
    "s3.amazonaws.com",
    "123456789012",
    "012345678901",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::123456789012:root",
    "arn:${AWS::Partition}:s3:::${Bucket}/*",
    "${Fn.Arn}",
    "${AWS::Region}-${Env}",
    "${Missing}",
    "${!Literal}",
    "${",
    "NONE",
    "AWS_IAM",
    "Allow",
    "Deny",
    "python3.12",
    "nodejs14.x",
    "index.handler",
    "Active",
    "prod",
    "dev",
    "",
    "true",
    "1.5",
    "0x1f",
    "Fn.Arn",
    "AKIAIOSFODNN7EXAMPLE",
    "src/",
    "2012-10-17",
];

fn word() -> BoxedStrategy<String> {
    prop_oneof![
        6 => pick(WORDS),
        3 => pick(LOGICAL_IDS),
        1 => pick(PSEUDO),
        1 => pick(PARAMETERS),
        3 => "[a-zA-Z0-9 :/.*${}_-]{0,12}",
    ]
    .boxed()
}

fn ref_target() -> BoxedStrategy<String> {
    prop_oneof![
        4 => pick(LOGICAL_IDS),
        1 => pick(PSEUDO),
        1 => pick(PARAMETERS),
        1 => "[A-Za-z][A-Za-z0-9]{0,6}",
    ]
    .boxed()
}

const PROPERTY_KEYS: &[&str] = &[
    "Action",
    "ApiId",
    "Architectures",
    "AssumeRolePolicyDocument",
    "Auth",
    "AuthType",
    "AuthorizationType",
    "Authorizer",
    "AuthorizerId",
    "Authorizers",
    "AutoPublishAlias",
    "Body",
    "Bucket",
    "Code",
    "CodeSigningConfigArn",
    "CodeUri",
    "Cors",
    "DeadLetterQueue",
    "DefaultAuthorizer",
    "DefinitionBody",
    "Description",
    "Environment",
    "EventInvokeConfig",
    "EventSourceArn",
    "EventSourceToken",
    "Events",
    "FunctionArn",
    "FunctionName",
    "FunctionUrlAuthType",
    "FunctionUrlConfig",
    "Handler",
    "HttpMethod",
    "ImageUri",
    "InlineCode",
    "KmsKeyArn",
    "LayerName",
    "Layers",
    "LogGroupName",
    "ManagedPolicyArns",
    "MemorySize",
    "Method",
    "Path",
    "PermissionsBoundary",
    "Policies",
    "Policy",
    "PolicyDocument",
    "PolicyName",
    "Principal",
    "PrincipalOrgID",
    "Qualifier",
    "ReservedConcurrentExecutions",
    "ResourceId",
    "RestApiId",
    "Role",
    "RoleName",
    "Roles",
    "RouteKey",
    "Runtime",
    "SourceAccount",
    "SourceArn",
    "StageName",
    "Tags",
    "Target",
    "TargetFunctionArn",
    "Timeout",
    "Tracing",
    "TracingConfig",
    "VpcConfig",
    "ZipFile",
];

const RESOURCE_TYPES: &[&str] = &[
    "AWS::Serverless::Function",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::LayerVersion",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::Nope",
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Url",
    "AWS::Lambda::Alias",
    "AWS::Lambda::LayerVersion",
    "AWS::Lambda::LayerVersionPermission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Route",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::Logs::LogGroup",
    "AWS::CloudTrail::Trail",
    "AWS::KMS::Key",
    "AWS::CloudFormation::CustomResource",
    "Custom::Thing",
    "Custom::",
    "NotAType",
];

const EVENT_TYPES: &[&str] = &[
    "Api",
    "HttpApi",
    "S3",
    "SQS",
    "SNS",
    "Schedule",
    "ScheduleV2",
    "Kinesis",
    "DynamoDB",
    "EventBridgeRule",
    "CloudWatchEvent",
    "IoTRule",
    "Alexa",
    "Nope",
];

const SAM_POLICY_TEMPLATES: &[&str] = &[
    "DynamoDBCrudPolicy",
    "S3ReadPolicy",
    "S3CrudPolicy",
    "SQSSendMessagePolicy",
    "LambdaInvokePolicy",
    "AWSSecretsManagerGetSecretValuePolicy",
    "NoSuchPolicy",
];

fn scalar() -> BoxedStrategy<Node> {
    prop_oneof![
        1 => Just(Node::Null),
        1 => any::<bool>().prop_map(Node::Bool),
        2 => prop_oneof![-3i64..5000, any::<i64>()].prop_map(Node::Int),
        8 => word().prop_map(Node::Str),
    ]
    .boxed()
}

/// Intrinsic functions over `inner` values: mostly well formed, some with the wrong arity.
fn intrinsic(inner: BoxedStrategy<Node>) -> BoxedStrategy<Node> {
    let list = |n: std::ops::Range<usize>| prop::collection::vec(inner.clone(), n);
    let arms: Vec<(u32, BoxedStrategy<Node>)> = vec![
        (6, ref_target().prop_map(|t| f("Ref", Node::Str(t))).boxed()),
        (3, word().prop_map(|w| f("Fn::Sub", Node::Str(w))).boxed()),
        (
            2,
            (
                word(),
                prop::collection::vec((pick(PARAMETERS), inner.clone()), 0..3),
            )
                .prop_map(|(w, vars)| f("Fn::Sub", Node::List(vec![Node::Str(w), map(vars)])))
                .boxed(),
        ),
        (
            4,
            (pick(CONDITIONS), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| f("Fn::If", Node::List(vec![Node::Str(c), a, b])))
                .boxed(),
        ),
        (
            4,
            (ref_target(), pick(ATTRIBUTES))
                .prop_map(|(r, a)| f("Fn::GetAtt", Node::List(vec![Node::Str(r), Node::Str(a)])))
                .boxed(),
        ),
        (
            2,
            (word(), list(0..4))
                .prop_map(|(sep, items)| f("Fn::Join", Node::List(vec![Node::Str(sep), Node::List(items)])))
                .boxed(),
        ),
        (
            1,
            (-1i64..4, list(0..4))
                .prop_map(|(i, items)| f("Fn::Select", Node::List(vec![Node::Int(i), Node::List(items)])))
                .boxed(),
        ),
        (
            1,
            (word(), inner.clone())
                .prop_map(|(sep, v)| f("Fn::Split", Node::List(vec![Node::Str(sep), v])))
                .boxed(),
        ),
        (
            1,
            (word(), word(), word())
                .prop_map(|(a, b, c)| f("Fn::FindInMap", Node::List(vec![s(&a), s(&b), s(&c)])))
                .boxed(),
        ),
        (
            1,
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| f("Fn::Equals", Node::List(vec![a, b])))
                .boxed(),
        ),
        (1, list(0..3).prop_map(|v| f("Fn::And", Node::List(v))).boxed()),
        (1, list(0..3).prop_map(|v| f("Fn::Or", Node::List(v))).boxed()),
        (1, list(0..2).prop_map(|v| f("Fn::Not", Node::List(v))).boxed()),
        (
            1,
            pick(CONDITIONS)
                .prop_map(|c| f("Condition", Node::Str(c)))
                .boxed(),
        ),
        (1, inner.clone().prop_map(|v| f("Fn::Base64", v)).boxed()),
        (1, inner.clone().prop_map(|v| f("Fn::ImportValue", v)).boxed()),
        (1, inner.clone().prop_map(|v| f("Fn::ToJsonString", v)).boxed()),
        (1, inner.clone().prop_map(|v| f("Fn::Length", v)).boxed()),
        (1, word().prop_map(|w| f("Fn::GetAZs", Node::Str(w))).boxed()),
        (1, list(0..4).prop_map(|v| f("Fn::Cidr", Node::List(v))).boxed()),
    ];
    Union::new_weighted(arms).boxed()
}

/// Any value: scalars, nested lists and maps (random keys), intrinsics.
fn value() -> BoxedStrategy<Node> {
    scalar()
        .prop_recursive(5, 40, 5, |inner| {
            prop_oneof![
                2 => prop::collection::vec(inner.clone(), 0..5).prop_map(Node::List),
                2 => prop::collection::vec((key(), inner.clone()), 0..5).prop_map(map),
                3 => intrinsic(inner),
            ]
        })
        .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => pick(PROPERTY_KEYS),
        1 => pick(&["Ref", "Fn::If", "Fn::GetAtt", "Fn::Sub", "Condition", "Type", "Properties"]),
        2 => "[A-Za-z][A-Za-z0-9]{0,8}",
        1 => "[a-zA-Z0-9 :./*-]{0,8}",
    ]
    .boxed()
}

fn string_or_list(item: BoxedStrategy<String>) -> BoxedStrategy<Node> {
    prop_oneof![
        item.clone().prop_map(Node::Str),
        prop::collection::vec(item.prop_map(Node::Str), 0..3).prop_map(Node::List),
        value(),
    ]
    .boxed()
}

fn principal() -> BoxedStrategy<Node> {
    prop_oneof![
        Just(s("*")),
        (
            pick(&["Service", "AWS", "Federated", "CanonicalUser"]),
            string_or_list(word())
        )
            .prop_map(|(k, v)| map(vec![(k, v)])),
        value(),
    ]
    .boxed()
}

fn statement() -> BoxedStrategy<Node> {
    (
        pick(&["Allow", "Deny", "Maybe"]),
        string_or_list(word()),
        string_or_list(word()),
        prop::option::of(principal()),
        prop::option::of(value()),
        any::<bool>(),
    )
        .prop_map(|(effect, action, resource, principal, condition, not_action)| {
            let mut e = vec![("Effect".to_string(), Node::Str(effect))];
            e.push((
                if not_action { "NotAction" } else { "Action" }.to_string(),
                action,
            ));
            e.push(("Resource".to_string(), resource));
            if let Some(p) = principal {
                e.push(("Principal".to_string(), p));
            }
            if let Some(c) = condition {
                e.push(("Condition".to_string(), c));
            }
            map(e)
        })
        .boxed()
}

fn policy_document() -> BoxedStrategy<Node> {
    prop_oneof![
        4 => prop::collection::vec(statement(), 0..3).prop_map(|st| map(vec![
            ("Version".into(), s("2012-10-17")),
            ("Statement".into(), Node::List(st)),
        ])),
        1 => statement().prop_map(|st| map(vec![("Statement".into(), st)])),
        1 => value(),
    ]
    .boxed()
}

/// SAM `Policies`: managed policy names, policy templates, policy documents, intrinsics.
fn sam_policies() -> BoxedStrategy<Node> {
    let item = prop_oneof![
        pick(&[
            "AWSLambdaBasicExecutionRole",
            "AdministratorAccess",
            "AmazonS3ReadOnlyAccess"
        ])
        .prop_map(Node::Str),
        (
            pick(SAM_POLICY_TEMPLATES),
            pick(&[
                "TableName",
                "BucketName",
                "QueueName",
                "FunctionName",
                "SecretArn"
            ]),
            value()
        )
            .prop_map(|(t, p, v)| map(vec![(t, map(vec![(p, v)]))])),
        policy_document(),
        value(),
    ];
    prop_oneof![
        4 => prop::collection::vec(item, 0..4).prop_map(Node::List),
        1 => pick(&["AdministratorAccess", "AWSLambdaRole"]).prop_map(Node::Str),
        1 => policy_document(),
    ]
    .boxed()
}

/// SAM `Events`: a map of named events of random types with random properties.
fn sam_events() -> BoxedStrategy<Node> {
    let props = prop::collection::vec(
        (
            pick(&[
                "Path", "Method", "RestApiId", "ApiId", "Auth", "Bucket", "Queue", "Topic", "Stream",
                "Schedule", "Pattern", "Events", "Authorizer", "ApiKeyRequired",
            ]),
            prop_oneof![
                2 => value(),
                1 => pick(&["/x", "/{proxy+}", "get", "ANY", "NONE", "AWS_IAM"]).prop_map(Node::Str),
                1 => pick(LOGICAL_IDS).prop_map(|t| f("Ref", Node::Str(t))),
                1 => pick(&["NONE", "AWS_IAM", "Pool"]).prop_map(|a| map(vec![("Authorizer".into(), Node::Str(a))])),
            ],
        ),
        0..4,
    )
    .prop_map(map);
    let event = prop_oneof![
        4 => (pick(EVENT_TYPES), props).prop_map(|(t, p)| map(vec![
            ("Type".into(), Node::Str(t)),
            ("Properties".into(), p),
        ])),
        1 => value(),
    ];
    prop_oneof![
        4 => prop::collection::vec(("[A-Z][a-z]{0,5}", event), 0..4).prop_map(map),
        1 => value(),
    ]
    .boxed()
}

fn property_value(key: &str) -> BoxedStrategy<Node> {
    match key {
        "Policies" => prop_oneof![
            3 => sam_policies(),
            2 => prop::collection::vec(
                (word(), policy_document()).prop_map(|(n, d)| map(vec![
                    ("PolicyName".into(), Node::Str(n)),
                    ("PolicyDocument".into(), d),
                ])),
                0..3,
            )
            .prop_map(Node::List),
        ]
        .boxed(),
        "PolicyDocument" | "AssumeRolePolicyDocument" | "Policy" => policy_document(),
        "Events" => sam_events(),
        "Principal" => principal(),
        "Role" => prop_oneof![
            2 => Just(f("Fn::GetAtt", Node::List(vec![s("Role"), s("Arn")]))),
            1 => Just(f("Ref", s("Role"))),
            1 => value(),
        ]
        .boxed(),
        "FunctionName" | "TargetFunctionArn" | "FunctionArn" => prop_oneof![
            2 => pick(&["Fn", "Fn2"]).prop_map(|t| f("Ref", Node::Str(t))),
            1 => pick(&["Fn", "Fn2"]).prop_map(|t| f("Fn::GetAtt", Node::List(vec![Node::Str(t), s("Arn")]))),
            1 => value(),
        ]
        .boxed(),
        "FunctionUrlConfig" => (pick(&["NONE", "AWS_IAM", "OTHER"]), prop::option::of(value()))
            .prop_map(|(a, cors)| {
                let mut e = vec![("AuthType".to_string(), Node::Str(a))];
                if let Some(c) = cors {
                    e.push(("Cors".into(), c));
                }
                map(e)
            })
            .boxed(),
        "Environment" => prop::collection::vec(("[A-Z_]{1,8}", value()), 0..4)
            .prop_map(|vars| map(vec![("Variables".into(), map(vars))]))
            .boxed(),
        _ => value(),
    }
}

fn properties() -> BoxedStrategy<Node> {
    prop_oneof![
        8 => prop::collection::vec(
            pick(PROPERTY_KEYS).prop_flat_map(|k| property_value(&k).prop_map(move |v| (k.clone(), v))),
            0..6,
        )
        .prop_map(map),
        1 => value(),
    ]
    .boxed()
}

fn resource() -> BoxedStrategy<Node> {
    let ty = prop_oneof![
        8 => pick(&[
            "AWS::Serverless::Function",
            "AWS::Lambda::Function",
            "AWS::Lambda::Permission",
            "AWS::IAM::Role",
        ])
        .prop_map(Node::Str),
        10 => pick(RESOURCE_TYPES).prop_map(Node::Str),
        1 => "[A-Za-z:]{0,20}".prop_map(Node::Str),
        1 => value(),
    ];
    (
        ty,
        prop::option::of(properties()),
        prop::option::weighted(0.15, pick(CONDITIONS)),
        prop::option::weighted(0.2, value()),
    )
        .prop_map(|(ty, props, condition, extra)| {
            let mut e = vec![("Type".to_string(), ty)];
            if let Some(p) = props {
                e.push(("Properties".into(), p));
            }
            if let Some(c) = condition {
                e.push(("Condition".into(), Node::Str(c)));
            }
            if let Some(x) = extra {
                e.push(("Metadata".into(), x));
            }
            map(e)
        })
        .boxed()
}

fn template() -> BoxedStrategy<Node> {
    let logical_id = prop_oneof![4 => pick(LOGICAL_IDS), 1 => "[A-Z][A-Za-z0-9]{0,6}"];
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::of(pick(&["dev", "prod"])),
        prop::option::of(value()),
        prop::option::weighted(0.3, properties()),
        prop::collection::vec((logical_id, resource()), 0..7),
        prop::option::of(value()),
    )
        .prop_map(
            |(version, transform, env_default, other_condition, globals, resources, outputs)| {
                let mut root = Vec::new();
                if version {
                    root.push(("AWSTemplateFormatVersion".to_string(), s("2010-09-09")));
                }
                if transform {
                    root.push(("Transform".into(), s("AWS::Serverless-2016-10-31")));
                }
                if let Some(d) = env_default {
                    root.push((
                        "Parameters".into(),
                        map(vec![
                            (
                                "Env".into(),
                                map(vec![
                                    ("Type".into(), s("String")),
                                    ("Default".into(), s(d.as_str())),
                                ]),
                            ),
                            ("Stage".into(), map(vec![("Type".into(), s("String"))])),
                        ]),
                    ));
                }
                let mut conditions = vec![
                    (
                        "IsProd".to_string(),
                        f("Fn::Equals", Node::List(vec![f("Ref", s("Env")), s("prod")])),
                    ),
                    (
                        "Never".to_string(),
                        f("Fn::Equals", Node::List(vec![s("a"), s("b")])),
                    ),
                ];
                if let Some(c) = other_condition {
                    conditions.push(("HasStage".into(), c));
                }
                root.push(("Conditions".into(), map(conditions)));
                if let Some(g) = globals {
                    root.push(("Globals".into(), map(vec![("Function".into(), g)])));
                }
                root.push(("Resources".into(), map(resources)));
                if let Some(o) = outputs {
                    root.push(("Outputs".into(), o));
                }
                map(root)
            },
        )
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match node {
        Node::Null => J::Null,
        Node::Bool(b) => J::Bool(*b),
        Node::Int(i) => J::from(*i),
        Node::Str(s) => J::String(s.clone()),
        Node::List(items) => J::Array(items.iter().map(to_json).collect()),
        Node::Map(entries) => J::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Node::Fn(name, arg) => J::Object([(name.to_string(), to_json(arg))].into_iter().collect()),
    }
}

/// xorshift64*, for the rendering choices that belong to a generated case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

const CHAOS_TAGS: &[&str] = &[
    "!Ref",
    "!GetAtt",
    "!Sub",
    "!If",
    "!Join",
    "!Reff",
    "!!str",
    "!!int",
    "!!bool",
    "!!null",
    "!!float",
    "!!binary",
    "!!map",
    "!!seq",
    "!<tag:yaml.org,2002:str>",
    "!custom!x",
    "!",
    "!Condition",
    "!GetAZs",
];

struct Yaml {
    rng: Rng,
    /// Intrinsics as short-form tags (`!If [..]`) rather than long-form maps (`Fn::If: [..]`).
    short_tags: bool,
    /// Random tags, anchors and aliases (which may point nowhere or into themselves).
    chaos: bool,
    anchors: u32,
}

/// A rendered node: fits after `key: ` / `- `, or needs its own indented lines.
enum Out {
    Inline(String),
    /// `prefix` (tag, anchor) goes after `key:` / `-`; `body` lines are indented.
    Block {
        prefix: String,
        body: String,
    },
}

fn plain_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:".contains(c))
        && !text.ends_with(':')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

impl Yaml {
    fn new(seed: u64, short_tags: bool, chaos: bool) -> Yaml {
        Yaml {
            rng: Rng(seed),
            short_tags,
            chaos,
            anchors: 0,
        }
    }

    fn render_document(&mut self, node: &Node) -> String {
        match self.node(node, 0) {
            Out::Inline(s) => s + "\n",
            Out::Block { prefix, body } if prefix.is_empty() => body,
            Out::Block { prefix, body } => format!("{prefix}\n{body}"),
        }
    }

    fn decoration(&mut self) -> String {
        let mut d = String::new();
        if self.chaos && self.rng.one_in(12) {
            self.anchors += 1;
            d.push_str(&format!("&a{} ", self.anchors));
        }
        if self.chaos && self.rng.one_in(20) {
            let t = CHAOS_TAGS[(self.rng.next() % CHAOS_TAGS.len() as u64) as usize];
            d.push_str(t);
            d.push(' ');
        }
        d
    }

    fn scalar(&mut self, node: &Node) -> String {
        match node {
            Node::Null => if self.rng.one_in(2) { "null" } else { "~" }.to_string(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Str(s) => {
                if plain_ok(s) && self.rng.one_in(2) {
                    s.clone()
                } else if !s.contains(['\n', '\r', '\t']) && self.rng.one_in(3) {
                    format!("'{}'", s.replace('\'', "''"))
                } else {
                    serde_json::to_string(s).unwrap()
                }
            }
            _ => unreachable!("not a scalar"),
        }
    }

    fn key(&mut self, k: &str) -> String {
        if plain_ok(k) && !self.rng.one_in(8) {
            k.to_string()
        } else {
            serde_json::to_string(k).unwrap()
        }
    }

    fn flow(&mut self, node: &Node) -> String {
        if self.chaos && self.anchors > 0 && self.rng.one_in(25) {
            return format!("*a{}", 1 + self.rng.next() % (u64::from(self.anchors) + 1));
        }
        let deco = self.decoration();
        let body = match node {
            Node::List(items) => {
                let parts: Vec<String> = items.iter().map(|i| self.flow(i)).collect();
                format!("[{}]", parts.join(", "))
            }
            Node::Map(entries) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", self.key(k), self.flow(v)))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Node::Fn(name, arg) if self.short_tags && !matches!(**arg, Node::Fn(..)) => {
                format!("!{} {}", name.trim_start_matches("Fn::"), self.flow(arg))
            }
            Node::Fn(name, arg) => format!("{{{}: {}}}", self.key(name), self.flow(arg)),
            scalar => self.scalar(scalar),
        };
        deco + &body
    }

    fn node(&mut self, node: &Node, indent: usize) -> Out {
        let is_collection = matches!(node, Node::List(v) if !v.is_empty())
            || matches!(node, Node::Map(v) if !v.is_empty())
            || matches!(node, Node::Fn(..));
        if !is_collection || self.rng.one_in(5) {
            return Out::Inline(self.flow(node));
        }
        if self.chaos && self.anchors > 0 && self.rng.one_in(25) {
            return Out::Inline(format!(
                "*a{}",
                1 + self.rng.next() % (u64::from(self.anchors) + 1)
            ));
        }
        let deco = self.decoration();
        let pad = " ".repeat(indent);
        let mut body = String::new();
        match node {
            // A tag cannot be followed by another (`!Base64 !Sub x` is not YAML): as in
            // CloudFormation, the outer function is then written in long form.
            Node::Fn(name, arg) if self.short_tags && !matches!(**arg, Node::Fn(..)) => {
                let tag = format!("{deco}!{}", name.trim_start_matches("Fn::"));
                return match self.node(arg, indent) {
                    Out::Inline(s) => Out::Inline(format!("{tag} {s}")),
                    Out::Block { prefix, body } if prefix.is_empty() => Out::Block { prefix: tag, body },
                    // Two tags on one node are invalid YAML: fine under chaos, never otherwise.
                    Out::Block { prefix, body } => Out::Block {
                        prefix: format!("{tag} {prefix}"),
                        body,
                    },
                };
            }
            Node::Fn(name, arg) => self.entry(&mut body, &pad, indent, name, arg),
            Node::Map(entries) => {
                for (k, v) in entries {
                    self.entry(&mut body, &pad, indent, k, v);
                }
            }
            Node::List(items) => {
                for item in items {
                    match self.node(item, indent + 2) {
                        Out::Inline(s) => body.push_str(&format!("{pad}- {s}\n")),
                        Out::Block { prefix, body: inner } if prefix.is_empty() => {
                            // Compact form: `- key: v` with the rest of the map under it.
                            body.push_str(&pad);
                            body.push_str("- ");
                            body.push_str(&inner[indent + 2..]);
                        }
                        Out::Block { prefix, body: inner } => {
                            body.push_str(&format!("{pad}- {}\n{inner}", prefix.trim_end()));
                        }
                    }
                }
            }
            _ => unreachable!(),
        }
        Out::Block {
            prefix: deco.trim_end().to_string(),
            body,
        }
    }

    fn entry(&mut self, body: &mut String, pad: &str, indent: usize, k: &str, v: &Node) {
        let key = self.key(k);
        match self.node(v, indent + 2) {
            Out::Inline(s) => body.push_str(&format!("{pad}{key}: {s}\n")),
            Out::Block { prefix, body: inner } if prefix.is_empty() => {
                body.push_str(&format!("{pad}{key}:\n{inner}"))
            }
            Out::Block { prefix, body: inner } => {
                body.push_str(&format!("{pad}{key}: {}\n{inner}", prefix.trim_end()))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property 1: never panics
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Edit {
    None,
    Truncate(usize),
    Insert(usize, &'static str),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

const INSERTS: &[&str] = &[
    "\n",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "!Ref ",
    "!If ",
    "&a1 ",
    "*a1",
    "*zz",
    "\"",
    "'",
    "\t",
    "  ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "? ",
    "|\n",
    ">-\n",
    "#",
    "\0",
    "\u{feff}",
    "é",
    "\u{2028}",
    "\r",
    "<<: *a1\n",
    "\\",
    "!!binary ",
    "${",
    "Fn::If",
    "\u{85}",
];

fn edit() -> BoxedStrategy<Edit> {
    prop_oneof![
        4 => Just(Edit::None),
        1 => any::<usize>().prop_map(Edit::Truncate),
        3 => (any::<usize>(), proptest::sample::select(INSERTS)).prop_map(|(i, s)| Edit::Insert(i, s)),
        1 => (any::<usize>(), 1usize..20).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ]
    .boxed()
}

fn boundary(text: &str, at: usize) -> usize {
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        match *e {
            Edit::None => {}
            Edit::Truncate(at) => text.truncate(boundary(&text, at)),
            Edit::Insert(at, s) => text.insert_str(boundary(&text, at), s),
            Edit::Delete(at, n) => {
                let a = boundary(&text, at);
                let b = boundary(&text, (a + n).min(text.len()));
                if b > a {
                    text.replace_range(a..b, "");
                }
            }
            Edit::Duplicate(at, n) => {
                let a = boundary(&text, at);
                let b = boundary(&text, (a + n).min(text.len()));
                if b > a {
                    let slice = text[a..b].to_string();
                    text.insert_str(b, &slice);
                }
            }
        }
    }
    text
}

/// `cases` by default; `PROPTEST_CASES=N` for a longer hunt.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn check_no_panic(text: &str) -> Result<(), TestCaseError> {
    let result = std::panic::catch_unwind(|| load("gen/template.yaml", text));
    prop_assert!(result.is_ok(), "load panicked on:\n{text}");
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: cases(256), failure_persistence: None, ..Config::default() })]

    /// Templates and stray values rendered with tags, anchors, aliases and flow / block mixes,
    /// then edited at random.
    #[test]
    fn load_never_panics_on_generated_yaml(
        doc in prop_oneof![4 => template(), 1 => value()],
        seed in any::<u64>(),
        short_tags in any::<bool>(),
        chaos in any::<bool>(),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        let text = Yaml::new(seed, short_tags, chaos).render_document(&doc);
        check_no_panic(&text)?;
        check_no_panic(&apply(&text, &edits))?;
    }

    /// The JSON rendering, pretty and compact, also edited at random.
    #[test]
    fn load_never_panics_on_generated_json(
        doc in template(),
        pretty in any::<bool>(),
        edits in prop::collection::vec(edit(), 0..3),
    ) {
        let json = to_json(&doc);
        let text = if pretty {
            serde_json::to_string_pretty(&json).unwrap()
        } else {
            serde_json::to_string(&json).unwrap()
        };
        check_no_panic(&text)?;
        check_no_panic(&apply(&text, &edits))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Property 2: YAML and JSON agree
// ---------------------------------------------------------------------------------------------

#[derive(Debug, PartialEq, Eq)]
struct Counts {
    is_template: bool,
    functions: usize,
    permissions: usize,
    roles: usize,
    /// Everything else the loader builds, by collection.
    others: [usize; 14],
}

fn counts(path: &str, text: &str) -> Result<Counts, TestCaseError> {
    let loaded = load(path, text);
    let syntax: Vec<_> = loaded.diagnostics.iter().filter(|d| d.code == "syntax").collect();
    prop_assert!(syntax.is_empty(), "{path} did not parse: {syntax:?}\n{text}");
    Ok(Counts {
        is_template: loaded.is_template,
        functions: loaded.inventory.functions.len(),
        permissions: loaded.inventory.permissions.len(),
        roles: loaded.inventory.roles.len(),
        others: {
            let inv = &loaded.inventory;
            [
                inv.managed_policies.len(),
                inv.layers.len(),
                inv.layer_permissions.len(),
                inv.function_urls.len(),
                inv.aliases.len(),
                inv.apis.len(),
                inv.routes.len(),
                inv.authorizers.len(),
                inv.stages.len(),
                inv.event_sources.len(),
                inv.event_invoke_configs.len(),
                inv.trails.len(),
                inv.log_groups.len(),
                inv.kms_keys.len(),
            ]
        },
    })
}

#[test]
fn yaml_and_json_renderings_load_the_same_inventory() {
    let total = cases(192);
    let mut runner = TestRunner::new(Config {
        cases: total,
        failure_persistence: None,
        ..Config::default()
    });
    let non_empty = std::cell::Cell::new(0usize);
    let result = runner.run(&(template(), any::<u64>()), |(doc, seed)| {
        let json = counts(
            "gen/template.json",
            &serde_json::to_string_pretty(&to_json(&doc)).unwrap(),
        )?;
        let yaml_long = Yaml::new(seed, false, false).render_document(&doc);
        let yaml_long = counts("gen/template.yaml", &yaml_long)?;
        prop_assert_eq!(&yaml_long, &json, "long-form YAML vs JSON");
        let yaml_short = Yaml::new(seed, true, false).render_document(&doc);
        let yaml_short = counts("gen/template.yaml", &yaml_short)?;
        prop_assert_eq!(&yaml_short, &json, "short-form YAML vs JSON");
        if json.functions + json.permissions + json.roles > 0 {
            non_empty.set(non_empty.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The property is only worth something if the generator reaches the interesting resources.
    assert!(
        non_empty.get() >= total as usize / 4,
        "only {} of {total} generated templates had a function, permission or role",
        non_empty.get()
    );
}
