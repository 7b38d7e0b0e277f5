//! Known data-store images and the path lists that tell data from configuration
//! (`rules/data-stores.toml`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::{Container, Workload, WorkloadKind};
use crate::source::Loc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum StoreKind {
    Database,
    Search,
    Queue,
    ObjectStore,
    Coordination,
    Cache,
}

impl StoreKind {
    /// `a database`, `a cache`.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            StoreKind::Database => "a database",
            StoreKind::Search => "a search engine",
            StoreKind::Queue => "a message broker",
            StoreKind::ObjectStore => "an object store",
            StoreKind::Coordination => "a coordination store",
            StoreKind::Cache => "a cache",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Store {
    pub(crate) name: String,
    pub(crate) kind: StoreKind,
    pub(crate) images: Vec<String>,
    pub(crate) data: Vec<String>,
    /// The store's own dump and restore, for moving its data (`pg_dump` and
    /// `pg_restore`).
    #[serde(default)]
    pub(crate) dump: Option<String>,
    /// Its server commands, looked for in a shell script.
    #[serde(default)]
    pub(crate) servers: Vec<String>,
    /// Settings that make a cache keep its data.
    #[serde(default)]
    pub(crate) persist: Vec<String>,
    /// Settings under which the container holds no data.
    #[serde(default)]
    pub(crate) no_data: Vec<String>,
    /// Its members copy each other's data and keep a quorum: the copies of one
    /// workload are meant for separate nodes.
    #[serde(default)]
    pub(crate) replicated: bool,
    /// Words that name the store inside a vendor build's image name
    /// (`docker-elasticsearch-kubernetes`, `percona_xtradb_cluster_5_6`), matched
    /// as whole words of the repository's last part.
    #[serde(default)]
    pub(crate) words: Vec<String>,
    /// Brooklyn entity types that install and run the store (`CouchbaseCluster`),
    /// matched against the last part of an entity's type name.
    #[serde(default)]
    pub(crate) entities: Vec<String>,
}

/// What decides whether a container of a store's image runs the store.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Roles {
    pub(crate) servers: Vec<String>,
    pub(crate) shells: Vec<String>,
    pub(crate) clients: Vec<String>,
    /// Words of an image name that make it a tool around a store rather than the
    /// store (`elasticsearch-exporter`, `etcd-operator`).
    pub(crate) tools: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Paths {
    pub(crate) data_words: Vec<String>,
    pub(crate) system: Vec<String>,
    pub(crate) scratch: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    store: Vec<Store>,
    roles: Roles,
    paths: Paths,
}

const TABLE: &str = include_str!("../../rules/data-stores.toml");

fn parse() -> Result<Table, toml::de::Error> {
    toml::from_str::<Table>(TABLE)
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    // Compiled in and checked by the tests below.
    T.get_or_init(|| parse().unwrap_or_default())
}

pub(crate) fn paths() -> &'static Paths {
    &table().paths
}

/// The repository of an image reference: without registry host, tag, digest and
/// the `library/` of official images. `None` for references still holding `${...}`.
pub(crate) fn repository(image: &str) -> Option<String> {
    let image = image.trim();
    if image.is_empty() || image.contains('$') {
        return None;
    }
    let no_digest = image.split('@').next().unwrap_or(image);
    // A tag follows the last `:` after the last `/` (a registry port sits before it).
    let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    let no_tag = match no_digest[last_slash..].find(':') {
        Some(i) => &no_digest[..last_slash + i],
        None => no_digest,
    };
    let mut rest = no_tag;
    if let Some((first, tail)) = rest.split_once('/')
        && (first.contains('.') || first.contains(':') || first == "localhost")
    {
        rest = tail;
    }
    if let Some(("library", tail)) = rest.split_once('/') {
        rest = tail;
    }
    let repo = rest.to_ascii_lowercase();
    (!repo.is_empty()).then_some(repo)
}

/// The table's images indexed once: a repository or last path part to the first
/// store that lists it, and the vendor paths in the table's order.
struct Index {
    /// Full image names (with or without `/`): the first store listing each.
    full: HashMap<&'static str, &'static Store>,
    /// Names without `/`: the first store listing each, matched by the last part.
    last: HashMap<&'static str, &'static Store>,
    /// Names with `/`, in the table's order, matched at the end of a repository.
    paths: Vec<(&'static str, &'static Store)>,
}

