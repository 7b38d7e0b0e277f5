//! A Heroku-style app (Procfile and app.json) as Compose services: one service per
//! process type, all from one image a buildpack builds, app.json's formation as
//! copies, its add-ons as data stores with named volumes, and its `env` with the
//! values a person must give left empty.

use serde_json::{Map, Value, json};

use super::Migration;
use super::compose::{Flavor, Out, escape, memory};
use super::names::dns_label;
use crate::model::{BackingService, DeploymentModel, EnvVar};
use crate::project::procfile::parts;
use crate::project::{Project, SpecFile};

/// The port a `web` process is told to listen on (`$PORT`, which the platform sets).
const WEB_PORT: u32 = 5000;

/// A data store an add-on stands for, as a service of the Compose file.
pub(super) struct Store {
    /// The `store` id of `addon_store` (`postgresql`, `redis`, ...).
    pub(super) store: &'static str,
    /// Service name and image.
    pub(super) service: &'static str,
    pub(super) image: &'static str,
    /// Where it keeps its data; `None` for a cache that keeps none.
    pub(super) data: Option<&'static str>,
    /// The config var the add-on sets on the app, and its value for the service.
    pub(super) url: Option<(&'static str, &'static str)>,
    /// Variables the store's image needs, with the one a person must give.
    pub(super) env: &'static [(&'static str, Option<&'static str>)],
    /// Dokku's plugin for it (`postgres`, `redis`, ...).
    pub(super) dokku_plugin: Option<&'static str>,
}

pub(super) const STORES: &[Store] = &[
    Store {
        store: "postgresql",
        service: "postgres",
        image: "postgres:16.4",
        data: Some("/var/lib/postgresql/data"),
        url: Some((
            "DATABASE_URL",
            "postgres://app:${POSTGRES_PASSWORD}@postgres:5432/app",
        )),
        env: &[
            ("POSTGRES_USER", Some("app")),
            ("POSTGRES_DB", Some("app")),
            ("POSTGRES_PASSWORD", None),
        ],
        dokku_plugin: Some("postgres"),
    },
    Store {
        store: "redis",
        service: "redis",
        image: "redis:7.4",
        data: Some("/data"),
        url: Some(("REDIS_URL", "redis://redis:6379")),
        env: &[],
        dokku_plugin: Some("redis"),
    },
    Store {
        store: "mysql",
        service: "mysql",
        image: "mysql:8.4",
        data: Some("/var/lib/mysql"),
        url: Some((
            "DATABASE_URL",
            "mysql://app:${MYSQL_PASSWORD}@mysql:3306/app",
        )),
        env: &[
            ("MYSQL_USER", Some("app")),
            ("MYSQL_DATABASE", Some("app")),
            ("MYSQL_PASSWORD", None),
            ("MYSQL_RANDOM_ROOT_PASSWORD", Some("yes")),
        ],
        dokku_plugin: Some("mysql"),
    },
    Store {
        store: "mongodb",
        service: "mongo",
        image: "mongo:7.0",
        data: Some("/data/db"),
        url: Some(("MONGODB_URI", "mongodb://mongo:27017/app")),
        env: &[],
        dokku_plugin: Some("mongo"),
    },
    Store {
        store: "memcached",
        service: "memcached",
        image: "memcached:1.6",
        data: None,
        url: Some(("MEMCACHIER_SERVERS", "memcached:11211")),
        env: &[],
        dokku_plugin: Some("memcached"),
    },
    Store {
        store: "rabbitmq",
        service: "rabbitmq",
        image: "rabbitmq:3.13",
        data: Some("/var/lib/rabbitmq"),
        url: Some(("CLOUDAMQP_URL", "amqp://guest:guest@rabbitmq:5672")),
        env: &[],
        dokku_plugin: Some("rabbitmq"),
    },
    Store {
        store: "elasticsearch",
        service: "elasticsearch",
        image: "elasticsearch:8.15.0",
        data: Some("/usr/share/elasticsearch/data"),
        url: Some(("ELASTICSEARCH_URL", "http://elasticsearch:9200")),
        env: &[
            ("discovery.type", Some("single-node")),
            ("xpack.security.enabled", Some("false")),
        ],
        dokku_plugin: Some("elasticsearch"),
    },
];

/// The store an add-on stands for, when orchlint knows how to run it.
pub(super) fn store_of(b: &BackingService) -> Option<&'static Store> {
    let id = b.store?;
    STORES.iter().find(|s| s.store == id)
}

/// The app's env (app.json's `env`, on the model's first process type).
pub(super) fn app_env(model: &DeploymentModel) -> &[EnvVar] {
    model
        .workloads
        .first()
        .and_then(|w| w.containers.first())
        .map_or(&[], |c| c.env.as_slice())
}

