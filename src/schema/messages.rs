//! Turning validator errors into one sentence each, at the right field.
//!
//! A raw JSON Schema error says which keyword failed; a user needs to know
//! what to write instead. For that the messages look at the schema where
//! the error is (the valid field names for a typo, the types a `oneOf`
//! accepts) and describe the value found without ever printing a Secret's
//! data.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::catalog::{KindSchema, closest};
use super::instance::Instance;
use crate::k8s::Object;
use crate::k8s::extract::pod_spec_at;
use crate::yaml::{Node, Pointer};

/// The schema errors of `object`, as pointers and messages, in the order
/// the validator found them. Unknown fields are skipped unless `strict`.
pub fn describe(schema: &KindSchema, object: &Object, strict: bool) -> Vec<(Pointer, String)> {
    let mut errors = describe_tree_errors(schema, &object.root, strict, redacted(object));
    // Kustomize writes the selector of a workload from the labels it adds.
    if object.build.as_ref().is_some_and(|b| b.fills_selectors()) && pod_spec_at(object).is_some() {
        let selector = missing_required("selector");
        errors.retain(|(pointer, message)| !(pointer.as_str() == "/spec" && *message == selector));
    }
    errors
}

/// Whether messages about `object` must not quote its values.
pub fn redacted(object: &Object) -> bool {
    object.kind() == "Secret"
}

/// The schema errors of any YAML tree; `redact` keeps values out of the
/// messages.
pub fn describe_tree_errors(
    schema: &KindSchema,
    tree: &Node,
    strict: bool,
    redact: bool,
) -> Vec<(Pointer, String)> {
    let instance = Instance::of(tree);
    // Most objects are valid; answering that without building errors is much cheaper.
    if schema.validator.is_valid(instance) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in schema.validator.iter_errors(instance) {
        if passes_as_left_out(error.kind(), error.instance()) {
            continue;
        }
        let pointer = Pointer::parse(error.instance_path().as_str());
        let here = schema_at(schema, &pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                if !strict {
                    continue;
                }
                for field in unexpected {
                    out.push((pointer.child(field), unknown_field(field, here)));
                }
            }
            // The API server fills in defaults before it validates.
            ValidationErrorKind::OneOfMultipleValid { .. }
                if here
                    .is_some_and(|schema| one_choice_once_defaulted(schema, error.instance())) =>
            {
                continue;
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push((pointer, missing_required(name)));
            }
            ValidationErrorKind::Enum { options } => {
                out.push((pointer, not_in_enum(options, error.instance(), redact)));
            }
            // `anyOf: [{enum: [a]}, {enum: [b]}]` is an enum written long.
            ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. }
                if let Some(options) = here.and_then(branch_enums) =>
            {
                out.push((pointer, not_in_enum(&options, error.instance(), redact)));
            }
            // A value of an accepted type that fails every branch for other
            // reasons (a format, a `not`) is not of the wrong type.
            ValidationErrorKind::OneOfNotValid { context }
            | ValidationErrorKind::AnyOf { context }
                if here.is_some_and(|schema| accepts_type_of(schema, error.instance())) =>
            {
                let keyword = error.kind().keyword();
                let message = format!(
                    "the value matches none of the {} `{keyword}` choices of the schema",
                    context.len()
                );
                out.push((pointer, message));
            }
            ValidationErrorKind::Type { .. }
            | ValidationErrorKind::OneOfNotValid { .. }
            | ValidationErrorKind::AnyOf { .. } => {
                let expected = here.map(expected_types).unwrap_or_default();
                let found = describe_value(error.instance(), redact);
                let message = if expected.is_empty() {
                    format!("unexpected {found}")
                } else {
                    format!("expected {expected}, found {found}")
                };
                out.push((pointer, message));
            }
            kind => {
                let found = describe_value(error.instance(), redact);
                out.push((
                    pointer,
                    constraint_message(kind, &found, redact, error.to_string()),
                ));
            }
        }
    }
    out
}

/// Whether an error says nothing wrong about the value: a null, judged by
/// a keyword that combines schemas. The API server reads a null field as
/// one left out. The built-in schemas as generated and a CRD's as converted
/// let null through wherever they give a type, so a null matches every
/// typed branch of a `oneOf`, and the schema of a `not` that only
/// constrains objects; a schema from a location may not say null at all.
/// None of that is a mistake in the manifest.
fn passes_as_left_out(kind: &ValidationErrorKind, instance: &Value) -> bool {
    instance.is_null()
        && matches!(
            kind,
            ValidationErrorKind::OneOfMultipleValid { .. }
                | ValidationErrorKind::OneOfNotValid { .. }
                | ValidationErrorKind::AnyOf { .. }
                | ValidationErrorKind::Not { .. }
        )
}