fn index() -> &'static Index {
    static I: OnceLock<Index> = OnceLock::new();
    I.get_or_init(|| {
        let mut index = Index {
            full: HashMap::new(),
            last: HashMap::new(),
            paths: Vec::new(),
        };
        for store in &table().store {
            for image in &store.images {
                index.full.entry(image.as_str()).or_insert(store);
                if image.contains('/') {
                    index.paths.push((image.as_str(), store));
                } else {
                    index.last.entry(image.as_str()).or_insert(store);
                }
            }
        }
        index
    })
}

/// The data store an image runs, if it is a known one.
pub(crate) fn lookup(image: &str) -> Option<&'static Store> {
    lookup_how(image).map(|(s, _)| s)
}

/// The data store an image runs, and whether it is a vendor build known only by
/// a word of its name (so the store's usual data directories may not be its own).
pub(crate) fn lookup_how(image: &str) -> Option<(&'static Store, bool)> {
    let repo = repository(image)?;
    let last = repo.rsplit('/').next().unwrap_or(&repo);
    let index = index();
    // A full path match wins over a last-part match; vendor images named by a
    // path (`mssql/server` of `mcr.microsoft.com/mssql/server`) match at the end
    // of the repository.
    index
        .full
        .get(repo.as_str())
        .or_else(|| index.last.get(last))
        .copied()
        .or_else(|| {
            index
                .paths
                .iter()
                .find(|(i, _)| ends_with_segment(&repo, i))
                .map(|(_, s)| *s)
        })
        .map(|s| (s, false))
        .or_else(|| by_word(last).map(|s| (s, true)))
}

/// The words of an image name's last part: `docker-elasticsearch-kubernetes` is
/// `docker`, `elasticsearch`, `kubernetes`.
fn name_words(last: &str) -> impl Iterator<Item = &str> {
    last.split(['-', '_', '.']).filter(|w| !w.is_empty())
}

/// A vendor build named after the store (`pires/docker-elasticsearch-kubernetes`,
/// `openshift/etcd-20-centos7`), unless a word of its name says it is a tool
/// around the store (`elasticsearch-exporter`, `etcd-operator`). Compares
/// borrowed words only: no allocation per comparison.
fn by_word(last: &str) -> Option<&'static Store> {
    let t = table();
    if name_words(last).any(|w| t.roles.tools.iter().any(|tool| tool == w)) {
        return None;
    }
    name_words(last).find_map(|w| t.store.iter().find(|s| s.words.iter().any(|sw| sw == w)))
}

/// The data store a block of a Helm chart's values is named after: `redis` and
/// `postgresql` (the dependency charts' own blocks), `inClusterRedis` (a chart's
/// switch for a store it runs itself). The store's name or an image's last part,
/// compared without case and without allocating.
pub(crate) fn lookup_values_key(key: &str) -> Option<&'static Store> {
    let name = ["incluster", "internal", "embedded", "bundled"]
        .iter()
        .find_map(|p| {
            key.get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .map(|_| &key[p.len()..])
        })
        .unwrap_or(key);
    if name.is_empty() {
        return None;
    }
    table().store.iter().find(|s| {
        s.name.eq_ignore_ascii_case(name)
            || s.images
                .iter()
                .any(|i| !i.contains('/') && i.eq_ignore_ascii_case(name))
    })
}

/// The data store a Brooklyn entity of this type installs and runs
/// (`org.apache.brooklyn.entity.nosql.couchbase.CouchbaseCluster`).
pub(crate) fn lookup_entity(type_name: &str) -> Option<&'static Store> {
    let last = type_name.rsplit('.').next().unwrap_or(type_name).trim();
    table()
        .store
        .iter()
        .find(|s| s.entities.iter().any(|e| e == last))
}

