//! CRD patterns are RE2, the syntax of Go's `regexp`, which the API server
//! uses; the validator reads ECMA-262. The two agree on most of what CRDs
//! write, but not on inline flags: `^(?i)(abort|warn)?$`, from
//! prometheus-operator's PrometheusRule, is RE2 and is no ECMA-262 at all,
//! so the whole CRD failed to compile and its resources went unchecked.
//!
//! A leading `(?i)` is rewritten here into the case-insensitive pattern
//! ECMA-262 can say: every ASCII letter becomes a class of both cases.
//! Patterns this cannot rewrite faithfully are left as they are.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Rewritten patterns, by what they were rewritten to, so that messages
/// quote a pattern as the CRD writes it. Two patterns rewritten alike
/// match alike, so quoting either is true.
fn written() -> &'static Mutex<HashMap<String, String>> {
    static WRITTEN: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    WRITTEN.get_or_init(Mutex::default)
}

/// `pattern` in syntax the validator reads, when it is RE2 with a leading
/// case-insensitive flag (after an optional `^`) that can be rewritten;
/// otherwise `pattern` itself.
pub fn to_ecma(pattern: &str) -> Cow<'_, str> {
    let Some(rewritten) = case_insensitive(pattern) else {
        return pattern.into();
    };
    if let Ok(mut written) = written().lock() {
        written.insert(rewritten.clone(), pattern.to_owned());
    }
    rewritten.into()
}

/// The pattern as the CRD writes it, for a pattern the validator reports.
pub fn as_written(pattern: &str) -> Cow<'_, str> {
    let original = written().lock().ok().and_then(|w| w.get(pattern).cloned());
    original.map_or(pattern.into(), Into::into)
}

fn case_insensitive(pattern: &str) -> Option<String> {
    let (anchor, rest) = match pattern.strip_prefix('^') {
        Some(rest) => ("^", rest),
        None => ("", pattern),
    };
    let rest = rest.strip_prefix("(?i)")?;
    // Any other flag group, or a second one, has no faithful rewrite here.
    if rest.contains("(?") {
        return None;
    }
    let mut out = String::with_capacity(pattern.len() * 3);
    out.push_str(anchor);
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                out.push(escaped(&mut chars, "dDsSwWbB")?);
            }
            '[' => {
                out.push('[');
                let mut class = Vec::new();
                loop {
                    match chars.next()? {
                        ']' if !class.is_empty() && class != ['^'] => break,
                        '\\' => {
                            class.push('\\');
                            class.push(escaped(&mut chars, "dDsSwW")?);
                        }
                        '[' => return None,
                        other => class.push(other),
                    }
                }
                out.extend(fold_class(&class)?);
                out.push(']');
            }
            c if c.is_ascii_alphabetic() => {
                out.push('[');
                out.push(c.to_ascii_lowercase());
                out.push(c.to_ascii_uppercase());
                out.push(']');
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// The character after a `\`, unless it is a letter or digit other than
/// the class escapes `allowed`: `\p{..}`, `\x41` and the like could name a
/// letter, which the rewrite would miss.
fn escaped(chars: &mut impl Iterator<Item = char>, allowed: &str) -> Option<char> {
    let escaped = chars.next()?;
    (!escaped.is_ascii_alphanumeric() || allowed.contains(escaped)).then_some(escaped)
}

/// The inside of a character class with the other case of every letter
/// and letter range added.
fn fold_class(class: &[char]) -> Option<Vec<char>> {
    let mut out = class.to_vec();
    let mut i = usize::from(class.first() == Some(&'^'));
    while i < class.len() {
        if class[i] == '\\' {
            i += 2;
            continue;
        }
        if class.get(i + 1) == Some(&'-') && class.get(i + 2).is_some_and(|c| *c != ']') {
            let (low, high) = (class[i], class[i + 2]);
            let same_case = (low.is_ascii_lowercase() && high.is_ascii_lowercase())
                || (low.is_ascii_uppercase() && high.is_ascii_uppercase());
            if same_case {
                out.extend([swap_case(low), '-', swap_case(high)]);
            } else if low.is_ascii_alphabetic() || high.is_ascii_alphabetic() {
                // A range across cases or from a digit to a letter.
                return None;
            }
            i += 3;
            continue;
        }
        if class[i].is_ascii_alphabetic() {
            out.push(swap_case(class[i]));
        }
        i += 1;
    }
    Some(out)
}

fn swap_case(c: char) -> char {
    if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_case_insensitive_flag_becomes_classes_of_both_cases() {
        assert_eq!(
            to_ecma("^(?i)(abort|warn)?$"),
            "^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$"
        );
        assert_eq!(to_ecma("(?i)x[a-c_0-9]\\.\\d+"), "[xX][a-c_0-9A-C]\\.\\d+");
        assert_eq!(to_ecma("^(?i)[^q]$"), "^[^qQ]$");
        assert_eq!(as_written("^[^qQ]$"), "^(?i)[^q]$");
        assert_eq!(as_written("^[a-z]$"), "^[a-z]$");
    }

    #[test]
    fn patterns_without_a_faithful_rewrite_stay_as_they_are() {
        for pattern in [
            "^[a-z]+$",
            "(?i)a(?s).",
            "a(?i)b",
            "(?i)[A-z]",
            "(?i)\\x41",
            "(?i)\\p{Lu}",
            "(?i)[[:alpha:]]",
            "(?i)[a",
        ] {
            assert_eq!(to_ecma(pattern), pattern, "{pattern}");
        }
    }

    #[test]
    fn rewritten_patterns_match_as_re2_would() {
        let ecma = to_ecma("^(?i)(abort|warn)?$");
        let regex = regex::Regex::new(&ecma).unwrap();
        for (text, matches) in [("", true), ("Abort", true), ("WARN", true), ("fail", false)] {
            assert_eq!(regex.is_match(text), matches, "{text}");
        }
    }
}
