//! Suppressions written as comments, `# warden:skip=ID[,ID] reason`, on the line that opens an
//! element (a Terraform block header, a Serverless function key) or on the comment lines
//! directly above it. Shared by the loaders of every format that has comments, so that one
//! syntax means the same thing everywhere.

use crate::{Pos, Skip, Span};

const MARKER: &str = "warden:skip=";

/// How comments are written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentSyntax {
    /// HCL: `#` or `//` anywhere outside a `"string"`.
    Hcl,
    /// YAML: `#` at the start of a line or after whitespace, outside `'...'` and `"..."`.
    Yaml,
}

/// The lines of one source, indexed for looking up skip comments by line.
#[derive(Debug)]
pub struct SkipComments<'t> {
    text: &'t str,
    syntax: CommentSyntax,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Character offset of the start of each line.
    line_char_starts: Vec<usize>,
}

impl<'t> SkipComments<'t> {
    pub fn new(text: &'t str, syntax: CommentSyntax) -> SkipComments<'t> {
        let mut line_starts = vec![0];
        let mut line_char_starts = vec![0];
        for (chars, (byte, c)) in text.char_indices().enumerate() {
            if c == '\n' {
                line_starts.push(byte + 1);
                line_char_starts.push(chars + 1);
            }
        }
        SkipComments {
            text,
            syntax,
            line_starts,
            line_char_starts,
        }
    }

    /// The skips written on `line` (1-based) and on the comment lines directly above it (no
    /// blank line between), nearest first. Each skip's span covers its comment.
    pub fn on_or_above(&self, line: u32) -> Vec<Skip> {
        let line = line as usize;
        let mut out = Vec::new();
        if let Some(text) = self.line(line) {
            out.extend(self.skips_in(line, text, self.trailing_comment(text)));
        }
        let mut line_no = line;
        while line_no > 1 {
            line_no -= 1;
            let Some(text) = self.line(line_no) else { break };
            let trimmed = text.trim_start();
            let is_comment =
                trimmed.starts_with('#') || (self.syntax == CommentSyntax::Hcl && trimmed.starts_with("//"));
            if !is_comment {
                break;
            }
            out.extend(self.skips_in(line_no, text, Some(text.len() - trimmed.len())));
        }
        out
    }

    /// The text of line `line` (1-based), without its line break.
    fn line(&self, line: usize) -> Option<&'t str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .map(|l| l.trim_end_matches(['\n', '\r']))
    }

    /// Where a comment starts on a line that also holds code (outside strings).
    fn trailing_comment(&self, line: &str) -> Option<usize> {
        match self.syntax {
            CommentSyntax::Hcl => hcl_comment(line),
            CommentSyntax::Yaml => yaml_comment(line),
        }
    }

    /// The skips in the comment that starts at byte `comment` of `line`.
    fn skips_in(&self, line_no: usize, line: &str, comment: Option<usize>) -> Vec<Skip> {
        let Some(text) = comment.and_then(|c| line.get(c..)) else {
            return Vec::new();
        };
        let Some(at) = text.find(MARKER) else {
            return Vec::new();
        };
        let rest = &text[at + MARKER.len()..];
        let (ids, reason) = match rest.split_once(char::is_whitespace) {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (rest, ""),
        };
        let start = comment.unwrap_or(0) + at;
        let span = Span {
            start: self.pos(line_no, line, start),
            end: self.pos(line_no, line, line.len()),
        };
        ids.split(',')
            .filter(|id| !id.is_empty())
            .map(|id| Skip {
                rule: id.to_string(),
                reason: (!reason.is_empty()).then(|| reason.to_string()),
                span,
            })
            .collect()
    }

