//! The README's rules table and `docs/rules.md` are generated from the
//! registry; these tests keep them current. `UPDATE_README=1` and
//! `UPDATE_DOCS=1` with `cargo test --test readme` rewrite them.

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

#[test]
fn readme_rules_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(START).expect("README has a rules:start marker") + START.len();
    let end = readme.find(END).expect("README has a rules:end marker");
    let table = plimsoll::cli::rules_table();
    if readme[start..end] == table {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    panic!("the README's rules table is stale; run `UPDATE_README=1 cargo test --test readme`");
}

/// Checks that the generated document `name` under `docs/` is committed as
/// generated, or rewrites it when `UPDATE_DOCS` is set.
fn assert_doc_current(name: &str, generated: &str) {
    let path = format!("{}/docs/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/{name} is stale; run `UPDATE_DOCS=1 cargo test --test readme`"
    );
}

#[test]
fn docs_rules_md_is_current() {
    assert_doc_current("rules.md", &plimsoll::cli::rules_markdown());
}

#[test]
fn docs_coverage_md_is_current_and_accounts_for_every_peer_check() {
    use plimsoll::rules::coverage::{NOT_AS_A_RULE, PEER_CHECKS};
    use plimsoll::rules::registry::Registry;
    let registry = Registry::standard();
    let covered = |check: &str| {
        let wanted = check.replace(":template-", ":");
        registry
            .metas()
            .any(|m| m.equivalents.iter().any(|e| *e == wanted))
    };
    let missing: Vec<&str> = PEER_CHECKS
        .iter()
        .copied()
        .filter(|c| !covered(c) && !NOT_AS_A_RULE.iter().any(|(n, _)| n == c))
        .collect();
    assert!(
        missing.is_empty(),
        "peer checks neither covered nor explained: {missing:?}"
    );
    for (check, _) in NOT_AS_A_RULE {
        assert!(
            PEER_CHECKS.contains(check),
            "`{check}` is explained but not listed"
        );
    }
    assert_doc_current(
        "coverage.md",
        &plimsoll::rules::coverage::markdown(registry),
    );
}
