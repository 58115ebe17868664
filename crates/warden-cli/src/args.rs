use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use warden_model::Severity;
use warden_report::Format;

/// Lambda Warden: finds what lets someone reach or abuse an AWS Lambda function.
#[derive(Debug, Parser)]
#[command(name = "warden", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan CloudFormation / SAM templates (files or directories).
    Scan(ScanArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Show the documentation of one rule.
    Explain(ExplainArgs),
    /// Explain who can invoke a function, and through which statements, URLs and routes.
    Access(AccessArgs),
    /// IAM policy tools.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Lint a policy document (JSON or YAML): errors, security warnings, warnings and
    /// suggestions with line:column. Exit 1 on an error or a security warning.
    Check(PolicyCheckArgs),
}

#[derive(Debug, Args)]
pub struct PolicyCheckArgs {
    /// The policy document.
    pub file: PathBuf,
    /// What kind of policy it is.
    #[arg(long, value_enum, default_value = "identity")]
    pub kind: PolicyKindArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PolicyKindArg {
    Identity,
    Resource,
    Trust,
    Boundary,
    Scp,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (directories are walked, respecting .gitignore).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Format of the report printed on standard output.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    pub format: Format,
    /// Also write a report to a file, as FORMAT=FILE (repeatable: `--output sarif=out.sarif`).
    #[arg(long, short = 'o', value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub output: Vec<(Format, PathBuf)>,
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Run only these rules (ids or id prefixes such as `ACC`), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (ids or id prefixes), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Configuration file (default: warden.toml found upward from the first path).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not read any warden.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Print nothing on standard output; rely on the exit code and --output files.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Never colour the output (also: NO_COLOR environment variable).
    #[arg(long)]
    pub no_color: bool,
    /// Accept the findings listed in this baseline file: they are reported as suppressed, do
    /// not fail the run, and those that no longer occur are listed as fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of this run's findings to FILE, as a baseline for `--baseline`.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CatalogFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: CatalogFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id (`ACC004`) or name (`function-url-auth-none`).
    pub rule: String,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse::<Severity>()
}

fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=FILE"))?;
    if file.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok((parse_format(format)?, PathBuf::from(file)))
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// The function: logical id, `FunctionName`, or Inventory id.
    pub function: String,
    /// Files or directories to load the function from.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: CatalogFormat,
}
