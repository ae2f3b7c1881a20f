use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that expose more ports than the parameter `max`
    /// (default 5).
    ///
    /// ## Why is this bad?
    /// A microservice has one job and usually one or two ports (its API and
    /// its metrics). A container listening on many ports is several services
    /// sharing a process, which cannot be scaled, secured or released apart.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: suite
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/suite:7.0.0
    ///       ports:
    ///         - {name: http, containerPort: 8080}
    ///         - {name: admin, containerPort: 8081}
    ///         - {name: grpc, containerPort: 9090}
    ///         - {name: smtp, containerPort: 2525}
    ///         - {name: ftp, containerPort: 2121}
    ///         - {name: ldap, containerPort: 3389}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/api:7.0.0
    ///       ports:
    ///         - {name: http, containerPort: 8080}
    ///         - {name: metrics, containerPort: 9102}
    /// ```
    pub TooManyPorts => {
        id: "DEC054",
        name: "too-many-ports",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container exposes more ports than a microservice needs",
        remediation: "Split the services that share the container into containers or workloads of their own.",
        equivalents: &[],
    }
}

impl ObjectRule for TooManyPorts {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let max: usize = cx.param("max", 5);
        for container in extract::containers(object) {
            let ports = container.node.list("ports").len();
            if ports > max {
                cx.report(
                    object,
                    container.field("ports"),
                    format!(
                        "container `{}` exposes {ports} ports, more than {max}",
                        container.name
                    ),
                );
            }
        }
    }
}
