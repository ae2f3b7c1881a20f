use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags mappings whose keys are not in alphabetical (byte) order, at
    /// every depth of the object, once per mapping at the first key out of
    /// order. Off by default: it is a house style, and the usual Kubernetes
    /// order (`name` first in a container) is not alphabetical.
    ///
    /// ## Why is this bad?
    /// In a team that sorts keys, an unsorted mapping makes reviews harder:
    /// a duplicate or a missing field is easy to see in a sorted list and
    /// easy to miss in an unsorted one, and diffs between generated and
    /// hand-written manifests fill with moves.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     tier: web
    ///     app: shop
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   labels:
    ///     app: shop
    ///     tier: web
    ///   name: settings
    /// ```
    pub UnsortedKeys => {
        id: "STY007",
        name: "unsorted-keys",
        category: Style,
        severity: Info,
        kinds: &[Kind::Any],
        summary: "the keys of a mapping are not in alphabetical order",
        remediation: "Sort the keys of each mapping alphabetically (`yq -P 'sort_keys(..)'` does it for a whole file).",
        equivalents: &["kube-linter:sorted-keys"],
        enabled: false,
    }
}

impl ObjectRule for UnsortedKeys {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        visit(object, &object.root, Pointer::root(), cx);
    }
}

fn visit(object: &Object, node: &Node, pointer: Pointer, cx: &mut Reports<'_>) {
    if let Some(items) = node.as_seq() {
        for (index, item) in items.iter().enumerate() {
            visit(object, item, pointer.child(index), cx);
        }
        return;
    }
    let Some(entries) = node.as_map() else {
        return;
    };
    let keys: Vec<Option<&str>> = entries.iter().map(|e| e.key.scalar_text()).collect();
    let out_of_order = keys.windows(2).find_map(|pair| match pair {
        [Some(before), Some(after)] if after < before => Some((*before, *after)),
        _ => None,
    });
    if let Some((before, after)) = out_of_order {
        cx.report(
            object,
            pointer.child(after),
            format!("key `{after}` should come before `{before}`"),
        );
    }
    for (entry, key) in entries.iter().zip(keys) {
        if let Some(key) = key {
            visit(object, &entry.value, pointer.child(key), cx);
        }
    }
}
