//! SAM policy templates (`Policies: - DynamoDBCrudPolicy: {TableName: !Ref Table}`).
//!
//! The definitions are generated from `aws-sam-translator` (Apache-2.0) by
//! `scripts/gen_sam_policy_templates.py` into `data/sam_policy_templates.json`, which records
//! the exact source and version. Expansion follows the translator's `Template.to_statement`:
//! every `{"Ref": "<Parameter>"}` node naming one of the template's parameters is replaced by
//! the value the user wrote; every other node, including `Fn::Sub` strings and references to
//! pseudo parameters, is left for the caller's intrinsic resolution.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use warden_model::{Value, ValueKind};

/// Why a SAM policy template could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyTemplateError {
    #[error("`{0}` is not a SAM policy template")]
    UnknownTemplate(String),
    #[error("SAM policy template `{template}` needs a value for parameter `{parameter}`")]
    MissingParameter { template: String, parameter: String },
    #[error("the parameters of SAM policy template `{template}` must be a map (use `{{}}` when it has none)")]
    ParametersNotAMap { template: String },
}

const DATA_FILE: &str = include_str!("../data/sam_policy_templates.json");

struct Template {
    /// Parameter names in declaration order.
    parameters: Vec<String>,
    /// The policy document, with `{"Ref": "<Parameter>"}` placeholders.
    definition: Value,
}

static TEMPLATES: LazyLock<BTreeMap<String, Template>> = LazyLock::new(|| {
    parse_templates(DATA_FILE)
        .unwrap_or_else(|e| panic!("embedded data/sam_policy_templates.json is invalid: {e}"))
});

fn parse_templates(text: &str) -> Result<BTreeMap<String, Template>, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let templates = json
        .get("templates")
        .and_then(serde_json::Value::as_object)
        .ok_or("no `templates` object")?;
    templates
        .iter()
        .map(|(name, template)| {
            let parameters = template
                .get("parameters")
                .and_then(serde_json::Value::as_array)
                .ok_or_else(|| format!("{name}: no `parameters` list"))?
                .iter()
                .map(|p| p.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("{name}: a parameter name is not a string"))?;
            let definition = template
                .get("definition")
                .filter(|d| d.is_object())
                .ok_or_else(|| format!("{name}: no `definition` object"))?;
            let template = Template {
                parameters,
                definition: Value::from_json(definition),
            };
            Ok((name.clone(), template))
        })
        .collect()
}

