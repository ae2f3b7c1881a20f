//! Custom resources validated from the CRD's schema tree and the
//! resource's tree, compiling only the schema nodes where they fail.
//!
//! Validating custom resources the plain way means converting the CRD's
//! OpenAPI schema to JSON Schema ([`super::crd`]) and compiling it whole;
//! for the large CRDs of operators that costs far more than validating
//! their few resources. This module walks the two trees together instead.
//! It models the keywords structural schemas use, as the conversion
//! rewrites them; where a schema node has a keyword it does not model
//! (`pattern`, `oneOf`, a checked `format`, ...) it converts and compiles
//! just that node. That is exact because a schema without `$ref` judges
//! each subtree of the instance on its own.
//!
//! The walk first answers "conforms" or "cannot tell". Where it cannot
//! tell, it finds the *sites* that may fail: a schema node together with
//! the part of the resource it applies to. A node whose subschemas apply
//! only to parts of the instance (`properties`, `additionalProperties`,
//! `items`) is compiled with its own keywords alone, and the walk goes on
//! into the parts; any other node (`anyOf`, `allOf`, unmodeled keywords)
//! is compiled with its whole subtree. Validating each site on its own
//! gives the errors of the whole compiled schema, one for one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;

use jsonschema::Draft;
use serde_json::json;

use super::catalog::KindSchema;
use super::crd::{compile, to_json_schema};
use super::instance::{Instance, Kind, Yaml, kind_of};
use super::messages::describe_tree_errors;
use super::re2;
use crate::yaml::{Entry, Node, Pointer, Resolved, Value};

/// Checks resources against one CRD schema, compiling each schema node it
/// needs to once.
pub struct Conformance<'s> {
    schema: &'s Node,
    strict: bool,
    /// Schema nodes compiled alone, by address and by whether only their
    /// own keywords were kept.
    compiled: RefCell<HashMap<(usize, bool), Option<KindSchema>>>,
}

/// Whether the validator accepts each `pattern` met, shared by the checkers
/// of a run: the same patterns (names, quantities, durations) recur across
/// CRDs, and compiling one costs more than walking a resource.
#[derive(Default)]
pub struct Patterns(Mutex<HashMap<String, bool>>);

impl Patterns {
    fn accepted(&self, pattern: &str) -> bool {
        let known = self.0.lock().ok().and_then(|p| p.get(pattern).copied());
        known.unwrap_or_else(|| {
            let accepted = jsonschema::options_for::<Yaml>()
                .with_draft(Draft::Draft4)
                .offline()
                .build(&json!({ "pattern": re2::to_ecma(pattern) }))
                .is_ok();
            if let Ok(mut patterns) = self.0.lock() {
                patterns.insert(pattern.to_owned(), accepted);
            }
            accepted
        })
    }
}

/// A part of a resource and the schema node that applies to it.
struct Site<'s, 'i> {
    at: Pointer,
    schema: &'s Node,
    instance: &'i Node,
    is_root: bool,
    /// Whether the node is compiled with its subschemas emptied, the walk
    /// having gone on into the parts they apply to.
    own_keywords_only: bool,
}

impl<'s> Conformance<'s> {
    /// A checker for the CRD schema `schema` (an `openAPIV3Schema`)
    /// converted in `strict` mode, or `None` unless the whole schema is made
    /// of keywords of the expected shapes, with patterns the validator
    /// accepts, so that it compiles. A schema that does not compile gives
    /// its resources no verdict, whatever they hold; the shortcut must not
    /// give them one either.
    pub fn new(schema: &'s Node, strict: bool, patterns: &Patterns) -> Option<Self> {
        let checker = Self {
            schema,
            strict,
            compiled: RefCell::new(HashMap::new()),
        };
        checker
            .node_well_formed(schema, patterns)
            .then_some(checker)
    }

    /// Whether `instance` surely conforms to the schema. `false` means
    /// "cannot tell", not "does not conform".
    pub fn conforms(&self, instance: &Node) -> bool {
        self.node(self.schema, instance, true)
    }