/// The message for a required field left out.
fn missing_required(name: &str) -> String {
    format!("missing required field `{name}`")
}

/// Whether a value that several of `schema`'s `oneOf` choices accept is
/// accepted by exactly one once the defaults of the properties it leaves
/// out are filled in, as the API server does before it validates (Gateway
/// API's addresses: `type` defaults to `IPAddress`, which tells the two
/// choices apart). Choices that refer to other definitions are not judged.
fn one_choice_once_defaulted(schema: &Value, instance: &Value) -> bool {
    let (Some(choices), Some(properties), Some(given)) = (
        schema.get("oneOf").and_then(Value::as_array),
        schema.get("properties").and_then(Value::as_object),
        instance.as_object(),
    ) else {
        return false;
    };
    let mut defaulted = given.clone();
    for (name, property) in properties {
        if let Some(default) = property.get("default")
            && !defaulted.contains_key(name)
        {
            defaulted.insert(name.clone(), default.clone());
        }
    }
    if defaulted.len() == given.len() {
        return false;
    }
    let defaulted = Value::Object(defaulted);
    let mut accepting = 0;
    for choice in choices {
        let Ok(validator) = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .offline()
            .build(choice)
        else {
            return false;
        };
        accepting += usize::from(validator.is_valid(&defaulted));
    }
    accepting == 1
}

/// The schema that applies at `pointer`, with `$ref`s resolved.
fn schema_at<'a>(schema: &'a KindSchema, pointer: &Pointer) -> Option<&'a Value> {
    let mut node = resolve(&schema.defs, schema.defs.get(&schema.root)?);
    for segment in pointer.segments() {
        node = resolve(&schema.defs, child_schema(&schema.defs, node, &segment)?);
    }
    Some(node)
}

fn child_schema<'a>(defs: &'a Value, node: &'a Value, segment: &str) -> Option<&'a Value> {
    if let Some(found) = node.get("properties").and_then(|p| p.get(segment)) {
        return Some(found);
    }
    if let Some(items) = node
        .get("items")
        .filter(|_| segment.parse::<usize>().is_ok())
    {
        return Some(items);
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        return Some(extra);
    }
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| node.get(*k)?.as_array())
        .flatten()
        .find_map(|branch| child_schema(defs, resolve(defs, branch), segment))
}

fn resolve<'a>(defs: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(target) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(name) = target.rsplit_once("/$defs/").map(|(_, n)| n) else {
            break;
        };
        let Some(next) = defs.get(name) else {
            break;
        };
        node = next;
    }
    node
}

fn unknown_field(field: &str, parent: Option<&Value>) -> String {
    let known = parent
        .and_then(|p| p.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect::<Vec<_>>())
        .unwrap_or_default();
    match closest(field, known.iter().copied()) {
        Some(suggestion) => format!("unknown field `{field}`; did you mean `{suggestion}`?"),
        None => format!("unknown field `{field}`"),
    }
}

