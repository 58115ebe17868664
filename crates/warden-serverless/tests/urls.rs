//! Function URLs: `url: true` is public (AuthType NONE and the framework's public permission),
//! `authorizer: aws_iam` needs IAM, `cors` follows the framework's defaults.

mod common;

use common::{has_finding, id, inventory, permission, text, url};

const SERVICE: &str = r#"
service: s
provider:
  name: aws
  runtime: nodejs20.x
functions:
  public:
    handler: h.public
    url: true
  private:
    handler: h.private
    url:
      authorizer: aws_iam
  corsDefault:
    handler: h.cors
    url:
      cors: true
  corsOwn:
    handler: h.own
    url:
      authorizer: aws_iam
      cors:
        allowedOrigins: [https://shop.example.com]
        allowCredentials: true
        allowedMethods: null
  none:
    handler: h.none
    url: false
"#;

#[test]
fn url_true_is_public_with_the_framework_permission() {
    let inv = inventory(SERVICE);
    let public = url(&inv, "public");
    assert_eq!(public.meta.id, id("PublicLambdaFunctionUrl"));
    assert_eq!(
        public.meta.implied_by.as_deref(),
        Some(id("PublicLambdaFunction").as_str())
    );
    assert_eq!(
        public.function.target.as_deref(),
        Some(id("PublicLambdaFunction").as_str())
    );
    assert_eq!(text(Some(&public.auth_type)).as_deref(), Some("NONE"));
    assert!(public.cors.is_none());
    let grant = permission(&inv, "PublicLambdaPermissionFnUrl");
    assert_eq!(grant.meta.name, "public");
    assert_eq!(text(Some(&grant.principal)).as_deref(), Some("*"));
    assert_eq!(
        text(Some(&grant.action)).as_deref(),
        Some("lambda:InvokeFunctionUrl")
    );
    assert_eq!(
        text(grant.function_url_auth_type.as_ref()).as_deref(),
        Some("NONE")
    );
    assert_eq!(
        grant.function.target.as_deref(),
        Some(id("PublicLambdaFunction").as_str())
    );
    assert!(has_finding(&inv, "ACC004", "public"));
}

#[test]
fn aws_iam_urls_have_no_public_permission() {
    let inv = inventory(SERVICE);
    assert_eq!(
        text(Some(&url(&inv, "private").auth_type)).as_deref(),
        Some("AWS_IAM")
    );
    assert!(!inv.permissions.iter().any(|p| p.meta.name == "private"));
    assert!(!has_finding(&inv, "ACC004", "private"));
    assert!(
        !inv.function_urls.iter().any(|u| u.meta.name == "none"),
        "`url: false` creates no URL"
    );
}

#[test]
fn cors_true_allows_any_origin_and_an_object_overrides_the_defaults() {
    let inv = inventory(SERVICE);
    let cors = url(&inv, "corsDefault").cors.as_ref().expect("cors");
    assert_eq!(cors.allow_origins.as_ref().map(|o| o.strings()), Some(vec!["*"]));
    assert_eq!(cors.allow_methods.as_ref().map(|o| o.strings()), Some(vec!["*"]));
    assert!(cors.allow_credentials.is_none());
    assert_eq!(
        text(Some(&url(&inv, "corsDefault").auth_type)).as_deref(),
        Some("NONE")
    );
    assert!(has_finding(&inv, "ACC005", "corsDefault"));

    let own = url(&inv, "corsOwn").cors.as_ref().expect("cors");
    assert_eq!(
        own.allow_origins.as_ref().map(|o| o.strings()),
        Some(vec!["https://shop.example.com"])
    );
    assert!(own.allow_methods.is_none(), "`null` removes the default");
    assert_eq!(
        own.allow_credentials.as_ref().and_then(|c| c.as_bool()),
        Some(true)
    );
    assert!(
        own.allow_headers
            .as_ref()
            .is_some_and(|h| h.strings().contains(&"Authorization"))
    );
    assert!(!has_finding(&inv, "ACC005", "corsOwn"));
}
