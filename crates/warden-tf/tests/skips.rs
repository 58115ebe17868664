//! `# warden:skip=ID reason` comments on or above a resource or module block suppress findings
//! on what the block defines.

mod common;

use common::{function, inventory};

#[test]
fn skip_comments_attach_to_the_block_below_or_on_the_same_line() {
    let inv = inventory(
        r#"
# Orders API.
# warden:skip=CFG005 concurrency is capped by the API's throttling
// warden:skip=CFG006,CFG010
resource "aws_lambda_function" "a" {
  function_name = "a"
  role          = "r"
}

resource "aws_lambda_function" "b" { # warden:skip=CFG003 no VPC resources reached
  function_name = "b"
  role          = "r"
}

# warden:skip=CFG001 a comment separated by a blank line is not on the block

resource "aws_lambda_function" "c" {
  function_name = "c" # warden:skip=CFG002 inside the block is not on the header
  role          = "r"
}

# warden:skip=CFG005
module "m" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "m"
}
"#,
    );
    let a = &function(&inv, "aws_lambda_function.a").meta.skips;
    let rules: Vec<&str> = a.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(rules, vec!["CFG006", "CFG010", "CFG005"]);
    let cfg005 = &a[2];
    assert_eq!(
        cfg005.reason.as_deref(),
        Some("concurrency is capped by the API's throttling")
    );
    assert_eq!((cfg005.span.start.line, cfg005.span.start.column), (3, 3));
    assert!(
        a[0].reason.is_none(),
        "a skip without a reason is kept, to be reported"
    );

    let b = &function(&inv, "aws_lambda_function.b").meta.skips;
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].rule, "CFG003");

    assert!(function(&inv, "aws_lambda_function.c").meta.skips.is_empty());

    let m = &function(&inv, "module.m").meta.skips;
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].rule, "CFG005");
    // What the module implies carries its name, so the same skip applies to it by name.
    let role = inv
        .roles
        .iter()
        .find(|r| r.meta.implied_by.is_some())
        .expect("module role");
    assert_eq!(role.meta.name, "module.m");
}