/// Expand a SAM policy template into a policy document `{"Statement": [...]}` whose leaves may
/// still contain CloudFormation intrinsics in long form (`{"Fn::Sub": ...}`, `{"Ref": "AWS::Region"}`),
/// which the caller resolves afterwards.
///
/// `parameters` is the mapping the user wrote under the template name (`{}` for templates
/// without parameters); extra entries are ignored, as SAM does. Parameter values are cloned
/// with their spans; nodes that come from the template have `Span::default()`, and the
/// returned document carries the span of `parameters`.
pub fn expand(name: &str, parameters: &Value) -> Result<Value, PolicyTemplateError> {
    let template = TEMPLATES
        .get(name)
        .ok_or_else(|| PolicyTemplateError::UnknownTemplate(name.to_owned()))?;
    if parameters.as_map().is_none() {
        return Err(PolicyTemplateError::ParametersNotAMap {
            template: name.to_owned(),
        });
    }
    let values = template
        .parameters
        .iter()
        .map(|parameter| {
            parameters
                .get(parameter)
                .map(|value| (parameter.as_str(), value))
                .ok_or_else(|| PolicyTemplateError::MissingParameter {
                    template: name.to_owned(),
                    parameter: parameter.clone(),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut document = substitute(&template.definition, &values);
    document.span = parameters.span;
    Ok(document)
}

/// Whether `name` is a SAM policy template (names are case-sensitive, as in SAM).
pub fn is_policy_template(name: &str) -> bool {
    TEMPLATES.contains_key(name)
}

/// The names of all known SAM policy templates, sorted.
pub fn template_names() -> impl Iterator<Item = &'static str> {
    LazyLock::force(&TEMPLATES).keys().map(String::as_str)
}

/// A copy of `node` with every `{"Ref": "<P>"}` whose `P` is in `values` replaced by its value.
fn substitute(node: &Value, values: &[(&str, &Value)]) -> Value {
    match &node.kind {
        ValueKind::Map(entries) => {
            if let [(key, target)] = entries.as_slice()
                && key.name == "Ref"
                && let Some(target) = target.as_str()
                && let Some((_, value)) = values.iter().find(|(parameter, _)| *parameter == target)
            {
                return (*value).clone();
            }
            let entries = entries
                .iter()
                .map(|(key, value)| (key.clone(), substitute(value, values)))
                .collect();
            Value::new(ValueKind::Map(entries), node.span)
        }
        ValueKind::List(items) => Value::new(
            ValueKind::List(items.iter().map(|item| substitute(item, values)).collect()),
            node.span,
        ),
        _ => node.clone(),
    }
}

#[cfg(test)]
mod tests {
    use warden_model::{Key, Pos, Span};

    use super::*;

    fn span(line: u32) -> Span {
        Span {
            start: Pos {
                line,
                column: 7,
                offset: 100,
            },
            end: Pos {
                line,
                column: 30,
                offset: 123,
            },
        }
    }

    fn map(entries: Vec<(&str, Value)>, span: Span) -> Value {
        let entries = entries
            .into_iter()
            .map(|(name, value)| {
                let key = Key {
                    name: name.to_owned(),
                    span,
                };
                (key, value)
            })
            .collect();
        Value::new(ValueKind::Map(entries), span)
    }

    /// Every node of `value`, depth first.
    fn nodes(value: &Value) -> Vec<&Value> {
        let mut out = vec![value];
        match &value.kind {
            ValueKind::Map(entries) => entries.iter().for_each(|(_, v)| out.extend(nodes(v))),
            ValueKind::List(items) => items.iter().for_each(|v| out.extend(nodes(v))),
            _ => {}
        }
        out
    }

    fn statements(document: &Value) -> &[Value] {
        document
            .get("Statement")
            .and_then(Value::as_list)
            .unwrap_or_default()
    }

    #[test]
    fn dynamodb_crud_puts_the_table_inside_fn_sub() {
        let table = Value::unknown("!Ref MyTable", vec!["MyTable".into()], span(12));
        let parameters = map(vec![("TableName", table.clone())], span(11));
        let document = expand("DynamoDBCrudPolicy", &parameters).unwrap();

        assert_eq!(document.span, span(11));
        let statements = statements(&document);
        assert_eq!(statements.len(), 1);
        let statement = &statements[0];
        assert_eq!(statement.span, Span::default());
        assert_eq!(statement.get("Effect").and_then(Value::as_str), Some("Allow"));
        assert!(
            statement
                .get("Action")
                .unwrap()
                .strings()
                .contains(&"dynamodb:PutItem")
        );

        let resources = statement.get("Resource").and_then(Value::as_list).unwrap();
        assert_eq!(resources.len(), 2);
        for resource in resources {
            let sub = resource.get("Fn::Sub").and_then(Value::as_list).unwrap();
            let pattern = sub[0].as_str().unwrap();
            assert!(pattern.starts_with("arn:${AWS::Partition}:dynamodb:${AWS::Region}:"));
            assert!(pattern.contains(":table/${tableName}"));
            // The user's value, span included, replaces `{"Ref": "TableName"}`.
            assert_eq!(sub[1].get("tableName"), Some(&table));
        }
    }

    #[test]
    fn common_templates_exist_and_expand() {
        let cases: &[(&str, &[&str])] = &[
            ("S3FullAccessPolicy", &["BucketName"]),
            ("S3ReadPolicy", &["BucketName"]),
            ("S3CrudPolicy", &["BucketName"]),
            ("SQSPollerPolicy", &["QueueName"]),
            ("SQSSendMessagePolicy", &["QueueName"]),
            ("LambdaInvokePolicy", &["FunctionName"]),
            ("VPCAccessPolicy", &[]),
            ("AWSSecretsManagerGetSecretValuePolicy", &["SecretArn"]),
            ("KMSDecryptPolicy", &["KeyId"]),
            ("SSMParameterReadPolicy", &["ParameterName"]),
            ("StepFunctionsExecutionPolicy", &["StateMachineName"]),
            ("EventBridgePutEventsPolicy", &["EventBusName"]),
            ("SNSPublishMessagePolicy", &["TopicName"]),
            ("DynamoDBReadPolicy", &["TableName"]),
        ];
        for &(name, parameter_names) in cases {
            assert!(is_policy_template(name), "{name}");
            let parameters = map(
                parameter_names
                    .iter()
                    .map(|p| (*p, Value::string(format!("value-of-{p}"), span(3))))
                    .collect(),
                span(2),
            );
            let document = expand(name, &parameters).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(document.span, span(2), "{name}");
            let statements = statements(&document);
            assert!(!statements.is_empty(), "{name}");
            for statement in statements {
                assert!(statement.get("Effect").is_some(), "{name}");
                assert!(!statement.get("Action").unwrap().strings().is_empty(), "{name}");
                assert!(statement.get("Resource").is_some(), "{name}");
            }
            for p in parameter_names {
                let marker = format!("value-of-{p}");
                assert!(
                    nodes(&document)
                        .iter()
                        .any(|n| n.as_str() == Some(&marker) && n.span == span(3)),
                    "{name}: {p} not substituted"
                );
            }
        }
    }

    #[test]
    fn vpc_access_has_no_parameters_and_expected_actions() {
        let document = expand("VPCAccessPolicy", &map(vec![], span(4))).unwrap();
        let actions = statements(&document)[0].get("Action").unwrap().strings();
        assert!(actions.contains(&"ec2:CreateNetworkInterface"));
        assert_eq!(
            statements(&document)[0].get("Resource").and_then(Value::as_str),
            Some("*")
        );
    }

    #[test]
    fn every_template_expands_and_leaves_no_parameter_ref() {
        let mut count = 0;
        for name in template_names() {
            count += 1;
            let template = &TEMPLATES[name];
            let parameters = map(
                template
                    .parameters
                    .iter()
                    .map(|p| (p.as_str(), Value::string("x", span(1))))
                    .collect(),
                span(1),
            );
            let document = expand(name, &parameters).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!statements(&document).is_empty(), "{name}");
            for node in nodes(&document) {
                if let Some(target) = node.get("Ref").and_then(Value::as_str) {
                    assert!(
                        !template.parameters.iter().any(|p| p == target),
                        "{name}: Ref {target}"
                    );
                }
            }
        }
        assert!(count >= 80, "only {count} templates");
    }

    #[test]
    fn missing_parameter_is_named() {
        let parameters = map(vec![("TableName", Value::string("t", span(1)))], span(1));
        let error = expand("DynamoDBStreamReadPolicy", &parameters).unwrap_err();
        assert_eq!(
            error,
            PolicyTemplateError::MissingParameter {
                template: "DynamoDBStreamReadPolicy".into(),
                parameter: "StreamName".into(),
            }
        );
        assert!(error.to_string().contains("`StreamName`"));

        let error = expand("S3ReadPolicy", &map(vec![], span(1))).unwrap_err();
        assert!(error.to_string().contains("`BucketName`"), "{error}");
    }

    #[test]
    fn unknown_template_is_an_error() {
        assert!(!is_policy_template("DynamoDBCrudPolicyy"));
        assert!(!is_policy_template("dynamodbcrudpolicy"));
        let error = expand("NoSuchPolicy", &map(vec![], span(1))).unwrap_err();
        assert_eq!(error, PolicyTemplateError::UnknownTemplate("NoSuchPolicy".into()));
    }

    #[test]
    fn parameters_must_be_a_map() {
        let error = expand("VPCAccessPolicy", &Value::null(span(1))).unwrap_err();
        assert_eq!(
            error,
            PolicyTemplateError::ParametersNotAMap {
                template: "VPCAccessPolicy".into()
            }
        );
        let error = expand("S3ReadPolicy", &Value::string("my-bucket", span(1))).unwrap_err();
        assert!(matches!(error, PolicyTemplateError::ParametersNotAMap { .. }));
    }

    #[test]
    fn extra_parameters_are_ignored_and_cannot_inject_refs() {
        let parameters = map(
            vec![
                ("QueueName", Value::string("q", span(1))),
                ("AWS::Region", Value::string("injected", span(1))),
                ("Extra", Value::string("ignored", span(1))),
            ],
            span(1),
        );
        let document = expand("SQSSendMessagePolicy", &parameters).unwrap();
        assert!(
            !nodes(&document)
                .iter()
                .any(|n| matches!(n.as_str(), Some("injected" | "ignored")))
        );
    }

    #[test]
    fn only_refs_to_template_parameters_are_replaced() {
        let definition = Value::from_json(&serde_json::json!({
            "Statement": [{
                "Resource": [
                    {"Ref": "Name"},
                    {"Ref": "AWS::Region"},
                    {"Ref": "Name", "Other": 1},
                    {"Fn::Sub": ["${n}", {"n": {"Ref": "Name"}}]}
                ]
            }]
        }));
        let value = Value::string("v", span(5));
        let out = substitute(&definition, &[("Name", &value)]);
        assert_eq!(
            out.to_json(),
            serde_json::json!({
                "Statement": [{
                    "Resource": [
                        "v",
                        {"Ref": "AWS::Region"},
                        {"Ref": "Name", "Other": 1},
                        {"Fn::Sub": ["${n}", {"n": "v"}]}
                    ]
                }]
            })
        );
    }

    #[test]
    fn data_file_records_source_version_and_licence() {
        let json: serde_json::Value = serde_json::from_str(DATA_FILE).unwrap();
        assert_eq!(json["licence"], "Apache-2.0");
        assert_eq!(json["generated_by"], "scripts/gen_sam_policy_templates.py");
        let source = json["source"].as_str().unwrap();
        let rest = source.strip_prefix("aws-sam-translator ").unwrap();
        let (version, rest) = rest.split_once(' ').unwrap();
        assert!(
            version.split('.').count() == 3 && version.split('.').all(|part| part.parse::<u32>().is_ok()),
            "version {version:?}"
        );
        assert_eq!(
            rest,
            "(PyPI), samtranslator/policy_templates_data/policy_templates.json"
        );
        assert_eq!(json["templates"].as_object().unwrap().len(), TEMPLATES.len());
    }
}
