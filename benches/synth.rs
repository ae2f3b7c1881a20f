//! A seeded generator of realistic Kubernetes manifests, so that benchmarks
//! run on any machine without a corpus: applications made of Deployments,
//! StatefulSets, Services, ConfigMaps, HPAs, PDBs and Ingresses, CRDs with
//! custom resources, and Helm-rendered streams with `# Source:` comments,
//! in files of varied sizes.

/// A small deterministic PRNG (xorshift64*): the same seed gives the same
/// corpus everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: [&str; 16] = [
    "cart",
    "checkout",
    "catalog",
    "payments",
    "search",
    "users",
    "orders",
    "shipping",
    "billing",
    "inventory",
    "reviews",
    "gateway",
    "auth",
    "notify",
    "reports",
    "media",
];
const REGISTRIES: [&str; 3] = [
    "ghcr.io/example",
    "registry.example.com/team",
    "docker.io/library",
];

/// One generated file: a relative path and its text.
pub struct File {
    pub path: String,
    pub text: String,
}

/// Generates about `apps` applications' worth of files.
pub fn corpus(seed: u64, apps: usize) -> Vec<File> {
    let mut rng = Rng::new(seed);
    let mut files = Vec::new();
    for app in 0..apps {
        let name = format!("{}-{app}", rng.pick(&WORDS));
        let namespace = format!("ns-{}", app % 7);
        match rng.below(10) {
            0 => files.push(helm_stream(&mut rng, &name, &namespace)),
            1 => files.extend(crd_with_resources(&mut rng, &name, &namespace)),
            _ => files.extend(plain_app(&mut rng, &name, &namespace)),
        }
    }
    files
}

fn plain_app(rng: &mut Rng, name: &str, namespace: &str) -> Vec<File> {
    let mut docs = vec![
        workload(rng, name, namespace),
        service(name, namespace),
        config_map(rng, name, namespace),
    ];
    if rng.below(2) == 0 {
        docs.push(hpa(name, namespace));
    }
    if rng.below(2) == 0 {
        docs.push(pdb(name, namespace));
    }
    if rng.below(3) == 0 {
        docs.push(ingress(name, namespace));
    }
    if rng.below(2) == 0 {
        // One file per object, as many repositories keep them.
        return docs
            .into_iter()
            .enumerate()
            .map(|(i, text)| File {
                path: format!("apps/{name}/{i:02}.yaml"),
                text,
            })
            .collect();
    }
    vec![File {
        path: format!("apps/{name}/all.yaml"),
        text: docs.join("---\n"),
    }]
}

fn helm_stream(rng: &mut Rng, name: &str, namespace: &str) -> File {
    let parts = [
        ("deployment.yaml", workload(rng, name, namespace)),
        ("service.yaml", service(name, namespace)),
        ("configmap.yaml", config_map(rng, name, namespace)),
        ("hpa.yaml", hpa(name, namespace)),
    ];
    let text = parts
        .iter()
        .map(|(template, doc)| format!("---\n# Source: {name}/templates/{template}\n{doc}"))
        .collect::<String>();
    File {
        path: format!("rendered/{name}.yaml"),
        text,
    }
}

fn workload(rng: &mut Rng, name: &str, namespace: &str) -> String {
    let kind = if rng.below(5) == 0 {
        "StatefulSet"
    } else {
        "Deployment"
    };
    let replicas = 1 + rng.below(4);
    let registry = rng.pick(&REGISTRIES);
    let tag = if rng.below(8) == 0 {
        "latest".to_owned()
    } else {
        format!("{}.{}.{}", 1 + rng.below(3), rng.below(20), rng.below(10))
    };
    let mut env = String::new();
    for i in 0..rng.below(12) {
        let value = match rng.below(4) {
            0 => format!("http://{}:{}", rng.pick(&WORDS), 8000 + rng.below(100)),
            1 => format!("\"{}\"", rng.below(1000)),
            2 => "info".to_owned(),
            _ => format!("{}.{namespace}.svc.cluster.local", rng.pick(&WORDS)),
        };
        env.push_str(&format!(
            "            - name: VAR_{i}\n              value: {value}\n"
        ));
    }
    let probes = if rng.below(4) == 0 {
        String::new()
    } else {
        "          readinessProbe:\n            httpGet: {path: /ready, port: http}\n          livenessProbe:\n            httpGet: {path: /healthz, port: http}\n            periodSeconds: 10\n".to_owned()
    };
    let service_name = if kind == "StatefulSet" {
        format!("  serviceName: {name}\n")
    } else {
        String::new()
    };
    format!(
        "apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
spec:
  replicas: {replicas}
{service_name}  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: {name}
          image: {registry}/{name}:{tag}
          ports:
            - name: http
              containerPort: 8080
          env:
{env}          resources:
            requests:
              cpu: {cpu}m
              memory: {memory}Mi
            limits:
              memory: {limit}Mi
{probes}          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
",
        cpu = 50 + rng.below(500),
        memory = 64 + rng.below(512),
        limit = 1024,
        env = if env.is_empty() {
            "            - name: MODE\n              value: production\n".to_owned()
        } else {
            env
        },
    )
}

fn service(name: &str, namespace: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
"
    )
}

fn config_map(rng: &mut Rng, name: &str, namespace: &str) -> String {
    let mut data = String::new();
    for i in 0..(2 + rng.below(30)) {
        data.push_str(&format!("  key-{i}: \"value {i} for {name}\"\n"));
    }
    if rng.below(3) == 0 {
        data.push_str("  application.yaml: |\n");
        for i in 0..(10 + rng.below(80)) {
            data.push_str(&format!("    setting{i}: {}\n", rng.below(10_000)));
        }
    }
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-config\n  namespace: {namespace}\ndata:\n{data}"
    )
}

fn hpa(name: &str, namespace: &str) -> String {
    format!(
        "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {namespace}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {{type: Utilization, averageUtilization: 70}}
"
    )
}

fn pdb(name: &str, namespace: &str) -> String {
    format!(
        "apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {namespace}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
"
    )
}

fn ingress(name: &str, namespace: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {namespace}
spec:
  rules:
    - host: {name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port: {{name: http}}
"
    )
}

fn crd_with_resources(rng: &mut Rng, name: &str, namespace: &str) -> Vec<File> {
    let group = format!("{name}.example.com");
    let crd = format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.{group}
spec:
  group: {group}
  scope: Namespaced
  names:
    kind: Backup
    plural: backups
    singular: backup
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [schedule]
              properties:
                schedule: {{type: string}}
                retention: {{type: integer, minimum: 1}}
                target:
                  x-kubernetes-int-or-string: true
                options:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
"
    );
    let mut files = vec![File {
        path: format!("crds/{name}.yaml"),
        text: crd,
    }];
    let resources = (0..1 + rng.below(5))
        .map(|i| {
            format!(
                "apiVersion: {group}/v1\nkind: Backup\nmetadata:\n  name: {name}-{i}\n  namespace: {namespace}\nspec:\n  schedule: \"0 {} * * *\"\n  retention: {}\n  target: {}\n",
                rng.below(24),
                1 + rng.below(30),
                rng.below(100)
            )
        })
        .collect::<Vec<_>>()
        .join("---\n");
    files.push(File {
        path: format!("crds/{name}-backups.yaml"),
        text: resources,
    });
    files
}
