//! The framework's logical ids (`lib/plugins/aws/lib/naming.js`), so that references written in
//! `resources:` (`!GetAtt HelloLambdaFunction.Arn`, `!Ref IamRoleLambdaExecution`) find what the
//! loader generates.

pub(crate) const ROLE: &str = "IamRoleLambdaExecution";
pub(crate) const REST_API: &str = "ApiGatewayRestApi";
pub(crate) const REST_STAGE: &str = "ApiGatewayStage";
pub(crate) const REST_LOG_GROUP: &str = "ApiGatewayLogGroup";
pub(crate) const HTTP_API: &str = "HttpApi";
pub(crate) const HTTP_STAGE: &str = "HttpApiStage";
pub(crate) const HTTP_LOG_GROUP: &str = "HttpApiLogGroup";
pub(crate) const WEBSOCKETS_API: &str = "WebsocketsApi";
pub(crate) const WEBSOCKETS_STAGE: &str = "WebsocketsDeploymentStage";

/// `_.upperFirst`.
pub(crate) fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `getNormalizedFunctionName` / `getNormalizedResourceName`: `my-func_a` -> `MyDashfuncUnderscorea`.
pub(crate) fn normalized(name: &str) -> String {
    upper_first(&name.replace('-', "Dash").replace('_', "Underscore"))
}

/// `normalizeNameToAlphaNumericOnly`.
pub(crate) fn alphanumeric(name: &str) -> String {
    upper_first(
        &name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

/// `getLambdaLogicalId`.
pub(crate) fn function(name: &str) -> String {
    format!("{}LambdaFunction", normalized(name))
}

/// `normalizePathPart`: `{id}` -> `IdVar`, `my-path` -> `MyDashpath`.
fn path_part(raw: &str) -> String {
    let mut chars = raw.chars();
    let capitalized: String = match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    };
    let dashed = capitalized.replace('-', "Dash");
    let with_var = match (dashed.find('{'), dashed.rfind('}')) {
        (Some(open), Some(close)) if open < close => format!(
            "{}{}Var{}",
            &dashed[..open],
            &dashed[open + 1..close],
            &dashed[close + 1..]
        ),
        _ => dashed,
    };
    upper_first(
        &with_var
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

/// `normalizePath`: every `/`-separated part normalized and joined.
pub(crate) fn path(path: &str) -> String {
    path.split('/').map(path_part).collect()
}

/// `getMethodLogicalId`.
pub(crate) fn method(resource_id: &str, method: &str) -> String {
    format!(
        "ApiGatewayMethod{resource_id}{}",
        upper_first(&method.to_lowercase())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_follow_the_framework() {
        assert_eq!(function("hello"), "HelloLambdaFunction");
        assert_eq!(
            function("lambda-sqs_sls"),
            "LambdaDashsqsUnderscoreslsLambdaFunction"
        );
        assert_eq!(path("users/{id}"), "UsersIdVar");
        assert_eq!(path("{proxy+}"), "ProxyVar");
        assert_eq!(path("GET /my-items"), "GetMyDashitems");
        assert_eq!(method("UsersIdVar", "get"), "ApiGatewayMethodUsersIdVarGet");
        assert_eq!(alphanumeric("my-bucket.logs"), "Mybucketlogs");
    }
}
