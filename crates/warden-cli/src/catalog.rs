//! `warden rules` and `warden explain`.

use std::io::{self, Write};

use anyhow::Result;
use warden_rules::{Rule, find_rule, registry};

use crate::args::{CatalogFormat, ExplainArgs, RulesArgs};
use crate::{EXIT_CLEAN, EXIT_ERROR};

pub fn rules(args: RulesArgs) -> Result<()> {
    let mut out = io::stdout().lock();
    match args.format {
        CatalogFormat::Table => {
            let width = registry().iter().map(|r| r.meta().name.len()).max().unwrap_or(4);
            writeln!(
                out,
                "{:<7} {:<width$} {:<9} {:<14} SUMMARY",
                "ID", "NAME", "SEVERITY", "LAYER"
            )?;
            for rule in registry() {
                let m = rule.meta();
                writeln!(
                    out,
                    "{:<7} {:<width$} {:<9} {:<14} {}",
                    m.id,
                    m.name,
                    m.severity.as_str(),
                    m.layer.as_str(),
                    m.summary
                )?;
            }
        }
        CatalogFormat::Json => {
            let rules: Vec<_> = registry().iter().map(|r| rule_json(*r)).collect();
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn rule_json(rule: &dyn Rule) -> serde_json::Value {
    let m = rule.meta();
    serde_json::json!({
        "id": m.id,
        "name": m.name,
        "summary": m.summary,
        "layer": m.layer.as_str(),
        "severity": m.severity.as_str(),
        "checklist": m.checklist.iter().map(|c| c.id()).collect::<Vec<_>>(),
        "sources": m.sources,
        "documentation": m.markdown(),
    })
}

pub fn explain(args: ExplainArgs) -> Result<u8> {
    let Some(rule) = find_rule(&args.rule) else {
        writeln!(
            io::stderr(),
            "error: no rule `{}` (see `warden rules`)",
            args.rule
        )?;
        return Ok(EXIT_ERROR);
    };
    let m = rule.meta();
    let mut out = io::stdout().lock();
    writeln!(out, "# {} {}: {}\n", m.id, m.name, m.summary)?;
    writeln!(out, "Severity: {}  Layer: {}", m.severity, m.layer.as_str())?;
    let checklist: Vec<&str> = m.checklist.iter().map(|c| c.title()).collect();
    writeln!(out, "Checklist: {}", checklist.join(", "))?;
    if !m.sources.is_empty() {
        writeln!(out, "Equivalent checks: {}", m.sources.join(", "))?;
    }
    writeln!(out, "\n{}", m.markdown().trim())?;
    Ok(EXIT_CLEAN)
}
