use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads whose `dnsConfig.options` do not set a DNS
    /// resolver option, by default `ndots` to `2` (the `name` and `value`
    /// parameters). Off by default.
    ///
    /// ## Why is this bad?
    /// With the cluster default of `ndots: 5`, every lookup of an external
    /// name such as `api.example.com` is first tried against each search
    /// domain of the pod's namespace, so one lookup becomes four or five
    /// queries to the cluster DNS, adding latency and load.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   dnsConfig:
    ///     options:
    ///       - name: ndots
    ///         value: "2"
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    pub MissingDnsConfigOption => {
        id: "EFF008",
        name: "missing-dns-config-option",
        category: Efficiency,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod does not set the required DNS resolver option",
        remediation: "Add the option to `dnsConfig.options`, for example `{name: ndots, value: \"2\"}`.",
        equivalents: &["kube-linter:dnsconfig-options"],
        enabled: false,
    }
}

impl ObjectRule for MissingDnsConfigOption {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let name: String = cx.param("name", "ndots".to_owned());
        let value: String = cx.param("value", "2".to_owned());
        let Some((spec_pointer, spec)) = extract::pod_spec(object) else {
            return;
        };
        let options = spec.path("dnsConfig/options");
        let found = options
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .any(|o| {
                o.get("name").and_then(Node::scalar_text) == Some(name.as_str())
                    && o.get("value").and_then(Node::scalar_text) == Some(value.as_str())
            });
        if found {
            return;
        }
        let pointer = if spec.get("dnsConfig").is_some() {
            spec_pointer.join("dnsConfig/options")
        } else {
            spec_pointer.child("dnsConfig")
        };
        cx.report(
            object,
            pointer,
            format!("the pods do not set the DNS option `{name}: {value}`"),
        );
    }
}
