//! Findings the scan itself emits: files it could not read or parse, values of the
//! wrong type, stale suppressions. Documented like every other rule.

use super::{Example, Family, RuleMeta, Severity, Tier};
use crate::source::Format;

pub(crate) static INVALID_SYNTAX: RuleMeta = RuleMeta {
    name: "invalid-syntax",
    family: Family::Syntax,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
        Format::Helm,
    ],
    summary: "the file is not valid YAML or JSON",
    what: "Reports the first place where a spec file stops being valid YAML (or JSON), with the parser's explanation. Documents before that place are still linted.",
    why: "Orchestrators refuse the whole file, so nothing in it deploys; other linters often skip such files without a word.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: [nginx
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

pub(crate) static DUPLICATE_KEY: RuleMeta = RuleMeta {
    name: "duplicate-key",
    family: Family::Syntax,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: Format::ALL,
    summary: "a mapping repeats a key",
    what: "Reports a key that appears twice in the same mapping. orchlint keeps reading the file with the last value, as some loaders do.",
    why: "kubectl and docker compose reject the file; loaders that accept it silently drop one of the values, so what runs is not what the reader sees.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    image: nginx:1.25
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

pub(crate) static WRONG_TYPE: RuleMeta = RuleMeta {
    name: "wrong-type",
    family: Family::Syntax,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: Format::ALL,
    summary: "a field holds a value of the wrong type",
    what: "Reports a field whose value does not have the type the format expects (a list where a number belongs, a word where a port number belongs, a string where Compose wants a list, as in `networks.NAME.aliases: web`). Kubernetes objects and Marathon apps are read as strictly as their API servers read the JSON that kubectl and clients send: a quoted number or boolean in an integer, number or boolean field (`replicas: \"3\"`, `privileged: \"false\"`), and an unquoted number or boolean in a string field (an env `value: 4`, a label or annotation value `version: 2`, a ConfigMap's or Secret's `data` values, `args` and `command` items, `image: 1.5`) are reported with the full key path. kubectl reads YAML as YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2), so `yes`, `no`, `on`, `off`, `y` and `n` (in lower, title or upper case) are booleans there too. Resource quantities (`cpu: 1`, `memory: 512`) take numbers, string-or-integer fields (`targetPort`, probe ports, `maxSurge`) take either, and map keys are always strings. Compose, whose specification reads numbers as strings where it wants strings, is not judged that way. The finding points at the value.",
    why: "The orchestrator refuses the spec or, worse, reads something else than what was meant.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: three
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
"#,
    },
};

pub static UNREADABLE_FILE: RuleMeta = RuleMeta {
    name: "unreadable-file",
    family: Family::Scan,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: Format::ALL,
    summary: "a spec file could not be read or is not text",
    what: "Reports a file that looks like a spec by its name but cannot be read, is not UTF-8 text, or is binary.",
    why: "A spec that cannot be read cannot be deployed or checked; the scan goes on with the other files.",
    bad: Example {
        file_name: "compose.yaml",
        text: "(bytes that are not UTF-8)",
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

pub(crate) static FILE_TOO_LARGE: RuleMeta = RuleMeta {
    name: "file-too-large",
    family: Family::Scan,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: Format::ALL,
    summary: "a candidate file is larger than the size limit and was skipped",
    what: "Reports a file whose name says it may be a spec but whose size exceeds `--max-file-size` (default 10 MiB); it is not read.",
    why: "Huge generated files make scans slow; saying so keeps a skipped file from passing unnoticed.",
    bad: Example {
        file_name: "compose.yaml",
        text: "(a 50 MiB generated file)",
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

pub(crate) static EMPTY_FILE: RuleMeta = RuleMeta {
    name: "empty-file",
    family: Family::Scan,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose, Format::Kubernetes, Format::Helm],
    summary: "a file named as a spec holds no document",
    what: "Reports a file whose name says it is a spec (such as `compose.yaml`) but that is empty or holds only comments.",
    why: "Tools that load it fail (`docker compose` refuses an empty file) or deploy nothing without a word; it is usually a leftover or a file truncated by mistake.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"# services moved to compose.prod.yaml
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    name: "unused-suppression",
    family: Family::Suppression,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
        Format::Helm,
    ],
    summary: "an orchlint-ignore comment or annotation matches no finding",
    what: "Reports a suppression (`# orchlint-ignore: ...`, `# orchlint-ignore-file: ...` or the `orchlint.dev/ignore` annotation) that silenced nothing in this run, naming the rules it lists.",
    why: "Stale suppressions hide future problems and mislead readers; removing them keeps the file honest.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    # orchlint-ignore: privileged-container
    image: nginx:1.27
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
"#,
    },
};

pub(crate) static MISSING_REASON: RuleMeta = RuleMeta {
    name: "missing-reason",
    family: Family::Suppression,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
        Format::Helm,
    ],
    summary: "a suppression gives no reason where the configuration asks for one",
    what: "With `require-reason = true` in the `[suppressions]` table of `orchlint.toml`, reports a suppression (`# orchlint-ignore: ...`, `# orchlint-ignore-file: ...` or the `orchlint.dev/ignore` annotation) with no reason after ` -- `. The suppression still applies; the finding points at the rules it lists. Without that setting nothing is reported.",
    why: "A reason tells reviewers why a finding is accepted and is kept with the suppressed finding in JSON and SARIF (as the suppression's justification), where code scanning shows it; a bare suppression hides a finding without a word.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    privileged: true # orchlint-ignore: privileged-container
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    privileged: true # orchlint-ignore: privileged-container -- needs raw sockets
"#,
    },
};

