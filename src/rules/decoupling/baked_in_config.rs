use crate::decoupling::graph::container_literals;
use crate::decoupling::secrets;
use crate::decoupling::values::{classify, config_map_key};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags literal `env[].value`s and `command`/`args` flag values that
    /// carry configuration which differs between environments: external
    /// URLs and host names (`https://api.stripe.com`, `db.prod.example.com`),
    /// in-cluster names that spell out a namespace
    /// (`redis.prod.svc.cluster.local`, `orders.prod:8080`), database and
    /// broker connection strings with a user (`postgres://app@db/shop`), and
    /// bucket names (`s3://…`, `gs://…`, a `*BUCKET*` variable). The finding
    /// names the ConfigMap key the value would get.
    ///
    /// Not flagged, because they are the same in every environment: short
    /// in-cluster service names (`cartservice:7070`, an edge of the service
    /// graph), booleans, numbers, durations, log levels, paths inside the
    /// image, `$(VAR)` references, `localhost` and bind addresses. IP
    /// addresses are `service-referenced-by-ip`'s, and values that are
    /// secrets are `secret-value-in-env`'s and `secret-value-in-args`'s.
    ///
    /// ## Why is this bad?
    /// A value baked into the workload changes only with a new manifest and
    /// a new rollout, and the same manifest cannot be promoted from staging
    /// to production. Kept in a ConfigMap per environment, it changes where
    /// configuration is expected to change.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: checkout
    /// spec:
    ///   selector:
    ///     matchLabels: {app: checkout}
    ///   template:
    ///     metadata:
    ///       labels: {app: checkout}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/checkout:2.4.1
    ///           env:
    ///             - name: PAYMENTS_URL
    ///               value: https://payments.prod.example.com/v2
    ///             - name: CART_ADDR
    ///               value: cart:7070
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: checkout
    /// spec:
    ///   selector:
    ///     matchLabels: {app: checkout}
    ///   template:
    ///     metadata:
    ///       labels: {app: checkout}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/checkout:2.4.1
    ///           env:
    ///             - name: PAYMENTS_URL
    ///               valueFrom:
    ///                 configMapKeyRef: {name: checkout-config, key: PAYMENTS_URL}
    ///             - name: CART_ADDR
    ///               value: cart:7070
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub BakedInConfig => {
        id: "DEC010",
        name: "baked-in-config",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "an env value or argument bakes environment-specific configuration into the workload",
        remediation: "Move the value into a ConfigMap per environment and read it with `configMapKeyRef` or `envFrom`.",
        equivalents: &[],
    }
}

impl ObjectRule for BakedInConfig {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let config_map = format!("{}-config", object.name());
        for literal in container_literals(object) {
            if literal.is_arg && literal.name.is_empty() {
                continue;
            }
            let Some(kind) = classify(literal.name, literal.value) else {
                continue;
            };
            if secrets::find_known(literal.value).is_some() {
                continue;
            }
            let key = config_map_key(literal.name);
            let what = if literal.is_arg { "passes" } else { "sets" };
            let field = if literal.is_arg { "flag" } else { "variable" };
            cx.report(
                object,
                literal.pointer(),
                format!(
                    "container `{}` {what} {} in the {field} `{}`",
                    literal.container,
                    kind.describe(),
                    literal.name
                ),
            )
            .help(if literal.is_arg {
                format!(
                    "move it to key `{key}` of a ConfigMap such as `{config_map}`, read it into an environment variable with `configMapKeyRef`, and pass `{}=$(VAR)`",
                    literal.name
                )
            } else {
                format!(
                    "move it to key `{key}` of a ConfigMap such as `{config_map}` and read it with `configMapKeyRef` (or all keys with `envFrom`)"
                )
            });
        }
    }
}