pub(super) fn write(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    project_name: &str,
) -> Result<Migration, String> {
    if model.workloads.is_empty() {
        return Err("the Procfile names no process type and app.json no formation".into());
    }
    let (procfile, _) = parts(project, files);
    let image = format!("{}:latest", dns_label(project_name));
    let mut out = Out::new(Flavor::Compose);
    let first = model.workloads.first().map(|w| w.at);
    out.left(
        format!("the app has no image: build one with a Heroku buildpack (`pack build {image} --builder heroku/builder:24` in the source folder), or write a Dockerfile and use `build:`"),
        first,
    );
    // Add-ons first: the app's variables point at them.
    let mut store_env: Map<String, Value> = Map::new();
    let mut stores: Vec<&str> = Vec::new();
    for b in &model.backing_services {
        let Some(st) = store_of(b) else {
            out.left(
                format!("add-on `{}` is a service of the platform with no image orchlint knows: keep using the provider (set its config vars by hand) or drop it", b.name),
                Some(b.loc),
            );
            continue;
        };
        if out.services.contains_key(st.service) {
            continue;
        }
        let mut s = Map::new();
        s.insert("image".into(), json!(st.image));
        s.insert("restart".into(), json!("unless-stopped"));
        if !st.env.is_empty() {
            let mut env = Map::new();
            for (k, v) in st.env {
                env.insert((*k).into(), v.map_or(Value::Null, |v| json!(v)));
                if v.is_none() {
                    out.guide.decide.push(format!(
                        "`{k}` of service `{}`: set it in `.env` beside the file (Compose passes it on; the app's URL is built from it)",
                        st.service
                    ));
                }
            }
            s.insert("environment".into(), Value::Object(env));
        }
        if let Some(path) = st.data {
            let vol = format!("{}-data", st.service);
            out.volumes.insert(vol.clone(), json!({}));
            s.insert("volumes".into(), json!([format!("{vol}:{path}")]));
            let how = match st.store {
                "postgresql" => "`heroku pg:backups:capture` and `heroku pg:backups:download`, then `pg_restore` into `postgres`".to_string(),
                "redis" => "`redis-cli --rdb dump.rdb` against the add-on's URL, then place `dump.rdb` in the volume before the first start".to_string(),
                _ => format!("the store's own dump and restore into `{}`", st.service),
            };
            out.guide.decide.push(format!(
                "the data of add-on `{}`: export it from the platform ({how}); it lands in volume `{vol}`",
                b.name
            ));
        }
        if let Some((var, url)) = st.url {
            store_env.insert(var.into(), json!(url));
        }
        out.guide.carried.push(format!(
            "add-on `{}` → service `{}` ({}){}",
            b.name,
            st.service,
            st.image,
            st.url
                .map(|(v, _)| format!(", its URL in `{v}`"))
                .unwrap_or_default()
        ));
        out.services
            .insert(st.service.to_string(), Value::Object(s));
        stores.push(st.service);
    }
    // The app's variables: literal defaults kept, the rest left to a person.
    let mut env: Map<String, Value> = Map::new();
    for v in app_env(model) {
        if store_env.contains_key(&v.name.value) {
            continue;
        }
        match &v.value {
            Some(val) => {
                env.insert(v.name.value.clone(), json!(escape(&val.value)));
            }
            None => {
                env.insert(v.name.value.clone(), Value::Null);
                out.left(
                    format!("variable `{}` has no default in app.json (the platform asks for it at deploy time): left empty, so Compose takes it from the shell or `.env`; give it a value there", v.name.value),
                    Some(v.name.loc),
                );
            }
        }
    }
    env.extend(store_env);
    for w in &model.workloads {
        let name = out.free_name(&w.name);
        let command = procfile.and_then(|(_, p)| {
            p.entries
                .iter()
                .find(|e| e.name.value == w.name)
                .map(|e| e.command.value.clone())
        });
        let mut s = Map::new();
        s.insert("image".into(), json!(image));
        // A buildpack image starts each process type by its own launcher.
        s.insert(
            "entrypoint".into(),
            json!([format!("/cnb/process/{}", w.name)]),
        );
        let mut e = env.clone();
        let replicas = w.replica_count();
        if w.name == "web" {
            e.insert("PORT".into(), json!(WEB_PORT.to_string()));
            if replicas == 1 {
                s.insert("ports".into(), json!([format!("{WEB_PORT}:{WEB_PORT}")]));
            } else {
                s.insert("expose".into(), json!([WEB_PORT.to_string()]));
                out.left(
                    format!("process type `web` runs {replicas} copies: on one host they cannot all publish port {WEB_PORT}; put a proxy (nginx, Traefik) in front of `web:{WEB_PORT}`"),
                    Some(w.at),
                );
            }
        }
        if !e.is_empty() {
            s.insert("environment".into(), Value::Object(e));
        }
        if !stores.is_empty() {
            s.insert("depends_on".into(), json!(stores));
        }
        let restart = if w.name == "release" {
            "no"
        } else {
            "unless-stopped"
        };
        s.insert("restart".into(), json!(restart));
        let mut deploy = Map::new();
        if replicas != 1 {
            deploy.insert("replicas".into(), json!(replicas));
        }
        if let Some(m) = w
            .containers
            .first()
            .and_then(|c| c.resources.memory_limit.as_ref())
        {
            deploy.insert(
                "resources".into(),
                json!({"limits": {"memory": memory(m.value)}}),
            );
        }
        if !deploy.is_empty() {
            s.insert("deploy".into(), Value::Object(deploy));
        }
        out.guide.carried.push(format!(
            "process type `{}`{} → service `{name}`{}",
            w.name,
            command
                .map(|c| format!(" (`{}`)", c.chars().take(60).collect::<String>()))
                .unwrap_or_default(),
            if replicas == 1 {
                String::new()
            } else {
                format!(" ({replicas} copies)")
            }
        ));
        if w.name == "release" {
            out.left(
                "process type `release` runs once before each deploy on Heroku: here it is a service that runs once (`restart: \"no\"`); run it with `docker compose run --rm release` before `up`".into(),
                Some(w.at),
            );
        }
        out.services.insert(name, Value::Object(s));
    }
    out.guide.decide.push(
        "Compose or Dokku: Dokku runs this app as it is (Procfile, app.json, add-ons as plugins) and `orchlint migrate --to dokku` writes its commands; the Compose file suits one host without a PaaS".into(),
    );
    Ok(out.finish(project_name))
}
