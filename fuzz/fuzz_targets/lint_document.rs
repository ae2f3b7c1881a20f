//! The whole lint of one document: bytes → findings in every output format.
//! Half the inputs (those of odd length) are named `kustomization.yaml`.
//!
//! Checks that every finding's position lies inside the file, on character
//! boundaries, and that every format can be written.

#![no_main]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use libfuzzer_sys::fuzz_target;
use plimsoll::config::{Config, RuleSet};
use plimsoll::engine::{self, Options};
use plimsoll::report::{self, Format};
use plimsoll::source::discover::Input;

const FORMATS: [Format; 8] = [
    Format::Human,
    Format::Json,
    Format::Plain,
    Format::Sarif,
    Format::Junit,
    Format::Github,
    Format::Checkstyle,
    Format::Rdjson,
];

fn options() -> &'static Options {
    static OPTIONS: std::sync::OnceLock<Options> = std::sync::OnceLock::new();
    OPTIONS.get_or_init(|| {
        plimsoll::guard::install_panic_hook();
        let config = Config {
            select: Some(vec!["all".to_owned()]),
            ..Config::default()
        };
        Options {
            rules: Arc::new(RuleSet::new(&config).expect("`all` is valid")),
            ..Options::default()
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Inputs of odd length are read as a kustomization, whose generators
    // make objects that some rules check, at the items that name them.
    let name = if data.len() % 2 == 1 {
        "kustomization.yaml"
    } else {
        "fuzz.yaml"
    };
    let input = Input::Memory {
        name: PathBuf::from(name),
        text: text.to_owned(),
    };
    let outcome = engine::run(vec![input], Vec::new(), options(), &AtomicUsize::new(0));
    for finding in &outcome.findings {
        assert_ne!(
            finding.rule.name, "internal-error",
            "a guard caught a panic: {}",
            finding.message
        );
        let related = finding.related.iter().map(|r| &r.location);
        for location in std::iter::once(&finding.location).chain(related) {
            let span = location.span;
            assert!(span.start <= span.end, "{span:?}");
            assert!(span.end as usize <= text.len(), "{span:?}");
            assert!(text.is_char_boundary(span.start as usize), "{span:?}");
            assert!(text.is_char_boundary(span.end as usize), "{span:?}");
        }
    }
    for format in FORMATS {
        let mut out = Vec::new();
        report::write(format, &mut out, &outcome, format == Format::Human).expect("write to memory");
    }
});
