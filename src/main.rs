use clap::Parser;
use orchlint::cli::Fatal;

// The scan allocates many small nodes on several threads; mimalloc keeps that cheap.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = orchlint::cli::Cli::parse();
    // A bug must still end with exit code 2 and a message, never a bare abort code.
    let result = std::panic::catch_unwind(|| orchlint::cli::run(cli));
    let code = match result {
        Ok(Ok(code)) => code,
        // A closed pipe (`orchlint check | head`) is not an error.
        Ok(Err(Fatal::ClosedOutput)) => 0,
        Ok(Err(Fatal::Error(msg))) => {
            eprintln!("orchlint: error: {msg}");
            2
        }
        Err(_) => {
            eprintln!(
                "orchlint: internal error (a bug; please report it with the input that caused it)"
            );
            2
        }
    };
    std::process::exit(code);
}