fn not_in_enum(options: &Value, found: &Value, redact: bool) -> String {
    let allowed: Vec<&str> = options
        .as_array()
        .map(|o| o.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let listed = allowed
        .iter()
        .filter(|a| !a.is_empty())
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let found_text = found.as_str();
    let hint = found_text
        .and_then(|f| allowed.iter().find(|a| a.eq_ignore_ascii_case(f)))
        .map(|a| format!("; did you mean `{a}`?"))
        .unwrap_or_default();
    format!(
        "expected one of {listed}, found {}{hint}",
        describe_value(found, redact)
    )
}

/// The values allowed by a schema whose `anyOf` or `oneOf` branches are all
/// enums, if it is one.
fn branch_enums(schema: &Value) -> Option<Value> {
    let branches = ["anyOf", "oneOf"]
        .iter()
        .find_map(|k| schema.get(*k)?.as_array())?;
    let mut options: Vec<Value> = Vec::new();
    for branch in branches {
        for option in branch.get("enum")?.as_array()? {
            if !options.contains(option) {
                options.push(option.clone());
            }
        }
    }
    Some(Value::Array(options))
}

/// "a string or an integer", from a schema's `type` or its branches' types.
fn expected_types(schema: &Value) -> String {
    let mut types: Vec<&str> = Vec::new();
    collect_types(schema, &mut types);
    let named: Vec<&str> = types
        .iter()
        .filter(|t| **t != "null")
        .map(|t| type_name(t))
        .collect();
    named.join(" or ")
}

/// Whether `schema` (its `type` or its branches' types) names the JSON
/// type of `value`; a schema that names none accepts every type.
fn accepts_type_of(schema: &Value, value: &Value) -> bool {
    let mut types: Vec<&str> = Vec::new();
    collect_types(schema, &mut types);
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    types.is_empty() || types.contains(&found) || (found == "integer" && types.contains(&"number"))
}

fn collect_types<'a>(schema: &'a Value, out: &mut Vec<&'a str>) {
    match schema.get("type") {
        Some(Value::String(t)) => push_unique(out, t),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .for_each(|t| push_unique(out, t)),
        _ => {}
    }
    for key in ["oneOf", "anyOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_types(branch, out);
        }
    }
}

fn push_unique<'a>(out: &mut Vec<&'a str>, t: &'a str) {
    if !out.contains(&t) {
        out.push(t);
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "object" => "a mapping",
        "array" => "a list",
        _ => "a value",
    }
}

/// What was found, for messages: the type, and the value when it is short
/// and not secret.
pub fn describe_value(value: &Value, redact: bool) -> String {
    let shown = |kind: &str, text: String| {
        if redact || text.chars().count() > 40 {
            kind.to_owned()
        } else {
            format!("{kind} `{text}`")
        }
    };
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => shown("a boolean", b.to_string()),
        Value::Number(n) if n.is_i64() || n.is_u64() => shown("an integer", n.to_string()),
        Value::Number(n) => shown("a number", n.to_string()),
        Value::String(s) => shown("a string", s.clone()),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// Messages for constraints beyond type and shape. The validator's own text
/// is used only for rare keywords, and never for a Secret, since it quotes
/// the value.
fn constraint_message(
    kind: &ValidationErrorKind,
    found: &str,
    redact: bool,
    raw: String,
) -> String {
    match kind {
        ValidationErrorKind::Pattern { pattern } => {
            let pattern = super::re2::as_written(pattern);
            format!("{found} does not match the pattern `{pattern}`")
        }
        ValidationErrorKind::MinLength { limit: 1 } => "the value must not be empty".to_owned(),
        ValidationErrorKind::MinLength { limit } => {
            format!("the value must be at least {limit} characters long")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("the value must be at most {limit} characters long")
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("{found} is less than the minimum {limit}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{found} is more than the maximum {limit}")
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("{found} must be more than {limit}")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("{found} must be less than {limit}")
        }
        ValidationErrorKind::MinItems { limit } => {
            format!("the list must have at least {limit} item(s)")
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!("the list must have at most {limit} item(s)")
        }
        ValidationErrorKind::MinProperties { limit } => {
            format!("the mapping must have at least {limit} field(s)")
        }
        ValidationErrorKind::MaxProperties { limit } => {
            format!("the mapping must have at most {limit} field(s)")
        }
        ValidationErrorKind::UniqueItems => "the list has duplicate items".to_owned(),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "the value matches more than one of the schema's `oneOf` choices; it must match exactly one".to_owned()
        }
        ValidationErrorKind::Not { schema } => forbidden(schema),
        ValidationErrorKind::FalseSchema => "this field is not allowed here".to_owned(),
        _ if redact => format!(
            "the value fails the schema's `{}` constraint",
            kind.keyword()
        ),
        _ => lowercase_first(&raw),
    }
}

/// What a `not` forbids: most often some fields (`not: {required: [a]}`).
fn forbidden(schema: &Value) -> String {
    let only_required = schema.as_object().is_some_and(|s| s.len() == 1);
    let names: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .filter(|_| only_required)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(|n| format!("`{n}`"))
                .collect()
        })
        .unwrap_or_default();
    match names.as_slice() {
        [] => "the value matches a schema it must not match (`not`)".to_owned(),
        [name] => format!("the field {name} must not be set here"),
        names => format!(
            "the fields {} must not all be set together",
            names.join(", ")
        ),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
