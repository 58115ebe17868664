use std::borrow::Cow;
use std::sync::LazyLock;

use warden_model::{Finding, Function, RuleMeta, Value};

use super::branches::branches;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions that use a layer published by another AWS account.
    ///
    /// A layer's account is read from its ARN
    /// (`arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`), also when the rest of the ARN is
    /// computed (`!Sub arn:aws:lambda:${AWS::Region}:123456789012:layer:x:3`). Only a literal
    /// 12-digit account counts; a layer of the same stack (`!Ref MyLayer`) or of
    /// `${AWS::AccountId}` is the function's own. The function's account is known when it is
    /// read from an account, or when its execution role is given as a literal ARN; a layer from
    /// any other account is then reported. When the function's account is not knowable from the
    /// template, every literal account is foreign.
    ///
    /// Layers from the accounts through which AWS publishes its own layers are not reported:
    /// Powertools for AWS Lambda (Python, TypeScript), AWS Distro for OpenTelemetry,
    /// CloudWatch Lambda Insights, the AWS Parameters and Secrets Lambda Extension and the AWS
    /// AppConfig Agent extension (the accounts are listed in `data/aws_layer_publishers.txt`).
    /// The list is partial: an AWS-published layer from an account it lacks (another Region,
    /// another product) is reported, and can be suppressed with a reason.
    ///
    /// ## Why is this bad
    /// A layer's code runs inside the function with the function's role and sees every event
    /// and secret it handles. A layer from another account is code you do not control: its
    /// owner can publish a malicious new version (picked up whenever the ARN's version is
    /// bumped), delete it (breaking deployments), or has been compromised. It also escapes the
    /// review, scanning and signing applied to your own code.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    ///     Layers:
    ///       - !Sub arn:aws:lambda:${AWS::Region}:210987654321:layer:shared-utils:7
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    ///     Layers:
    ///       - !Ref SharedUtilsLayer   # an AWS::Serverless::LayerVersion of this stack
    /// ```
    ///
    /// ## Fix
    /// Build the layer's content yourself (or vendor it into the package) and publish it in
    /// your own account, so it goes through your review, scanning and signing. If a
    /// third-party layer must stay, pin an exact version, review that version's content, and
    /// suppress the finding with the reason.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
    pub struct LayerFromOtherAccount {
        id: "CFG011",
        name: "layer-from-other-account",
        summary: "Function uses a layer from another AWS account",
        layer: Configuration,
        severity: Medium,
        checklist: [Dependencies],
        sources: [],
    }
}

/// Accounts through which AWS publishes its own layers: `data/aws_layer_publishers.txt`.
static AWS_LAYER_PUBLISHERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/aws_layer_publishers.txt")
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| is_account_id(line))
        .collect()
});

impl Check for LayerFromOtherAccount {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            let home = home_account(function);
            for layer in function.layers.iter().flat_map(Value::items) {
                for branch in branches(layer) {
                    let text = arn_text(branch.value);
                    let Some(arn) = LayerArn::parse(&text) else {
                        continue;
                    };
                    let Some(account) = arn.literal_account() else {
                        continue;
                    };
                    if AWS_LAYER_PUBLISHERS.contains(&account) {
                        continue;
                    }
                    let whose = match &home {
                        Some(home) if home.as_str() == account => continue,
                        Some(home) => format!("not the function's account {home}"),
                        None => "not this stack's account nor an AWS publisher of layers".to_string(),
                    };
                    out.push(finding_at(
                        meta,
                        &function.meta,
                        branch.value.span,
                        &format!("{account}:{}{}", arn.name, branch.key()),
                        format!(
                            "function `{}` uses layer `{}` from account {account}{}, {whose}",
                            function.meta.name,
                            arn.name,
                            branch.when(),
                        ),
                    ));
                }
            }
        }
    }
}

/// The function's own account: from its ARN (a function read from an account), or from its
/// execution role when that is a literal IAM role ARN.
fn home_account(function: &Function) -> Option<String> {
    if let ["arn", _, "lambda", _, account, "function", ..] = arn_fields(&function.meta.id).as_slice()
        && is_account_id(account)
    {
        return Some((*account).to_string());
    }
    let role = function.role.as_ref()?;
    let text = arn_text(&role.value);
    match arn_fields(&text).as_slice() {
        ["arn", _, "iam", "", account, ..] if is_account_id(account) => Some((*account).to_string()),
        _ => None,
    }
}