    /// The schema errors of `instance`, as [`describe_tree_errors`] gives
    /// them for the whole compiled schema, found by compiling only the sites
    /// where it may fail; `None` if one of those does not compile.
    pub fn errors(&self, instance: &Node, redact: bool) -> Option<Vec<(Pointer, String)>> {
        let mut sites = Vec::new();
        self.sites(self.schema, instance, &Pointer::root(), true, &mut sites);
        let mut errors = Vec::new();
        for site in sites {
            let found = self.with_compiled(
                site.schema,
                site.is_root,
                site.own_keywords_only,
                |schema| {
                    schema.map(|schema| {
                        describe_tree_errors(schema, site.instance, self.strict, redact)
                    })
                },
            )?;
            errors.extend(
                found
                    .into_iter()
                    .map(|(pointer, message)| (site.at.concat(&pointer), message)),
            );
        }
        Some(errors)
    }

    /// Adds the sites where `instance`, found at `at`, may fail `schema`.
    fn sites<'i>(
        &self,
        schema: &'s Node,
        instance: &'i Node,
        at: &Pointer,
        is_root: bool,
        out: &mut Vec<Site<'s, 'i>>,
    ) {
        if self.node(schema, instance, is_root) {
            return;
        }
        let divisible = schema
            .as_map()
            .filter(|entries| divisible(entries, instance));
        out.push(Site {
            at: at.clone(),
            schema,
            instance,
            is_root,
            own_keywords_only: divisible.is_some(),
        });
        let Some(entries) = divisible else {
            return;
        };
        match &instance.value {
            Value::Map(members) => {
                let implied = is_root || flag(entries, "x-kubernetes-embedded-resource");
                let declared = lookup(entries, "properties")
                    .and_then(Node::as_map)
                    .unwrap_or_default();
                let additional =
                    lookup(entries, "additionalProperties").filter(|a| a.as_map().is_some());
                for member in members {
                    let name = member.key.as_str().unwrap_or_default();
                    let applies = match lookup(declared, name) {
                        Some(property) => property,
                        // Implied fields are typed by the node itself.
                        None if implied && IMPLIED.iter().any(|(n, _)| *n == name) => continue,
                        None => match additional {
                            Some(additional) => additional,
                            None => continue,
                        },
                    };
                    self.sites(applies, &member.value, &at.child(name), false, out);
                }
            }
            Value::Seq(items) => {
                if let Some(applies) = lookup(entries, "items") {
                    for (i, item) in items.iter().enumerate() {
                        self.sites(applies, item, &at.child(i), false, out);
                    }
                }
            }
            Value::Scalar(_) => {}
        }
    }

    /// Runs `use_it` with schema node `schema` converted and compiled on its
    /// own, whole or with its subschemas emptied (`own_keywords_only`);
    /// `None` when it does not compile.
    fn with_compiled<T>(
        &self,
        schema: &Node,
        is_root: bool,
        own_keywords_only: bool,
        use_it: impl FnOnce(Option<&KindSchema>) -> T,
    ) -> T {
        let key = (std::ptr::from_ref(schema) as usize, own_keywords_only);
        if !self.compiled.borrow().contains_key(&key) {
            let written = if own_keywords_only {
                own_keywords(schema)
            } else {
                schema.to_json()
            };
            let converted = compile(to_json_schema(&written, self.strict, is_root));
            self.compiled.borrow_mut().insert(key, converted);
        }
        let compiled = self.compiled.borrow();
        use_it(compiled.get(&key).and_then(Option::as_ref))
    }

    fn node_well_formed(&self, schema: &Node, patterns: &Patterns) -> bool {
        let Some(entries) = schema.as_map() else {
            return false;
        };
        entries.iter().all(|entry| {
            let Some(key) = entry.key.as_str() else {
                return false;
            };
            let value = &entry.value;
            let schemas = |node: &Node| {
                node.as_seq().is_some_and(|branches| {
                    branches.iter().all(|b| self.node_well_formed(b, patterns))
                })
            };
            match key {
                "type" => match &value.value {
                    Value::Scalar(_) => string(value).is_some_and(known_type),
                    Value::Seq(items) => items.iter().all(|i| string(i).is_some_and(known_type)),
                    Value::Map(_) => false,
                },
                "properties" => value.as_map().is_some_and(|properties| {
                    properties.iter().all(|p| {
                        p.key.as_str().is_some() && self.node_well_formed(&p.value, patterns)
                    })
                }),
                "required" => value
                    .as_seq()
                    .is_some_and(|names| names.iter().all(|n| string(n).is_some())),
                "enum" => value.as_seq().is_some(),
                "items" | "not" => self.node_well_formed(value, patterns),
                "additionalProperties" => {
                    value.as_bool().is_some() || self.node_well_formed(value, patterns)
                }
                "anyOf" | "allOf" | "oneOf" => schemas(value),
                "minimum" | "maximum" => number(value).is_some(),
                "exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems" => {
                    value.as_bool().is_some()
                }
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties" => count(value).is_some(),
                "format" => string(value).is_some(),
                "pattern" => string(value).is_some_and(|pattern| patterns.accepted(pattern)),
                _ => INERT.contains(&key),
            }
        })
    }

    /// Validates `instance` against schema node `schema` alone, converted
    /// and compiled as the whole schema would be.
    fn exact(&self, schema: &Node, instance: &Node, is_root: bool) -> bool {
        self.with_compiled(schema, is_root, false, |compiled| {
            compiled.is_some_and(|c| c.validator.is_valid(Instance::of(instance)))
        })
    }
}

