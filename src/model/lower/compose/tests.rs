//! Locations of merged services: each field names the file it was read from.

use crate::source::FileId;
use crate::testing::compose::{at_loc, load, projects};

/// `image: nginx` in the base file and `user: rootx` in the override file sit at the
/// same byte offsets: only the file tells the two values apart.
#[test]
fn a_merged_field_keeps_its_own_file_at_the_same_offsets_as_another() {
    let base = "services:\n  web:\n    image: nginx\n";
    let over = "services:\n  web:\n    user:  rootx\n";
    assert_eq!(base.find("nginx"), over.find("rootx"));
    let (files, diags) = load(&[
        ("/p/compose.yaml", base),
        ("/p/compose.override.yaml", over),
    ]);
    assert!(diags.is_empty());
    let project = projects(&files).remove(0);
    assert_eq!(project.files, vec![FileId(0), FileId(1)]);
    let model = super::lower(&project, &files);
    let web = &model.workloads[0];
    assert_eq!(web.file(), FileId(0));
    let c = &web.containers[0];
    let image = c.image.as_ref().unwrap();
    let user = c.user.as_ref().unwrap();
    assert_eq!(image.loc.span, user.loc.span);
    assert_eq!(image.loc.file, FileId(0), "the image is compose.yaml's");
    assert_eq!(user.loc.file, FileId(1), "the user is the override's");
    assert_eq!(at_loc(&files, image.loc), "nginx");
    assert_eq!(at_loc(&files, user.loc), "rootx");
}
