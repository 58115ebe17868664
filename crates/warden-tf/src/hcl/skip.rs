//! Suppressions written as comments: `# warden:skip=ID reason` (or `//`) on the line of a
//! `resource` / `module` block header or on the comment lines directly above it. The parsing
//! is the model's, shared with the Serverless loader.

use warden_model::Skip;
use warden_model::skip_comments::{CommentSyntax, SkipComments};

use crate::text::SourceText;

/// The skips written on or directly above the block whose header is on `header_line`.
pub(crate) fn skips(src: &SourceText, header_line: usize) -> Vec<Skip> {
    let line = u32::try_from(header_line).unwrap_or(u32::MAX);
    SkipComments::new(&src.text, CommentSyntax::Hcl).on_or_above(line)
}