/// Whether a schema node can be judged by its own keywords, its
/// subschemas applying only to parts of the instance: it has no `anyOf` or
/// `allOf` (which judge the instance whole through subschemas) and no
/// keyword the walk does not model, and the instance's keys are strings.
fn divisible(entries: &[Entry], instance: &Node) -> bool {
    let int_or_string = flag(entries, "x-kubernetes-int-or-string");
    let keywords = entries.iter().all(|entry| {
        let Some(key) = entry.key.as_str() else {
            return false;
        };
        let value = &entry.value;
        match key {
            // The conversion drops it for `x-kubernetes-int-or-string`.
            "anyOf" => int_or_string,
            "allOf" => false,
            "properties" => value.as_map().is_some_and(|properties| {
                properties
                    .iter()
                    .all(|p| p.key.as_str().is_some() && p.value.as_map().is_some())
            }),
            "items" => value.as_map().is_some(),
            "additionalProperties" => value.as_bool().is_some() || value.as_map().is_some(),
            _ => modeled(key, value, instance),
        }
    });
    keywords
        && instance
            .as_map()
            .is_none_or(|members| members.iter().all(|m| m.key.as_str().is_some()))
}

/// A divisible schema node with its subschemas replaced by the empty
/// schema, which accepts anything: what is left judges only the node's own
/// value, and keeps the property names that unknown fields are told by.
fn own_keywords(schema: &Node) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for entry in schema.entries() {
        let key = entry.key.as_str().unwrap_or_default();
        let value = match (key, &entry.value.value) {
            // A property's default stays: it makes the property no longer
            // required, and judges nothing itself.
            ("properties", Value::Map(properties)) => serde_json::Value::Object(
                properties
                    .iter()
                    .map(|p| {
                        let emptied = match p.value.get("default") {
                            Some(default) => json!({"default": default.to_json()}),
                            None => json!({}),
                        };
                        (p.key.as_str().unwrap_or_default().to_owned(), emptied)
                    })
                    .collect(),
            ),
            ("items" | "additionalProperties", Value::Map(_)) => json!({}),
            _ => entry.value.to_json(),
        };
        out.insert(key.to_owned(), value);
    }
    serde_json::Value::Object(out)
}

/// Keywords with no effect on validity under draft 4, or whose effect the
/// conversion has already expressed in other keywords.
const INERT: &[&str] = &[
    "description",
    "title",
    "default",
    "example",
    "nullable",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];

/// Formats the validator checks under draft 4; others are ignored by it.
const CHECKED_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "email",
    "hostname",
    "idn-email",
    "ipv4",
    "ipv6",
    "regex",
    "time",
    "uri",
];

/// Property schemas the conversion adds to the root and to embedded
/// resources when they do not declare them.
const IMPLIED: &[(&str, Kind)] = &[
    ("apiVersion", Kind::String),
    ("kind", Kind::String),
    ("metadata", Kind::Object),
];

fn known_type(name: &str) -> bool {
    matches!(
        name,
        "null" | "boolean" | "integer" | "number" | "string" | "array" | "object"
    )
}

fn string(node: &Node) -> Option<&str> {
    node.as_str()
}

