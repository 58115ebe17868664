//! Suppressions written as comments: `# warden:skip=ID reason` (or `//`) on the line of a
//! `resource` / `module` block header or on the comment lines directly above it.

use warden_model::{Skip, Span};

use crate::text::SourceText;

const MARKER: &str = "warden:skip=";

/// The skips written on or directly above the block whose header is on `header_line`.
pub(crate) fn skips(src: &SourceText, header_line: usize) -> Vec<Skip> {
    let mut out = Vec::new();
    if let Some(line) = src.line(header_line) {
        out.extend(skips_in(src, header_line, line, trailing_comment(line)));
    }
    let mut line_no = header_line;
    while line_no > 1 {
        line_no -= 1;
        let Some(line) = src.line(line_no) else { break };
        let trimmed = line.trim_start();
        if !(trimmed.starts_with('#') || trimmed.starts_with("//")) {
            break;
        }
        out.extend(skips_in(src, line_no, line, Some(line.len() - trimmed.len())));
    }
    out
}

/// Where a comment starts on a code line (outside strings).
fn trailing_comment(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => return Some(i),
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The skips in the comment that starts at byte `comment` of `line`: `warden:skip=ID[,ID] reason`.
fn skips_in(src: &SourceText, line_no: usize, line: &str, comment: Option<usize>) -> Vec<Skip> {
    let Some(comment) = comment else { return Vec::new() };
    let text = &line[comment..];
    let Some(at) = text.find(MARKER) else {
        return Vec::new();
    };
    let rest = &text[at + MARKER.len()..];
    let (ids, reason) = match rest.split_once(char::is_whitespace) {
        Some((ids, reason)) => (ids, reason.trim()),
        None => (rest, ""),
    };
    let line_start = src.line_start(line_no).unwrap_or(0);
    let start = line_start + comment + at;
    let span: Span = src.span(start..line_start + line.len());
    ids.split(',')
        .filter(|id| !id.is_empty())
        .map(|id| Skip {
            rule: id.to_string(),
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            span,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_above_and_on_the_header_are_read() {
        let text = "# unrelated\n\n# warden:skip=CFG005 bursts are capped upstream\n// warden:skip=CFG006,CFG010\nresource \"aws_lambda_function\" \"f\" { # warden:skip=CFG003 public only\n}\n";
        let src = SourceText::new("main.tf", text);
        let found = skips(&src, 5);
        let rules: Vec<&str> = found.iter().map(|s| s.rule.as_str()).collect();
        assert_eq!(rules, vec!["CFG003", "CFG006", "CFG010", "CFG005"]);
        assert_eq!(found[3].reason.as_deref(), Some("bursts are capped upstream"));
        assert_eq!(found[1].reason, None);
        assert_eq!(found[3].span.start.line, 3);
    }

    #[test]
    fn a_marker_inside_a_string_is_not_a_comment() {
        let src = SourceText::new("main.tf", "resource \"x\" \"# warden:skip=A\" {\n}\n");
        assert!(skips(&src, 1).is_empty());
    }
}
