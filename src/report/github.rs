//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line
//! per finding, which the runner turns into annotations on the changed files.
//!
//! `::warning file=compose.yaml,line=4,endLine=4,col=12,endColumn=17,title=reliability/latest-image-tag::image "nginx" has no tag`
//!
//! Escaping follows GitHub's toolkit: in the message `%` → `%25`, CR → `%0D`,
//! LF → `%0A`; in property values additionally `:` → `%3A` and `,` → `%2C`.
//! Columns are given only when a finding starts and ends on one line (GitHub
//! ignores them otherwise).

use std::io::Write;

use super::Locator;
use crate::diagnostic::{Diagnostic, Severity};
use crate::project::SpecFile;

/// Escapes a command's message.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub(crate) fn write(
    out: &mut dyn Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    let mut loc = Locator::new(files);
    for d in diags {
        let (start, end) = loc.start_end(d.loc());
        let file = loc.file(d.file).display.replace('\\', "/");
        let mut props = format!(
            "file={},line={},endLine={}",
            escape_property(&file),
            start.line,
            end.line
        );
        if start.line == end.line {
            props.push_str(&format!(",col={},endColumn={}", start.column, end.column));
        }
        props.push_str(&format!(",title={}", escape_property(&d.code())));
        let mut message = d.message.clone();
        super::push_help_and_related(&mut message, d, &mut loc);
        writeln!(
            out,
            "::{} {props}::{}",
            command(d.severity),
            escape_data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_specifies() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("50% a\r\nb: c, d"),
            "50%25 a%0D%0Ab%3A c%2C d"
        );
        // `%` first, so escapes are not escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