/// What runs a known data store in a container: its image, or for a Brooklyn
/// entity without one, the entity's type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Runs<'a> {
    pub(crate) store: &'static Store,
    /// The image reference or the entity type, as written.
    pub(crate) named: &'a str,
    /// Where that is written (an entity's type: where the entity is named).
    pub(crate) at: Loc,
    /// Named by a Brooklyn entity type: the entity installs the store, so where it
    /// keeps its data is the entity's business, not a mount of the spec.
    pub(crate) entity: bool,
    /// A vendor build known by a word of its image name: it may keep its data
    /// elsewhere than the store's usual directories.
    pub(crate) vendor: bool,
}

/// The data store container `c` of `w` runs, if it is a known one.
pub(crate) fn runs<'a>(w: &'a Workload, c: &'a Container) -> Option<Runs<'a>> {
    if let Some(image) = &c.image {
        return lookup_how(&image.value).map(|(store, vendor)| Runs {
            store,
            named: &image.value,
            at: image.loc,
            entity: false,
            vendor,
        });
    }
    if w.kind != WorkloadKind::BrooklynEntity {
        return None;
    }
    let (_, type_name) = w.labels.iter().find(|(k, _)| k == "brooklyn.type")?;
    lookup_entity(type_name).map(|store| Runs {
        store,
        named: type_name,
        at: w.at,
        entity: true,
        vendor: false,
    })
}

/// Whether `repo` ends with `/tail` (without building that string).
fn ends_with_segment(repo: &str, tail: &str) -> bool {
    repo.len() > tail.len()
        && repo.ends_with(tail)
        && repo.as_bytes()[repo.len() - tail.len() - 1] == b'/'
}

/// The part a container of a store's image plays, from what it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// It runs the store as the image means it.
    Server,
    /// It runs a cache that keeps its data (the setting that says so): a store.
    Persisted(String),
    /// It runs the store but holds no data (the setting that says so).
    NoData(String),
    /// It runs something else: a client, a shell that starts no server, an idle
    /// command (the word that says so).
    NotServer(String),
}

/// Lowercased, whitespace collapsed, leading `--` of each word dropped, `=` of a
/// flag read as a space: `--appendonly=yes` and `appendonly yes` read alike.
fn normalize(words: &[String]) -> String {
    let mut out = String::from(" ");
    for w in words.iter().flat_map(|w| w.split_whitespace()) {
        let w = w.to_ascii_lowercase();
        let w = match w.strip_prefix("--") {
            Some(flag) => flag.replacen('=', " ", 1),
            None => w,
        };
        out.push_str(w.trim_matches(['"', '\'']));
        out.push(' ');
    }
    out
}

/// The last path part of a command word: `/usr/bin/redis-cli` is `redis-cli`.
fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The role of a container of `store`'s image that runs `command` (entrypoint
/// then arguments; empty: the image's default) with `env` (`KEY=value`).
pub(crate) fn role(store: &Store, command: &[String], env: &[String]) -> Role {
    let roles = &table().roles;
    let is_client = |w: &str| roles.clients.iter().any(|c| c == program(w));
    let first = command.first().map(String::as_str).unwrap_or("");
    let shell = roles.shells.iter().any(|s| s == program(first));
    if shell {
        // `sh -c SCRIPT`: a script that starts the server (or an entrypoint) runs
        // the store; one that runs only clients or idles does not.
        let script: Vec<&str> = command[1..]
            .iter()
            .filter(|w| !w.starts_with('-'))
            .flat_map(|w| w.split_whitespace())
            .collect();
        // The store's servers, and its images' names (`etcd` of `quay.io/coreos/etcd`)
        // unless a client has that name too (`mysql`, `mongo`).
        let image_named = |p: &str| {
            !is_client(p)
                && store
                    .images
                    .iter()
                    .any(|i| i.rsplit('/').next().is_some_and(|last| last == p))
        };
        let starts_server = script.iter().any(|w| {
            let p = program(w.trim_matches(['"', '\'', ';', '&', '(', ')']));
            store.servers.iter().any(|s| program(s) == p)
                || roles.servers.iter().any(|s| program(s) == p)
                || image_named(p)
        }) || roles
            .servers
            .iter()
            .any(|s| s.contains(' ') && command.iter().any(|w| w.contains(s.as_str())));
        if !starts_server {
            if let Some(w) = script
                .iter()
                .map(|w| w.trim_matches(['"', '\'', ';', '&', '(', ')']))
                .find(|w| is_client(w))
            {
                return Role::NotServer(format!("{} -c ... {}", program(first), program(w)));
            }
            if script.is_empty() {
                return Role::NotServer(program(first).to_string());
            }
        }
    } else if !first.starts_with('-') && is_client(first) {
        return Role::NotServer(program(first).to_string());
    }
    let mut said: Vec<String> = if shell { Vec::new() } else { command.to_vec() };
    said.extend(env.iter().cloned());
    let text = normalize(&said);
    if let Some(m) = store
        .no_data
        .iter()
        .find(|m| text.contains(&format!(" {m}")))
    {
        return Role::NoData(m.trim().to_string());
    }
    let text = normalize(&[command.to_vec(), env.to_vec()].concat());
    if let Some(m) = store
        .persist
        .iter()
        .find(|m| text.contains(&format!(" {m}")))
    {
        return Role::Persisted(m.trim().to_string());
    }
    Role::Server
}

