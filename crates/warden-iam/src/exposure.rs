//! Who can invoke a function (and use a layer): every grant in the Inventory, classified.
//!
//! In the spirit of Zelkova / IAM Access Analyzer, but covering what Access Analyzer leaves
//! out: service principals (a confused deputy when no source condition pins the calling
//! resource), function URLs and API Gateway routes. A condition limits access only when it
//! is a positive test with fixed values on a key that pins the caller: source ARN / account /
//! organization, principal keys, VPC keys, or a narrow IP range.

use std::collections::HashMap;

use warden_model::{ElementId, Inventory, LayerPermission, Origin, Permission, RouteAuth, Value};

use crate::policy::{ConditionOperator, PrincipalId, Text, is_account_id, parse_operator};

/// How far a grant reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Anyone, including unauthenticated callers on the internet.
    Public,
    /// Any authenticated AWS principal in any account (e.g. `Principal: *` behind `AWS_IAM`).
    AnyAwsPrincipal,
    /// Principals of these accounts (cross-account unless one is the function's own).
    Accounts(Vec<String>),
    /// Principals of these AWS Organizations.
    Organizations(Vec<String>),
    /// An AWS service acting for a resource; `pinned_by` names the condition that ties it to
    /// the caller's resource or account, `None` is a confused deputy.
    Service {
        service: String,
        pinned_by: Option<String>,
    },
    /// Callers who pass an authorizer (Cognito, JWT, Lambda authorizer, IAM).
    Authenticated(String),
    /// Limited by a condition on the caller (source ARN, VPC, IP range, ...).
    Limited(String),
    /// The principal is not known from the source.
    Unknown(String),
}

impl Reach {
    pub fn describe(&self) -> String {
        match self {
            Reach::Public => "anyone, unauthenticated".into(),
            Reach::AnyAwsPrincipal => "any authenticated AWS principal in any account".into(),
            Reach::Accounts(a) => format!("account {}", a.join(", ")),
            Reach::Organizations(o) => format!("principals of organization {}", o.join(", ")),
            Reach::Service {
                service,
                pinned_by: Some(key),
            } => format!("{service}, limited by {key}"),
            Reach::Service {
                service,
                pinned_by: None,
            } => {
                format!("{service} acting for any resource in any account (confused deputy)")
            }
            Reach::Authenticated(how) => format!("callers authenticated by {how}"),
            Reach::Limited(how) => format!("callers limited by {how}"),
            Reach::Unknown(expr) => format!("not known from the source ({expr})"),
        }
    }

    /// Whether anyone on the internet or any AWS account can use the grant.
    pub fn is_public(&self) -> bool {
        matches!(self, Reach::Public | Reach::AnyAwsPrincipal)
    }
}

/// What carries a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A resource-based policy statement (`AWS::Lambda::Permission`, a SAM event, a live policy).
    Permission { id: ElementId, name: String },
    /// A function URL and the permission that lets callers use it.
    FunctionUrl {
        url: ElementId,
        auth_type: String,
        permission: Option<String>,
    },
    /// An API Gateway route integrated with the function.
    Route {
        id: ElementId,
        api: Option<ElementId>,
        method: String,
        path: String,
    },
}

/// One way to invoke a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub reach: Reach,
    pub via: Via,
    /// The action granted (`lambda:InvokeFunction`, `lambda:*`, ...).
    pub action: String,
    pub origin: Origin,
    /// The chain of reasoning, one step a line, for `warden access`.
    pub because: Vec<String>,
}

/// The grants of one function.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    pub function: ElementId,
    pub grants: Vec<Grant>,
}

impl Exposure {
    /// The widest reach among the grants.
    pub fn is_public(&self) -> bool {
        self.grants.iter().any(|g| g.reach.is_public())
    }
}

/// Condition keys that pin who the caller is (positive tests on them limit a grant).
const PINNING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:userid",
    "aws:username",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "lambda:eventsourcetoken",
];

