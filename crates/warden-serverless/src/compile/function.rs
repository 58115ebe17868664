//! A function, its log group, its URL and its asynchronous invocation settings
//! (`compile/functions.js`, `lib/merge-iam-templates.js`).

use warden_model::{Key, Span, Value, ValueKind};

use super::{Compiler, FunctionDef, Naming, joined};
use crate::build::{Obj, at, entry, get_att, list, set, statement, text, truthy};
use crate::naming;

/// The CORS the framework gives a function URL with `cors: true`.
const URL_CORS_HEADERS: &[&str] = &[
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amzn-Trace-Id",
];

impl Compiler<'_> {
    pub(super) fn function(&mut self, f: &FunctionDef) {
        let body = &f.body;
        let provider = self.provider.clone();
        let span = f.key_span;
        let from = |name: &str| set(body, name).or_else(|| set(&provider, name)).cloned();

        let function_name = self.function_name(f);
        let mut props = Obj::new(body.span.or(span)).set("FunctionName", function_name.clone());
        if let Some(handler) = set(body, "handler") {
            props.put("Handler", handler.clone());
            if let Some(runtime) = from("runtime") {
                props.put("Runtime", runtime);
            }
        } else if let Some(image) = set(body, "image") {
            props.put("PackageType", text("Image", image.span));
        }
        let mut props = props
            .opt("MemorySize", from("memorySize"))
            .opt("Timeout", from("timeout"))
            .opt(
                "Architectures",
                from("architecture").map(|a| list(vec![a.clone()], a.span)),
            )
            .opt(
                "ReservedConcurrentExecutions",
                set(body, "reservedConcurrency").cloned(),
            )
            .opt("CodeSigningConfigArn", set(body, "codeSigningConfigArn").cloned());

        if let Some(environment) = self.environment(f) {
            props.put("Environment", environment);
        }
        let kms_key = set(body, "kmsKeyArn")
            .or_else(|| set(body, "awsKmsKeyArn"))
            .or_else(|| set(&provider, "kmsKeyArn"))
            .or_else(|| set(self.doc, "awsKmsKeyArn"))
            .cloned();
        if let Some(key) = kms_key {
            if key.as_str().is_some() {
                self.add_role_statement(statement("Allow", &["kms:Decrypt"], vec![key.clone()], key.span));
            }
            props.put("KmsKeyArn", key);
        }
        if let Some(vpc) = self.vpc(body) {
            props.put("VpcConfig", vpc);
        }
        if let Some(target) = set(body, "onError") {
            if target.as_str().is_some() {
                // The framework grants `sns:Publish`, whatever the target is.
                self.add_role_statement(statement(
                    "Allow",
                    &["sns:Publish"],
                    vec![target.clone()],
                    target.span,
                ));
            }
            props.put(
                "DeadLetterConfig",
                Obj::new(target.span).set("TargetArn", target.clone()).build(),
            );
        }
        if let Some(mode) = self.tracing(body) {
            let span = mode.span;
            self.add_role_statement(statement(
                "Allow",
                &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                vec![text("*", span)],
                span,
            ));
            props.put("TracingConfig", Obj::new(span).set("Mode", mode).build());
        }
        if let Some(layers) = from("layers") {
            props.put("Layers", layers);
        }
        if let Some(tags) = self.tags(body) {
            props.put("Tags", tags);
        }
        props.put("Role", self.function_role(f));

        let mut resource = self.resource(
            "AWS::Lambda::Function",
            props.build(),
            span,
            Some(span.start.line),
        );
        if let Some(condition) = set(body, "condition")
            && let ValueKind::Map(entries) = &mut resource.kind
        {
            entries.push((
                Key {
                    name: "Condition".into(),
                    span: condition.span,
                },
                condition.clone(),
            ));
        }
        self.add(
            &f.logical,
            span,
            resource,
            Naming {
                name: f.name.clone(),
                implied_by: None,
            },
        );

        if !truthy(set(body, "disableLogs")) {
            self.log_group(f, &function_name);
        }
        self.url(f);
        self.event_invoke_config(f);
    }

    /// `name`, or `<service>-<stage>-<key>`.
    fn function_name(&self, f: &FunctionDef) -> Value {
        match set(&f.body, "name") {
            Some(name) => name.clone(),
            None => self.service_name(&f.name, f.key_span),
        }
    }

    /// Provider variables, then the function's (which win).
    fn environment(&mut self, f: &FunctionDef) -> Option<Value> {
        let provider = set(&self.provider, "environment").cloned();
        let own = set(&f.body, "environment").cloned();
        let mut variables: Vec<(Key, Value)> = Vec::new();
        let mut span = Span::default();
        for part in [provider, own].into_iter().flatten() {
            match &part.kind {
                ValueKind::Map(entries) => {
                    for (key, value) in entries {
                        variables.retain(|(k, _)| k.name != key.name);
                        variables.push((key.clone(), value.clone()));
                    }
                    span = part.span;
                }
                _ => {
                    self.not_read(&part, &format!("environment variables of `{}`", f.name));
                    return None;
                }
            }
        }
        if !span.is_known() && variables.is_empty() {
            return None;
        }
        let variables = Value::new(ValueKind::Map(variables), span);
        Some(Obj::new(span).set("Variables", variables).build())
    }

    /// `vpc` of the function, else of the provider, field by field; `vpc: null` or `false` on
    /// the function opts out. Both security groups and subnets are needed.
    fn vpc(&self, body: &Value) -> Option<Value> {
        let own = body.get("vpc");
        if own.is_some_and(|v| v.is_null() || v.as_bool() == Some(false)) {
            return None;
        }
        let provider = set(&self.provider, "vpc");
        let field = |name: &str| {
            own.and_then(|v| set(v, name))
                .or_else(|| provider.and_then(|v| set(v, name)))
                .cloned()
        };
        let security_groups = field("securityGroupIds")?;
        let subnets = field("subnetIds")?;
        let span = own.or(provider).map(|v| v.span).unwrap_or_default();
        Some(
            Obj::new(span)
                .set("SecurityGroupIds", security_groups)
                .set("SubnetIds", subnets)
                .build(),
        )
    }

    /// `tracing` of the function, else `provider.tracing.lambda`; `true` means `Active`.
    fn tracing(&self, body: &Value) -> Option<Value> {
        let own = body.get("tracing").filter(|t| truthy(Some(t)));
        let tracing =
            own.or_else(|| at(&self.provider, &["tracing", "lambda"]).filter(|t| truthy(Some(t))))?;
        Some(match tracing.kind {
            ValueKind::Bool(true) => text("Active", tracing.span),
            _ => tracing.clone(),
        })
    }

    /// Provider tags, then the function's, as CloudFormation `Key` / `Value` pairs.
    fn tags(&self, body: &Value) -> Option<Value> {
        let provider = set(&self.provider, "tags").and_then(Value::as_map);
        let own = set(body, "tags").and_then(Value::as_map);
        if provider.is_none() && own.is_none() {
            return None;
        }
        let mut tags: Vec<(Key, Value)> = Vec::new();
        for (key, value) in provider.into_iter().chain(own).flatten() {
            tags.retain(|(k, _)| k.name != key.name);
            tags.push((key.clone(), value.clone()));
        }
        let span = set(body, "tags")
            .or_else(|| set(&self.provider, "tags"))
            .map(|t| t.span)
            .unwrap_or_default();
        let items = tags
            .into_iter()
            .map(|(k, v)| {
                Obj::new(k.span)
                    .set("Key", text(k.name, k.span))
                    .set("Value", v)
                    .build()
            })
            .collect();
        Some(list(items, span))
    }

    /// The execution role as `compileRole` writes it: an ARN as is, a logical name as its
    /// `Fn::GetAtt`, an intrinsic as is; the shared role otherwise.
    fn function_role(&self, f: &FunctionDef) -> Value {
        let role = set(&f.body, "role").cloned().or_else(|| self.provider_role());
        match role {
            Some(role) => match &role.kind {
                ValueKind::String(name) if !name.starts_with("arn:") => get_att(name, "Arn", role.span),
                _ => role,
            },
            None => get_att(naming::ROLE, "Arn", f.key_span),
        }
    }

    fn log_group(&mut self, f: &FunctionDef, function_name: &Value) {
        let span = f.key_span;
        let group_name = joined(
            &[&text("/aws/lambda/", span), function_name],
            function_name.span.or(span),
        );
        let retention = set(&f.body, "logRetentionInDays")
            .or_else(|| set(&self.provider, "logRetentionInDays"))
            .cloned();
        let props = Obj::new(span)
            .set("LogGroupName", group_name)
            .opt("RetentionInDays", retention)
            .build();
        let body = self.resource("AWS::Logs::LogGroup", props, span, None);
        let naming = self.implied(f);
        self.add(&format!("{}LogGroup", f.base), span, body, naming);
    }

    /// `url: true` or `url: {authorizer: aws_iam, cors: ...}`; an unauthenticated URL gets the
    /// public `lambda:InvokeFunctionUrl` permission the framework adds.
    fn url(&mut self, f: &FunctionDef) {
        let Some((key, url)) = entry(&f.body, "url") else {
            return;
        };
        if !truthy(Some(url)) {
            return;
        }
        let span = url.span.or(key.span);
        let auth_type = match url.get("authorizer") {
            Some(a) if a.as_str() == Some("aws_iam") => text("AWS_IAM", a.span),
            _ => text("NONE", span),
        };
        let target = get_att(&f.logical, "Arn", span);
        let mut props = Obj::new(span)
            .set("AuthType", auth_type.clone())
            .set("TargetFunctionArn", target.clone());
        if let Some(cors) = url.get("cors").filter(|c| truthy(Some(c))) {
            props.put("Cors", url_cors(cors));
        }
        let body = self.resource("AWS::Lambda::Url", props.build(), span, None);
        let naming = self.implied(f);
        self.add(&format!("{}LambdaFunctionUrl", f.base), key.span, body, naming);
        if auth_type.as_str() == Some("NONE") {
            let props = Obj::new(span)
                .set("FunctionName", target)
                .set("Action", text("lambda:InvokeFunctionUrl", span))
                .set("Principal", text("*", span))
                .set("FunctionUrlAuthType", text("NONE", span))
                .build();
            let body = self.resource("AWS::Lambda::Permission", props, span, None);
            let naming = self.implied(f);
            self.add(
                &format!("{}LambdaPermissionFnUrl", f.base),
                key.span,
                body,
                naming,
            );
        }
    }

    /// `destinations`, `maximumEventAge`, `maximumRetryAttempts`.
    fn event_invoke_config(&mut self, f: &FunctionDef) {
        let body = &f.body;
        let destinations = set(body, "destinations");
        let max_age = set(body, "maximumEventAge");
        let retries = set(body, "maximumRetryAttempts");
        if destinations.is_none() && max_age.is_none() && retries.is_none() {
            return;
        }
        let span = destinations
            .or(max_age)
            .or(retries)
            .map(|v| v.span)
            .unwrap_or(f.key_span);
        let mut config = Obj::new(span);
        for (outcome, property) in [("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")] {
            let Some(target) = destinations.and_then(|d| set(d, outcome)) else {
                continue;
            };
            let arn = self.destination_arn(target);
            if f.default_role {
                let action = destination_action(target);
                self.add_role_statement(statement("Allow", &[action], vec![arn.clone()], target.span));
            }
            config.put(property, Obj::new(target.span).set("Destination", arn).build());
        }
        let props = Obj::new(span)
            .set("FunctionName", crate::build::reference(&f.logical, span))
            .set("Qualifier", text("$LATEST", span))
            .set("DestinationConfig", config.build())
            .opt("MaximumEventAgeInSeconds", max_age.cloned())
            .opt("MaximumRetryAttempts", retries.cloned())
            .build();
        let body = self.resource("AWS::Lambda::EventInvokeConfig", props, span, None);
        let naming = self.implied(f);
        self.add(&format!("{}LambdaEvConf", f.base), span, body, naming);
    }

    /// A destination: an ARN, `{arn, type}`, or the name of a function of the service.
    fn destination_arn(&self, target: &Value) -> Value {
        if let Some(arn) = set(target, "arn") {
            return arn.clone();
        }
        match target.as_str() {
            Some(name) if !name.starts_with("arn:") => match self.function_named(name) {
                Some(function) => get_att(&function.logical, "Arn", target.span),
                None => target.clone(),
            },
            _ => target.clone(),
        }
    }

    /// Add a statement to the shared role, once.
    pub fn add_role_statement(&mut self, statement: Value) {
        let json = statement.to_json();
        if !self.role_statements.iter().any(|s| s.to_json() == json) {
            self.role_statements.push(statement);
        }
    }
}

