//! `warden access FUNCTION [PATH...]`: who can invoke a function, and why.

use std::io::{self, Write};

use anyhow::Result;
use warden_iam::exposure::{Exposure, Grant, Reach, Via, function_exposure};
use warden_model::{DiagnosticLevel, Function};

use crate::args::{AccessArgs, CatalogFormat};
use crate::scan::load_inventory;
use crate::{EXIT_CLEAN, EXIT_ERROR};

pub fn run(args: AccessArgs) -> Result<u8> {
    let loaded = load_inventory(&args.paths);
    let mut err = io::stderr().lock();
    for d in loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Error)
    {
        let at = d.origin.as_ref().map(|o| format!("{o}: ")).unwrap_or_default();
        writeln!(err, "{at}error[{}]: {}", d.code, d.message)?;
    }
    let inv = &loaded.inventory;
    let functions: Vec<&Function> = inv
        .functions
        .iter()
        .filter(|f| names(f, &args.function))
        .collect();
    if functions.is_empty() && write_layers(inv, &args.function)? {
        return Ok(EXIT_CLEAN);
    }
    if functions.is_empty() {
        writeln!(
            err,
            "error: no function or layer `{}` in the scanned templates",
            args.function
        )?;
        let known: Vec<&str> = inv.functions.iter().map(|f| f.meta.name.as_str()).collect();
        if !known.is_empty() {
            writeln!(err, "functions found: {}", known.join(", "))?;
        }
        return Ok(EXIT_ERROR);
    }
    let exposures = function_exposure(inv);
    let mut out = io::stdout().lock();
    let selected: Vec<(&Function, &Exposure)> = functions
        .iter()
        .filter_map(|f| {
            exposures
                .iter()
                .find(|e| e.function == f.meta.id)
                .map(|e| (*f, e))
        })
        .collect();
    match args.format {
        CatalogFormat::Json => {
            let json: Vec<_> = selected.iter().map(|(f, e)| exposure_json(f, e)).collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        CatalogFormat::Table => {
            for (function, exposure) in selected {
                write_text(&mut out, function, exposure)?;
            }
        }
    }
    Ok(EXIT_CLEAN)
}

/// Whether `wanted` names the function: its logical id, its `FunctionName`, or its ARN.
fn names(function: &Function, wanted: &str) -> bool {
    function.meta.name == wanted
        || function.meta.id == wanted
        || function.function_name.as_ref().and_then(|n| n.as_str()) == Some(wanted)
}

fn verdict(exposure: &Exposure) -> &'static str {
    let reaches = || exposure.grants.iter().map(|g| &g.reach);
    if reaches().any(|r| matches!(r, Reach::Public)) {
        "PUBLIC: anyone on the internet can invoke it"
    } else if reaches().any(|r| matches!(r, Reach::AnyAwsPrincipal)) {
        "OPEN TO ANY AWS ACCOUNT: any authenticated AWS principal can invoke it"
    } else if reaches().any(|r| matches!(r, Reach::Service { pinned_by: None, .. })) {
        "CONFUSED DEPUTY: an AWS service can invoke it on behalf of anyone's resources"
    } else if reaches().any(|r| matches!(r, Reach::Accounts(_) | Reach::Organizations(_))) {
        "SHARED: principals of other accounts or organizations can invoke it"
    } else if reaches().any(|r| matches!(r, Reach::Unknown(_))) {
        "UNKNOWN: a grant names a principal that is not known from the source"
    } else if exposure.grants.is_empty() {
        "PRIVATE: only principals of its own account whose IAM policies allow it"
    } else {
        "LIMITED: every grant is authenticated or pinned to a source"
    }
}

fn via_text(via: &Via) -> String {
    match via {
        Via::Permission { name, .. } => format!("resource policy statement `{name}`"),
        Via::FunctionUrl { auth_type, .. } => format!("function URL (AuthType {auth_type})"),
        Via::Route { method, path, .. } => format!("API route {method} {path}"),
    }
}

fn write_text(out: &mut impl Write, function: &Function, exposure: &Exposure) -> io::Result<()> {
    writeln!(out, "{} ({})", function.meta.name, function.meta.origin)?;
    writeln!(out, "  {}", verdict(exposure))?;
    for grant in &exposure.grants {
        write_grant(out, grant)?;
    }
    writeln!(out)
}

fn write_grant(out: &mut impl Write, grant: &Grant) -> io::Result<()> {
    writeln!(out, "  - {} via {}", grant.reach.describe(), via_text(&grant.via))?;
    writeln!(out, "    at {}", grant.origin)?;
    for step in &grant.because {
        writeln!(out, "      {step}")?;
    }
    Ok(())
}

fn exposure_json(function: &Function, exposure: &Exposure) -> serde_json::Value {
    serde_json::json!({
        "function": function.meta.name,
        "location": function.meta.origin.to_string(),
        "verdict": verdict(exposure),
        "grants": exposure.grants.iter().map(|g| serde_json::json!({
            "reach": g.reach.describe(),
            "public": g.reach.is_public(),
            "via": via_text(&g.via),
            "action": g.action,
            "location": g.origin.to_string(),
            "because": g.because,
        })).collect::<Vec<_>>(),
    })
}

/// `warden access LAYER`: who can use a layer version. `false` when no layer has that name.
fn write_layers(inv: &warden_model::Inventory, wanted: &str) -> io::Result<bool> {
    let layers: Vec<&warden_model::LayerVersion> = inv
        .layers
        .iter()
        .filter(|l| l.meta.name == wanted || l.layer_name.as_ref().and_then(|n| n.as_str()) == Some(wanted))
        .collect();
    if layers.is_empty() {
        return Ok(false);
    }
    let exposures = warden_iam::exposure::layer_exposure(inv);
    let mut out = io::stdout().lock();
    for layer in layers {
        let Some(exposure) = exposures.iter().find(|e| e.function == layer.meta.id) else {
            continue;
        };
        writeln!(out, "layer {} ({})", layer.meta.name, layer.meta.origin)?;
        let public = exposure.grants.iter().any(|g| g.reach.is_public());
        let verdict = match (public, exposure.grants.is_empty()) {
            (true, _) => "PUBLIC: every AWS account can use and download it",
            (false, true) => "PRIVATE: only its own account can use it",
            (false, false) => "SHARED: the accounts or organizations below can use it",
        };
        writeln!(out, "  {verdict}")?;
        for grant in &exposure.grants {
            write_grant(&mut out, grant)?;
        }
        writeln!(out)?;
    }
    Ok(true)
}
