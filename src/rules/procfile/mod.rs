//! Rules for Heroku-style apps: `Procfile` and `app.json`.

mod duplicate_process_type;
mod process_type_not_dns_label;
mod undefined_process_type;

use super::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &duplicate_process_type::DuplicateProcessType,
        &process_type_not_dns_label::ProcessTypeNotDnsLabel,
        &undefined_process_type::UndefinedProcessType,
    ]
}
