//! `fixture_cases!()` expands to one `#[test]` per `fixtures/<rule>/fail*` and
//! `pass*` entry of orchlint's repository, each calling
//! `check_case("fixtures/<rule>/<case>", "<rule>", Kind::Fail | Kind::Pass)` from
//! the module that invokes it (`tests/it/fixtures.rs`). `build.rs` writes the list.

include!(concat!(env!("OUT_DIR"), "/fixture_cases.rs"));