/// Whether a path lies at or under `dir`.
pub(crate) fn under(path: &str, dir: &str) -> bool {
    let p = path.trim_end_matches('/');
    let d = dir.trim_end_matches('/');
    if d.is_empty() {
        return true;
    }
    p.strip_prefix(d)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A host directory of the machine itself (`/proc`, `/var/log`, the Docker socket).
pub(crate) fn is_system_path(path: &str) -> bool {
    paths().system.iter().any(|s| under(path, s))
}

/// Build output or a cache (`node_modules`, `/tmp`).
pub(crate) fn is_scratch_path(path: &str) -> bool {
    let scratch = &paths().scratch;
    path.split('/')
        .any(|c| scratch.iter().any(|s| s.eq_ignore_ascii_case(c)))
}

/// A path whose components say it holds data (`./data`, `/var/lib/mysql`, `pgdata`).
pub(crate) fn looks_like_data(path: &str) -> bool {
    let words = &paths().data_words;
    path.split(['/', '\\']).any(|c| {
        let c = c.to_ascii_lowercase();
        words.iter().any(|w| {
            c == *w
                || c.strip_prefix(w.as_str())
                    .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
                || c.strip_suffix(w.as_str())
                    .is_some_and(|rest| rest.ends_with(['-', '_', '.']))
        })
    })
}

/// A mount target that holds configuration rather than data: a file (it has an
/// extension) or something under `/etc`, or an init-script directory.
pub(crate) fn looks_like_config(target: &str) -> bool {
    let last = target
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let is_file = last
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && ext.len() <= 5);
    is_file
        || under(target, "/etc")
        || target.contains("docker-entrypoint-initdb.d")
        || target.contains("/conf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses() {
        let t = parse().expect("rules/data-stores.toml parses");
        assert!(t.store.len() >= 20);
        for s in &t.store {
            assert!(!s.images.is_empty(), "{}", s.name);
            for d in &s.data {
                assert!(d.starts_with('/'), "{}: {d}", s.name);
            }
        }
        assert!(!t.paths.data_words.is_empty() && !t.paths.system.is_empty());
    }

    #[test]
    fn repositories() {
        assert_eq!(repository("postgres:16").as_deref(), Some("postgres"));
        assert_eq!(
            repository("docker.io/library/postgres:16@sha256:abc").as_deref(),
            Some("postgres")
        );
        assert_eq!(
            repository("localhost:5000/team/app:1").as_deref(),
            Some("team/app")
        );
        assert_eq!(
            repository("mcr.microsoft.com/mssql/server:2022-latest").as_deref(),
            Some("mssql/server")
        );
        assert_eq!(repository("${IMAGE}"), None);
    }

    #[test]
    fn lookups() {
        assert_eq!(
            lookup("mariadb:10.6").map(|s| s.name.as_str()),
            Some("MariaDB")
        );
        assert_eq!(
            lookup("bitnami/postgresql:15").map(|s| s.name.as_str()),
            Some("PostgreSQL")
        );
        assert_eq!(
            lookup("mcr.microsoft.com/mssql/server:2022-latest").map(|s| s.name.as_str()),
            Some("Microsoft SQL Server")
        );
        assert_eq!(lookup("redis:7").map(|s| s.kind), Some(StoreKind::Cache));
        assert_eq!(
            lookup("circleci/postgres:12").map(|s| s.name.as_str()),
            Some("PostgreSQL")
        );
        assert!(lookup("nginx:1.27").is_none());
        assert!(lookup("example/postgres-backup:1").is_none());
    }

    #[test]
    fn vendor_builds_by_the_words_of_their_names() {
        let name = |i: &str| lookup(i).map(|s| s.name.as_str());
        assert_eq!(
            name("quay.io/pires/docker-elasticsearch-kubernetes:5.6.2"),
            Some("Elasticsearch")
        );
        assert_eq!(name("openshift/etcd-20-centos7"), Some("etcd"));
        assert_eq!(
            name("example/percona_xtradb_cluster_5_7:1"),
            Some("Percona XtraDB Cluster")
        );
        assert!(lookup("example/percona_xtradb_cluster_5_7").is_some_and(|s| s.replicated));
        assert_eq!(name("example/riak-ts:1"), Some("Riak"));
        // Tools around a store are not the store.
        assert!(lookup("example/elasticsearch_exporter:1").is_none());
        assert!(lookup("example/etcd-operator:0.9").is_none());
        assert!(lookup("example/fluentd-elasticsearch:2").is_none());
        assert!(lookup("example/dcos-elasticsearch-migration:1").is_none());
        // A word inside a word is no match.
        assert!(lookup("example/etcdctl:3").is_none());
    }

    #[test]
    fn values_keys() {
        let name = |k: &str| lookup_values_key(k).map(|s| s.name.as_str());
        assert_eq!(name("redis"), Some("Redis"));
        assert_eq!(name("inClusterRedis"), Some("Redis"));
        assert_eq!(name("postgresql"), Some("PostgreSQL"));
        assert_eq!(name("mongodb"), Some("MongoDB"));
        assert_eq!(name("externalRedis"), None);
        assert_eq!(name("frontend"), None);
        assert_eq!(name("inCluster"), None);
    }

    #[test]
    fn brooklyn_entity_types() {
        let name = |t: &str| lookup_entity(t).map(|s| s.name.as_str());
        assert_eq!(
            name("org.apache.brooklyn.entity.nosql.couchbase.CouchbaseCluster"),
            Some("Couchbase")
        );
        assert_eq!(name("brooklyn.entity.nosql.riak.RiakCluster"), Some("Riak"));
        assert_eq!(
            name("org.apache.brooklyn.entity.nosql.etcd.EtcdCluster"),
            Some("etcd")
        );
        assert_eq!(
            name("org.apache.brooklyn.entity.database.mysql.MySqlNode"),
            Some("MySQL")
        );
        assert!(name("org.apache.brooklyn.entity.webapp.tomcat.Tomcat8Server").is_none());
        assert!(lookup_entity("CouchbaseCluster").is_some_and(|s| s.replicated));
    }

    #[test]
    fn paths_of_data_and_config() {
        assert!(looks_like_data("./data"));
        assert!(looks_like_data("~/minecraft_data"));
        assert!(looks_like_data("/var/lib/mysql"));
        assert!(looks_like_data("db-data"));
        assert!(!looks_like_data("./backend"));
        assert!(!looks_like_data("./nginx.conf"));
        assert!(looks_like_config("/etc/nginx/conf.d/default.conf"));
        assert!(looks_like_config("/docker-entrypoint-initdb.d"));
        assert!(!looks_like_config("/var/lib/postgresql/data"));
        assert!(is_system_path("/var/run/docker.sock"));
        assert!(is_system_path("/proc"));
        assert!(!is_system_path("/srv/data"));
        assert!(is_scratch_path("/usr/src/app/node_modules"));
        assert!(under("/var/lib/postgresql/data", "/var/lib/postgresql"));
        assert!(!under("/var/lib/postgresql2", "/var/lib/postgresql"));
    }
}
