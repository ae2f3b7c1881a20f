//! The CI and editor formats of `plimsoll lint` (`sarif`, `junit`, `github`,
//! `checkstyle`, `rdjson`) and `--output`, on the real binary.
//!
//! Every command runs in the crate root with relative paths, so the paths in
//! the output (and so the snapshots) do not depend on where the crate is.
//! `testdata/example` has findings of every kind of location (single-line,
//! multi-line, related); `testdata/formats/clean` has none.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

mod common;

use common::{check, plimsoll_in, stderr, stdout};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const EXAMPLE: &str = "testdata/example";
const CLEAN: &str = "testdata/formats/clean";
const FORMATS: [&str; 5] = ["sarif", "junit", "github", "checkstyle", "rdjson"];

fn plimsoll() -> Command {
    plimsoll_in(Path::new(ROOT))
}

/// `plimsoll lint --format <format> <args>` in the crate root.
fn lint(format: &str, args: &[&str], code: i32) -> Output {
    let output = plimsoll()
        .args(["lint", "--format", format])
        .args(args)
        .output()
        .unwrap();
    check(&output, code);
    output
}

/// `plimsoll lint -` with `stdin` and `--stdin-filename name`.
fn lint_stdin(format: &str, name: &str, stdin: &str, code: i32) -> Output {
    let output = plimsoll()
        .args(["lint", "--format", format, "-", "--stdin-filename", name])
        .write_stdin(stdin)
        .output()
        .unwrap();
    check(&output, code);
    output
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

/// The summary line of human output, which machine formats print on stderr.
fn summary_line(args: &[&str]) -> String {
    let output = plimsoll().arg("lint").args(args).output().unwrap();
    stdout(&output).lines().last().unwrap().to_owned()
}

// ---------------------------------------------------------------------------
// Snapshots of every format, with findings and without

/// SARIF with the parts that change whenever a rule is added or edited, or
/// a release is made, replaced: the rules and their documentation (checked
/// against the registry by `sarif_rules_are_the_registry_in_order`), each
/// result's `ruleIndex` (checked by
/// `sarif_results_point_at_their_rules_and_at_real_regions`) and the version.
fn sarif_for_snapshot(mut sarif: Value) -> String {
    let run = &mut sarif["runs"][0];
    run["tool"]["driver"]["version"] = Value::from("[version]");
    run["tool"]["driver"]["rules"] = Value::from("[every rule of the registry]");
    for result in run["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = Value::from("[index of ruleId]");
    }
    serde_json::to_string_pretty(&sarif).unwrap()
}

fn snapshot_text(format: &str, output: &Output) -> String {
    match format {
        "sarif" => sarif_for_snapshot(json(output)),
        _ => stdout(output),
    }
}

#[test]
fn every_format_on_the_example() {
    let summary = summary_line(&[EXAMPLE]);
    for format in FORMATS {
        let output = lint(format, &[EXAMPLE], 1);
        // stdout holds the report alone; the summary goes to stderr.
        assert_eq!(stderr(&output), format!("{summary}\n"), "{format}");
        insta::assert_snapshot!(format!("{format}_example"), snapshot_text(format, &output));
    }
}

#[test]
fn every_format_on_a_clean_run() {
    let summary = summary_line(&[CLEAN]);
    assert!(summary.starts_with("no problems in "), "{summary}");
    for format in FORMATS {
        let output = lint(format, &[CLEAN], 0);
        assert_eq!(stderr(&output), format!("{summary}\n"), "{format}");
        insta::assert_snapshot!(format!("{format}_clean"), snapshot_text(format, &output));
    }
}

#[test]
fn exit_codes_do_not_depend_on_the_format() {
    for format in FORMATS {
        lint(format, &[EXAMPLE], 1);
        lint(format, &["--fail-on", "warning", CLEAN], 0);
        lint(
            format,
            &["--fail-on", "warning", "testdata/cli/warnings-only"],
            1,
        );
        lint(format, &["testdata/cli/warnings-only"], 0);
        lint(format, &["testdata/formats/no-such-file.yaml"], 2);
    }
}

#[test]
fn every_format_is_listed_in_help() {
    let output = plimsoll().args(["lint", "--help"]).output().unwrap();
    check(&output, 0);
    let help = stdout(&output);
    for format in FORMATS {
        assert!(help.contains(format), "{format} missing from:\n{help}");
    }
    assert!(help.contains("--output <FILE>"), "{help}");
}

// ---------------------------------------------------------------------------
// SARIF

/// Outputs to validate: findings, no findings, an unreadable file (a
/// location without an object) and standard input under an awkward name.
fn sarif_samples() -> Vec<(String, Value)> {
    let mut samples = vec![
        ("example".to_owned(), json(&lint("sarif", &[EXAMPLE], 1))),
        ("clean".to_owned(), json(&lint("sarif", &[CLEAN], 0))),
        (
            "missing file".to_owned(),
            json(&lint(
                "sarif",
                &[CLEAN, "testdata/formats/no such file.yaml"],
                2,
            )),
        ),
    ];
    let stdin =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: é\ndata:\n  ü: yes\n---\n: [\n";
    let output = lint_stdin("sarif", "k8s/a b,c:d%e#f.yaml", stdin, 1);
    samples.push(("stdin".to_owned(), json(&output)));
    samples
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let path = Path::new(ROOT).join("../shared/schemas/sarif-schema-2.1.0.json");
    if !path.exists() {
        eprintln!("skipped: {} is not there", path.display());
        return;
    }
    let schema: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let draft = match schema["$schema"].as_str().unwrap_or_default() {
        s if s.contains("draft-04") => jsonschema::Draft::Draft4,
        s if s.contains("draft-06") => jsonschema::Draft::Draft6,
        s if s.contains("draft-07") => jsonschema::Draft::Draft7,
        s if s.contains("2019-09") => jsonschema::Draft::Draft201909,
        s => panic!("unexpected $schema `{s}`"),
    };
    let validator = jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .offline()
        .build(&schema)
        .expect("the SARIF schema compiles");
    for (name, sarif) in sarif_samples() {
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // The validator is not vacuous: a line 0, an unknown field and a
    // missing message are all caught.
    let mut broken = json(&lint("sarif", &[EXAMPLE], 1));
    let result = &mut broken["runs"][0]["results"][0];
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = Value::from(0);
    result["column"] = Value::from(1);
    result.as_object_mut().unwrap().remove("message");
    assert_eq!(validator.iter_errors(&broken).count(), 3);
}

#[test]
fn sarif_results_point_at_their_rules_and_at_real_regions() {
    for (name, sarif) in sarif_samples() {
        assert_eq!(sarif["version"], "2.1.0", "{name}");
        let runs = sarif["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1, "{name}");
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints", "{name}");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "plimsoll");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert!(
            driver["informationUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        let rules = driver["rules"].as_array().unwrap();
        // `results` is an array even when it is empty.
        let results = run["results"].as_array().expect("results is an array");
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{name}: {result}");
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            assert!(!result["message"]["text"].as_str().unwrap().is_empty());
            let fingerprint = result["partialFingerprints"]["plimsoll/v1"]
                .as_str()
                .unwrap();
            assert_eq!(fingerprint.len(), 16, "{name}: {result}");
            let locations = result["locations"].as_array().unwrap();
            assert_eq!(locations.len(), 1);
            let related = result["relatedLocations"].as_array();
            for location in locations.iter().chain(related.into_iter().flatten()) {
                let physical = &location["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
                assert!(!uri.is_empty() && !uri.contains('\\'), "{uri}");
                let region = &physical["region"];
                let n = |key: &str| region[key].as_u64().unwrap();
                assert!(n("startLine") >= 1 && n("startColumn") >= 1, "{region}");
                assert!(n("endLine") >= n("startLine"), "{region}");
                if n("endLine") == n("startLine") {
                    assert!(n("endColumn") >= n("startColumn"), "{region}");
                }
                // No empty arrays where an absent field says the same.
                if let Some(logical) = location.get("logicalLocations") {
                    assert!(!logical.as_array().unwrap().is_empty());
                }
            }
            if let Some(related) = related {
                assert!(!related.is_empty(), "{name}: {result}");
            }
        }
        // Fingerprints tell results apart.
        let mut fingerprints: Vec<&str> = results
            .iter()
            .map(|r| r["partialFingerprints"]["plimsoll/v1"].as_str().unwrap())
            .collect();
        fingerprints.sort();
        let count = fingerprints.len();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), count, "{name}: duplicate fingerprints");
    }
}

#[test]
fn sarif_rules_are_the_rules_that_ran_in_registry_order() {
    let output = plimsoll()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    check(&output, 0);
    let registry = json(&output);
    let sarif = json(&lint("sarif", &["--select", "all", CLEAN], 1));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    // With every rule selected, every rule of the registry is listed, in order.
    let registry = registry.as_array().unwrap();
    assert_eq!(rules.len(), registry.len());
    let fewer = json(&lint("sarif", &["--select", "schema", CLEAN], 0));
    let listed = fewer["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(listed.len() < registry.len());
    assert!(
        listed
            .iter()
            .all(|r| r["properties"]["category"] == "schema"),
        "only the rules that ran"
    );
    for (rule, meta) in rules.iter().zip(registry) {
        assert_eq!(rule["id"], meta["id"]);
        assert_eq!(rule["name"], meta["name"]);
        assert_eq!(rule["shortDescription"]["text"], meta["summary"]);
        assert_eq!(rule["help"]["text"], meta["remediation"]);
        let docs = meta["docs"].as_str().unwrap();
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(markdown.starts_with(docs), "{}", rule["id"]);
        // The full description is the "What it does" paragraph, unwrapped.
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.contains('\n') && !full.is_empty(), "{}", rule["id"]);
        let words: Vec<&str> = full.split(' ').collect();
        let section = docs.split("## What it does\n").nth(1).unwrap();
        let doc_words: Vec<&str> = section.split_whitespace().take(words.len()).collect();
        assert_eq!(words, doc_words, "{}", rule["id"]);
        let level = match meta["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        assert_eq!(rule["properties"]["category"], meta["category"]);
    }
}

#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    let original = fs::read_to_string(Path::new(ROOT).join(EXAMPLE).join("cart.yaml")).unwrap();
    let shifted = format!("# a comment\n# and another\n\n{original}");
    let fingerprints = |text: &str| -> Vec<(String, String, u64)> {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("cart.yaml"), text).unwrap();
        let output = plimsoll_in(dir.path())
            .args(["lint", "-f", "sarif", "cart.yaml"])
            .output()
            .unwrap();
        check(&output, 1);
        json(&output)["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_owned(),
                    r["partialFingerprints"]["plimsoll/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(&original);
    let after = fingerprints(&shifted);
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1));
        assert_eq!(b.2 + 3, a.2, "the lines did move");
    }
}

#[test]
fn sarif_locates_objects_logically_and_encodes_uris() {
    let sarif = json(&lint("sarif", &[EXAMPLE], 1));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let privileged = results.iter().find(|r| r["ruleId"] == "SEC001").unwrap();
    assert_eq!(
        privileged["locations"][0]["logicalLocations"],
        serde_json::json!([{
            "name": "cart",
            "fullyQualifiedName": "shop/Deployment/cart",
            "decoratedName": "Deployment shop/cart",
            "kind": "object"
        }])
    );
    assert_eq!(
        privileged["properties"]["pointer"],
        "/spec/template/spec/containers/0/securityContext/privileged"
    );
    let selector = results.iter().find(|r| r["ruleId"] == "COR002").unwrap();
    assert_eq!(
        selector["relatedLocations"][0]["message"]["text"],
        "pod template labels"
    );

    let output = lint_stdin("sarif", "k8s/a b,c:d%e#f.yaml", "kind: [\n", 1);
    let sarif = json(&output);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "k8s/a%20b,c%3Ad%25e%23f.yaml"
    );
    // A syntax error belongs to no object.
    assert!(result["locations"][0].get("logicalLocations").is_none());
}

// ---------------------------------------------------------------------------
// GitHub Actions

#[test]
fn github_escapes_properties_and_messages() {
    let output = lint_stdin(
        "github",
        "k8s/50%,a:b.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n",
        0,
    );
    let text = stdout(&output);
    let first = text
        .lines()
        .find(|l| l.contains("(latest-image-tag)"))
        .unwrap();
    assert!(
        first.starts_with("::warning file=k8s/50%25%2Ca%3Ab.yaml,line=8,col=7,"),
        "{first}"
    );
    assert!(
        first.contains(",title=plimsoll(latest-image-tag)::image `nginx` has no tag"),
        "{first}"
    );
    // The help follows the message on a line of its own, escaped.
    assert!(first.contains("%0Ahelp: "), "{first}");
    for line in text.lines() {
        assert!(
            line.starts_with("::warning ")
                || line.starts_with("::error ")
                || line.starts_with("::notice ")
        );
        // Exactly one `::` after the command's name ends the properties.
        assert_eq!(line[2..].matches("::").count(), 1, "{line}");
    }
}

#[test]
fn github_gives_columns_only_for_single_line_ranges() {
    let text = stdout(&lint("github", &[EXAMPLE], 1));
    // The missing probe's span covers the container, over several lines.
    let probe = text
        .lines()
        .find(|l| l.contains("(missing-liveness-probe)"))
        .unwrap();
    assert!(probe.contains("line=19,endLine=27,"), "{probe}");
    assert!(!probe.contains("col="), "{probe}");
    let privileged = text
        .lines()
        .find(|l| l.contains("(privileged-container)"))
        .unwrap();
    assert!(
        privileged.starts_with(
            "::error file=testdata/example/cart.yaml,line=22,col=13,endLine=22,endColumn=29,"
        ),
        "{privileged}"
    );
}

// ---------------------------------------------------------------------------
// JUnit and Checkstyle

/// The value of `attr="…"` in `tag`.
fn attr<'a>(tag: &'a str, attr: &str) -> &'a str {
    let start = tag.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
    let len = tag[start..].find('"').unwrap();
    &tag[start..start + len]
}