fn flag(entries: &[Entry], name: &str) -> bool {
    lookup(entries, name).and_then(Node::as_bool) == Some(true)
}

fn lookup<'a>(entries: &'a [Entry], name: &str) -> Option<&'a Node> {
    entries
        .iter()
        .rev()
        .find(|e| e.key.as_str() == Some(name))
        .map(|e| &e.value)
}

fn count(node: &Node) -> Option<u64> {
    match node.as_scalar()?.resolved() {
        Resolved::Int(i) => u64::try_from(i).ok(),
        _ => None,
    }
}

/// A number exactly representable as `f64`.
fn number(node: &Node) -> Option<f64> {
    match node.as_scalar()?.resolved() {
        Resolved::Int(i) if i.unsigned_abs() <= 1 << 53 => Some(i as f64),
        Resolved::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

/// Whether a keyword is one [`Conformance::node`] models, for `instance`.
fn modeled(key: &str, value: &Node, instance: &Node) -> bool {
    let is_string = kind_of(instance) == Kind::String;
    match key {
        "pattern" => !is_string,
        "format" => !is_string || string(value).is_some_and(|f| !CHECKED_FORMATS.contains(&f)),
        "uniqueItems" => {
            value.as_bool() == Some(false) || instance.as_seq().is_none_or(|i| i.len() < 2)
        }
        _ => MODELED.contains(&key) || INERT.contains(&key),
    }
}

/// Keywords checked by [`Conformance::node`] itself.
const MODELED: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "required",
    "anyOf",
    "allOf",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "items",
];

impl Conformance<'_> {
    fn node(&self, schema: &Node, instance: &Node, is_root: bool) -> bool {
        let Some(entries) = schema.as_map() else {
            return false;
        };
        // Every key must be a plain string the conversion leaves as it is.
        if entries.iter().any(|e| e.key.as_str().is_none()) {
            return false;
        }
        if !entries
            .iter()
            .all(|e| modeled(e.key.as_str().unwrap_or_default(), &e.value, instance))
        {
            return self.exact(schema, instance, is_root);
        }
        let kind = kind_of(instance);
        let int_or_string = flag(entries, "x-kubernetes-int-or-string");
        let mut declared_object = false;
        let mut types: Option<Vec<&str>> = None;
        if int_or_string {
            types = Some(vec!["integer", "string"]);
        } else if let Some(written) = lookup(entries, "type") {
            match &written.value {
                Value::Scalar(_) => {
                    let Some(t) = string(written) else {
                        return false;
                    };
                    declared_object = t == "object";
                    types = Some(vec![t]);
                }
                Value::Seq(items) => {
                    let Some(names) = items.iter().map(string).collect::<Option<Vec<_>>>() else {
                        return false;
                    };
                    types = Some(names);
                }
                Value::Map(_) => return false,
            }
        }
        if let Some(types) = &types {
            let matches = |t: &str| match t {
                "null" => kind == Kind::Null,
                "boolean" => kind == Kind::Boolean,
                "integer" => kind == Kind::Integer,
                "number" => matches!(kind, Kind::Integer | Kind::Number),
                "string" => kind == Kind::String,
                "array" => kind == Kind::Array,
                "object" => kind == Kind::Object,
                _ => false,
            };
            let known = types.iter().all(|t| {
                matches!(
                    *t,
                    "null" | "boolean" | "integer" | "number" | "string" | "array" | "object"
                )
            });
            // The conversion lets null through wherever a type is given.
            if !known || !(kind == Kind::Null || types.iter().any(|t| matches(t))) {
                return false;
            }
        }
        let implied = is_root || flag(entries, "x-kubernetes-embedded-resource");
        let properties = lookup(entries, "properties");
        for entry in entries {
            let key = entry.key.as_str().unwrap_or_default();
            let value = &entry.value;
            let fine = match key {
                "type" | "properties" | "additionalProperties" | "required" => true,
                "anyOf" if int_or_string => true,
                "anyOf" | "allOf" => {
                    let Some(branches) = value.as_seq() else {
                        return false;
                    };
                    let mut verdicts = branches.iter().map(|b| self.node(b, instance, false));
                    if key == "anyOf" {
                        verdicts.any(|v| v)
                    } else {
                        verdicts.all(|v| v)
                    }
                }
                "enum" => self.in_enum(value, instance),
                "format" => string(value).is_some(),
                "pattern" => string(value).is_some(),
                "uniqueItems" => value.as_bool().is_some(),
                "minimum" | "maximum" => self.bound(entries, key, value, instance),
                "exclusiveMinimum" | "exclusiveMaximum" => value.as_bool().is_some(),
                "minLength" | "maxLength" => {
                    let Some(limit) = count(value) else {
                        return false;
                    };
                    match instance.as_str().filter(|_| kind == Kind::String) {
                        Some(text) => within(key, text.chars().count() as u64, limit),
                        None => kind != Kind::String,
                    }
                }
                "minItems" | "maxItems" => {
                    let Some(limit) = count(value) else {
                        return false;
                    };
                    instance
                        .as_seq()
                        .is_none_or(|items| within(key, items.len() as u64, limit))
                }
                "minProperties" | "maxProperties" => {
                    let Some(limit) = count(value) else {
                        return false;
                    };
                    instance
                        .as_map()
                        .is_none_or(|members| within(key, members.len() as u64, limit))
                }
                "items" => match (&value.value, instance.as_seq()) {
                    (Value::Map(_), Some(items)) => {
                        items.iter().all(|item| self.node(value, item, false))
                    }
                    (Value::Map(_), None) => true,
                    _ => false,
                },
                _ if INERT.contains(&key) => true,
                _ => false,
            };
            if !fine {
                return false;
            }
        }
        // Only objects are held to the keywords below.
        let Some(members) = instance.as_map() else {
            return true;
        };
        if members.iter().any(|m| m.key.as_str().is_none()) {
            return false;
        }
        if let Some(required) = lookup(entries, "required") {
            // The API server fills a missing field that has a default
            // before it validates (`crd::to_json_schema` says the same).
            let defaulted = |name: &str| {
                properties
                    .and_then(|p| lookup(p.as_map()?, name))
                    .and_then(Node::as_map)
                    .is_some_and(|p| lookup(p, "default").is_some())
            };
            let present = |name: &str| {
                members.iter().any(|m| m.key.as_str() == Some(name)) || defaulted(name)
            };
            if !required
                .items()
                .iter()
                .all(|r| string(r).is_some_and(present))
            {
                return false;
            }
        }
        let declared = properties.and_then(Node::as_map).unwrap_or_default();
        let has_properties = properties.is_some() || implied;
        let additional = lookup(entries, "additionalProperties");
        let closed = match additional {
            Some(node) => node.as_bool() == Some(false),
            None => {
                self.strict
                    && declared_object
                    && has_properties
                    && !flag(entries, "x-kubernetes-preserve-unknown-fields")
            }
        };
        members.iter().all(|member| {
            let name = member.key.as_str().unwrap_or_default();
            if let Some(property) = lookup(declared, name) {
                return self.node(property, &member.value, false);
            }
            if implied && let Some((_, implied_kind)) = IMPLIED.iter().find(|(n, _)| *n == name) {
                // The conversion adds these without the null it allows elsewhere.
                return kind_of(&member.value) == *implied_kind;
            }
            if closed {
                return false;
            }
            match additional {
                Some(node) if node.as_map().is_some() => self.node(node, &member.value, false),
                _ => true,
            }
        })
    }

    /// `enum`, with the null the conversion adds; only scalar instances and
    /// options are compared here.
    fn in_enum(&self, options: &Node, instance: &Node) -> bool {
        let Some(options) = options.as_seq() else {
            return false;
        };
        if options.iter().any(|o| o.as_scalar().is_none()) {
            return false;
        }
        let Some(found) = instance.as_scalar() else {
            return false;
        };
        if matches!(found.resolved(), Resolved::Null) {
            return true;
        }
        options.iter().any(|option| same_scalar(option, instance))
    }

    /// `minimum` or `maximum` with its draft 4 `exclusive*` flag.
    fn bound(&self, entries: &[Entry], key: &str, limit: &Node, instance: &Node) -> bool {
        let Some(limit) = number(limit) else {
            return false;
        };
        if !matches!(kind_of(instance), Kind::Integer | Kind::Number) {
            return true;
        }
        let Some(found) = number(instance) else {
            return false;
        };
        let exclusive_key = if key == "minimum" {
            "exclusiveMinimum"
        } else {
            "exclusiveMaximum"
        };
        let exclusive = match lookup(entries, exclusive_key) {
            Some(flag) => match flag.as_bool() {
                Some(b) => b,
                None => return false,
            },
            None => false,
        };
        match (key, exclusive) {
            ("minimum", false) => found >= limit,
            ("minimum", true) => found > limit,
            (_, false) => found <= limit,
            (_, true) => found < limit,
        }
    }
}

