//! Schemas for custom resources, taken from the CustomResourceDefinitions
//! linted in the same run.
//!
//! A CRD's `openAPIV3Schema` is OpenAPI, not plain JSON Schema: `nullable`,
//! `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields` and
//! `x-kubernetes-embedded-resource` change what is valid, and the API server
//! prunes nulls rather than rejecting them. They are rewritten
//! here into JSON Schema that says the same thing, and in strict mode every
//! object schema that lists its properties and does not preserve unknown
//! fields rejects the others, as `kubectl apply --validate=strict` does.

use std::collections::HashMap;

use jsonschema::Draft;
use serde_json::{Map, Value, json};

use super::catalog::{KindSchema, single_def};
use super::instance::Yaml;
use super::re2;
use crate::k8s::object::crd_version_schema;
use crate::k8s::{Object, ObjectIndex};
use crate::yaml::Node;

/// The custom resource kinds of one run and the CRDs that define them.
pub struct CrdCatalog<'a> {
    versions: HashMap<(String, String), CrdVersion<'a>>,
    strict: bool,
}

/// One served version of a CRD. Its schema is converted and compiled only
/// when a resource needs it (most CRDs in a repository have no resource
/// beside them, and their schemas can be megabytes), and dropped once that
/// kind's resources are checked.
struct CrdVersion<'a> {
    crd: &'a Object,
    /// Position in `spec.versions`.
    position: usize,
}

/// Gives the `openAPIV3Schema` of the version at a position in
/// `spec.versions` of a CRD whose schemas were dropped from memory after
/// its own checks ([`Object::shed_crd_schemas`]), read again from the text;
/// `None` when the object in memory is complete or that version has none.
pub type ShedSchema<'f> = dyn Fn(&Object, usize) -> Option<Node> + Sync + 'f;

/// The name under which a CRD's schema is stored in its [`KindSchema`].
const ROOT: &str = "crd";

impl<'a> CrdCatalog<'a> {
    /// Collects every served version of every CRD in `index`.
    pub fn build(index: &ObjectIndex<'a>, strict: bool) -> Self {
        let mut versions = HashMap::new();
        for crd in index.of_kind("CustomResourceDefinition") {
            let Some((group, kind)) = crd.crd_defines() else {
                continue;
            };
            let listed = crd
                .root
                .path("spec/versions")
                .map(Node::items)
                .unwrap_or_default();
            for (position, version) in listed.iter().enumerate() {
                let Some(name) = version.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                if version.get("served").and_then(Node::as_bool) == Some(false) {
                    continue;
                }
                versions.insert(
                    (format!("{group}/{name}"), kind.to_owned()),
                    CrdVersion { crd, position },
                );
            }
        }
        Self { versions, strict }
    }

    /// The schema of `kind` in `api_version`, if a CRD defines it.
    pub fn source(
        &self,
        api_version: &str,
        kind: &str,
        shed: &ShedSchema,
    ) -> Option<CrdSource<'a>> {
        let CrdVersion { crd, position } = self
            .versions
            .get(&(api_version.to_owned(), kind.to_owned()))?;
        Some(CrdSource {
            crd,
            position: *position,
            reread: shed(crd, *position),
            strict: self.strict,
        })
    }
}

/// The schema of one served version of a CRD, read again from the text
/// when it had left memory.
pub struct CrdSource<'a> {
    crd: &'a Object,
    position: usize,
    /// The version's schema, read again.
    reread: Option<Node>,
    strict: bool,
}

impl CrdSource<'_> {
    /// The version's `openAPIV3Schema`, if it has one.
    pub fn tree(&self) -> Option<&Node> {
        self.reread
            .as_ref()
            .or_else(|| crd_version_schema(&self.crd.root, self.position))
    }

    /// The compiled schema, if it compiles; the tree is dropped first.
    pub fn compile(self) -> Option<KindSchema> {
        let converted = match self.tree() {
            Some(schema) => to_json_schema(&schema.to_json(), self.strict, true),
            None => json!({}),
        };
        drop(self);
        compile(converted)
    }
}

