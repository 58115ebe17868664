use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A position in a source file. Lines and columns are 1-based; `0` means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    /// Byte offset from the start of the file.
    pub offset: u32,
}

/// A range in a source file. `Span::default()` (line 0) means "no position known", as for
/// elements read from a live account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn is_known(&self) -> bool {
        self.start.line > 0
    }

    /// `self` if it is known, otherwise `fallback`.
    pub fn or(self, fallback: Span) -> Span {
        if self.is_known() { self } else { fallback }
    }
}

/// Where an Inventory element was defined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Infrastructure as code: a file and the span of the element in it.
    File { path: Arc<str>, span: Span },
    /// A live account.
    Aws { arn: String, region: String },
}

impl Origin {
    pub fn file(path: &Arc<str>, span: Span) -> Origin {
        Origin::File {
            path: path.clone(),
            span,
        }
    }

    pub fn path(&self) -> Option<&str> {
        match self {
            Origin::File { path, .. } => Some(path),
            Origin::Aws { .. } => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Origin::File { span, .. } => *span,
            Origin::Aws { .. } => Span::default(),
        }
    }

    /// The same origin narrowed to `span`, when `span` is known (e.g. one property of a resource).
    pub fn at(&self, span: Span) -> Origin {
        match self {
            Origin::File { path, span: own } => Origin::File {
                path: path.clone(),
                span: span.or(*own),
            },
            other => other.clone(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, span } if span.is_known() => {
                write!(f, "{path}:{}:{}", span.start.line, span.start.column)
            }
            Origin::File { path, .. } => write!(f, "{path}"),
            Origin::Aws { arn, region } => write!(f, "{arn} ({region})"),
        }
    }
}
