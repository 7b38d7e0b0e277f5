//! miette's graphical reports: the source excerpt, the span underlined with a label,
//! and the help line.

use std::fmt;
use std::io::Write;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::excerpt::{self, Excerpt};
use super::spool::Spool;
use crate::diagnostic::{Diagnostic, Severity};
use crate::project::SpecFile;

/// The excerpt a finding shows, for miette. Its `file:line:col` header and line
/// numbers are the file's own, columns counted in characters as every other
/// output format does (miette counts bytes).
struct Source<'a> {
    name: String,
    excerpt: Excerpt,
    text: &'a str,
    starts: &'a [usize],
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.excerpt.text.read_span(span, before, after)?;
        let start = self.excerpt.to_file(inner.span().offset());
        let line = excerpt::line_of(self.starts, start);
        let column = if inner.column() == 0 {
            0
        } else {
            let line_start = self.starts.get(line).copied().unwrap_or(0);
            self.text
                .get(line_start..start)
                .map_or(inner.column(), |t| t.chars().count())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: Source<'a>,
    code: String,
    extra: Vec<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(h) = &self.d.help {
            parts.push(h);
        }
        parts.extend(self.extra.iter().map(String::as_str));
        (!parts.is_empty()).then(|| Box::new(parts.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = &self.source.excerpt;
        let span = |s: crate::source::Span| {
            let start = excerpt.to_excerpt(s.start as usize, false);
            let end = excerpt.to_excerpt(s.end as usize, true).max(start);
            SourceSpan::new(start.into(), end - start)
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(self.d.label.clone().unwrap_or_else(|| "here".into())),
            span(self.d.span),
        )];
        for r in &self.d.related {
            if r.file == self.d.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    span(r.span),
                ));
            }
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Renders findings in one file, each followed by an empty line.
fn render_run(
    handlers: &Handlers,
    files: &[SpecFile],
    diags: &[Diagnostic],
) -> std::io::Result<String> {
    let mut out = String::new();
    let Some(first) = diags.first() else {
        return Ok(out);
    };
    let file = &files[first.file.0 as usize];
    let starts = excerpt::line_starts(&file.text);
    let mut loc = super::Locator::new(files);
    for d in diags {
        // Related places in other files are named in the help text.
        let extra = d
            .related
            .iter()
            .filter(|r| r.file != d.file)
            .map(|r| {
                let lc = loc.line_col(r.file, r.span.start);
                format!(
                    "{}: {}:{}:{}",
                    r.message, files[r.file.0 as usize].display, lc.line, lc.column
                )
            })
            .collect();
        let mut secrets = d.redact.clone();
        secrets.sort_unstable_by_key(|s| (s.start, s.end));
        let mut labels = vec![d.span];
        labels.extend(
            d.related
                .iter()
                .filter(|r| r.file == d.file)
                .map(|r| r.span),
        );
        let report = Report {
            d,
            source: Source {
                name: file.display.clone(),
                excerpt: Excerpt::new(&file.text, &starts, &secrets, &labels),
                text: &file.text,
                starts: &starts,
            },
            code: d.code(),
            extra,
        };
        let handler = if fits(&report.d.message)
            && report.d.help.as_deref().is_none_or(fits)
            && report.extra.iter().all(|e| fits(e))
        {
            &handlers.plain
        } else {
            &handlers.wrapping
        };
        handler
            .render_report(&mut out, &report)
            .map_err(std::io::Error::other)?;
        out.push('\n');
    }
    Ok(out)
}

/// miette's handler, and the same without wrapping the message and help for
/// the findings whose text no wrapping would change: finding where to break
/// a line costs more than rendering the rest.
struct Handlers {
    wrapping: GraphicalReportHandler,
    plain: GraphicalReportHandler,
}

/// How many files' findings are rendered at once.
const RUNS_AT_ONCE: usize = 64;

/// miette's width, less the two columns it keeps.
const WIDTH: usize = 198;
/// The widest indentation miette puts before a line of message or help
/// (`  help: `).
const INDENT: usize = 8;

/// Whether wrapping leaves `text` as it is: each of its lines is printable
/// ASCII, short enough, and without the spaces wrapping would drop (leading,
/// trailing or doubled).
fn fits(text: &str) -> bool {
    text.split('\n').all(|line| {
        !line.is_empty()
            && line.len() + INDENT <= WIDTH
            && line.bytes().all(|b| (b' '..=b'~').contains(&b))
            && !line.starts_with(' ')
            && !line.ends_with(' ')
            && !line.contains("  ")
    })
}

/// The report written chunk by chunk: each finding as it comes, the summary
/// at the end.
pub(crate) struct Stream {
    handlers: Handlers,
    body: Spool,
}

impl Stream {
    pub(crate) fn new(color: bool) -> Stream {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Stream {
            handlers: Handlers {
                wrapping: GraphicalReportHandler::new_themed(theme.clone()).with_context_lines(1),
                plain: GraphicalReportHandler::new_themed(theme)
                    .with_context_lines(1)
                    .with_wrap_lines(false),
            },
            body: Spool::new(),
        }
    }

    /// Renders a chunk's findings, the files' runs of findings in parallel
    /// (each with its own line index), and writes them in their order.
    pub(crate) fn chunk(
        &mut self,
        files: &[SpecFile],
        diags: &[Diagnostic],
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        let handlers = &self.handlers;
        let runs: Vec<&[Diagnostic]> = diags.chunk_by(|a, b| a.file == b.file).collect();
        // A batch at a time, so that what waits to be written stays small
        // whatever the chunk (a scan that could not be split is one chunk).
        for batch in runs.chunks(RUNS_AT_ONCE) {
            let rendered: Vec<std::io::Result<String>> = batch
                .par_iter()
                .map(|run| render_run(handlers, files, run))
                .collect();
            for r in rendered {
                self.body.write_all(r?.as_bytes())?;
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self, out: &mut dyn Write, counts: &super::Counts) -> std::io::Result<()> {
        self.body.copy_to(out)?;
        writeln!(out, "{}", super::summary_of(counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(handler: &GraphicalReportHandler, message: &str, help: &str) -> String {
        let d = miette::MietteDiagnostic::new(message)
            .with_code("reliability/latest-image-tag")
            .with_help(help);
        let mut out = String::new();
        handler.render_report(&mut out, &d).expect("render");
        out
    }

    /// The handler that does not wrap renders a finding whose texts `fits`
    /// byte for byte as the wrapping one does, and texts it would change are
    /// not taken for fitting.
    #[test]
    fn texts_that_fit_render_the_same_unwrapped() {
        for color in [false, true] {
            let Stream { handlers, .. } = Stream::new(color);
            let long = "word ".repeat(60);
            let cases = [
                ("image \"nginx\" has no tag", "pin a tag: `nginx:1.27`"),
                (
                    "a/b-c: x=1, y=[2]; {z}",
                    "first line\nsecond: file.yaml:3:4",
                ),
                (long.trim_end(), "short"),
                ("two  spaces", "trailing "),
                ("ünïcode message", " leading"),
                ("x", ""),
            ];
            let mut same = 0;
            for (message, help) in cases {
                let wrapped = render(&handlers.wrapping, message, help);
                let plain = render(&handlers.plain, message, help);
                if fits(message) && fits(help) {
                    assert_eq!(plain, wrapped, "{message:?} / {help:?}");
                    same += 1;
                }
            }
            assert_eq!(same, 2, "the first two cases fit");
            assert!(!fits(long.trim_end()) && !fits("two  spaces") && !fits("ünï"));
        }
    }
}
