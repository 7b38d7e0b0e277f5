//! `path:line:col: severity [family/name] message`, one finding per line.

use std::io::Write;

use super::Locator;
use crate::diagnostic::Diagnostic;
use crate::project::SpecFile;

pub fn write(out: &mut dyn Write, files: &[SpecFile], diags: &[Diagnostic]) -> std::io::Result<()> {
    let mut loc = Locator::new(files);
    for d in diags {
        let (start, _) = loc.start_end(d.loc());
        writeln!(
            out,
            "{}:{}:{}: {} [{}] {}",
            loc.file(d.file).display,
            start.line,
            start.column,
            d.severity.as_str(),
            d.code(),
            d.message
        )?;
    }
    Ok(())
}