pub(crate) static INLINE_FORBIDDEN: RuleMeta = RuleMeta {
    name: "inline-forbidden",
    family: Family::Suppression,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
        Format::Helm,
    ],
    summary: "a suppression in a file where the configuration forbids them",
    what: "With `inline = false` in the `[suppressions]` table of `orchlint.toml`, reports each suppression written in a file (`# orchlint-ignore: ...`, `# orchlint-ignore-file: ...` or the `orchlint.dev/ignore` annotation) and ignores it: the findings it names are reported as if it were not there. Without that setting nothing is reported.",
    why: "Some teams decide what is accepted in one reviewed place (the configuration's `ignore`, `severity` and `overrides`) rather than in each file; a suppression in a file would silently bypass that review.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    privileged: true # orchlint-ignore: privileged-container -- needs raw sockets
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    cap_add: [NET_RAW]
"#,
    },
};

pub(crate) static UNKNOWN_RULE: RuleMeta = RuleMeta {
    name: "unknown-rule",
    family: Family::Suppression,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
        Format::Helm,
    ],
    summary: "a suppression names a rule that does not exist",
    what: "Reports a name in an `orchlint-ignore` comment or annotation that is not a rule, family or `all`, with the closest rule name.",
    why: "A misspelled suppression silences nothing, so the finding it was meant for keeps appearing (or the intent is lost).",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    privileged: true # orchlint-ignore: privilege-container
    image: nginx:1.27
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    privileged: true # orchlint-ignore: privileged-container -- needs raw sockets
    image: nginx:1.27
"#,
    },
};

// Schema findings the readers emit.

pub(crate) static UNKNOWN_KEY: RuleMeta = RuleMeta {
    name: "unknown-key",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a mapping holds a key its format does not define",
    what: "Reports a key that the object holding it does not have in the format's schema, at the key, with its key path and the closest known key. Compose, against the Compose Specification: the top level, services, `build`, `deploy` and its parts, `healthcheck`, `logging`, long-syntax ports, volumes, secrets and configs, `depends_on` entries, networks, volumes, secrets and configs; `x-` extension keys are allowed where the format allows them. Compose file format 1 (Fig) files, whose top-level keys are services, are checked against that format's own service keys. A misspelled `services` in a Compose file is reported here rather than read as a format 1 file whose services are the top-level keys. Kubernetes: the top-level keys, the metadata and the spec of the kinds orchlint reads (Pods, workloads, Services, volumes and claims, autoscalers), checked against the Kubernetes API, and the `metadata` (ObjectMeta) of every object, custom resources included, whether or not their CustomResourceDefinition is in the scan; keys that older API versions still accept and the `$`-keys of strategic merge patches are not reported. Custom resources are checked against the `openAPIV3Schema` of their CustomResourceDefinition when one is anywhere in the scan: a key is unknown where the schema lists `properties` (or sets `additionalProperties: false`) without `x-kubernetes-preserve-unknown-fields` or an `additionalProperties` schema; `apiVersion`, `kind` and `metadata` are left to the other checks. Marathon: the keys of apps, pods and groups and of every object nested in them (`container`, `container.docker` and its `parameters` and `portMappings`, `container.portMappings`, `container.volumes` and their `persistent` and `external` parts, `healthChecks`, `readinessChecks`, `upgradeStrategy`, `unreachableStrategy`, `residency`, `portDefinitions`, `ipAddress`, `networks`, `fetch`, `secrets`; a pod's `scaling`, `scheduling` and its parts, `volumes`, `networks`, and each container's `resources`, `image`, `endpoints`, `healthCheck`, `volumeMounts`, `artifacts`, `exec`, `lifecycle`), checked against the RAML types of Marathon's REST API (every version from 0.x to 1.10, the read-only keys of exports included). The fix (unsafe: the value then takes effect) renames a plain key of a Compose, Kubernetes or Marathon YAML file to the one close known key, unless its mapping holds that key already.",
    why: "`docker compose` validates files against the Compose Specification and refuses the whole file (\"additional property ... is not allowed\"); loaders that do not validate drop the key silently, so a misspelled `limits` or `condition` leaves the service without the setting the reader sees. `kubectl apply` refuses the object (`unknown field`, strict field validation); Marathon accepts the app and ignores the key, so in Marathon files the finding is a warning rather than an error. Either way the setting that was meant (a pull policy, a probe, a limit, an instance count) is never applied.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    deploy:
      resources:
        limts:
          memory: 512M
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    deploy:
      resources:
        limits:
          memory: 512M
"#,
    },
};

