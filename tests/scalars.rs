//! Scalars resolve as Kubernetes reads them: YAML 1.1 as implemented by
//! go-yaml v2 (`gopkg.in/yaml.v2`, behind `sigs.k8s.io/yaml`).
//!
//! The reference is go-yaml v2's `resolve.go` as vendored by Kubernetes
//! (`kubernetes/kubernetes`, `vendor/gopkg.in/yaml.v2/resolve.go`):
//!
//! * `resolveMap` holds the booleans `y Y yes Yes YES true True TRUE on On ON`
//!   and `n N no No NO false False FALSE off Off OFF`, the nulls
//!   `"" ~ null Null NULL`, and `.inf`/`.nan` in three casings each, with
//!   `+.inf` and `-.inf`. Nothing else is looked up, so `tRUE` or `nULL` are
//!   strings.
//! * Plain text starting with a digit or a sign has its underscores removed
//!   (`strings.Replace(in, "_", "", -1)`) and is tried with
//!   `strconv.ParseInt(plain, 0, 64)`: base 0 reads `0x`, a leading `0` as
//!   octal, and (Go 1.13 and later, which every supported Kubernetes is built
//!   with) `0o` and `0b`. Then `ParseUint`, then the float regexp
//!   `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` with
//!   `ParseFloat`, then an explicit `0b`/`-0b` branch. So `08` and `09`,
//!   invalid octal, are the floats 8 and 9.
//! * Text starting with `.` is tried with `ParseFloat` only (`.5`).
//! * Sexagesimal numbers are not supported: "Base 60 floats are a bad idea,
//!   were dropped in YAML 1.2, and are purposefully unsupported here", so
//!   `12:30` is a string.
//! * Timestamps (`2024-01-15`) resolve to `!!timestamp`, but go-yaml v2
//!   decodes them into `interface{}` as the original string, which is what
//!   the YAML-to-JSON conversion sees.
//! * A quoted or block scalar is a string unless tagged; an explicit
//!   `!!int "12"` resolves the text as an integer.

use plimsoll::yaml::Resolved;
use plimsoll::yaml::parse::{Limits, parse_stream};
use plimsoll::yaml::scalar::{self, ScalarStyle};

/// How the value of `v:` resolves when written as `written`.
fn value_of(written: &str) -> Resolved {
    let text = format!("v: {written}\n");
    let stream = parse_stream(&text, &Limits::default());
    assert!(
        stream.problems.is_empty(),
        "{written}: {:?}",
        stream.problems
    );
    let root = &stream.documents[0].root;
    root.get("v")
        .and_then(|v| v.as_scalar())
        .unwrap_or_else(|| panic!("{written}: no scalar"))
        .resolved()
}

