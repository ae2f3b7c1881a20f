//! The YAML tree seen as the JSON instance Kubernetes would see, for the
//! validator to walk in place.
//!
//! Validating a `serde_json::Value` meant converting every object first: a
//! deep copy with one allocation per node and a sorted map per mapping,
//! which on a corpus of large CRDs cost more than parsing it. `jsonschema`
//! validates any representation that implements its `Json` trait, so the
//! tree is read directly: scalars take their YAML 1.1 resolution (the same
//! as [`Node::to_json`]), mapping keys their JSON spelling
//! ([`Scalar::json_key`]). A JSON value is built only for an error's
//! instance, on the cold path.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::Value as JsonValue;

use crate::yaml::{Entry, Node, Resolved, Scalar, Value};

/// The YAML tree as a `jsonschema` representation.
pub struct Yaml;

impl Json for Yaml {
    type Node<'a> = Instance<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Instance<'_>) -> T) -> T {
        f(Instance::Name(string))
    }
}

/// A node of the tree, or a mapping key being validated as a property name.
#[derive(Clone, Copy)]
pub enum Instance<'a> {
    /// A node of the tree.
    Tree(&'a Node),
    /// A string that is not in the tree.
    Name(&'a str),
}

impl<'a> Instance<'a> {
    /// The instance for a whole tree.
    pub fn of(node: &'a Node) -> Self {
        Instance::Tree(node)
    }

    fn scalar(&self) -> Option<&'a Scalar> {
        match self {
            Instance::Tree(node) => node.as_scalar(),
            Instance::Name(_) => None,
        }
    }
}

/// A YAML number: an integer or a finite float (the others are strings,
/// as in [`Scalar::to_json`]).
#[derive(Clone, Copy)]
pub enum Number {
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
}

impl Number {
    fn json(self) -> serde_json::Number {
        match self {
            Number::Int(i) => i.into(),
            Number::Float(f) => serde_json::Number::from_f64(f).unwrap_or_else(|| 0.into()),
        }
    }
}

impl JsonNumber for Number {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::Int(i) => u64::try_from(i).ok(),
            Number::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        Some(match *self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        })
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.json().to_string())
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(self.json())
    }

    fn is_written_as_integer(&self) -> bool {
        matches!(self, Number::Int(_))
    }
}

impl<'a> JsonNode<'a, Yaml> for Instance<'a> {
    type Object = Members<'a>;
    type Array = &'a [Node];
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match self {
            Instance::Tree(node) => node.as_map().map(Members::new),
            Instance::Name(_) => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match self {
            Instance::Tree(node) => node.as_seq(),
            Instance::Name(_) => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self {
            Instance::Name(name) => Some(Cow::Borrowed(name)),
            Instance::Tree(node) => {
                let scalar = node.as_scalar()?;
                match scalar.resolved() {
                    Resolved::Str => Some(Cow::Borrowed(scalar.text.as_str())),
                    Resolved::Float(f) if !f.is_finite() => {
                        Some(Cow::Borrowed(scalar.text.as_str()))
                    }
                    _ => None,
                }
            }
        }
    }

    fn as_number(&self) -> Option<Number> {
        match self.scalar()?.resolved() {
            Resolved::Int(i) => Some(Number::Int(i)),
            Resolved::Float(f) if f.is_finite() => Some(Number::Float(f)),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.scalar()?.resolved() {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.scalar()
            .is_some_and(|s| matches!(s.resolved(), Resolved::Null))
    }

    fn json_type(&self) -> JsonType {
        let node = match self {
            Instance::Name(_) => return JsonType::String,
            Instance::Tree(node) => node,
        };
        match kind_of(node) {
            Kind::Null => JsonType::Null,
            Kind::Boolean => JsonType::Boolean,
            Kind::Integer | Kind::Number => JsonType::Number,
            Kind::String => JsonType::String,
            Kind::Array => JsonType::Array,
            Kind::Object => JsonType::Object,
        }
    }

    fn to_value(&self) -> Cow<'a, JsonValue> {
        Cow::Owned(match self {
            Instance::Tree(node) => node.to_json(),
            Instance::Name(name) => JsonValue::String((*name).to_owned()),
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            Instance::Tree(node) => Some(NodeIdentity::new(std::ptr::from_ref(*node) as usize)),
            Instance::Name(_) => None,
        }
    }
}

/// The members of a mapping, under their JSON names.
///
/// Kubernetes' conversion turns keys such as `1` and `"1"` into the same
/// JSON name, and the later one wins; such collisions need a non-string
/// key, so only mappings with one pay for looking for them.
#[derive(Clone, Copy)]
pub struct Members<'a> {
    entries: &'a [Entry],
    all_string_keys: bool,
}

impl<'a> Members<'a> {
    fn new(entries: &'a [Entry]) -> Self {
        let all_string_keys = entries.iter().all(|e| {
            e.key
                .as_scalar()
                .is_some_and(|k| matches!(k.resolved(), Resolved::Str))
        });
        Self {
            entries,
            all_string_keys,
        }
    }

    /// Whether a later entry has the same JSON name as entry `at`.
    fn shadowed(&self, at: usize, name: &str) -> bool {
        !self.all_string_keys && self.entries[at + 1..].iter().any(|e| json_name(e) == name)
    }
}

fn json_name(entry: &Entry) -> Cow<'_, str> {
    match entry.key.as_scalar() {
        Some(key) if matches!(key.resolved(), Resolved::Str) => Cow::Borrowed(key.text.as_str()),
        Some(key) => Cow::Owned(key.json_key()),
        None => Cow::Borrowed(""),
    }
}

