//! Scalar resolution as Kubernetes performs it.
//!
//! The API machinery decodes YAML with go-yaml v2, which implements YAML 1.1:
//! `yes`, `no`, `on`, `off`, `y` and `n` are booleans, `0755` is the octal
//! number 493 and `1_000` is 1000. A YAML 1.2 tool reads the same text
//! differently, and that disagreement is what [`yaml12_differs`] reports to
//! the `ambiguous-yaml-scalar` rule.

use serde::Serialize;

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalarStyle {
    /// Unquoted: the only style whose meaning depends on resolution.
    Plain,
    /// `'single quoted'`.
    SingleQuoted,
    /// `"double quoted"`.
    DoubleQuoted,
    /// A `|` block scalar.
    Literal,
    /// A `>` block scalar.
    Folded,
}

/// What a scalar means once resolved.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Resolved {
    /// `~`, `null`, or nothing at all.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A floating-point number, `.inf` and `.nan` included.
    Float(f64),
    /// A string: every quoted or block scalar, and plain text that is nothing else.
    Str,
}

/// Resolves a scalar under YAML 1.1 as go-yaml v2 does. `tag` is the short
/// form of an explicit tag (`!!str`), which overrides the plain-text rules.
pub fn resolve(text: &str, style: ScalarStyle, tag: Option<&str>) -> Resolved {
    match tag {
        Some("!!str") | Some("!!binary") | Some("!!timestamp") => return Resolved::Str,
        Some("!!null") => return Resolved::Null,
        Some("!!bool") => return bool_11(text).map_or(Resolved::Str, Resolved::Bool),
        Some("!!int") => return int_11(text).map_or(Resolved::Str, Resolved::Int),
        Some("!!float") => {
            return float_11(text)
                .or_else(|| int_11(text).map(|i| i as f64))
                .map_or(Resolved::Str, Resolved::Float);
        }
        Some(_) => return Resolved::Str,
        None => {}
    }
    if style != ScalarStyle::Plain {
        return Resolved::Str;
    }
    resolve_plain_11(text)
}

fn resolve_plain_11(text: &str) -> Resolved {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Resolved::Null;
    }
    if let Some(b) = bool_11(text) {
        return Resolved::Bool(b);
    }
    let Some(first) = text.bytes().next() else {
        return Resolved::Str;
    };
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Resolved::Str;
    }
    if let Some(i) = int_11(text) {
        return Resolved::Int(i);
    }
    float_11(text).map_or(Resolved::Str, Resolved::Float)
}

/// `text` without `_`, which go-yaml removes before reading a number;
/// borrowed in the common case of no underscore.
fn without_underscores(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    }
}