/// The action the framework grants for a destination.
fn destination_action(target: &Value) -> &'static str {
    let kind = set(target, "type").and_then(Value::as_str).map(str::to_string);
    let arn = target.as_str().unwrap_or_default();
    match kind.as_deref() {
        Some("sqs") => "sqs:SendMessage",
        Some("sns") => "sns:Publish",
        Some("eventBus") => "events:PutEvents",
        Some(_) => "lambda:InvokeFunction",
        None if arn.contains(":sqs:") => "sqs:SendMessage",
        None if arn.contains(":sns:") => "sns:Publish",
        None if arn.contains(":event-bus/") => "events:PutEvents",
        None => "lambda:InvokeFunction",
    }
}

/// A function URL's CORS: the framework's defaults (any origin, any method) with what the user
/// sets on top; `null` removes a default.
fn url_cors(cors: &Value) -> Value {
    let span = cors.span;
    let strings = |items: &[&str]| list(items.iter().map(|s| text(*s, span)).collect(), span);
    let pick = |name: &str, default: Value| -> Option<Value> {
        match cors.get(name) {
            Some(v) if v.is_null() => None,
            Some(v) => Some(v.clone()),
            None => Some(default),
        }
    };
    Obj::new(span)
        .opt(
            "AllowCredentials",
            set(cors, "allowCredentials").filter(|v| truthy(Some(v))).cloned(),
        )
        .opt("AllowHeaders", pick("allowedHeaders", strings(URL_CORS_HEADERS)))
        .opt("AllowMethods", pick("allowedMethods", strings(&["*"])))
        .opt("AllowOrigins", pick("allowedOrigins", strings(&["*"])))
        .opt("ExposeHeaders", set(cors, "exposedResponseHeaders").cloned())
        .opt("MaxAge", set(cors, "maxAge").cloned())
        .build()
}