fn check(table: &[(&str, Resolved)]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|&(written, expected)| {
            let found = value_of(written);
            let same = match (found, expected) {
                (Resolved::Float(a), Resolved::Float(b)) => {
                    a == b && a.is_sign_negative() == b.is_sign_negative()
                        || a.is_nan() && b.is_nan()
                }
                (a, b) => a == b,
            };
            (!same).then(|| format!("{written:?}: expected {expected:?}, found {found:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn booleans() {
    use Resolved::Bool;
    check(&[
        ("y", Bool(true)),
        ("Y", Bool(true)),
        ("yes", Bool(true)),
        ("Yes", Bool(true)),
        ("YES", Bool(true)),
        ("on", Bool(true)),
        ("On", Bool(true)),
        ("ON", Bool(true)),
        ("true", Bool(true)),
        ("True", Bool(true)),
        ("TRUE", Bool(true)),
        ("n", Bool(false)),
        ("N", Bool(false)),
        ("no", Bool(false)),
        ("No", Bool(false)),
        ("NO", Bool(false)),
        ("off", Bool(false)),
        ("Off", Bool(false)),
        ("OFF", Bool(false)),
        ("false", Bool(false)),
        ("False", Bool(false)),
        ("FALSE", Bool(false)),
        // Only the listed spellings.
        ("yEs", Resolved::Str),
        ("oN", Resolved::Str),
        ("tRUE", Resolved::Str),
        ("yes please", Resolved::Str),
        ("enabled", Resolved::Str),
    ]);
}

#[test]
fn nulls() {
    check(&[
        ("~", Resolved::Null),
        ("null", Resolved::Null),
        ("Null", Resolved::Null),
        ("NULL", Resolved::Null),
        ("", Resolved::Null),
        ("# only a comment", Resolved::Null),
        ("nULL", Resolved::Str),
        ("none", Resolved::Str),
    ]);
}

#[test]
fn integers() {
    use Resolved::Int;
    check(&[
        ("0", Int(0)),
        ("-0", Int(0)),
        ("+12", Int(12)),
        ("-42", Int(-42)),
        ("0755", Int(493)),
        ("00", Int(0)),
        ("007", Int(7)),
        ("0o755", Int(493)),
        ("0O755", Int(493)),
        ("0x1F", Int(31)),
        ("0X1f", Int(31)),
        ("-0x1F", Int(-31)),
        ("0b101", Int(5)),
        ("-0b101", Int(-5)),
        ("1_000", Int(1000)),
        ("1_000_000", Int(1_000_000)),
        ("0x_1F", Int(31)),
        // Every underscore goes, not only those between digits.
        ("1000_", Int(1000)),
        ("9223372036854775807", Int(i64::MAX)),
        ("-9223372036854775808", Int(i64::MIN)),
        ("8080", Int(8080)),
    ]);
}

#[test]
fn floats() {
    use Resolved::Float;
    check(&[
        ("1e3", Float(1000.0)),
        ("1E3", Float(1000.0)),
        ("1e+3", Float(1000.0)),
        ("1.5e-3", Float(0.0015)),
        ("1.5", Float(1.5)),
        ("1.", Float(1.0)),
        (".5", Float(0.5)),
        ("-.5", Float(-0.5)),
        ("+.5", Float(0.5)),
        ("-0.0", Float(-0.0)),
        ("1_000.5", Float(1000.5)),
        // Not valid octal, but the float regexp matches.
        ("08", Float(8.0)),
        ("09", Float(9.0)),
        ("0999", Float(999.0)),
        // Beyond 64 bits (even unsigned): a float.
        ("99999999999999999999", Float(1e20)),
        (".inf", Float(f64::INFINITY)),
        (".Inf", Float(f64::INFINITY)),
        (".INF", Float(f64::INFINITY)),
        ("+.inf", Float(f64::INFINITY)),
        ("-.inf", Float(f64::NEG_INFINITY)),
        ("-.Inf", Float(f64::NEG_INFINITY)),
        ("-.INF", Float(f64::NEG_INFINITY)),
        (".nan", Float(f64::NAN)),
        (".NaN", Float(f64::NAN)),
        (".NAN", Float(f64::NAN)),
    ]);
}

#[test]
fn strings_that_look_like_numbers() {
    use Resolved::Str;
    check(&[
        // Sexagesimal: unsupported by go-yaml v2 on purpose.
        ("12:30", Str),
        ("1:20:30", Str),
        ("-12:30", Str),
        // Timestamps reach JSON as strings.
        ("2024-01-15", Str),
        ("2001-12-14t21:59:43.10-05:00", Str),
        // Prefixes without (valid) digits.
        ("0x", Str),
        ("0b", Str),
        ("0o", Str),
        ("0b102", Str),
        ("0o8", Str),
        ("0xG", Str),
        // Not numbers at all.
        ("_1000", Str),
        ("1.2.3", Str),
        ("1e", Str),
        ("e3", Str),
        ("+", Str),
        (".", Str),
        ("inf", Str),
        ("+inf", Str),
        ("Infinity", Str),
        ("nan", Str),
        ("NaN", Str),
        (".infinity", Str),
        ("0x1p-2", Str),
        ("100Mi", Str),
        ("500m", Str),
        ("1.25", Resolved::Float(1.25)),
        ("v1.25", Str),
        ("nginx:1.25", Str),
    ]);
}

#[test]
fn quoted_block_and_tagged_scalars() {
    use Resolved::{Bool, Float, Int, Null, Str};
    check(&[
        ("'yes'", Str),
        ("\"no\"", Str),
        ("'0755'", Str),
        ("\"1e3\"", Str),
        ("'~'", Str),
        ("\"\"", Str),
        ("''", Str),
        ("\"null\"", Str),
        ("|\n  yes", Str),
        (">-\n  0755", Str),
        ("!!str 0755", Str),
        ("!!str yes", Str),
        ("!!str ~", Str),
        ("!!str", Str),
        ("!!int \"12\"", Int(12)),
        ("!!int '0x1F'", Int(31)),
        ("!!int 0755", Int(493)),
        ("!!float 1", Float(1.0)),
        ("!!float \"1.5\"", Float(1.5)),
        ("!!bool \"yes\"", Bool(true)),
        ("!!bool off", Bool(false)),
        ("!!null ''", Null),
        ("!custom yes", Str),
        ("!<tag:yaml.org,2002:int> \"7\"", Int(7)),
        ("!<tag:yaml.org,2002:str> 7", Str),
    ]);
}

#[test]
fn the_resolver_agrees_with_the_parser() {
    // The parse above goes through `scalar::resolve`; spot-check it directly.
    assert_eq!(
        scalar::resolve("0755", ScalarStyle::Plain, None),
        Resolved::Int(493)
    );
    assert_eq!(
        scalar::resolve("0755", ScalarStyle::DoubleQuoted, None),
        Resolved::Str
    );
    assert_eq!(
        scalar::resolve("12", ScalarStyle::DoubleQuoted, Some("!!int")),
        Resolved::Int(12)
    );
}

#[test]
fn json_values_are_what_kubernetes_sees() {
    let text =
        "octal: 0755\nflag: on\nratio: .5\nnothing: ~\nquoted: '0755'\nbig: 0x7FFFFFFFFFFFFFFF\n";
    let stream = parse_stream(text, &Limits::default());
    let json = stream.documents[0].root.to_json();
    assert_eq!(
        json,
        serde_json::json!({
            "octal": 493,
            "flag": true,
            "ratio": 0.5,
            "nothing": null,
            "quoted": "0755",
            "big": i64::MAX,
        })
    );
}

#[test]
fn json_keys_are_spelled_as_kubernetes_spells_them() {
    // sigs.k8s.io/yaml `convertToJSONableObject`: bool keys become
    // "true"/"false", int keys decimal, float keys `FormatFloat(f, 'g', -1, 32)`.
    let text = "\
yes: a
off: b
0755: c
0x10: d
1.5: e
1e3: f
.inf: g
1e21: h
0.00001: i
'on': j
plain: k
";
    let stream = parse_stream(text, &Limits::default());
    let json = stream.documents[0].root.to_json();
    assert_eq!(
        json,
        serde_json::json!({
            "true": "a",
            "false": "b",
            "493": "c",
            "16": "d",
            "1.5": "e",
            "1000": "f",
            ".inf": "g",
            "1e+21": "h",
            "1e-05": "i",
            "on": "j",
            "plain": "k",
        })
    );
}
