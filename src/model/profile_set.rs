//! CLI profiles as the AWS CLI and SDKs see them: the `config` file and the `credentials`
//! file of one folder (`~/.aws/config` + `~/.aws/credentials`) form one set of profiles, in
//! which a profile named in both files has the properties of both, the credentials file's
//! winning on conflicts (AWS SDKs and Tools reference guide, "Shared config and credentials
//! files"). Rules about `source_profile`, `sso_session` and chains read these sets, never
//! single files. This module only groups and merges; it judges nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use super::inventory::{ConfigSection, ConfigSectionKind, Inventory, Profile, SourceFormat};
use super::location::FileId;

/// The profiles one AWS CLI installation would see: one config file and the credentials
/// file beside it (either may be missing).
#[derive(Clone, Debug, Default)]
pub struct ProfileSet {
    pub config: Option<FileId>,
    pub credentials: Option<FileId>,
    /// Merged profiles: config-file profiles in file order, then credentials-only ones
    /// (shared with the inventory; a merged one is a copy of its own).
    pub profiles: Vec<Arc<Profile>>,
    /// `[sso-session]`, `[services]` and ignored sections of both files.
    pub sections: Vec<ConfigSection>,
    /// Hash of a profile name -> index in `profiles` of the first profile with that hash,
    /// so following chains stays linear without a copy of every name (see `index_of`).
    by_name: HashMap<u64, usize>,
    names: NameHasher,
}

/// Hashes profile names with this process's random seed: a config file cannot be written
/// to make names collide (a collision costs a scan of the set).
#[derive(Clone, Debug, Default)]
struct NameHasher(foldhash::fast::RandomState);

impl NameHasher {
    fn hash(&self, name: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&self.0, name)
    }
}

impl ProfileSet {
    /// The merged profile of that name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.index_of(name)
            .and_then(|i| self.profiles.get(i))
            .map(|p| &**p)
    }

    /// The index in `profiles` of the profile of that name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        let &i = self.by_name.get(&self.names.hash(name))?;
        if self.profiles.get(i).is_some_and(|p| p.name == name) {
            return Some(i);
        }
        // Another name with the same hash came first.
        self.profiles.iter().position(|p| p.name == name)
    }

    /// Whether the config file declares `[sso-session NAME]`.
    pub fn has_sso_session(&self, name: &str) -> bool {
        self.sections
            .iter()
            .any(|s| s.kind == ConfigSectionKind::SsoSession && s.name == name)
    }
}