#[test]
fn junit_counts_add_up() {
    let text = stdout(&lint("junit", &[EXAMPLE, CLEAN], 1));
    let lines: Vec<&str> = text.lines().collect();
    let root = lines
        .iter()
        .find(|l| l.starts_with("<testsuites "))
        .unwrap();
    let suites: Vec<&&str> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("<testsuite "))
        .collect();
    // A suite per file, the clean ones too.
    assert_eq!(suites.len(), 5);
    let sum = |name: &str| -> usize {
        suites
            .iter()
            .map(|s| attr(s, name).parse::<usize>().unwrap())
            .sum()
    };
    assert_eq!(attr(root, "tests").parse::<usize>().unwrap(), sum("tests"));
    assert_eq!(
        attr(root, "failures").parse::<usize>().unwrap(),
        sum("failures")
    );
    let cases = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("<testcase "))
        .count();
    assert_eq!(sum("tests"), cases);
    let failing = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("<testcase ") && !l.ends_with("/>"))
        .count();
    assert_eq!(sum("failures"), failing);
    // One failure per finding.
    let failures = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("<failure "))
        .count();
    let findings = json(&lint("json", &[EXAMPLE, CLEAN], 1));
    assert_eq!(failures, findings["findings"].as_array().unwrap().len());
}

