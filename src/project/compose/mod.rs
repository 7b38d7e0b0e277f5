//! Compose projects: which files make one (`group`: a file with its overrides,
//! `include` and `extends` files) and the project as Compose assembles it (`view`:
//! overrides merged, `extends` and `include` followed, `.env` read), built once and
//! read by the lowering and every Compose rule.

pub mod group;
pub mod view;

pub use group::group;
pub use view::ProjectView;