/// Every profile set of the inventory, in file order. A folder with several config-style
/// files (`config`, `aws_config`) gives one set per config file, each with the folder's
/// credentials file; a credentials file with no config beside it is a set of its own.
/// Rules read them through [`Inventory::profile_sets`], which builds them once.
pub fn profile_sets(inv: &Inventory) -> Vec<ProfileSet> {
    // Profiles and sections by file, so each set is built from its own files only (a
    // monorepo can hold thousands of config files).
    let mut profiles_of: HashMap<FileId, Vec<&Arc<Profile>>> = HashMap::new();
    for p in &inv.profiles {
        profiles_of.entry(p.file).or_default().push(p);
    }
    let mut sections_of: HashMap<FileId, Vec<&ConfigSection>> = HashMap::new();
    for s in &inv.config_sections {
        sections_of.entry(s.file).or_default().push(s);
    }
    let of = |file: Option<FileId>| file.and_then(|f| profiles_of.get(&f)).map(Vec::as_slice);
    let sections = |file: Option<FileId>| {
        file.and_then(|f| sections_of.get(&f))
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let build = |config: Option<FileId>, credentials: Option<FileId>| {
        build(
            config,
            credentials,
            of(config).unwrap_or_default(),
            of(credentials).unwrap_or_default(),
            sections(config),
            sections(credentials),
        )
    };
    let mut folders: BTreeMap<&Path, (Vec<FileId>, Vec<FileId>)> = BTreeMap::new();
    for f in &inv.files {
        let folder = || f.path.parent().unwrap_or(Path::new(""));
        match f.format {
            SourceFormat::AwsConfig => folders.entry(folder()).or_default().0.push(f.id),
            SourceFormat::AwsCredentials => folders.entry(folder()).or_default().1.push(f.id),
            _ => {}
        }
    }
    let mut pairs: Vec<(Option<FileId>, Option<FileId>)> = Vec::new();
    for (configs, creds) in folders.values() {
        let first_creds = creds.first().copied();
        pairs.extend(configs.iter().map(|&config| (Some(config), first_creds)));
        // Credentials files that no config file was paired with.
        let skip = usize::from(!configs.is_empty());
        pairs.extend(creds.iter().skip(skip).map(|&c| (None, Some(c))));
    }
    let mut sets: Vec<ProfileSet> = pairs
        .into_par_iter()
        .map(|(config, credentials)| build(config, credentials))
        .collect();
    sets.sort_by_key(|s| (s.config.or(s.credentials), s.credentials));
    sets
}

fn build(
    config: Option<FileId>,
    credentials: Option<FileId>,
    config_profiles: &[&Arc<Profile>],
    credentials_profiles: &[&Arc<Profile>],
    config_sections: &[&ConfigSection],
    credentials_sections: &[&ConfigSection],
) -> ProfileSet {
    let profiles: Vec<Arc<Profile>> = config_profiles.iter().map(|&p| Arc::clone(p)).collect();
    let mut set = ProfileSet {
        config,
        credentials,
        profiles,
        sections: Vec::new(),
        by_name: HashMap::new(),
        names: NameHasher::default(),
    };
    for (i, p) in set.profiles.iter().enumerate() {
        set.by_name.entry(set.names.hash(&p.name)).or_insert(i);
    }
    for &cred in credentials_profiles {
        match set.index_of(&cred.name) {
            Some(i) => {
                if let Some(p) = set.profiles.get_mut(i) {
                    merge(Arc::make_mut(p), cred);
                }
            }
            None => {
                set.by_name
                    .entry(set.names.hash(&cred.name))
                    .or_insert(set.profiles.len());
                set.profiles.push(Arc::clone(cred));
            }
        }
    }
    // Sections in file order, as the inventory lists them.
    let mut sections: Vec<ConfigSection> = config_sections
        .iter()
        .chain(credentials_sections)
        .map(|&s| s.clone())
        .collect();
    sections.sort_by_key(|s| s.file);
    set.sections = sections;
    set
}

/// Adds a credentials-file profile's properties to the config-file profile of the same
/// name: a property set in the credentials file wins.
fn merge(into: &mut Profile, cred: &Profile) {
    let pick = |a: &mut Option<_>, b: &Option<_>| {
        if b.is_some() {
            a.clone_from(b);
        }
    };
    pick(&mut into.role_arn, &cred.role_arn);
    pick(&mut into.source_profile, &cred.source_profile);
    pick(&mut into.credential_source, &cred.credential_source);
    pick(
        &mut into.web_identity_token_file,
        &cred.web_identity_token_file,
    );
    pick(&mut into.credential_process, &cred.credential_process);
    pick(&mut into.external_id, &cred.external_id);
    pick(&mut into.mfa_serial, &cred.mfa_serial);
    pick(&mut into.role_session_name, &cred.role_session_name);
    pick(&mut into.duration_seconds, &cred.duration_seconds);
    pick(&mut into.sso_session, &cred.sso_session);
    into.sso |= cred.sso;
    into.has_static_keys |= cred.has_static_keys;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inventory::ProfileValue;
    use crate::model::inventory::SourceFile;
    use crate::model::location::TextSpan;

    fn file(id: FileId, path: &str, format: SourceFormat) -> SourceFile {
        SourceFile {
            show_source: true,
            id,
            path: std::path::PathBuf::from(path),
            format,
        }
    }

    fn value(file: FileId, v: &str) -> Option<Box<ProfileValue>> {
        Some(Box::new(ProfileValue::new(v, file, TextSpan::default())))
    }

    #[test]
    fn one_folder_is_one_set_and_credentials_win() {
        let mut inv = Inventory::default();
        inv.files = vec![
            file(0, "a/.aws/config", SourceFormat::AwsConfig),
            file(1, "a/.aws/credentials", SourceFormat::AwsCredentials),
            file(2, "b/credentials", SourceFormat::AwsCredentials),
            file(3, "b/policy.json", SourceFormat::PolicyJson),
        ];
        inv.profiles = [
            Profile {
                name: "dev".into(),
                file: 0,
                role_arn: value(0, "config-arn"),
                duration_seconds: value(0, "3600"),
                ..Profile::default()
            },
            Profile {
                name: "dev".into(),
                file: 1,
                role_arn: value(1, "creds-arn"),
                has_static_keys: true,
                ..Profile::default()
            },
            Profile {
                name: "base".into(),
                file: 1,
                ..Profile::default()
            },
            Profile {
                name: "other".into(),
                file: 2,
                ..Profile::default()
            },
        ]
        .into_iter()
        .map(Arc::new)
        .collect();
        let sets = profile_sets(&inv);
        assert_eq!(sets.len(), 2);
        let a = &sets[0];
        assert_eq!((a.config, a.credentials), (Some(0), Some(1)));
        let names: Vec<&str> = a.profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["dev", "base"]);
        let dev = a.get("dev").expect("merged profile");
        assert_eq!(dev.role_arn.as_ref().map(|s| s.as_str()), Some("creds-arn"));
        assert_eq!(dev.duration_seconds.as_ref().map(|s| s.loc().file), Some(0));
        assert!(dev.has_static_keys);
        assert_eq!((sets[1].config, sets[1].credentials), (None, Some(2)));
        assert!(sets[1].get("dev").is_none());
    }
}
