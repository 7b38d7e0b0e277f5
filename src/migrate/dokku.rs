//! A Heroku-style app moved to Dokku: the Procfile and app.json stay as they
//! are; what is written is the script of `dokku` commands that creates the app,
//! its data stores (Dokku's plugins for the add-ons), its config and its scale,
//! then the `git push` that builds and starts it.

use std::fmt::Write;
use std::path::PathBuf;

use super::names::dns_label;
use super::paas::{app_env, store_of};
use super::{Guide, Left, Migration};
use crate::model::DeploymentModel;
use crate::source::Format;

/// Shell words quoted for `sh` when they hold anything but safe characters.
fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub(super) fn write(
    format: Format,
    model: &DeploymentModel,
    project_name: &str,
) -> Result<Migration, String> {
    if format != Format::Procfile {
        return Err(
            "Dokku deploys an app from its git repository (a Procfile app); for container specs, move to Compose (`--to compose`)".into(),
        );
    }
    if model.workloads.is_empty() {
        return Err("the Procfile names no process type and app.json no formation".into());
    }
    let app = dns_label(project_name);
    let mut guide = Guide::default();
    let mut script = String::new();
    let _ = writeln!(
        script,
        "#!/bin/sh\n# The Dokku side of `{app}`: run on the Dokku host as a user allowed to run `dokku`\n# (plugin installs need root). Written by `orchlint migrate --to dokku`.\nset -eu\nAPP={app}\n"
    );
    let _ = writeln!(script, "dokku apps:create \"$APP\"");
    guide
        .carried
        .push(format!("the app → Dokku app `{app}` (`dokku apps:create`)"));
    let mut plugins: Vec<&str> = Vec::new();
    for b in &model.backing_services {
        let Some((st, plugin)) = store_of(b).and_then(|st| Some((st, st.dokku_plugin?))) else {
            guide.left.push(Left {
                what: format!(
                    "add-on `{}` has no Dokku plugin orchlint knows: keep using the provider (`dokku config:set {app} VAR=…` with its config vars) or drop it",
                    b.name
                ),
                at: Some(b.loc),
            });
            continue;
        };
        if plugins.contains(&plugin) {
            continue;
        }
        plugins.push(plugin);
        let _ = writeln!(
            script,
            "\n# add-on {}\ndokku plugin:installed {plugin} || sudo dokku plugin:install https://github.com/dokku/dokku-{plugin}.git {plugin}\ndokku {plugin}:create \"$APP-{}\"\ndokku {plugin}:link \"$APP-{}\" \"$APP\"",
            b.name, st.service, st.service
        );
        guide.carried.push(format!(
            "add-on `{}` → Dokku {plugin} service `{app}-{}`, linked (it sets `{}`)",
            b.name,
            st.service,
            st.url.map_or("its URL", |(v, _)| v)
        ));
        guide.decide.push(format!(
            "the data of add-on `{}`: export it from the platform and import it (`dokku {plugin}:import {app}-{} < DUMP`)",
            b.name, st.service
        ));
    }
    let mut vars: Vec<String> = Vec::new();
    for v in app_env(model) {
        match &v.value {
            Some(val) => vars.push(sh_quote(&format!("{}={}", v.name.value, val.value))),
            None => guide.left.push(Left {
                what: format!(
                    "variable `{}` has no default in app.json: set it (`dokku config:set --no-restart {app} {}=…`)",
                    v.name.value, v.name.value
                ),
                at: Some(v.name.loc),
            }),
        }
    }
    if !vars.is_empty() {
        let _ = writeln!(
            script,
            "\ndokku config:set --no-restart \"$APP\" {}",
            vars.join(" ")
        );
        guide.carried.push(format!(
            "{} variable{} with a default in app.json → `dokku config:set`",
            vars.len(),
            if vars.len() == 1 { "" } else { "s" }
        ));
    }
    // `release` runs once per deploy (Dokku reads it from the Procfile), not scaled.
    let scale: Vec<String> = model
        .workloads
        .iter()
        .filter(|w| w.name != "release")
        .map(|w| format!("{}={}", w.name, w.replica_count()))
        .collect();
    let _ = writeln!(
        script,
        "\ndokku ps:scale --skip-deploy \"$APP\" {}",
        scale.join(" ")
    );
    guide.carried.push(format!(
        "the process types and their copies → `dokku ps:scale` ({})",
        scale.join(" ")
    ));
    for w in &model.workloads {
        if let Some(m) = w
            .containers
            .first()
            .and_then(|c| c.resources.memory_limit.as_ref())
        {
            let mb = m.value / (1024 * 1024);
            let _ = writeln!(
                script,
                "dokku resource:limit --process-type {} --memory {mb}m \"$APP\"",
                w.name
            );
        }
    }
    let _ = writeln!(
        script,
        "\n# Then, from a clone of the app's repository:\n#   git remote add dokku dokku@DOKKU_HOST:{app}\n#   git push dokku HEAD:main"
    );
    guide.decide.push(
        "the Dokku host's name (`DOKKU_HOST`) and the app's domain (`dokku domains:set`)".into(),
    );
    guide
        .commands
        .push("scp dokku-setup.sh DOKKU_HOST: && ssh DOKKU_HOST sh dokku-setup.sh".into());
    guide
        .commands
        .push(format!("git remote add dokku dokku@DOKKU_HOST:{app}"));
    guide.commands.push("git push dokku HEAD:main".into());
    Ok(Migration {
        files: vec![(PathBuf::from("dokku-setup.sh"), script)],
        guide,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(sh_quote("A=b"), "A=b");
        assert_eq!(sh_quote("A=b c"), "'A=b c'");
        assert_eq!(sh_quote("A=it's"), "'A=it'\\''s'");
    }
}