#[test]
fn xml_formats_escape_names_and_messages() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n";
    let name = "k8s/<a & 'b'>\".yaml";
    let escaped = "k8s/&lt;a &amp; &apos;b&apos;&gt;&quot;.yaml";
    let junit = stdout(&lint_stdin("junit", name, manifest, 0));
    assert!(
        junit.contains(&format!("<testsuite name=\"{escaped}\" ")),
        "{junit}"
    );
    assert!(
        junit.contains(&format!(
            "<testcase classname=\"{escaped}\" name=\"Pod p\">"
        )),
        "{junit}"
    );
    assert!(
        junit.contains(&format!(">{escaped}:8:7 warning[latest-image-tag] ")),
        "{junit}"
    );
    let checkstyle = stdout(&lint_stdin("checkstyle", name, manifest, 0));
    assert!(
        checkstyle.contains(&format!("<file name=\"{escaped}\">")),
        "{checkstyle}"
    );
    assert!(
        checkstyle.contains("source=\"plimsoll.latest-image-tag\""),
        "{checkstyle}"
    );
    for xml in [&junit, &checkstyle] {
        // Every `&` starts an entity or a character reference.
        for (i, _) in xml.match_indices('&') {
            let rest = &xml[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "{}",
                &rest[..rest.len().min(20)]
            );
        }
    }
}