pub(crate) static INVALID_VALUE: RuleMeta = RuleMeta {
    name: "invalid-value",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a field holds a value outside the ones its format accepts",
    what: "Reports a value that is not one of those the field accepts, with the accepted values in the message and the closest one when there is one. For Compose: a service name with characters other than letters, digits, `.`, `_` and `-`; `restart`, `deploy.restart_policy.condition`, `depends_on` conditions, `pull_policy`, port `protocol`, `deploy.mode`, the `service:`/`container:` forms of `network_mode`, volume `type`, `cgroup`, update and rollback `order`, `develop.watch` actions and bind options; the forms of durations (`healthcheck` `interval`, `timeout`, `start_period` and `start_interval`, `stop_grace_period`, the `delay`, `window` and `monitor` of `deploy.restart_policy`, `update_config` and `rollback_config`: what Go's `time.ParseDuration` reads, such as `1m30s`) and byte sizes (`mem_limit`, `mem_reservation`, `memswap_limit`, `shm_size`, `deploy.resources` `memory`, a tmpfs mount's `size`: an integer or a number with a unit such as `512m` or `1gb`), and short-syntax ports whose published and container ranges differ in size (`8000-8005:80-90`, `8080:80-90`; a published range onto one container port is a pool and fine); and the forms the Docker Engine parses when it pulls the image or creates the container: `image` (Docker's reference grammar, `[registry[:port]/]name[:tag][@digest]` with lowercase path components and at most one tag; `nginx:1.27:alpine` and `MyApp` are refused), `container_name` (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`), the mode of a short-syntax volume (comma-separated `ro`/`rw`, `z`/`Z`, a propagation, `nocopy` and a consistency, at most one of each; `./data:/data:rwx` is refused) and `extra_hosts` entries (`HOST:ADDRESS` or `HOST=ADDRESS`). A value that interpolates variables (`restart: ${RESTART}`) is judged once interpolated with the project's `.env` and the defaults it writes (`${PROTO:-tcp}`); one that uses a variable set nowhere is not, as the shell or the CI job may set it. `${NAME:?message}` and `${NAME?message}` stop `docker compose` (\"required variable NAME is missing a value\") when NAME is unset in its environment and its `.env`; orchlint cannot see the environment, so it reports them only in projects that have a `.env` file that does not set NAME (a project with a `.env` is taken to keep its variables there; without one they are expected from the environment and nothing is said). Also, a `${...}` Compose cannot interpolate (`${1}`, `${VAR//a/b}`, `${ VAR }`, an unclosed `${`) is reported in any value, as Compose refuses the file (\"invalid interpolation format\"; a literal `$` is written `$$`). Once a project's files are merged and `extends` followed, Compose also refuses an `extends` that comes back to the service it starts from (in one file or across files), `network_mode` together with `networks`, a `build` with both `dockerfile` and `dockerfile_inline`, and `cpus`, `mem_limit`, `mem_reservation` or `scale` that differ from `deploy.resources.limits.cpus`, `deploy.resources.limits.memory`, `deploy.resources.reservations.memory` or `deploy.replicas`; these are reported here too. Kubernetes objects: a `kind` that its apiVersion, one of Kubernetes' own, does not serve (a misspelling, `Deploymnet` in apps/v1, with the closest kind; or a kind of another group, `Deployment` in batch/v1, with the versions that serve it; kube-apiserver answers `no matches for kind`), judged against the kinds of the newest release orchlint knows (k8s-openapi's types) and the removed and introduced API versions of `rules/removed-apis.toml` and `rules/introduced-apis.toml`; API versions no current release serves, kubeconfig files and OpenShift's legacy `v1` kinds are not judged, and custom groups are left to `unvalidated-kind`. A value outside its field's enum (`imagePullPolicy`, a pod's `restartPolicy` and the ones Job and controller templates allow, port `protocol`, Service `type`, `dnsPolicy`, a Deployment's `strategy.type`, StatefulSet and DaemonSet `updateStrategy.type`, `podManagementPolicy`, `concurrencyPolicy`, `accessModes`) or its form: `metadata.name` (a DNS-1123 subdomain for most kinds, a DNS-1035 label for a Service, a DNS-1123 label for a Namespace, at most 52 characters for a CronJob), `metadata.namespace` (a DNS-1123 label), container names (DNS-1123 labels), container port names and named target ports (IANA service names of at most 15 characters), Service port names, label keys and values, resource quantities (and negative ones), port numbers outside 1-65535, and a negative `replicas` in a Deployment, StatefulSet, ReplicaSet or ReplicationController. Custom resources whose CustomResourceDefinition is in the scan: a value of another type than its schema's `type` (a quoted number for an `integer`, a number for a `string`, `x-kubernetes-int-or-string` fields take either) a value outside the schema's `enum`, and a value its constraints refuse: `minimum`/`maximum` (with `exclusiveMinimum`/`exclusiveMaximum`), `minLength`/`maxLength` (in characters), `pattern` (RE2 syntax, as kube-apiserver reads it; a pattern the engine cannot compile, such as a lookahead, is not judged), `format` (`date-time`, `date`, `ipv4`, `ipv6`, `uuid`; other formats are not judged), `minItems`/`maxItems`, `minProperties`/`maxProperties`, every branch of `allOf`, at least one of `anyOf` (the message quotes the first branch's objection) and exactly one of `oneOf`. CEL rules (`x-kubernetes-validations`), `not` and `uniqueItems` are not evaluated; `unvalidated-kind` notes the kinds with CEL rules. The message gives the key path and the accepted values or form; the finding points at the value. In Marathon apps and pods: an `id` with a path segment Marathon refuses (uppercase letters, '_', a '-' at either end), `upgradeStrategy` (or `scheduling.upgrade`) capacities outside 0-1, an unknown `container.docker.network`, and, against the RAML types of Marathon's REST API, the enums of nested objects (`container.type` DOCKER/MESOS, `networks[].mode`, health-check `protocol` HTTP/HTTPS/TCP/COMMAND/MESOS_HTTP/MESOS_HTTPS/MESOS_TCP and `ipProtocol`, readiness-check `protocol`, port-mapping and port-definition `protocol` tcp/udp/`udp,tcp`, volume `mode` RO/RW, persistent volume `type`, `killSelection`, `residency.taskLostBehavior`, `unreachableStrategy` (`disabled` or an object), constraint operators and an app constraint's 2 or 3 fields; a pod's `scaling.kind`, image `kind` and health-check `scheme`; case is not compared, as Marathon's readers do not) and numeric ranges (ports 0-65535; counts, resources, seconds and sizes not negative; `backoffFactor` at least 1; the 1.4 `scheduling.upgradeStrategy` capacities 0-1). Pod endpoint `protocol`s are any name (Mesos advertises them), so they are not judged. An app with both `cmd` and `args` is reported at `args` (Marathon runs one or the other). Values written for a template engine (`{{ }}`, `${ }`) are not checked.",
    why: "`docker compose` refuses the project when it loads it (\"invalid interpolation format\", \"declares mutually exclusive `network_mode` and `networks`\", a circular `extends`, a duration or size it cannot parse) or the engine refuses the service when it is created (\"invalid restart policy\", \"must be one of ...\"), often only at deploy time; a misspelled condition or policy never does what the reader expects. kube-apiserver validates these fields and refuses the whole object (`Unsupported value`, `Invalid value`), so `kubectl apply` fails, and Marathon answers 422 to such an app; case matters (`tcp` is not `TCP`) and the form rules are stricter than they look (a port name of 16 characters, a label value of 64).",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    restart: alwyas
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    restart: always
"#,
    },
};

pub(crate) static ALL: &[&RuleMeta] = &[
    &INVALID_SYNTAX,
    &DUPLICATE_KEY,
    &WRONG_TYPE,
    &UNREADABLE_FILE,
    &FILE_TOO_LARGE,
    &EMPTY_FILE,
    &UNUSED_SUPPRESSION,
    &UNKNOWN_RULE,
    &MISSING_REASON,
    &INLINE_FORBIDDEN,
    &UNKNOWN_KEY,
    &INVALID_VALUE,
];
