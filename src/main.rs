use clap::Parser;

fn main() {
    let cli = orchlint::cli::Cli::parse();
    let code = match orchlint::cli::run(cli) {
        Ok(code) => code,
        Err(orchlint::cli::Fatal(msg)) => {
            // A closed pipe (`orchlint check | head`) is not an error.
            if msg.contains("Broken pipe") {
                0
            } else {
                eprintln!("orchlint: error: {msg}");
                2
            }
        }
    };
    std::process::exit(code);
}
