//! `warden policy check FILE`: lint an IAM policy document (JSON or YAML) with positions.

use std::io::{self, Write};

use anyhow::{Context, Result};
use warden_iam::Policy;
use warden_iam::lint::{IssueLevel, check};

use crate::args::{PolicyCheckArgs, PolicyKindArg};
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

pub fn run(args: PolicyCheckArgs) -> Result<u8> {
    let path = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {path}"))?;
    let mut out = io::stdout().lock();
    let document = match warden_cfn::tree::parse(&text) {
        Ok(doc) => doc,
        Err(e) => {
            writeln!(
                out,
                "{path}:{}:{}: error[syntax]: {}",
                e.pos.line, e.pos.column, e.message
            )?;
            return Ok(EXIT_ERROR);
        }
    };
    let policy = match Policy::parse(&document) {
        Ok(policy) => policy,
        Err(e) => {
            writeln!(
                out,
                "{path}:{}:{}: error[invalid-policy]: {}",
                e.span.start.line, e.span.start.column, e.message
            )?;
            return Ok(EXIT_FINDINGS);
        }
    };
    let kind = match args.kind {
        PolicyKindArg::Identity => warden_iam::lint::PolicyKind::Identity,
        PolicyKindArg::Resource => warden_iam::lint::PolicyKind::Resource,
        PolicyKindArg::Trust => warden_iam::lint::PolicyKind::Trust,
        PolicyKindArg::Boundary => warden_iam::lint::PolicyKind::PermissionsBoundary,
        PolicyKindArg::Scp => warden_iam::lint::PolicyKind::ServiceControl,
    };
    let mut issues = check(&policy, kind);
    issues.sort_by_key(|i| (i.span.start, i.level));
    for issue in &issues {
        let at = issue.span.or(policy.span).start;
        writeln!(
            out,
            "{path}:{}:{}: {}[{}]: {}",
            at.line,
            at.column,
            issue.level.as_str(),
            issue.code,
            issue.message
        )?;
    }
    if issues.is_empty() {
        writeln!(out, "{path}: no issues")?;
    }
    let failing = issues
        .iter()
        .any(|i| matches!(i.level, IssueLevel::Error | IssueLevel::SecurityWarning));
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}