/// A value as ARN text: a literal string, or the partly resolved expression of an unknown one
/// (`arn:aws:lambda:${AWS::Region}:123456789012:layer:x:3`).
fn arn_text(value: &Value) -> Cow<'_, str> {
    match value.as_unknown() {
        Some(unknown) => Cow::Borrowed(unknown.expr.as_str()),
        None => value.as_text().unwrap_or(Cow::Borrowed("")),
    }
}

struct LayerArn<'a> {
    account: &'a str,
    name: &'a str,
}

impl<'a> LayerArn<'a> {
    fn parse(text: &'a str) -> Option<LayerArn<'a>> {
        match arn_fields(text).as_slice() {
            ["arn", _, "lambda", _, account, "layer", name, ..] => Some(LayerArn { account, name }),
            _ => None,
        }
    }

    fn literal_account(&self) -> Option<&'a str> {
        is_account_id(self.account).then_some(self.account)
    }
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The `:`-separated fields of an ARN, not splitting inside `${...}` (`${AWS::Region}`).
fn arn_fields(text: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                fields.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    fields.push(&text[start..]);
    fields
}

#[cfg(test)]
mod tests {
    use warden_model::Inventory;

    use super::*;
    use crate::rules::config::testing::{at, findings, function};

    fn with_layer(mut function: Function, layer: Value) -> Vec<Finding> {
        function.layers = vec![layer];
        let inventory = Inventory {
            functions: vec![function],
            ..Inventory::default()
        };
        findings(
            &LayerFromOtherAccount,
            &inventory,
            jiff::civil::date(2026, 11, 24),
        )
    }

    #[test]
    fn a_function_read_from_an_account_knows_its_account() {
        let mut live = function("report");
        live.meta.id = "arn:aws:lambda:eu-west-1:111122223333:function:report".into();
        let own = Value::string("arn:aws:lambda:eu-west-1:111122223333:layer:utils:2", at(4));
        assert!(with_layer(live.clone(), own).is_empty());
        let foreign = Value::string("arn:aws:lambda:eu-west-1:444455556666:layer:utils:2", at(4));
        let found = with_layer(live, foreign);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("not the function's account 111122223333"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn computed_arns_keep_their_literal_account() {
        let layer = Value::unknown(
            "arn:aws:lambda:${AWS::Region}:444455556666:layer:utils:2",
            Vec::new(),
            at(4),
        );
        let found = with_layer(function("Api"), layer);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span(), at(4));
        let own = Value::unknown(
            "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:layer:utils:2",
            Vec::new(),
            at(4),
        );
        assert!(with_layer(function("Api"), own).is_empty());
    }

    #[test]
    fn arn_fields_keep_substitutions_whole() {
        assert_eq!(
            arn_fields("arn:aws:lambda:${AWS::Region}:123456789012:layer:x:3"),
            vec![
                "arn",
                "aws",
                "lambda",
                "${AWS::Region}",
                "123456789012",
                "layer",
                "x",
                "3"
            ]
        );
        assert_eq!(
            arn_fields("arn:aws:iam::123456789012:role/r"),
            vec!["arn", "aws", "iam", "", "123456789012", "role/r"]
        );
    }

    #[test]
    fn aws_publishers_are_read_from_the_data_file() {
        assert!(AWS_LAYER_PUBLISHERS.len() >= 75, "{}", AWS_LAYER_PUBLISHERS.len());
        for account in [
            "017000801446",
            "580247275435",
            "177933569100",
            "027255383542",
            "000010852771",
        ] {
            assert!(AWS_LAYER_PUBLISHERS.contains(&account), "{account}");
        }
    }

    #[test]
    fn layer_accounts_are_literal_twelve_digit_ids() {
        let arn = |t: &str| LayerArn::parse(t).and_then(|a| a.literal_account().map(str::to_string));
        assert_eq!(
            arn("arn:aws:lambda:eu-west-1:210987654321:layer:utils:7").as_deref(),
            Some("210987654321")
        );
        assert_eq!(
            arn("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:layer:utils:7"),
            None
        );
        assert_eq!(arn("arn:aws:lambda:eu-west-1:12345:layer:utils:7"), None);
        assert_eq!(arn("!Ref UtilsLayer"), None);
    }
}
