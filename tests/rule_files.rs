//! The declarative rule loader: built-in rule files load, and a broken rule
//! file is refused with its file, line and column.

use std::path::Path;

use plimsoll::rules::declarative;
use plimsoll::rules::registry::Registry;

fn rule_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rule-files")
        .join(name)
}

#[test]
fn every_built_in_rule_file_loads() {
    assert!(!declarative::builtin().is_empty());
}

#[test]
fn an_unknown_field_is_refused_with_its_position_and_a_suggestion() {
    let error = declarative::load_file(&rule_file("unknown-field.yaml"))
        .err()
        .expect("refused");
    assert_eq!((error.line, error.column), (14, 1), "{error}");
    assert!(
        error
            .message
            .contains("unknown field `templat`; did you mean `template`?"),
        "{error}"
    );
}

#[test]
fn a_template_that_cannot_see_the_kinds_is_refused() {
    let error = declarative::load_file(&rule_file("bad-template-kinds.yaml"))
        .err()
        .expect("refused");
    assert_eq!(error.line, 15, "{error}");
    assert!(
        error.message.contains("applies only to `kinds: [Service]`"),
        "{error}"
    );
}

#[test]
fn a_user_rule_file_joins_the_registry_and_clashes_are_refused() {
    let registry = Registry::with_rule_files(&[rule_file("team-label.yaml")]).expect("loads");
    let meta = registry.find("missing-team-label").expect("registered");
    assert_eq!(meta.id, "STY902");
    assert!(meta.docs().contains("## Example"));
    let clash =
        Registry::with_rule_files(&[rule_file("team-label.yaml"), rule_file("team-label.yaml")]);
    assert!(clash.err().expect("refused").message.contains("clashes"));
}
