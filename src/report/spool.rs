//! Bytes of a report written before its head can be: a report streamed chunk by
//! chunk keeps its body here until the totals its head (or its `ruleIndex`es)
//! needs are known. Small bodies stay in memory; past `limit` bytes they move
//! to an anonymous temporary file, so memory does not grow with the report.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Cursor, Seek, SeekFrom, Write};

/// Bytes kept in memory before the spool moves to a temporary file.
pub(crate) const MEMORY_LIMIT: usize = 1 << 20;

/// The limit new spools take: `MEMORY_LIMIT`, lowered by tests that want every
/// spool on disk.
static LIMIT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(MEMORY_LIMIT);

/// Makes every spool made from now on move to disk past `limit` bytes (tests).
#[cfg(test)]
pub(crate) fn set_memory_limit(limit: usize) {
    LIMIT.store(limit, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    limit: usize,
}

impl Spool {
    pub(crate) fn new() -> Spool {
        Spool::with_limit(LIMIT.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub(crate) fn with_limit(limit: usize) -> Spool {
        Spool {
            memory: Vec::new(),
            file: None,
            limit,
        }
    }

    /// Whether the bytes went to a temporary file.
    #[cfg(test)]
    pub(crate) fn on_disk(&self) -> bool {
        self.file.is_some()
    }

    /// The spooled bytes, from the start.
    pub(crate) fn reader(self) -> io::Result<Box<dyn BufRead>> {
        match self.file {
            None => Ok(Box::new(Cursor::new(self.memory))),
            Some(w) => {
                let mut f = w.into_inner().map_err(|e| e.into_error())?;
                f.seek(SeekFrom::Start(0))?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
            }
        }
    }

    /// Copies the spooled bytes to `out`.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        let mut r = self.reader()?;
        io::copy(&mut r, out).map(|_| ())
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(f) = &mut self.file {
            return f.write(buf);
        }
        self.memory.extend_from_slice(buf);
        if self.memory.len() > self.limit {
            let mut f = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
            f.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(f);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_whole_from_memory_and_from_disk() {
        let text: Vec<u8> = (0..10_000u32).flat_map(|i| i.to_le_bytes()).collect();
        for limit in [usize::MAX, 100] {
            let mut s = Spool::with_limit(limit);
            for part in text.chunks(333) {
                s.write_all(part).expect("write");
            }
            assert_eq!(s.on_disk(), limit == 100);
            let mut back = Vec::new();
            s.copy_to(&mut back).expect("copy");
            assert_eq!(back, text);
        }
    }
}