// ---------------------------------------------------------------------------
// rdjson

#[test]
fn rdjson_columns_count_utf8_bytes() {
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  \"ü\": yes\n";
    let rd = json(&lint_stdin("rdjson", "cm.yaml", manifest, 1));
    let plain = json(&lint_stdin("json", "cm.yaml", manifest, 1));
    let diagnostics = rd["diagnostics"].as_array().unwrap();
    let findings = plain["findings"].as_array().unwrap();
    assert_eq!(diagnostics.len(), findings.len());
    for (d, f) in diagnostics.iter().zip(findings) {
        assert_eq!(d["location"]["path"], "cm.yaml");
        assert_eq!(d["code"]["value"], f["rule"]["name"]);
        assert_eq!(
            d["severity"],
            f["severity"].as_str().unwrap().to_uppercase()
        );
        let range = &d["location"]["range"];
        assert_eq!(range["start"]["line"], f["start"]["line"]);
        assert_eq!(range["end"]["line"], f["end"]["line"]);
        // `"ü": yes` starts at column 3 either way, and ends one byte
        // further than it ends in characters.
        assert_eq!(range["start"]["column"], f["start"]["column"]);
        assert_eq!(
            range["end"]["column"].as_u64().unwrap(),
            f["end"]["column"].as_u64().unwrap() + 1
        );
    }
    assert_eq!(rd["source"]["name"], "plimsoll");
    assert_eq!(rd["severity"], "ERROR");
    let clean = json(&lint("rdjson", &[CLEAN], 0));
    assert_eq!(clean["diagnostics"], serde_json::json!([]));
    assert!(clean.get("severity").is_none());
}

