//! Rules for Heroku-style apps: `Procfile` and `app.json`.

super::register! {
    duplicate_process_type::DuplicateProcessType,
    process_type_not_dns_label::ProcessTypeNotDnsLabel,
    undefined_process_type::UndefinedProcessType,
}
