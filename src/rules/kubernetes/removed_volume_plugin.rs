//! `correctness/removed-volume-plugin`: a pod or PersistentVolume uses an in-tree
//! volume type whose plugin Kubernetes removed (Flocker, Quobyte, StorageOS,
//! GlusterFS, ...). The table is data, in `rules/removed-apis.toml`.

use super::removed_api_version::removed_volumes;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::yaml::Node;

pub(crate) struct RemovedVolumePlugin;

static META: RuleMeta = RuleMeta {
    name: "removed-volume-plugin",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a volume uses an in-tree plugin that Kubernetes removed",
    what: "Reports a pod volume (in any workload's pod template) or a PersistentVolume whose type is an in-tree plugin Kubernetes removed: `flocker`, `quobyte` and `storageos` (1.25), `glusterfs` (1.26), `scaleIO` (1.22), `photonPersistentDisk` (1.16). The finding points at the volume type key and names the release; a plugin the target release (`--kubernetes-version`, `[kubernetes] version`) still has is not reported. The table lives in `rules/removed-apis.toml`, with its sources.",
    why: "The API keeps the fields, so the object is accepted, but no kubelet of that release or later can mount the volume: the pod stays in `ContainerCreating` with \"no volume plugin matched\". Flocker in particular has no successor (ClusterHQ shut down in 2016): its data must move to a volume of a maintained CSI driver.",
    bad: Example {
        file_name: "pod.yaml",
        text: r#"apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: db
    image: postgres:16
    volumeMounts:
    - {name: data, mountPath: /var/lib/postgresql/data}
  volumes:
  - name: data
    flocker:
      datasetName: pgdata
"#,
    },
    good: Example {
        file_name: "pod.yaml",
        text: r#"apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: db
    image: postgres:16
    volumeMounts:
    - {name: data, mountPath: /var/lib/postgresql/data}
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: pgdata
"#,
    },
};

impl Rule for RemovedVolumePlugin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let table = removed_volumes();
        for (file, obj) in project_objects(cx.project, cx.files) {
            let at = obj.at(&file.docs);
            // Where volume types sit: each pod volume, or a PersistentVolume's spec.
            let mut sources: Vec<(&Node, Option<String>)> = Vec::new();
            if obj.kind.value == "PersistentVolume" {
                if let Some(spec) = at.key("spec").node() {
                    sources.push((spec, None));
                }
            } else if let Some(t) = obj.pod_template()
                && let Some(volumes) = at.path(t.path).path(&["spec", "volumes"]).node()
            {
                for v in volumes.as_sequence().unwrap_or_default() {
                    let name = v.get("name").and_then(Node::as_str).map(str::to_string);
                    sources.push((v, name));
                }
            }
            for (node, volume) in sources {
                for row in table {
                    let Some((key, _)) = node.entry(&row.field) else {
                        continue;
                    };
                    // The target release still has the plugin.
                    if !cx.kubernetes.reaches(&row.removed_in) {
                        continue;
                    }
                    let what = match &volume {
                        Some(v) => format!("volume \"{v}\" of {}", obj.describe()),
                        None => obj.describe(),
                    };
                    let d = cx.report(
                        file.id,
                        key.span,
                        format!(
                            "{what} uses the in-tree `{}` volume plugin, which Kubernetes {} removed",
                            row.field, row.removed_in
                        ),
                    );
                    d.help = Some(row.note.clone());
                }
            }
        }
    }
}