fn within(key: &str, found: u64, limit: u64) -> bool {
    if key.starts_with("min") {
        found >= limit
    } else {
        found <= limit
    }
}

/// JSON equality of two scalars as Kubernetes reads them (numbers compare
/// by value).
fn same_scalar(a: &Node, b: &Node) -> bool {
    let (Some(x), Some(y)) = (a.as_scalar(), b.as_scalar()) else {
        return false;
    };
    match (kind_of(a), kind_of(b)) {
        (Kind::String, Kind::String) => x.text == y.text,
        (Kind::Null, Kind::Null) => true,
        (Kind::Boolean, Kind::Boolean) => x.resolved() == y.resolved(),
        (Kind::Integer | Kind::Number, Kind::Integer | Kind::Number) => {
            match (number(a), number(b)) {
                (Some(p), Some(q)) => p == q,
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::first_tree as tree;

    #[test]
    fn says_conforms_only_when_the_resource_does() {
        let schema = tree(
            "type: object\nproperties:\n  spec:\n    type: object\n    required: [size]\n    properties:\n      size: {type: integer, minimum: 1}\n      mode: {type: string, enum: [fast, slow]}\n      port: {x-kubernetes-int-or-string: true}\n      extra: {type: object, x-kubernetes-preserve-unknown-fields: true}\n",
        );
        let conforming = [
            "apiVersion: x/v1\nkind: K\nmetadata: {name: a}\nspec: {size: 2}\n",
            "spec: {size: 1, mode: fast, port: http}\n",
            "spec: {size: 3, port: 80, mode: ~, extra: {anything: [1]}}\n",
        ];
        let not_conforming = [
            "spec: {mode: fast}\n",
            "spec: {size: 0}\n",
            "spec: {size: 1.5}\n",
            "spec: {size: 2, mode: FAST}\n",
            "spec: {size: 2, unknown: 1}\n",
            "spec: {size: 2, port: [80]}\n",
            "kind: 5\nspec: {size: 2}\n",
            "spec: [size]\n",
        ];
        let strict =
            Conformance::new(&schema, true, &Patterns::default()).expect("a well-formed schema");
        for text in conforming {
            assert!(strict.conforms(&tree(text)), "{text}");
        }
        for text in not_conforming {
            assert!(!strict.conforms(&tree(text)), "{text}");
        }
        let lenient =
            Conformance::new(&schema, false, &Patterns::default()).expect("a well-formed schema");
        assert!(lenient.conforms(&tree("spec: {size: 2, unknown: 1}\n")));
    }

    #[test]
    fn nodes_with_keywords_it_does_not_model_are_compiled_alone() {
        let instance = tree("spec: {name: abc}\n");
        let cases = [
            (
                "properties: {spec: {properties: {name: {type: string, pattern: '^a'}}}}",
                true,
            ),
            (
                "properties: {spec: {properties: {name: {type: string, pattern: '^b'}}}}",
                false,
            ),
            (
                "properties: {spec: {properties: {name: {type: string, format: email}}}}",
                false,
            ),
            (
                "properties: {spec: {properties: {name: {type: string, format: int32}}}}",
                true,
            ),
            (
                "properties: {spec: {oneOf: [{required: [name]}, {required: [other]}]}}",
                true,
            ),
            ("properties: {spec: {not: {required: [name]}}}", false),
            (
                "properties: {spec: {properties: {name: {type: text}}}}",
                false,
            ),
        ];
        for (text, expected) in cases {
            let schema = tree(text);
            let conforms = Conformance::new(&schema, true, &Patterns::default())
                .is_some_and(|c| c.conforms(&instance));
            assert_eq!(conforms, expected, "{text}");
        }
    }
}