/// The members of a mapping in source order, without shadowed duplicates.
pub struct MembersIter<'a> {
    members: Members<'a>,
    next: usize,
}

impl<'a> Iterator for MembersIter<'a> {
    type Item = (Cow<'a, str>, Instance<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(entry) = self.members.entries.get(self.next) {
            let at = self.next;
            self.next += 1;
            let name = json_name(entry);
            if !self.members.shadowed(at, &name) {
                return Some((name, Instance::Tree(&entry.value)));
            }
        }
        None
    }
}

impl<'a> Object<'a, Yaml> for Members<'a> {
    type Node = Instance<'a>;
    type MemberName = Cow<'a, str>;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        if self.all_string_keys {
            return self.entries.len();
        }
        self.members().count()
    }

    fn get(&self, key: &Box<str>) -> Option<Instance<'a>> {
        let key: &str = key;
        self.entries
            .iter()
            .rev()
            .find(|e| json_name(e) == key)
            .map(|e| Instance::Tree(&e.value))
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter {
            members: *self,
            next: 0,
        }
    }
}

impl<'a> Array<'a, Yaml> for &'a [Node] {
    type Node = Instance<'a>;
    type ElementsIter = std::iter::Map<std::slice::Iter<'a, Node>, fn(&'a Node) -> Instance<'a>>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> Self::ElementsIter {
        self.iter()
            .map(Instance::Tree as fn(&'a Node) -> Instance<'a>)
    }
}

/// The JSON type of an instance node, as Kubernetes reads it; integers
/// apart from other numbers, as draft 4 keeps them.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

pub(super) fn kind_of(node: &Node) -> Kind {
    match &node.value {
        Value::Map(_) => Kind::Object,
        Value::Seq(_) => Kind::Array,
        Value::Scalar(s) => match s.resolved() {
            Resolved::Null => Kind::Null,
            Resolved::Bool(_) => Kind::Boolean,
            Resolved::Int(_) => Kind::Integer,
            Resolved::Float(f) if f.is_finite() => Kind::Number,
            Resolved::Float(_) | Resolved::Str => Kind::String,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::first_tree as tree;

    fn verdicts(schema: JsonValue, text: &str) -> (bool, bool) {
        let node = tree(text);
        let on_tree = jsonschema::options_for::<Yaml>()
            .build(&schema)
            .expect("valid schema")
            .is_valid(Instance::of(&node));
        let on_json = jsonschema::validator_for(&schema)
            .expect("valid schema")
            .is_valid(&node.to_json());
        (on_tree, on_json)
    }

    #[test]
    fn the_tree_validates_as_its_json_form_does() {
        let cases = [
            (
                serde_json::json!({"type": "object", "properties": {"a": {"type": "integer"}}}),
                vec!["a: 1", "a: '1'", "a: 1.5", "a: 0x1F", "a: 1_000", "a: ~"],
            ),
            (
                serde_json::json!({"properties": {"on": {"type": "boolean"}}, "additionalProperties": false}),
                vec!["on: yes", "on: 'yes'", "true: 1", "'on': true"],
            ),
            (
                serde_json::json!({"type": "string", "enum": [".inf", "x"]}),
                vec![".inf", "x", "1", "'1'"],
            ),
            (
                serde_json::json!({"type": "object", "maxProperties": 1, "properties": {"1": {"type": "string"}}}),
                vec!["1: a\n'1': b", "'1': a\n1: 2", "a: 1\nb: 2"],
            ),
            (
                serde_json::json!({"type": "array", "items": {"type": ["number", "null"]}, "uniqueItems": true}),
                vec!["[1, 2.0, null]", "[1, 1.0]", "[1, a]"],
            ),
            (
                serde_json::json!({"propertyNames": {"pattern": "^[a-z]+$"}}),
                vec!["abc: 1", "Abc: 1", "1: 2"],
            ),
        ];
        for (schema, texts) in cases {
            for text in texts {
                let (on_tree, on_json) = verdicts(schema.clone(), text);
                assert_eq!(on_tree, on_json, "{schema} on {text:?}");
            }
        }
    }

    #[test]
    fn draft_4_reads_integers_as_written() {
        let schema = serde_json::json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"});
        for text in ["1", "1.0", "1e3", "-7"] {
            let (on_tree, on_json) = verdicts(schema.clone(), text);
            assert_eq!(on_tree, on_json, "{text}");
        }
    }
}