/// Whether a condition (a policy `Condition` block) limits who the caller is: a positive
/// operator with fixed values on a pinning key. An IP range limits only when narrower than
/// a /8 (IPv4) or /32 (IPv6).
pub fn condition_pins_caller(condition: &Value) -> Option<String> {
    for (op_key, tests) in condition.as_map().unwrap_or_default() {
        let Some((qualifier, operator, _)) = parse_operator(&op_key.name) else {
            continue;
        };
        if operator.is_negated() || operator == ConditionOperator::Null || qualifier.is_some() {
            continue;
        }
        for (key, values) in tests.as_map().unwrap_or_default() {
            let lower = key.name.to_ascii_lowercase();
            if !PINNING_KEYS.contains(&lower.as_str()) {
                continue;
            }
            let values = values.items();
            let fixed = !values.is_empty()
                && values
                    .iter()
                    .all(|v| v.as_str().is_none_or(|s| s != "*" && !s.starts_with("*")));
            if !fixed {
                continue;
            }
            if lower == "aws:sourceip" && !values.iter().all(|v| v.as_str().is_some_and(narrow_ip_range)) {
                continue;
            }
            return Some(key.name.clone());
        }
    }
    None
}

fn narrow_ip_range(cidr: &str) -> bool {
    let Some((addr, bits)) = cidr.split_once('/') else {
        return true;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    if addr.contains(':') { bits >= 32 } else { bits >= 8 }
}

/// The principals a permission names (`*`, an account, an ARN, a service).
fn permission_principals(principal: &Value) -> Vec<PrincipalId> {
    principal
        .items()
        .into_iter()
        .map(|v| {
            let t = Text::from_value(v);
            if t.is("*") {
                PrincipalId::Any
            } else if !t.known {
                PrincipalId::Aws(t)
            } else if t.text.ends_with(".amazonaws.com") || t.text.ends_with(".amazon.com") {
                PrincipalId::Service(t)
            } else if is_account_id(&t.text) {
                PrincipalId::Aws(Text {
                    text: format!("arn:aws:iam::{}:root", t.text),
                    ..t
                })
            } else {
                PrincipalId::Aws(t)
            }
        })
        .collect()
}

/// Whether a property is present in every branch: a condition that an undecided `!If` may
/// drop does not limit anything on that branch.
fn is_set(value: &Option<Value>) -> bool {
    value
        .as_ref()
        .is_some_and(|v| v.candidates().iter().all(|c| !c.is_null()))
}

fn strings(value: &Option<Value>) -> Vec<String> {
    value
        .as_ref()
        .map(|v| v.items().iter().map(|i| i.display()).collect())
        .unwrap_or_default()
}

/// The reach of one principal of a permission, given its source conditions.
fn permission_reach(p: &Permission, principal: &PrincipalId) -> (Reach, Vec<String>) {
    let mut because = Vec::new();
    let org = if is_set(&p.principal_org_id) {
        strings(&p.principal_org_id)
    } else {
        Vec::new()
    };
    let pinned = if is_set(&p.source_account) {
        Some("SourceAccount (aws:SourceAccount)".to_string())
    } else if is_set(&p.source_arn) {
        Some("SourceArn (aws:SourceArn)".to_string())
    } else if is_set(&p.event_source_token) {
        Some("EventSourceToken".to_string())
    } else {
        p.condition.as_ref().and_then(condition_pins_caller)
    };
    let reach = match principal {
        PrincipalId::Service(service) => {
            // Bucket ARNs carry no account: for S3 only the account pins the caller.
            let s3 = service.text == "s3.amazonaws.com";
            let pinned_by = match (&pinned, s3) {
                (Some(key), true)
                    if !key.starts_with("SourceAccount")
                        && !key.eq_ignore_ascii_case("aws:SourceAccount") =>
                {
                    because.push(format!(
                        "{key} alone does not pin S3: bucket ARNs have no account"
                    ));
                    None
                }
                (key, _) => key.clone(),
            };
            Reach::Service {
                service: service.text.clone(),
                pinned_by,
            }
        }
        _ if !org.is_empty() => Reach::Organizations(org),
        PrincipalId::Any => match (&pinned, p.function_url_auth_type.as_ref().and_then(Value::as_str)) {
            (Some(key), _) => Reach::Limited(key.clone()),
            (None, Some("AWS_IAM")) => Reach::AnyAwsPrincipal,
            (None, _) => Reach::Public,
        },
        PrincipalId::Aws(t) if !t.known => Reach::Unknown(t.text.clone()),
        PrincipalId::Aws(t) => match principal.account() {
            Some(account) => Reach::Accounts(vec![account.to_string()]),
            None => Reach::Unknown(t.text.clone()),
        },
        PrincipalId::Federated(t) | PrincipalId::CanonicalUser(t) => Reach::Unknown(t.text.clone()),
    };
    because.insert(
        0,
        format!(
            "permission `{}` grants {} to {}",
            p.meta.name,
            p.action.display(),
            p.principal.display()
        ),
    );
    (reach, because)
}

fn grants_invoke_url(p: &Permission) -> bool {
    p.action
        .strings()
        .iter()
        .any(|a| crate::pattern::action_matches(a, "lambda:InvokeFunctionUrl"))
}

/// The grants of one resource-based permission: one per principal it names, each pointing
/// at that principal.
pub fn permission_grants(p: &Permission) -> Vec<Grant> {
    p.principal
        .items()
        .into_iter()
        .zip(permission_principals(&p.principal))
        .map(|(value, principal)| {
            let (reach, because) = permission_reach(p, &principal);
            Grant {
                reach,
                via: Via::Permission {
                    id: p.meta.id.clone(),
                    name: statement_name(&p.meta.id),
                },
                action: p.action.display(),
                origin: p.meta.origin.at(value.span),
                because,
            }
        })
        .collect()
}

/// Who can use a layer version through one layer permission (`lambda:GetLayerVersion`
/// grants): everyone, an organization, or accounts.
pub fn layer_permission_grants(p: &LayerPermission) -> Vec<Grant> {
    let org = if is_set(&p.organization_id) {
        strings(&p.organization_id)
    } else {
        Vec::new()
    };
    p.principal
        .items()
        .into_iter()
        .zip(permission_principals(&p.principal))
        .map(|(value, principal)| {
            let reach = match principal {
                _ if !org.is_empty() => Reach::Organizations(org.clone()),
                // Using a layer takes AWS credentials: `*` is every AWS account, not anonymous.
                PrincipalId::Any => Reach::AnyAwsPrincipal,
                PrincipalId::Aws(t) if !t.known => Reach::Unknown(t.text.clone()),
                ref aws @ PrincipalId::Aws(_) => match aws.account() {
                    Some(account) => Reach::Accounts(vec![account.to_string()]),
                    None => Reach::Unknown(value.display()),
                },
                other => Reach::Unknown(format!("{other:?}")),
            };
            Grant {
                reach,
                via: Via::Permission {
                    id: p.meta.id.clone(),
                    name: statement_name(&p.meta.id),
                },
                action: p.action.display(),
                origin: p.meta.origin.at(value.span),
                because: vec![format!(
                    "layer permission `{}` grants {} to {}",
                    p.meta.name,
                    p.action.display(),
                    value.display()
                )],
            }
        })
        .collect()
}

/// Who can use each layer of the Inventory.
pub fn layer_exposure(inv: &Inventory) -> Vec<Exposure> {
    inv.layers
        .iter()
        .map(|layer| Exposure {
            function: layer.meta.id.clone(),
            grants: inv
                .layer_permissions
                .iter()
                .filter(|p| p.layer.target.as_ref() == Some(&layer.meta.id))
                .flat_map(layer_permission_grants)
                .collect(),
        })
        .collect()
}

/// Who can invoke each function of the Inventory, and how.
pub fn function_exposure(inv: &Inventory) -> Vec<Exposure> {
    // Index what points at each function once: accounts have thousands of each.
    fn by_function<'a, T>(items: &'a [T], target: impl Fn(&T) -> Option<&str>) -> HashMap<&'a str, Vec<&'a T>>
    where
        T: 'a,
    {
        let mut map: HashMap<&str, Vec<&T>> = HashMap::new();
        for item in items {
            if let Some(id) = target(item) {
                map.entry(id).or_default().push(item);
            }
        }
        map
    }
    let permissions = by_function(&inv.permissions, |p| p.function.target.as_deref());
    let urls = by_function(&inv.function_urls, |u| u.function.target.as_deref());
    let routes = by_function(&inv.routes, |r| {
        r.function.as_ref().and_then(|l| l.target.as_deref())
    });
    let none = Vec::new();
    inv.functions
        .iter()
        .map(|f| {
            let id = &f.meta.id;
            let own_permissions = permissions.get(id.as_str()).unwrap_or(&none);
            let mut grants = Vec::new();
            for p in own_permissions {
                grants.extend(permission_grants(p));
            }
            for url in urls.get(id.as_str()).into_iter().flatten() {
                let auth = url.auth_type.display();
                let public_permission = own_permissions
                    .iter()
                    .copied()
                    .filter(|p| grants_invoke_url(p))
                    .find(|p| permission_principals(&p.principal).contains(&PrincipalId::Any));
                let (reach, mut because) = match (auth.as_str(), public_permission) {
                    ("NONE", Some(p)) => (
                        Reach::Public,
                        vec![format!("permission `{}` lets anyone call the URL", p.meta.name)],
                    ),
                    ("NONE", None) => (
                        Reach::Limited("the function policy (no statement admits everyone)".into()),
                        vec!["no permission lets everyone call the URL".into()],
                    ),
                    _ => (
                        Reach::Authenticated("AWS_IAM (SigV4) and the function policy".into()),
                        vec!["callers must sign requests with IAM credentials".into()],
                    ),
                };
                because.insert(0, format!("function URL `{}` has AuthType {auth}", url.meta.name));
                grants.push(Grant {
                    reach,
                    via: Via::FunctionUrl {
                        url: url.meta.id.clone(),
                        auth_type: auth,
                        permission: public_permission.map(|p| p.meta.name.clone()),
                    },
                    action: "lambda:InvokeFunctionUrl".into(),
                    origin: url.meta.origin.at(url.auth_type.span),
                    because,
                });
            }
            for route in routes.get(id.as_str()).into_iter().flatten() {
                let api = route
                    .api
                    .target
                    .as_ref()
                    .and_then(|a| inv.apis.iter().find(|x| &x.meta.id == a));
                let private = api.is_some_and(|a| {
                    a.endpoint_type
                        .as_ref()
                        .is_some_and(|t| t.strings().contains(&"PRIVATE"))
                });
                let reach = match &route.auth {
                    RouteAuth::None if route.api_key_required => Reach::Limited("an API key".into()),
                    RouteAuth::None if private => {
                        Reach::Limited("the private API's VPC endpoint policy".into())
                    }
                    RouteAuth::None => Reach::Public,
                    RouteAuth::Iam => Reach::Authenticated("AWS_IAM".into()),
                    RouteAuth::Cognito { .. } => Reach::Authenticated("a Cognito user pool".into()),
                    RouteAuth::Lambda { .. } => Reach::Authenticated("a Lambda authorizer".into()),
                    RouteAuth::Jwt { .. } => Reach::Authenticated("a JWT authorizer".into()),
                    RouteAuth::Unknown(a) => Reach::Unknown(a.clone()),
                };
                let api_name = api
                    .map(|a| a.meta.name.clone())
                    .unwrap_or_else(|| route.api.value.display());
                grants.push(Grant {
                    because: vec![format!(
                        "route {} {} of API `{api_name}` integrates the function",
                        route.method, route.path
                    )],
                    reach,
                    via: Via::Route {
                        id: route.meta.id.clone(),
                        api: route.api.target.clone(),
                        method: route.method.clone(),
                        path: route.path.clone(),
                    },
                    action: "lambda:InvokeFunction".into(),
                    origin: route.meta.origin.clone(),
                });
            }
            Exposure {
                function: id.clone(),
                grants,
            }
        })
        .collect()
}

/// The statement's name as the source defines it: the logical id, or for one a transform
/// created, the creating resource and the part that implies it (`Fn.Events.Upload.Permission`).
fn statement_name(id: &str) -> String {
    id.rsplit_once('#').map_or(id, |(_, name)| name).to_string()
}
