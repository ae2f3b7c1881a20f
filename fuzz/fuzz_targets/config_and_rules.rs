//! Configuration and rule-file loading: bytes → `.plimsoll.yaml` →
//! rule set, and bytes → rule file → a lint with that rule.
//!
//! The first byte chooses which; configuration and rule files are data
//! only, so no input may panic, hang, or run anything.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use libfuzzer_sys::fuzz_target;
use plimsoll::config::{Config, RuleSet};
use plimsoll::engine::{self, Options};
use plimsoll::rules::declarative;
use plimsoll::source::discover::Input;

const MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          env: [{name: MODE, value: fast}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
";

fn scratch() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("plimsoll-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        dir
    })
}

fn lint(rules: RuleSet) {
    let options = Options {
        rules: Arc::new(rules),
        ..Options::default()
    };
    let input = Input::Memory {
        name: PathBuf::from("manifest.yaml"),
        text: MANIFEST.to_owned(),
    };
    let outcome = engine::run(vec![input], Vec::new(), &options, &AtomicUsize::new(0));
    for finding in &outcome.findings {
        assert_ne!(finding.rule.name, "internal-error", "{}", finding.message);
    }
}

fuzz_target!(|data: &[u8]| {
    plimsoll::guard::install_panic_hook();
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if which % 2 == 0 {
        let Ok(config) = Config::parse(".plimsoll.yaml", text, scratch()) else {
            return;
        };
        // Rule files named by the configuration are not read here: the
        // other branch fuzzes them.
        let config = Config {
            rule_files: Vec::new(),
            ..config
        };
        if let Ok(rules) = RuleSet::new(&config) {
            lint(rules);
        }
    } else {
        if declarative::load("rule.yaml", text).is_err() {
            return;
        }
        let path = scratch().join("rule.yaml");
        std::fs::write(&path, text).expect("write the rule file");
        let config = Config {
            rule_files: vec![path],
            select: Some(vec!["all".to_owned()]),
            ..Config::default()
        };
        if let Ok(rules) = RuleSet::new(&config) {
            lint(rules);
        }
    }
});
