use warden_model::{Finding, RuleMeta, Span, Trail, Value};

use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds CloudTrail trails that do not record Lambda data events: no event selector with a
    /// data resource of type `AWS::Lambda::Function` (`EventSelectors[].DataResources`), and no
    /// advanced event selector matching `resources.type` equal to `AWS::Lambda::Function`
    /// (`AdvancedEventSelectors[].FieldSelectors`). A trail whose selectors the template cannot
    /// know (a parameter, an import) is not reported.
    ///
    /// A template without any trail is not reported either: the account's trail may be defined
    /// elsewhere (an organization trail, another stack).
    ///
    /// ## Why is this bad
    /// By default a trail records management events only: who changed a function, not who
    /// *invoked* it. Lambda `Invoke` calls are data events, logged only when a selector asks
    /// for them. Without them, use of a leaked credential or of an overly broad resource policy
    /// to run a function leaves no trace in CloudTrail.
    ///
    /// ## Example
    /// ```yaml
    /// Trail:
    ///   Type: AWS::CloudTrail::Trail
    ///   Properties:
    ///     IsLogging: true
    ///     S3BucketName: !Ref TrailBucket
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Trail:
    ///   Type: AWS::CloudTrail::Trail
    ///   Properties:
    ///     IsLogging: true
    ///     S3BucketName: !Ref TrailBucket
    ///     AdvancedEventSelectors:
    ///       - Name: Management events
    ///         FieldSelectors:
    ///           - { Field: eventCategory, Equals: [Management] }
    ///       - Name: Lambda invocations
    ///         FieldSelectors:
    ///           - { Field: eventCategory, Equals: [Data] }
    ///           - { Field: resources.type, Equals: [AWS::Lambda::Function] }
    /// ```
    ///
    /// ## Fix
    /// Add an advanced event selector for `eventCategory = Data` and
    /// `resources.type = AWS::Lambda::Function` (optionally narrowed with `resources.ARN` to the
    /// functions that matter), or a basic event selector with a `DataResources` entry of type
    /// `AWS::Lambda::Function`. Data events are charged per event.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
    pub struct TrailWithoutLambdaDataEvents {
        id: "MON003",
        name: "trail-without-lambda-data-events",
        summary: "CloudTrail trail does not record Lambda data events",
        layer: Monitoring,
        severity: Medium,
        checklist: [CloudTrail],
        sources: ["prowler:awslambda_function_invoke_api_operations_cloudtrail_logging_enabled"],
    }
}

const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";

impl Check for TrailWithoutLambdaDataEvents {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for trail in &cx.inventory.trails {
            if coverage(trail) != Coverage::Missing {
                continue;
            }
            let span = [&trail.advanced_event_selectors, &trail.event_selectors]
                .into_iter()
                .flatten()
                .map(|v| v.span)
                .find(Span::is_known)
                .unwrap_or_default();
            out.push(finding_at(
                meta,
                &trail.meta,
                span,
                "",
                format!(
                    "trail `{}` records no Lambda data events: invocations of functions are not logged",
                    trail.meta.name
                ),
            ));
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Coverage {
    Recorded,
    Missing,
    /// A selector the template cannot know might record them.
    Unknowable,
}

fn coverage(trail: &Trail) -> Coverage {
    let mut unknowable = false;
    for selector in trail.event_selectors.iter().flat_map(Value::items) {
        unknowable |= selector.is_unknown();
        for resource in selector.get("DataResources").into_iter().flat_map(Value::items) {
            unknowable |= resource.is_unknown();
            match names(resource.get("Type")) {
                Names::Contains => return Coverage::Recorded,
                Names::Unknowable => unknowable = true,
                Names::Other => {}
            }
        }
    }
    for selector in trail.advanced_event_selectors.iter().flat_map(Value::items) {
        unknowable |= selector.is_unknown();
        for field in selector.get("FieldSelectors").into_iter().flat_map(Value::items) {
            unknowable |= field.is_unknown();
            let name = field.get("Field");
            if name.is_some_and(Value::is_unknown) {
                unknowable = true;
                continue;
            }
            if !name
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("resources.type"))
            {
                continue;
            }
            match names(field.get("Equals")) {
                Names::Contains => return Coverage::Recorded,
                Names::Unknowable => unknowable = true,
                Names::Other => {}
            }
        }
    }
    if unknowable {
        Coverage::Unknowable
    } else {
        Coverage::Missing
    }
}

enum Names {
    Contains,
    Unknowable,
    Other,
}

/// Whether a resource type (or list of them) names Lambda functions.
fn names(types: Option<&Value>) -> Names {
    let Some(types) = types else { return Names::Other };
    let items = types.items();
    if items.iter().any(|t| t.as_str() == Some(LAMBDA_FUNCTION)) {
        Names::Contains
    } else if items.iter().any(|t| t.is_unknown()) {
        Names::Unknowable
    } else {
        Names::Other
    }
}
