//! `plimsoll audit` on `testdata/audit`, a shop of a dozen services talking
//! gRPC and HTTP through addresses in env values and ConfigMaps: the
//! service graph edge by edge, the verdicts, and every output format; and on
//! `testdata/audit-monolith`, a monolith beside a microservice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn audit(args: &[&str]) -> String {
    audit_of("testdata/audit", args)
}

fn audit_of(dir: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(Path::new(ROOT))
        .env("NO_COLOR", "1")
        .arg("audit")
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn json() -> Value {
    serde_json::from_str(&audit(&["--format", "json"])).unwrap()
}

fn workloads(json: &Value) -> BTreeMap<String, Value> {
    json["applications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["workloads"].as_array().unwrap().iter())
        .map(|w| (w["name"].as_str().unwrap().to_owned(), w.clone()))
        .collect()
}

#[test]
fn the_service_graph_has_exactly_the_configured_edges() {
    let expected: BTreeMap<&str, &[&str]> = BTreeMap::from([
        (
            "frontend",
            &[
                "ads",
                "cart",
                "catalog",
                "checkout",
                "currency",
                "recommendations",
                "shipping",
            ][..],
        ),
        (
            "checkout",
            &[
                "cart", "catalog", "currency", "email", "orders", "payment", "shipping",
            ][..],
        ),
        ("cart", &["redis-cart"][..]),
        ("recommendations", &["catalog"][..]),
        ("payment", &["fraud"][..]),
        ("orders", &["orders-db"][..]),
        ("loadgenerator", &["frontend"][..]),
    ]);
    let json = json();
    let all = workloads(&json);
    assert_eq!(all.len(), 15, "{:?}", all.keys());
    for (name, workload) in &all {
        let actual: BTreeSet<String> = workload["depends_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().trim_start_matches("shop/").to_owned())
            .collect();
        let wanted: BTreeSet<String> = expected
            .get(name.as_str())
            .map(|d| d.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        assert_eq!(actual, wanted, "dependencies of `{name}`");
    }
}

#[test]
fn the_graph_formats_draw_every_edge() {
    let dot = audit(&["--graph", "dot"]);
    assert!(dot.starts_with("digraph services {"));
    assert!(dot.contains("\"Deployment shop/frontend\" -> \"Service shop/checkout\";"));
    assert!(dot.contains("\"Service shop/checkout\" -> \"Deployment shop/checkout\";"));
    assert!(dot.contains("\"Deployment shop/cart\" -> \"Service shop/redis-cart\";"));
    assert_eq!(dot.matches(" -> ").count(), 19 + 14);
    let mermaid = audit(&["--graph", "mermaid"]);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(mermaid.matches(" --> ").count(), 19 + 14);
}

#[test]
fn verdicts_name_what_fails() {
    let json = json();
    let all = workloads(&json);
    assert_eq!(all["frontend"]["survives"], true);
    assert_eq!(all["frontend"]["score"], 100);
    assert_eq!(all["loadgenerator"]["survives"], Value::Null);
    let ads = all["ads"]["verdict"].as_str().unwrap();
    assert!(ads.starts_with("no, because"), "{ads}");
    assert!(ads.contains("single replica"), "{ads}");
    let redis = all["redis-cart"]["verdict"].as_str().unwrap();
    assert!(redis.contains("emptyDir mounted at `/data`"), "{redis}");
    let email = &all["email"];
    assert!(
        email["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "baked-in-config")
    );
    let app = &json["applications"][0];
    assert_eq!(app["name"], "shop");
    assert_eq!(app["assessed"], 14);
    assert_eq!(app["transient"], 10);
    assert_eq!(app["monolithic"], 0);
}

#[test]
fn image_sprawl_costs_the_application_not_a_workload() {
    let json = json();
    let app = &json["applications"][0];
    let sprawl: Vec<&Value> = app["other_findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "image-sprawl")
        .collect();
    assert_eq!(sprawl.len(), 1, "{app}");
    assert!(
        sprawl[0]["message"]
            .as_str()
            .unwrap()
            .contains("15 distinct images")
    );
    let all = workloads(&json);
    assert!(
        all.values()
            .flat_map(|w| w["findings"].as_array().unwrap())
            .all(|f| f["rule"] != "image-sprawl")
    );
    let scores: Vec<u64> = all.values().map(|w| w["score"].as_u64().unwrap()).collect();
    let mean = scores.iter().sum::<u64>() / scores.len() as u64;
    assert_eq!(app["score"].as_u64().unwrap(), mean - 10, "{app}");
}

#[test]
fn monolith_signals_make_a_workload_monolith_sized() {
    // The warehouse's ERP runs a process supervisor, six ports and a
    // 32Gi request in one container; its label printer is a microservice.
    let json: Value =
        serde_json::from_str(&audit_of("testdata/audit-monolith", &["--format", "json"])).unwrap();
    let all = workloads(&json);
    let erp = &all["erp"];
    assert_eq!(
        erp["monolith"],
        serde_json::json!(["multiple-processes", "oversized-requests", "too-many-ports"])
    );
    // Survives pod loss, so only the monolith verdict (15) and its four
    // findings (5 each: CPU and memory are one finding each) cost points.
    assert_eq!(erp["survives"], true);
    assert_eq!(erp["score"], 100 - 15 - 4 * 5, "{erp}");
    assert_eq!(erp["reasons"][0], "monolith-sized: -15");
    let labels = &all["labels"];
    assert_eq!(labels["monolith"], serde_json::json!([]));
    assert_eq!(labels["score"], 100, "{labels}");
    let app = &json["applications"][0];
    assert_eq!(app["name"], "warehouse");
    assert_eq!(app["monolithic"], 1);
    assert_eq!(app["score"], (65 + 100) / 2);

    let table = audit_of("testdata/audit-monolith", &[]);
    assert!(table.contains("1 monolith-sized"), "{table}");
    let erp_row = table
        .lines()
        .find(|l| l.contains("Deployment erp"))
        .unwrap();
    assert_eq!(
        erp_row.split_whitespace().take(5).collect::<Vec<_>>(),
        ["Deployment", "erp", "65", "yes", "yes"]
    );
    let markdown = audit_of("testdata/audit-monolith", &["--format", "markdown"]);
    assert!(
        markdown.contains("| multiple-processes, oversized-requests, too-many-ports | 4 |"),
        "{markdown}"
    );
}

#[test]
fn markdown_embeds_the_graph_as_mermaid() {
    let markdown = audit(&["--format", "markdown"]);
    assert!(markdown.starts_with("# Decoupling audit\n"));
    assert!(markdown.contains("## shop: "));
    assert!(markdown.contains("```mermaid\nflowchart LR\n"));
    let table = audit(&[]);
    assert!(table.contains("Deployment frontend"));
    assert!(table.contains("survive random pod termination"));
}

#[test]
fn kustomize_patches_are_not_audited_as_workloads() {
    // The overlay's patches look like Deployments; only the base is one.
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(Path::new(ROOT))
        .args(["audit", "--format", "json", "testdata/kustomize"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = json["applications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["workloads"].as_array().unwrap())
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["shop"], "{json}");
}

#[test]
fn addresses_in_generated_config_maps_are_dependencies() {
    // The shop reads the cart's address from a ConfigMap that only its
    // kustomization's generator makes.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("kustomization.yaml"),
        "resources: [apps.yaml]\nconfigMapGenerator:\n  - name: shop-settings\n    literals: [CART_URL=http://cart:7070]\n",
    )
    .unwrap();
    let workload = |name: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n        - name: {name}\n          image: ghcr.io/example/{name}:1.0.0\n          envFrom:\n            - configMapRef: {{name: shop-settings}}\n"
        )
    };
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  selector: {app: cart}\n  ports:\n    - port: 7070\n";
    std::fs::write(
        root.join("apps.yaml"),
        format!(
            "{}---\n{}---\n{service}",
            workload("shop"),
            workload("cart")
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(["audit", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let shop = workloads(&json)["shop"].clone();
    assert_eq!(
        shop["depends_on"],
        serde_json::json!(["default/cart"]),
        "{json}"
    );
}

#[test]
fn image_sizes_make_a_fat_image_a_monolith_signal() {
    let dir = tempfile::tempdir().unwrap();
    let sizes = dir.path().join("sizes.json");
    std::fs::write(
        &sizes,
        r#"{"registry.example.com/warehouse/labels:2.4.1": 3221225472}"#,
    )
    .unwrap();
    let json: Value = serde_json::from_str(&audit_of(
        "testdata/audit-monolith",
        &["--format", "json", "--image-sizes", sizes.to_str().unwrap()],
    ))
    .unwrap();
    let labels = &workloads(&json)["labels"];
    assert_eq!(labels["monolith"], serde_json::json!(["oversized-image"]));
    assert_eq!(labels["score"], 100 - 15 - 5, "{labels}");
}

#[test]
fn settings_of_mounted_config_files_are_dependencies() {
    // Billing reads ledger's address from the `application.properties` it
    // mounts, and names payments in the namespace its kustomization moves
    // everything into.
    let json: Value = serde_json::from_str(&audit_of(
        "testdata/audit-config-files",
        &["--format", "json"],
    ))
    .unwrap();
    let billing = workloads(&json)["billing"].clone();
    assert_eq!(
        billing["depends_on"],
        serde_json::json!(["default/payments", "default/ledger"]),
        "{json}"
    );
}
