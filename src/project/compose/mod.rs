//! Compose projects: which files make one (`group`: a file with its overrides,
//! `include` and `extends` files) and the project as Compose assembles it (`view`:
//! overrides merged, `extends` and `include` followed, `.env` read), built once and
//! read by the lowering and every Compose rule.

pub(crate) mod group;
pub(crate) mod view;

pub(crate) use group::group;
pub(crate) use view::ProjectView;