    /// The position of byte `byte` of line `line_no`: 1-based line and column, character offset.
    fn pos(&self, line_no: usize, line: &str, byte: usize) -> Pos {
        let column = line.get(..byte).map_or(0, |s| s.chars().count());
        let char_start = self
            .line_char_starts
            .get(line_no.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        Pos {
            line: to_u32(line_no),
            column: to_u32(column + 1),
            offset: to_u32(char_start + column),
        }
    }
}

/// A `#` or `//` comment outside a `"string"` (HCL).
fn hcl_comment(line: &str) -> Option<usize> {
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

/// A `#` that starts a YAML comment: at the start of the line or after whitespace, outside a
/// quoted scalar (`''` escapes a quote in single quotes, `\` escapes in double quotes).
fn yaml_comment(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    quote = None;
                }
            }
            Some(_) => {
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
            }
            None => match c {
                '#' if previous.is_none_or(char::is_whitespace) => return Some(i),
                // A quote opens a quoted scalar only where a scalar can start.
                '\'' | '"' if previous.is_none_or(|p| p.is_whitespace() || "[{,:-?".contains(p)) => {
                    quote = Some(c);
                }
                _ => {}
            },
        }
        previous = Some(c);
    }
    None
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(skips: &[Skip]) -> Vec<&str> {
        skips.iter().map(|s| s.rule.as_str()).collect()
    }

    #[test]
    fn hcl_comments_above_and_on_the_header_are_read() {
        let text = "# unrelated\n\n# warden:skip=CFG005 bursts are capped upstream\n// warden:skip=CFG006,CFG010\nresource \"aws_lambda_function\" \"f\" { # warden:skip=CFG003 public only\n}\n";
        let found = SkipComments::new(text, CommentSyntax::Hcl).on_or_above(5);
        assert_eq!(rules(&found), vec!["CFG003", "CFG006", "CFG010", "CFG005"]);
        assert_eq!(found[3].reason.as_deref(), Some("bursts are capped upstream"));
        assert_eq!(found[1].reason, None);
        assert_eq!((found[3].span.start.line, found[3].span.start.column), (3, 3));
    }

    #[test]
    fn a_marker_inside_an_hcl_string_is_not_a_comment() {
        let text = "resource \"x\" \"# warden:skip=A\" {\n}\n";
        assert!(
            SkipComments::new(text, CommentSyntax::Hcl)
                .on_or_above(1)
                .is_empty()
        );
    }

    #[test]
    fn yaml_comments_above_and_on_the_key_are_read() {
        let text = "functions:\n  # warden:skip=CFG005 capped by the API\n  hello: # warden:skip=CFG003 no VPC needed\n    handler: h.main\n";
        let found = SkipComments::new(text, CommentSyntax::Yaml).on_or_above(3);
        assert_eq!(rules(&found), vec!["CFG003", "CFG005"]);
        assert_eq!(found[0].reason.as_deref(), Some("no VPC needed"));
        assert_eq!((found[0].span.start.line, found[0].span.start.column), (3, 12));
        assert_eq!(found[1].span.start.offset, 15);
    }

    #[test]
    fn yaml_hash_inside_quotes_or_words_is_not_a_comment() {
        let text = "a: 'x # warden:skip=A'\nb: \"y # warden:skip=B\"\nc: z#warden:skip=C\nd: 'it''s' # warden:skip=D ok\n";
        let index = SkipComments::new(text, CommentSyntax::Yaml);
        assert!(index.on_or_above(1).is_empty());
        assert!(index.on_or_above(2).is_empty());
        assert!(index.on_or_above(3).is_empty());
        assert_eq!(rules(&index.on_or_above(4)), vec!["D"]);
    }

    #[test]
    fn a_blank_line_or_code_ends_the_comments_above() {
        let text = "# warden:skip=A far\n\nx: 1\n# warden:skip=B near\nhello:\n";
        let index = SkipComments::new(text, CommentSyntax::Yaml);
        assert_eq!(rules(&index.on_or_above(5)), vec!["B"]);
        assert!(index.on_or_above(3).is_empty());
        // Lines outside the text are not an error.
        assert!(index.on_or_above(0).is_empty());
        assert!(index.on_or_above(99).is_empty());
    }
}