/// Compiles a schema made by [`to_json_schema`], if it compiles.
pub(crate) fn compile(converted: Value) -> Option<KindSchema> {
    let validator = jsonschema::options_for::<Yaml>()
        .with_draft(Draft::Draft4)
        .offline()
        .build(&converted)
        .ok()?;
    Some(KindSchema {
        validator,
        defs: single_def(ROOT, converted),
        root: ROOT.to_owned(),
    })
}

/// Rewrites an OpenAPI v3 structural schema into JSON Schema.
pub(crate) fn to_json_schema(schema: &Value, strict: bool, is_root: bool) -> Value {
    let Value::Object(input) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in input {
        let converted = match key.as_str() {
            "properties" | "patternProperties" | "definitions" => Value::Object(
                value
                    .as_object()
                    .map(|props| {
                        props
                            .iter()
                            .map(|(name, sub)| (name.clone(), to_json_schema(sub, strict, false)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "items" | "additionalProperties" | "not" if value.is_object() => {
                to_json_schema(value, strict, false)
            }
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .map(|branches| {
                        branches
                            .iter()
                            .map(|b| to_json_schema(b, strict, false))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "pattern" => match value {
                Value::String(pattern) => Value::String(re2::to_ecma(pattern).into_owned()),
                _ => value.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    // The API server fills a missing field that has a default before it
    // validates, so such a field is never missing.
    if let (Some(Value::Array(required)), Some(Value::Object(properties))) =
        (out.get("required"), input.get("properties"))
    {
        let kept: Vec<Value> = required
            .iter()
            .filter(|name| {
                name.as_str()
                    .and_then(|n| properties.get(n))
                    .is_none_or(|p| p.get("default").is_none())
            })
            .cloned()
            .collect();
        if kept.is_empty() {
            out.remove("required");
        } else {
            out.insert("required".into(), Value::Array(kept));
        }
    }
    let flag = |name: &str| input.get(name).and_then(Value::as_bool) == Some(true);
    if flag("x-kubernetes-int-or-string") {
        out.remove("anyOf");
        out.insert("type".into(), json!(["integer", "string"]));
    }
    if flag("x-kubernetes-embedded-resource") || is_root {
        let properties = out.entry("properties").or_insert_with(|| json!({}));
        if let Value::Object(properties) = properties {
            properties
                .entry("apiVersion")
                .or_insert_with(|| json!({"type": "string"}));
            properties
                .entry("kind")
                .or_insert_with(|| json!({"type": "string"}));
            properties
                .entry("metadata")
                .or_insert_with(|| json!({"type": "object"}));
        }
    }
    let is_object = out.get("type").and_then(Value::as_str) == Some("object");
    if strict
        && is_object
        && out.contains_key("properties")
        && !out.contains_key("additionalProperties")
        && !flag("x-kubernetes-preserve-unknown-fields")
    {
        out.insert("additionalProperties".into(), json!(false));
    }
    // The API server prunes a null given for a field that is not nullable
    // instead of rejecting it, so null passes validation everywhere.
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            out.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&Value::Null) => types.push(json!("null")),
        _ => {}
    }
    if let Some(Value::Array(options)) = out.get_mut("enum") {
        options.push(Value::Null);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_extensions_become_json_schema() {
        let schema = json!({
            "type": "object",
            "properties": {
                "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "note": {"type": "string", "nullable": true},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}},
                "spec": {"type": "object", "properties": {"replicas": {"type": "integer"}}}
            }
        });
        let converted = to_json_schema(&schema, true, true);
        let validator = jsonschema::options()
            .with_draft(Draft::Draft4)
            .build(&converted)
            .unwrap();
        assert!(validator.is_valid(
            &json!({"port": 80, "note": null, "extra": {"b": 1}, "spec": {"replicas": 2}})
        ));
        assert!(validator.is_valid(
            &json!({"port": "http", "apiVersion": "x/v1", "kind": "K", "metadata": {"name": "n"}})
        ));
        assert!(!validator.is_valid(&json!({"spec": {"replicas": 2, "replica": 3}})));
        assert!(!validator.is_valid(&json!({"unknown": true})));
        let lenient = jsonschema::options()
            .with_draft(Draft::Draft4)
            .build(&to_json_schema(&schema, false, true))
            .unwrap();
        assert!(lenient.is_valid(&json!({"spec": {"replica": 3}})));
    }
}
