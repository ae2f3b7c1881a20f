//! Deprecated and removed API versions, from the table in
//! `schemas/deprecated-apis.yaml` (data, not code, so that a new Kubernetes
//! release is a one-line change).

use std::sync::OnceLock;

use serde::Deserialize;

use super::KubeVersion;
use crate::yaml::parse::{Limits, parse_stream};

/// One API version of one kind that Kubernetes deprecated or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeprecatedApi {
    /// The apiVersion, such as `extensions/v1beta1`.
    pub api_version: String,
    /// The kind, such as `Deployment`.
    pub kind: String,
    /// The release that deprecated it.
    pub deprecated_in: Option<KubeVersion>,
    /// The release that stopped serving it.
    pub removed_in: Option<KubeVersion>,
    /// The apiVersion to use instead.
    pub replacement: Option<String>,
    /// The kind to use instead, when it is not the same kind.
    pub replacement_kind: Option<String>,
    /// What else changes when migrating.
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Row {
    api_version: String,
    kind: String,
    deprecated_in: Option<String>,
    removed_in: Option<String>,
    replacement: Option<String>,
    replacement_kind: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    apis: Vec<Row>,
}

const TABLE_SOURCE: &str = include_str!("../../schemas/deprecated-apis.yaml");

/// Every row of the table.
pub fn all() -> &'static [DeprecatedApi] {
    static TABLE: OnceLock<Vec<DeprecatedApi>> = OnceLock::new();
    TABLE.get_or_init(|| parse_table(TABLE_SOURCE).expect("schemas/deprecated-apis.yaml is valid"))
}

/// The row for `kind` in `api_version`, if it was ever deprecated.
pub fn find(api_version: &str, kind: &str) -> Option<&'static DeprecatedApi> {
    all()
        .iter()
        .find(|api| api.api_version == api_version && api.kind == kind)
}

fn parse_table(text: &str) -> Result<Vec<DeprecatedApi>, String> {
    let stream = parse_stream(text, &Limits::default());
    if let Some(problem) = stream.problems.first() {
        return Err(problem.message.clone());
    }
    let root = stream.documents.first().ok_or("the table is empty")?;
    let table: Table = serde_json::from_value(root.root.to_json()).map_err(|e| e.to_string())?;
    let version = |v: Option<String>| v.map(|v| v.parse::<KubeVersion>()).transpose();
    table
        .apis
        .into_iter()
        .map(|row| {
            Ok(DeprecatedApi {
                deprecated_in: version(row.deprecated_in)?,
                removed_in: version(row.removed_in)?,
                api_version: row.api_version,
                kind: row.kind,
                replacement: row.replacement,
                replacement_kind: row.replacement_kind,
                note: row.note,
            })
        })
        .collect()
}

impl DeprecatedApi {
    /// Whether `version` no longer serves this API.
    pub fn removed_by(&self, version: KubeVersion) -> bool {
        self.removed_in.is_some_and(|removed| version >= removed)
    }

    /// Whether `version` serves this API but warns about it.
    pub fn deprecated_by(&self, version: KubeVersion) -> bool {
        self.deprecated_in
            .is_some_and(|deprecated| version >= deprecated)
    }

    fn instead(&self) -> String {
        let Some(replacement) = &self.replacement else {
            return String::new();
        };
        let kind = self.replacement_kind.as_deref().unwrap_or(&self.kind);
        format!("; use `{replacement}` `{kind}` instead")
    }

    fn note(&self) -> String {
        self.note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    }

    /// The message for an object of a removed API.
    pub fn removal_message(&self, target: KubeVersion) -> String {
        let removed = self.removed_in.map(|v| v.to_string()).unwrap_or_default();
        format!(
            "`{}` `{}` was removed in Kubernetes {removed} and is not served by {target}{}{}",
            self.api_version,
            self.kind,
            self.instead(),
            self.note()
        )
    }

    /// The message for an object of a deprecated API.
    pub fn deprecation_message(&self, target: KubeVersion) -> String {
        let deprecated = self
            .deprecated_in
            .map(|v| v.to_string())
            .unwrap_or_default();
        let removal = match self.removed_in {
            Some(removed) => format!(" and will be removed in {removed}"),
            None => String::new(),
        };
        format!(
            "`{}` `{}` is deprecated since Kubernetes {deprecated}{removal} (target {target}){}{}",
            self.api_version,
            self.kind,
            self.instead(),
            self.note()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_has_no_duplicates() {
        let table = all();
        assert!(table.len() > 20);
        for (i, row) in table.iter().enumerate() {
            assert!(
                table[..i].iter().all(|other| (&other.api_version, &other.kind) != (&row.api_version, &row.kind)),
                "duplicate row for {} {}",
                row.api_version,
                row.kind
            );
            if let (Some(d), Some(r)) = (row.deprecated_in, row.removed_in) {
                assert!(
                    d <= r,
                    "{} {} removed before it was deprecated",
                    row.api_version,
                    row.kind
                );
            }
        }
    }

    #[test]
    fn removed_workload_apis_name_their_replacement() {
        let api = find("extensions/v1beta1", "Deployment").expect("listed");
        assert!(api.removed_by("1.16".parse().unwrap()));
        assert!(!api.removed_by("1.15".parse().unwrap()));
        assert!(
            api.removal_message("1.37".parse().unwrap())
                .contains("`apps/v1`")
        );
    }
}
