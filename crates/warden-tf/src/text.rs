//! Source text with positions: byte ranges from the parsers become [`Span`]s whose lines and
//! columns are 1-based and counted in characters, and whose offsets are character offsets (the
//! convention of every loader, so reporters can cut snippets the same way).

use std::ops::Range;
use std::sync::Arc;

use warden_model::{Pos, Span};

/// One source file: its name in findings, its text, and where its lines start.
#[derive(Debug)]
pub(crate) struct SourceText {
    pub path: Arc<str>,
    pub text: Arc<str>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Character offset of the start of each line.
    line_char_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(path: &str, text: &str) -> SourceText {
        let mut line_starts = vec![0];
        let mut line_char_starts = vec![0];
        for (chars, (byte, c)) in text.char_indices().enumerate() {
            if c == '\n' {
                line_starts.push(byte + 1);
                line_char_starts.push(chars + 1);
            }
        }
        SourceText {
            path: Arc::from(path),
            text: Arc::from(text),
            line_starts,
            line_char_starts,
        }
    }

    /// The position of a byte offset (clamped to the text, moved back to a character boundary).
    pub fn pos(&self, byte: usize) -> Pos {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= byte).max(1) - 1;
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.text.get(line_start..byte).map_or(0, |s| s.chars().count());
        let char_start = self.line_char_starts.get(line).copied().unwrap_or(0);
        Pos {
            line: to_u32(line + 1),
            column: to_u32(column + 1),
            offset: to_u32(char_start + column),
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        Span {
            start: self.pos(range.start),
            end: self.pos(range.end),
        }
    }

    /// The text of a byte range, empty when the range is not valid for this text.
    pub fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }

    /// The text of line `line` (1-based), without its line break.
    #[cfg(test)]
    pub fn line(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .map(|l| l.trim_end_matches(['\n', '\r']))
    }

    /// The byte offset where line `line` (1-based) starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }
}

/// The text a parser should read: a leading byte-order mark becomes spaces of the same byte
/// length, so parser offsets still index the original text (which positions are computed on).
pub(crate) fn parsable(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => std::borrow::Cow::Owned(format!("   {rest}")),
        None => std::borrow::Cow::Borrowed(text),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_offsets_count_characters() {
        let src = SourceText::new("main.tf", "a = \"é\"\nbé = 1\n");
        let pos = src.pos(src.text.find("= 1").unwrap_or_default());
        assert_eq!((pos.line, pos.column, pos.offset), (2, 4, 11));
        assert_eq!(src.line(2), Some("bé = 1"));
        // Out of range and mid-character offsets are clamped, never a panic.
        assert_eq!(src.pos(10_000).line, 3);
        assert_eq!(src.pos(6).column, 6);
    }

    #[test]
    fn a_byte_order_mark_keeps_offsets() {
        let text = "\u{feff}a = 1";
        assert_eq!(parsable(text).len(), text.len());
        assert_eq!(parsable(text).trim_start(), "a = 1");
        assert_eq!(SourceText::new("x", text).pos(3).column, 2);
    }
}