fn bool_11(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

/// Integers as Go's `strconv.ParseInt(s, 0, 64)` reads them after go-yaml has
/// removed underscores: optional sign, then `0x`, `0o`, `0b` or a leading `0`
/// (octal), or decimal digits.
fn int_11(text: &str) -> Option<i64> {
    let cleaned = without_underscores(text);
    let (negative, digits) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    let (radix, body) = if let Some(hex) = strip_prefix_ci(digits, "0x") {
        (16, hex)
    } else if let Some(oct) = strip_prefix_ci(digits, "0o") {
        (8, oct)
    } else if let Some(bin) = strip_prefix_ci(digits, "0b") {
        (2, bin)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(body, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Floats as go-yaml v2 accepts them: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
/// after removing underscores, and the `.inf` / `.nan` spellings.
fn float_11(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let cleaned = without_underscores(text);
    is_decimal_float(&cleaned).then(|| cleaned.parse().ok())?
}

fn is_decimal_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac = digits(&mut i);
        if int_digits == 0 && frac == 0 {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Resolves a plain scalar under the YAML 1.2 core schema, which most
/// editors, formatters and non-Go tools use.
pub fn resolve_plain_12(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .map_or(Resolved::Float(text.parse().unwrap_or(0.0)), Resolved::Int);
    }
    if let Some(Ok(i)) = text
        .strip_prefix("0o")
        .map(|oct| i64::from_str_radix(oct, 8))
    {
        return Resolved::Int(i);
    }
    if let Some(Ok(i)) = text
        .strip_prefix("0x")
        .map(|hex| i64::from_str_radix(hex, 16))
    {
        return Resolved::Int(i);
    }
    if let Some(f) = is_decimal_float(text).then(|| text.parse().ok()).flatten() {
        return Resolved::Float(f);
    }
    Resolved::Str
}

/// Whether a plain scalar means something different to a YAML 1.2 reader
/// than to Kubernetes, returning both readings when it does.
pub fn yaml12_differs(text: &str) -> Option<(Resolved, Resolved)> {
    // Only numbers and YAML 1.1's extra booleans can differ; most scalars are
    // neither, and this runs on every plain scalar of a run.
    let numeric = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'));
    if !numeric && bool_11(text).is_none() {
        return None;
    }
    let k8s = resolve_plain_11(text);
    let yaml12 = resolve_plain_12(text);
    let same = match (k8s, yaml12) {
        (Resolved::Float(a), Resolved::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
        (a, b) => a == b,
    };
    (!same).then_some((k8s, yaml12))
}

impl std::fmt::Display for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resolved::Null => f.write_str("null"),
            Resolved::Bool(b) => write!(f, "the boolean {b}"),
            Resolved::Int(i) => write!(f, "the integer {i}"),
            Resolved::Float(x) => write!(f, "the number {x}"),
            Resolved::Str => f.write_str("a string"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Resolved {
        resolve(text, ScalarStyle::Plain, None)
    }

    #[test]
    fn yaml_11_booleans() {
        for t in ["yes", "Yes", "YES", "on", "ON", "y", "Y", "true"] {
            assert_eq!(plain(t), Resolved::Bool(true), "{t}");
        }
        for t in ["no", "No", "off", "Off", "n", "N", "FALSE"] {
            assert_eq!(plain(t), Resolved::Bool(false), "{t}");
        }
        assert_eq!(plain("yess"), Resolved::Str);
    }

    #[test]
    fn yaml_11_numbers() {
        assert_eq!(plain("0755"), Resolved::Int(493));
        assert_eq!(plain("1_000"), Resolved::Int(1000));
        assert_eq!(plain("0x1F"), Resolved::Int(31));
        assert_eq!(plain("0b101"), Resolved::Int(5));
        assert_eq!(plain("-42"), Resolved::Int(-42));
        assert_eq!(plain("08"), Resolved::Float(8.0));
        assert_eq!(plain("1.5e3"), Resolved::Float(1500.0));
        assert_eq!(plain("99999999999999999999"), Resolved::Float(1e20));
        assert_eq!(plain(".5"), Resolved::Float(0.5));
        assert_eq!(plain("1.2.3"), Resolved::Str);
        assert_eq!(plain("100Mi"), Resolved::Str);
        assert_eq!(plain("-"), Resolved::Str);
    }

    #[test]
    fn nulls_tags_and_quotes() {
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain(""), Resolved::Null);
        assert_eq!(
            resolve("yes", ScalarStyle::DoubleQuoted, None),
            Resolved::Str
        );
        assert_eq!(
            resolve("0755", ScalarStyle::Plain, Some("!!str")),
            Resolved::Str
        );
        assert_eq!(
            resolve("12", ScalarStyle::SingleQuoted, Some("!!int")),
            Resolved::Int(12)
        );
    }

    #[test]
    fn disagreements_with_yaml_12() {
        assert!(yaml12_differs("yes").is_some());
        assert!(yaml12_differs("0755").is_some());
        assert!(yaml12_differs("1_000").is_some());
        assert!(yaml12_differs("true").is_none());
        assert!(yaml12_differs("8080").is_none());
        assert!(yaml12_differs("nginx").is_none());
        assert!(yaml12_differs("0.5").is_none());
    }
}
