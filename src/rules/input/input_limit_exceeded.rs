use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports input that exceeds one of plimsoll's safety limits: file size,
    /// nesting depth, the number of nodes aliases may expand to, or the
    /// number of documents in a stream.
    ///
    /// ## Why is this bad?
    /// Such input is almost always hostile or broken: a "billion laughs"
    /// file expands a few lines of aliases into gigabytes. plimsoll stops
    /// reading the document rather than exhausting memory.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    /// e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    /// f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   words: "x x x"
    /// ```
    pub InputLimitExceeded => {
        id: "INP005",
        name: "input-limit-exceeded",
        category: Input,
        severity: Error,
        kinds: &[],
        summary: "an input exceeds a safety limit",
        remediation: "Split or simplify the input; raise the limit with the matching `--max-*` option if the input is legitimate.",
        equivalents: &[],
    }
}