// ---------------------------------------------------------------------------
// --output

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS.into_iter().chain(["json", "plain", "human"]) {
        let file = dir.path().join(format!("report.{format}"));
        let output = plimsoll()
            .args(["lint", "--format", format, EXAMPLE, "--output"])
            .arg(&file)
            .output()
            .unwrap();
        check(&output, 1);
        assert_eq!(stdout(&output), "", "{format}");
        let expected = lint(format, &[EXAMPLE], 1);
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            stdout(&expected),
            "{format}"
        );
        assert_eq!(stderr(&output), stderr(&expected), "{format}");
    }
    // An existing file is replaced, and `-o` is the short form.
    let file = dir.path().join("report.sarif");
    let output = plimsoll()
        .args(["lint", "-f", "sarif", CLEAN, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    check(&output, 0);
    let sarif: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn an_output_file_that_cannot_be_created_exits_two_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("no-such-dir").join("report.sarif");
    let output = plimsoll()
        .args(["lint", "-f", "sarif", CLEAN, "--output"])
        .arg(&file)
        .output()
        .unwrap();
    check(&output, 2);
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("cannot create the output file"), "{err}");
    // A directory is not a file either.
    let output = plimsoll()
        .args(["lint", "-f", "junit", CLEAN, "--output"])
        .arg(dir.path())
        .output()
        .unwrap();
    check(&output, 2);
    assert!(stderr(&output).contains(&dir.path().display().to_string()));
}
