//! The patches of kustomize overlays, which look like objects but are not,
//! and what kustomize builds.
//!
//! A kustomization lists, beside the objects it builds from (`resources`),
//! files that only change them: strategic-merge patches (`patches`,
//! `patchesStrategicMerge`) are partial objects, and JSON 6902 patches
//! (`patchesJson6902`) lists of operations. Linted on their own, a patch
//! that sets one image lacks probes, resources and required fields that
//! its base has, so every check of a whole object is wrong about it. The
//! files a kustomization of the run names as patches are therefore read
//! (their YAML must still parse) but give no objects; the base they patch
//! is linted, and `kustomize build | plimsoll lint -` lints the result.
//! The files a generator reads (`files`, `envs`) are data of the object it
//! makes, not manifests, even when they are YAML: no objects either.
//!
//! A kustomization's generators (`configMapGenerator`, `secretGenerator`)
//! define ConfigMaps and Secrets that no file of the run holds. Built, they
//! sit beside the resources that refer to them, so the run knows them as
//! [`generated`] objects: relation rules see them, and so do the object
//! rules about the data of ConfigMaps and Secrets
//! (`RuleMeta::checks_generated`); nothing else checks them. A ConfigMap
//! keeps the values of its `literals`, `envs` files and `files` (a file's
//! whole text), where workloads find the addresses of the services they
//! call and where secrets get pasted, so a finding about a value points at
//! the item that names it in the kustomization. A Secret
//! keeps the values of its literals, which the kustomization commits
//! (`secret-committed` reports them), but not those of the files it reads:
//! those are often kept out of the repository, and never enter the run.
//!
//! The kustomizations that build a file also change its objects: their
//! `images` lists give images versions, and their selector labels write a
//! workload's `spec.selector`. [`Build`] keeps, for each file, what every
//! build including it does, followed from what users build (kustomizations
//! no other one includes) down through their bases.
//!
//! An object keeps the namespace it is written with, although kustomize
//! moves it into its kustomization's `namespace`. Overlays commonly build
//! one base into several namespaces (`dev`, `prod`); with one namespace per
//! object, the base would stay where it is written while each overlay's
//! own objects moved, and references between them would break. Applying
//! the namespace where all builds agree was tried: on the corpus it removed
//! 28 findings and added 20 such breaks. What a build does is kept beside
//! the object instead ([`Build::moves_into`]): an address that names the
//! namespace a build moves a Service into (`dex.auth.svc`) finds it.
//!
//! A document that carries a strategic-merge directive (`$patch: delete`,
//! `$setElementOrder/containers`, ...) is a patch wherever it is found, and
//! kustomize's own files (`Kustomization`, `Component`) configure the build
//! and never reach a cluster: neither is an object.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use compact_str::CompactString;

use crate::k8s::{Object, ObjectId, ObjectRef, Origin};
use crate::source::discover::{Input, lexically_normal};
use crate::source::{TextRange, load};
use crate::yaml::parse::{Limits, parse_stream};
use crate::yaml::{Entry, Node, Pointer, Scalar, ScalarStyle, Value};

/// The names kustomize looks for in a directory.
pub const KUSTOMIZATION_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Keys of a strategic-merge patch that no object has: the text is
/// searched for them before any tree is walked.
const DIRECTIVES: [&str; 4] = [
    "$patch",
    "$setElementOrder/",
    "$retainKeys",
    "$deleteFromPrimitiveList/",
];

/// Whether `path` names a kustomization.
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| KUSTOMIZATION_NAMES.iter().any(|k| name == *k))
}

/// Values for files of the run, found by any spelling of their path.
struct PathTable<T> {
    /// Keyed by [`lexically_normal`] path, as bytes: equal paths are equal
    /// bytes then, and bytes hash far faster than `Path`'s components.
    by_path: HashMap<OsString, T>,
    /// Their file names: most files are ruled out by name, without the
    /// cost of making their paths [`lexically_normal`].
    names: HashSet<OsString>,
}

impl<T> Default for PathTable<T> {
    fn default() -> Self {
        Self {
            by_path: HashMap::new(),
            names: HashSet::new(),
        }
    }
}

impl<T> PathTable<T> {
    /// Adds `value` for `path`, which is [`lexically_normal`].
    fn insert(&mut self, path: &Path, value: T) {
        self.names.extend(path.file_name().map(OsStr::to_owned));
        self.by_path.insert(path.as_os_str().to_owned(), value);
    }

    fn get(&self, path: &Path) -> Option<&T> {
        let name = path.file_name()?;
        if !self.names.contains(name) {
            return None;
        }
        self.by_path.get(lexically_normal(path).as_os_str())
    }
}

/// What the run needs to know of one kustomization before it reads the
/// other files.
pub struct Kustomization {
    /// Its directory, [`lexically_normal`].
    dir: PathBuf,
    /// The files it reads without building objects from them, its patches
    /// and its generators' files, [`lexically_normal`].
    inputs: Vec<PathBuf>,
    /// What it builds from (`resources`, `components`, the older
    /// `bases`): files, and directories holding other kustomizations.
    sources: Vec<PathBuf>,
    /// Its `components`, also among `sources`: a component's
    /// transformations apply to everything this kustomization builds.
    components: Vec<PathBuf>,
    /// The images whose tag or digest its `images` list sets.
    pinned_images: Vec<String>,
    /// Whether it adds labels to label selectors (`commonLabels`, or
    /// `labels` with `includeSelectors: true`).
    fills_selectors: bool,
    /// The namespace it moves what it builds into.
    namespace: Option<String>,
}

/// Reads the kustomization at `path`, of text `text`; `None` when `path`
/// is not one.
pub fn read(path: &Path, text: &str) -> Option<Kustomization> {
    if !is_kustomization(path) {
        return None;
    }
    let stream = parse_stream(text, &Limits::default());
    let parent = path.parent().unwrap_or(Path::new(""));
    let mut kustomization = Kustomization {
        inputs: Vec::new(),
        sources: Vec::new(),
        components: Vec::new(),
        pinned_images: Vec::new(),
        fills_selectors: false,
        namespace: None,
        dir: lexically_normal(parent),
    };
    let joined = |listed: &str| lexically_normal(&parent.join(listed));
    for document in &stream.documents {
        let root = &document.root;
        kustomization
            .inputs
            .extend(patch_paths(root).into_iter().map(joined));
        kustomization
            .inputs
            .extend(generator_paths(root).into_iter().map(joined));
        let local = |key: &str| -> Vec<PathBuf> {
            root.list(key)
                .iter()
                .filter_map(Node::as_str)
                // Remote bases (`github.com/...?ref=`) are not in the run.
                .filter(|listed| !listed.contains("://") && !listed.contains('?'))
                .map(joined)
                .collect()
        };
        let components = local("components");
        kustomization.sources.extend(local("resources"));
        kustomization.sources.extend(local("bases"));
        kustomization.sources.extend(components.iter().cloned());
        kustomization.components.extend(components);
        kustomization
            .pinned_images
            .extend(root.list("images").iter().filter_map(pinned_image));
        let namespace = root.get("namespace").and_then(Node::as_str);
        if let Some(namespace) = namespace.filter(|ns| !ns.is_empty()) {
            kustomization.namespace = Some(namespace.to_owned());
        }
        let has_pairs = |node: Option<&Node>| node.is_some_and(|n| !n.entries().is_empty());
        kustomization.fills_selectors |= has_pairs(root.get("commonLabels"))
            || root.list("labels").iter().any(|labels| {
                labels.get("includeSelectors").and_then(Node::as_bool) == Some(true)
                    && has_pairs(labels.get("pairs"))
            });
    }
    Some(kustomization)
}

/// The image name an `images` entry gives a version: a `newTag` other
/// than `latest`, or a `digest`.
fn pinned_image(entry: &Node) -> Option<String> {
    let name = entry.get("name")?.as_str()?;
    let tag = entry.get("newTag").and_then(Node::scalar_text);
    let pins = entry.get("digest").and_then(Node::as_str).is_some()
        || tag.is_some_and(|tag| !tag.is_empty() && tag != "latest");
    pins.then(|| name.to_owned())
}

/// What the kustomizations of a run do to the other files.
#[derive(Default)]
pub struct Kustomizations {
    /// The files they read without building objects from them.
    inputs: PathTable<()>,
    /// The files they build, each with what all its builds have in common.
    builds: PathTable<Arc<Build>>,
}

impl Kustomizations {
    /// Whether `path` is a patch or a generator's file that one of them
    /// names: a file that holds no objects.
    pub fn is_build_input(&self, path: &Path) -> bool {
        self.inputs.get(path).is_some()
    }

    /// How the kustomizations that build `path` change its objects, when
    /// some do.
    pub fn build_of(&self, path: &Path) -> Option<Arc<Build>> {
        self.builds.get(path).cloned()
    }
}

impl FromIterator<Kustomization> for Kustomizations {
    fn from_iter<I: IntoIterator<Item = Kustomization>>(all: I) -> Self {
        let all: Vec<Kustomization> = all.into_iter().collect();
        let mut inputs = PathTable::default();
        for path in all.iter().flat_map(|k| &k.inputs) {
            inputs.insert(path, ());
        }
        Kustomizations {
            inputs,
            builds: builds(&all),
        }
    }
}

/// How kustomize changes the objects of one file, in every build of the
/// run that includes it.
#[derive(Debug)]
pub struct Build {
    /// The images to which every such build gives a version.
    pinned_images: BTreeSet<String>,
    /// Whether every such build adds labels to the label selectors, and so
    /// writes `spec.selector` of a workload that has none.
    fills_selectors: bool,
    /// The namespaces some build moves the file's objects into (the
    /// outermost kustomization's `namespace` on the way down).
    namespaces: BTreeSet<String>,
}

impl Build {
    /// Whether every build of the file gives `image` (a reference such as
    /// `ghcr.io/example/shop:latest`) a tag or digest of its choosing.
    pub fn pins_image(&self, image: &str) -> bool {
        self.pinned_images.contains(image_name(image))
    }

    /// Whether every build of the file writes the label selectors, so that a
    /// workload may leave `spec.selector` out.
    pub fn fills_selectors(&self) -> bool {
        self.fills_selectors
    }

    /// Whether some build of the file puts its objects in `namespace`.
    /// Objects keep their written namespace (see the module docs); this
    /// only lets an address that names the built namespace find them.
    pub fn moves_into(&self, namespace: &str) -> bool {
        self.namespaces.contains(namespace)
    }
}

/// The name of an image reference, without tag or digest: what an
/// `images` entry of a kustomization matches.
fn image_name(image: &str) -> &str {
    let image = image.split_once('@').map_or(image, |(name, _)| name);
    match image.rsplit_once(':') {
        // A colon before the last `/` belongs to the registry's port.
        Some((name, tag)) if !tag.contains('/') => name,
        _ => image,
    }
}

/// How deep kustomizations may include each other before the rest is
/// ignored: deeper chains are not seen in practice, and cycles stop here.
const MAX_BUILD_DEPTH: usize = 32;

/// How many entries the walks of all builds may visit in all. A run whose
/// kustomizations share bases in many layers can have more ways down than
/// a run could follow; past this budget the run knows no builds at all,
/// which reports as much as it would without kustomizations, never less.
/// Real repositories stay far below it (the corpus's 309 kustomizations:
/// about 2,600).
const MAX_BUILD_STEPS: usize = 200_000;

/// The files `all` build, each with what all its builds have in common:
/// each kustomization that no other one includes (what users build) is
/// followed down to the files it includes. Kustomizations, files and images
/// are numbered first, so that the walk, which may pass a base many times,
/// hashes no path.
fn builds(all: &[Kustomization]) -> PathTable<Arc<Build>> {
    // Paths are lexically normal, so their bytes tell them apart.
    let by_dir: HashMap<&OsStr, usize> = all
        .iter()
        .enumerate()
        .map(|(i, k)| (k.dir.as_os_str(), i))
        .collect();
    let mut files = Numbering::default();
    let sources: Vec<Vec<Source>> = all
        .iter()
        .map(|k| {
            k.sources
                .iter()
                .map(|source| match by_dir.get(source.as_os_str()) {
                    Some(&inner) => Source::Kustomization(inner),
                    None => Source::File(files.number(source.as_os_str(), source.as_path())),
                })
                .collect()
        })
        .collect();
    let mut images = Numbering::default();
    let pinned: Vec<Vec<usize>> = all
        .iter()
        .map(|k| {
            k.pinned_images
                .iter()
                .map(|image| images.number(image.as_str(), image.as_str()))
                .collect()
        })
        .collect();
    let components: Vec<Vec<usize>> = all
        .iter()
        .map(|k| {
            k.components
                .iter()
                .filter_map(|c| by_dir.get(c.as_os_str()).copied())
                .collect()
        })
        .collect();
    let included: HashSet<usize> = sources
        .iter()
        .flatten()
        .filter_map(|source| match source {
            Source::Kustomization(inner) => Some(*inner),
            Source::File(_) => None,
        })
        .collect();
    let mut walk = Walk {
        sources: &sources,
        components: &components,
        pinned: &pinned,
        fills: all.iter().map(|k| k.fills_selectors).collect(),
        namespaces: all.iter().map(|k| k.namespace.as_deref()).collect(),
        reached: vec![None; files.items.len()],
        steps: 0,
    };
    for root in (0..all.len()).filter(|i| !included.contains(i)) {
        let below = Above {
            fills: false,
            namespace: None,
        };
        if !walk.from(root, &mut Vec::new(), below, &mut Vec::new()) {
            return PathTable::default();
        }
    }
    let mut builds = PathTable::default();
    for (file, reached) in files.items.into_iter().zip(walk.reached) {
        let Some(reached) = reached else {
            continue;
        };
        let build = Build {
            pinned_images: reached
                .pins
                .into_iter()
                .map(|id| images.items[id].to_owned())
                .collect(),
            fills_selectors: reached.fills,
            namespaces: reached.namespaces.into_iter().map(str::to_owned).collect(),
        };
        builds.insert(file, Arc::new(build));
    }
    builds
}

/// Items numbered in the order they are first met, by a key.
struct Numbering<K, V> {
    ids: HashMap<K, usize>,
    /// The items, at their numbers.
    items: Vec<V>,
}

impl<K, V> Default for Numbering<K, V> {
    fn default() -> Self {
        Self {
            ids: HashMap::new(),
            items: Vec::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq, V> Numbering<K, V> {
    /// The number of the item keyed `key`, which is `item` if it is new.
    fn number(&mut self, key: K, item: V) -> usize {
        *self.ids.entry(key).or_insert_with(|| {
            self.items.push(item);
            self.items.len() - 1
        })
    }
}

/// What a kustomization builds from, by number.
enum Source {
    Kustomization(usize),
    File(usize),
}

/// The walk of the builds down from their roots, over numbered
/// kustomizations, files and images.
struct Walk<'a> {
    /// What each kustomization builds from.
    sources: &'a [Vec<Source>],
    /// The components of each kustomization, among its sources.
    components: &'a [Vec<usize>],
    /// The images each kustomization pins.
    pinned: &'a [Vec<usize>],
    /// Whether each kustomization adds selector labels.
    fills: Vec<bool>,
    /// The namespace each kustomization moves its objects into.
    namespaces: Vec<Option<&'a str>>,
    /// For each file, once reached: what its builds do to it.
    reached: Vec<Option<Reached<'a>>>,
    /// Entries visited so far, against [`MAX_BUILD_STEPS`].
    steps: usize,
}

/// What the kustomizations above a point of the walk do to what is below.
#[derive(Clone, Copy)]
struct Above<'a> {
    /// Whether one of them adds selector labels.
    fills: bool,
    /// The namespace of the outermost one that sets one: kustomize applies
    /// the inner ones first, so the outer one has the last word.
    namespace: Option<&'a str>,
}

/// What the builds that reach a file do to it.
#[derive(Clone)]
struct Reached<'a> {
    /// The images every build pins, by number.
    pins: Vec<usize>,
    /// Whether every build fills selectors.
    fills: bool,
    /// The namespaces some build moves it into.
    namespaces: BTreeSet<&'a str>,
}

impl<'a> Walk<'a> {
    /// Records, for each file that kustomization `at` includes, what this
    /// build does to it: the images it pins (`pins`, which may repeat),
    /// whether it fills selectors and the namespace it moves it into
    /// (`above`), from the kustomizations on the way down (`path`). A file
    /// reached by several builds keeps the images and selectors all of them
    /// fill, and every namespace. Returns false once the budget of steps is
    /// spent.
    fn from(
        &mut self,
        at: usize,
        pins: &mut Vec<usize>,
        above: Above<'a>,
        path: &mut Vec<usize>,
    ) -> bool {
        if path.contains(&at) || path.len() >= MAX_BUILD_DEPTH {
            return true;
        }
        path.push(at);
        let pinned_above = pins.len();
        pins.extend(&self.pinned[at]);
        let mut fills = above.fills || self.fills[at];
        // A component transforms the whole build that includes it.
        for &component in &self.components[at] {
            pins.extend(&self.pinned[component]);
            fills |= self.fills[component];
        }
        let here = Above {
            fills,
            namespace: above.namespace.or(self.namespaces[at]),
        };
        for source in &self.sources[at] {
            self.steps += 1;
            if self.steps > MAX_BUILD_STEPS {
                return false;
            }
            match *source {
                Source::Kustomization(inner) => {
                    if !self.from(inner, pins, here, path) {
                        return false;
                    }
                }
                Source::File(file) => match &mut self.reached[file] {
                    Some(reached) => {
                        reached.pins.retain(|image| pins.contains(image));
                        reached.fills &= fills;
                        reached.namespaces.extend(here.namespace);
                    }
                    unreached => {
                        let mut own = pins.clone();
                        own.sort_unstable();
                        own.dedup();
                        *unreached = Some(Reached {
                            pins: own,
                            fills,
                            namespaces: here.namespace.into_iter().collect(),
                        });
                    }
                },
            }
        }
        pins.truncate(pinned_above);
        path.pop();
        true
    }
}

/// The paths a kustomization's patch lists name. `patches` and
/// `patchesJson6902` take `{path: ...}` entries; `patchesStrategicMerge`
/// takes paths or inline patches, told apart by a line break.
fn patch_paths(kustomization: &Node) -> Vec<&str> {
    let mut paths = Vec::new();
    for key in ["patches", "patchesJson6902"] {
        for entry in kustomization.list(key) {
            paths.extend(entry.get("path").and_then(Node::as_str));
        }
    }
    for entry in kustomization.list("patchesStrategicMerge") {
        paths.extend(entry.as_str().filter(|text| !text.contains('\n')));
    }
    paths
}

/// The paths of the files a kustomization's generators read: `files`
/// entries (`path` or `key=path`) and `envs` (or the older `env`).
fn generator_paths(kustomization: &Node) -> Vec<&str> {
    let mut paths = Vec::new();
    for list in ["configMapGenerator", "secretGenerator"] {
        for entry in kustomization.list(list) {
            let files = entry.list("files").iter().filter_map(Node::as_str);
            paths.extend(files.map(|listed| file_of(listed).1));
            paths.extend(env_files(entry).filter_map(Node::as_str));
        }
    }
    paths
}

/// A generator's `envs` (and the older single `env`): files of `KEY=value`
/// lines.
fn env_files(entry: &Node) -> impl Iterator<Item = &Node> {
    entry.list("envs").iter().chain(entry.get("env"))
}

/// The key and the path of a generator's `files` entry: `path` gives the
/// key of its file name, `key=path` the key `key`.
fn file_of(listed: &str) -> (&str, &str) {
    match listed.split_once('=') {
        Some((key, path)) => (key.trim(), path.trim()),
        None => (listed.rsplit('/').next().unwrap_or(listed), listed),
    }
}

/// Whether a document of this `apiVersion` configures kustomize itself: a
/// `kustomization.yaml` of either kind.
pub fn is_build_file(api_version: &str) -> bool {
    api_version.starts_with("kustomize.config.k8s.io/")
}

/// A ConfigMap or Secret that a kustomization generates.
pub struct Generated {
    /// The object as the build makes it: `apiVersion`, `kind`, `metadata`
    /// and the keys under `data`, with the values [`generator_keys`] keeps;
    /// a Secret's literals are under `stringData`. Every node points at the
    /// generator entry, or at the item that names its key.
    pub root: Node,
    /// Its identity.
    pub identity: ObjectRef,
    /// Whether all its keys are known: the keys of an `envs` file that
    /// could not be read are not.
    pub keys_known: bool,
}

impl Generated {
    /// The object, numbered `id`, of document `document` of the file.
    pub fn into_object(self, id: ObjectId, document: usize) -> Object {
        let mut object = Object::new(id, document, Pointer::root(), self.root, self.identity);
        object.origin = Origin::Generated {
            keys_known: self.keys_known,
        };
        object
    }
}

/// The ConfigMaps and Secrets the kustomization `kustomization` generates.
/// `dir` is its directory, where the `envs` and `files` it names are read
/// (at most `max_file_size` bytes each); `None` for standard input.
///
/// Kustomize adds a hash of the content to each name and rewrites the
/// references of the build's resources to match, so the name written in
/// the generator is the one resources refer to.
pub fn generated(kustomization: &Node, dir: Option<&Path>, max_file_size: u64) -> Vec<Generated> {
    let mut out = Vec::new();
    for (list, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for entry in kustomization.list(list) {
            let Some(name) = entry.get("name").filter(|n| n.as_str().is_some()) else {
                continue;
            };
            // Not the kustomization's `namespace`: the build moves its
            // resources there too, but the run lints them where they are
            // written, and the generated object must be where they look.
            let namespace = entry
                .get("namespace")
                .filter(|n| n.as_str().is_some_and(|ns| !ns.is_empty()));
            let config_map = kind == "ConfigMap";
            let (keys, mut keys_known) = generator_keys(entry, dir, max_file_size, config_map);
            // A merge adds keys to the base's object of the same name, which
            // the run may not hold.
            keys_known &= entry.get("behavior").and_then(Node::as_str) != Some("merge");
            let at = entry.span;
            let mut metadata = vec![text_entry("name", name.clone(), at)];
            metadata.extend(namespace.map(|ns| text_entry("namespace", ns.clone(), at)));
            // A Secret's literals are plain text in the kustomization, as
            // `stringData` is in a written Secret.
            let (string_data, data): (Vec<GeneratedKey>, Vec<GeneratedKey>) =
                keys.into_iter().partition(|key| key.literal && !config_map);
            let section = |name: &str, keys: Vec<GeneratedKey>| Entry {
                key: text(name.into(), at),
                value: map(
                    keys.into_iter()
                        .map(|k| Entry {
                            key: text(k.key, k.span),
                            value: text(k.value, k.span),
                        })
                        .collect(),
                    at,
                ),
            };
            let mut fields = vec![
                text_entry("apiVersion", text("v1".into(), at), at),
                text_entry("kind", text(kind.into(), at), at),
                Entry {
                    key: text("metadata".into(), at),
                    value: map(metadata, at),
                },
                section("data", data),
            ];
            if !string_data.is_empty() {
                fields.push(section("stringData", string_data));
            }
            let root = map(fields, at);
            out.push(Generated {
                identity: ObjectRef {
                    api_version: "v1".to_owned(),
                    kind: kind.to_owned(),
                    namespace: namespace.and_then(Node::as_str).map(str::to_owned),
                    name: name.as_str().map(str::to_owned),
                },
                root,
                keys_known,
            });
        }
    }
    out
}

/// A key of a generated object.
struct GeneratedKey {
    key: CompactString,
    /// Empty unless kept.
    value: CompactString,
    /// The item that names the key.
    span: TextRange,
    /// Whether a `literals` item gives it, value and all.
    literal: bool,
}

/// The keys a generator entry gives its object, and whether those are all
/// of them. Literals keep their values, which the kustomization holds
/// anyway. The values of the files it reads are kept for ConfigMaps only
/// (`keep_read_values`): the lines of `envs` files and the text of
/// `files`, which may address the services a workload calls or hold a
/// pasted secret. A Secret's files may well be kept out of the repository,
/// and their values are never read into the run. A file that cannot be
/// read as text keeps its key, with an empty value.
fn generator_keys(
    entry: &Node,
    dir: Option<&Path>,
    max_file_size: u64,
    keep_read_values: bool,
) -> (Vec<GeneratedKey>, bool) {
    let key = |key: &str, value: &str, span: TextRange, literal: bool| GeneratedKey {
        key: key.trim().into(),
        value: if literal || keep_read_values {
            value.trim().into()
        } else {
            CompactString::default()
        },
        span,
        literal,
    };
    let mut keys = Vec::new();
    // `KEY=value`.
    for literal in entry.list("literals") {
        if let Some((name, value)) = literal.as_str().and_then(|l| l.split_once('=')) {
            keys.push(key(name, value, literal.span, true));
        }
    }
    // Read as manifests are: never a pipe or device, never past the limit.
    let read = |listed: &str| -> Option<String> {
        let mut input = Input::File {
            path: dir?.join(listed),
            explicit: false,
        };
        load::take(&mut input, max_file_size).ok()
    };
    for file in entry.list("files") {
        if let Some((name, path)) = file.as_str().map(file_of) {
            let text = if keep_read_values {
                read(path).unwrap_or_default()
            } else {
                String::new()
            };
            // Not trimmed: the text is the file's, to its last line break.
            keys.push(GeneratedKey {
                value: text.into(),
                ..key(name, "", file.span, false)
            });
        }
    }
    let mut keys_known = true;
    for file in env_files(entry) {
        let Some(text) = file.as_str().and_then(read) else {
            keys_known = false;
            continue;
        };
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line.split_once('=').unwrap_or((line, ""));
            keys.push(key(name, value, file.span, false));
        }
    }
    (keys, keys_known)
}

fn text(content: CompactString, span: TextRange) -> Node {
    Node {
        span,
        value: Value::Scalar(Scalar::new(content, ScalarStyle::DoubleQuoted, None)),
    }
}

fn text_entry(key: &str, value: Node, span: TextRange) -> Entry {
    Entry {
        key: text(key.into(), span),
        value,
    }
}

fn map(entries: Vec<Entry>, span: TextRange) -> Node {
    Node {
        span,
        value: Value::Map(entries),
    }
}

/// Whether `text` may hold a strategic-merge directive: one pass for the
/// rare `$` before [`is_patch_document`] walks trees.
pub fn may_hold_directives(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'$', bytes).any(|at| {
        DIRECTIVES
            .iter()
            .any(|d| bytes[at..].starts_with(d.as_bytes()))
    })
}

/// Whether a document carries a strategic-merge directive at any depth.
pub fn is_patch_document(root: &Node) -> bool {
    if let Some(entries) = root.as_map() {
        return entries.iter().any(|entry| {
            entry
                .key
                .as_str()
                .is_some_and(|key| DIRECTIVES.iter().any(|d| key.starts_with(d)))
                || is_patch_document(&entry.value)
        });
    }
    root.as_seq()
        .is_some_and(|items| items.iter().any(is_patch_document))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch_files(files: &[(&str, &str)]) -> Kustomizations {
        files
            .iter()
            .filter_map(|(path, text)| read(Path::new(path), text))
            .collect()
    }

    fn patches_of(files: &[(&str, &str)]) -> Vec<String> {
        let run = patch_files(files);
        let paths = run.inputs.by_path.keys();
        assert!(paths.clone().all(|p| run.is_build_input(Path::new(p))));
        let mut found: Vec<String> = paths.map(|p| p.to_string_lossy().into_owned()).collect();
        found.sort();
        found
    }

    #[test]
    fn every_patch_list_names_files_relative_to_its_kustomization() {
        let kustomization = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: replicas.yaml
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
    target: {kind: Deployment}
patchesStrategicMerge:
  - ./patches/memory.yaml
  - |-
    apiVersion: apps/v1
    kind: Deployment
patchesJson6902:
  - path: ../shared/ops.yaml
    target: {kind: Service, name: web}
";
        assert_eq!(
            patches_of(&[
                ("deploy/overlays/prod/kustomization.yaml", kustomization),
                ("deploy/overlays/prod/replicas.yaml", "kind: Deployment\n"),
            ]),
            [
                "deploy/overlays/prod/patches/memory.yaml",
                "deploy/overlays/prod/replicas.yaml",
                "deploy/overlays/shared/ops.yaml",
            ]
        );
        let patches = patch_files(&[("deploy/kustomization.yaml", kustomization)]);
        assert!(patches.is_build_input(Path::new("./deploy/replicas.yaml")));
        assert!(!patches.is_build_input(Path::new("deploy/base/replicas.yaml")));
        // Only a kustomization's own name makes it one.
        assert!(patches_of(&[("deploy/patches.yaml", kustomization)]).is_empty());
    }

    /// Each generated object as `Kind namespace/name: keys (known|partial)`.
    fn generated_from(text: &str, dir: Option<&Path>) -> Vec<String> {
        let stream = parse_stream(text, &Limits::default());
        generated(&stream.documents[0].root, dir, 1 << 20)
            .into_iter()
            .map(|g| {
                let keys: Vec<&str> = g
                    .root
                    .get("data")
                    .map(Node::entries)
                    .unwrap_or_default()
                    .iter()
                    .map(|e| e.key.as_str().unwrap())
                    .collect();
                format!(
                    "{} {}/{}: {} ({})",
                    g.identity.kind,
                    g.identity.namespace.as_deref().unwrap_or("-"),
                    g.identity.name.as_deref().unwrap_or("-"),
                    keys.join(","),
                    if g.keys_known { "known" } else { "partial" }
                )
            })
            .collect()
    }

    #[test]
    fn generators_make_objects_with_the_keys_they_list() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("db.env"),
            "# comment\n\nDB_USER=app\nDB_PASSWORD = s3cret\nFROM_ENVIRONMENT\n",
        )
        .unwrap();
        let kustomization = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
configMapGenerator:
  - name: settings
    literals: [LOG_LEVEL=info, \"EMPTY=\"]
    files: [conf/app.toml, motd=banner.txt]
  - name: extra
    namespace: tools
    behavior: merge
    literals: [MORE=1]
  - literals: [NO_NAME=1]
secretGenerator:
  - name: db
    envs: [db.env]
  - name: elsewhere
    env: missing.env
";
        // The kustomization's `namespace` is not applied (see `generated`);
        // a merge adds to keys the run may not know.
        assert_eq!(
            generated_from(kustomization, Some(dir.path())),
            [
                "ConfigMap -/settings: LOG_LEVEL,EMPTY,app.toml,motd (known)",
                "ConfigMap tools/extra: MORE (partial)",
                "Secret -/db: DB_USER,DB_PASSWORD,FROM_ENVIRONMENT (known)",
                "Secret -/elsewhere:  (partial)",
            ]
        );
        // Standard input has no directory to read env files from.
        assert_eq!(
            generated_from(kustomization, None)[2],
            "Secret -/db:  (partial)"
        );
    }

    #[test]
    fn secrets_keep_only_their_literals_and_config_maps_keep_all_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("db.env"), "DB_PASSWORD=s3cret\n").unwrap();
        std::fs::write(dir.path().join("app.env"), "BACKEND = cart:7070\n").unwrap();
        std::fs::write(dir.path().join("tls.key"), "-----BEGIN PRIVATE KEY-----\n").unwrap();
        std::fs::write(
            dir.path().join("app.properties"),
            "cart.url=http://cart:7070\n",
        )
        .unwrap();
        let text = "\
secretGenerator:
  - {name: db, envs: [db.env], literals: [TOKEN=abc123], files: [tls.key]}
configMapGenerator:
  - name: app
    envs: [app.env]
    literals: [LOG_LEVEL=debug]
    files: [app.properties, missing=missing.txt]
";
        let stream = parse_stream(text, &Limits::default());
        let made = generated(&stream.documents[0].root, Some(dir.path()), 1 << 20);
        let shown = format!("{:?}", made[1].root);
        assert!(
            !shown.contains("s3cret") && !shown.contains("PRIVATE"),
            "{shown}"
        );
        assert!(made[1].root.path("data/tls.key").is_some());
        assert!(made[1].root.path("data/DB_PASSWORD").is_some());
        // A literal is in the kustomization already, as `stringData` is in
        // a written Secret.
        assert_eq!(
            made[1].root.path("stringData/TOKEN").and_then(Node::as_str),
            Some("abc123")
        );
        let data = made[0].root.get("data").unwrap();
        let value = |key: &str| data.get(key).and_then(Node::as_str);
        assert_eq!(value("LOG_LEVEL"), Some("debug"));
        assert_eq!(value("BACKEND"), Some("cart:7070"));
        // A file's whole text is its value; one that cannot be read is empty.
        assert_eq!(value("app.properties"), Some("cart.url=http://cart:7070\n"));
        assert_eq!(value("missing"), Some(""));
        assert!(made[0].keys_known);
    }

    #[test]
    fn files_that_generators_read_hold_no_objects() {
        let run = patch_files(&[(
            "deploy/kustomization.yaml",
            "configMapGenerator:\n  - {name: katib, files: [katib-config.yaml, extra=conf/extra.yaml]}\nsecretGenerator:\n  - {name: db, envs: [db.env], env: old.env}\n",
        )]);
        for input in [
            "deploy/katib-config.yaml",
            "deploy/conf/extra.yaml",
            "deploy/db.env",
            "./deploy/old.env",
        ] {
            assert!(run.is_build_input(Path::new(input)), "{input}");
        }
        assert!(!run.is_build_input(Path::new("deploy/extra")));
    }

    fn builds(files: &[(&str, &str)]) -> Kustomizations {
        files
            .iter()
            .filter_map(|(path, text)| read(Path::new(path), text))
            .collect()
    }

    #[test]
    fn the_outermost_namespace_of_each_build_is_where_it_moves_a_file() {
        let run = builds(&[
            (
                "base/kustomization.yaml",
                "namespace: auth
resources: [dex.yaml]
",
            ),
            (
                "overlays/dev/kustomization.yaml",
                "resources: [../../base]
",
            ),
            (
                "overlays/prod/kustomization.yaml",
                "namespace: prod-auth
resources: [../../base, extra.yaml]
",
            ),
            (
                "other/kustomization.yaml",
                "resources: [app.yaml]
",
            ),
        ]);
        let dex = run.build_of(Path::new("base/dex.yaml")).unwrap();
        // dev keeps the base's namespace; prod's own overrides it.
        assert!(dex.moves_into("auth") && dex.moves_into("prod-auth"));
        assert!(!dex.moves_into("default"));
        let extra = run.build_of(Path::new("overlays/prod/extra.yaml")).unwrap();
        assert!(extra.moves_into("prod-auth") && !extra.moves_into("auth"));
        let app = run.build_of(Path::new("other/app.yaml")).unwrap();
        assert!(!app.moves_into("auth"));
    }

    fn pins(run: &Kustomizations, path: &str, image: &str) -> Option<bool> {
        run.build_of(Path::new(path)).map(|b| b.pins_image(image))
    }

    #[test]
    fn images_are_pinned_where_every_build_pins_them() {
        let run = builds(&[
            (
                "base/kustomization.yaml",
                "resources: [app.yaml, ./jobs/job.yaml, https://example.com/x.yaml]\n\
                 images: [{name: tools, digest: 'sha256:0d5e'}]\n",
            ),
            (
                "overlays/prod/kustomization.yaml",
                "resources: [../../base]\nimages:\n  - {name: registry:5000/app, newTag: '1.2'}\n  - {name: cache, newTag: latest}\n",
            ),
            (
                "overlays/dev/kustomization.yaml",
                "resources: [../../base, extra.yaml]\n",
            ),
            (
                "loop/kustomization.yaml",
                "resources: [../loop, own.yaml]\nimages: [{name: app, newTag: '2'}]\n",
            ),
            ("top/kustomization.yaml", "resources: [../loop]\n"),
        ]);
        // Both overlays build the base: only what both pin is pinned.
        assert_eq!(pins(&run, "base/app.yaml", "tools:latest"), Some(true));
        assert_eq!(pins(&run, "base/jobs/job.yaml", "tools"), Some(true));
        assert_eq!(
            pins(&run, "./base/app.yaml", "registry:5000/app"),
            Some(false)
        );
        assert_eq!(pins(&run, "overlays/dev/extra.yaml", "tools"), Some(false));
        // `newTag: latest` pins nothing.
        assert_eq!(pins(&run, "base/app.yaml", "cache"), Some(false));
        // A kustomization that includes itself is followed once.
        assert_eq!(pins(&run, "loop/own.yaml", "app"), Some(true));
        assert_eq!(pins(&run, "elsewhere/app.yaml", "tools"), None);
        // The prod overlay alone pins the port-qualified image.
        let prod = builds(&[
            ("base/kustomization.yaml", "resources: [app.yaml]\n"),
            (
                "overlays/prod/kustomization.yaml",
                "resources: [../../base]\nimages: [{name: registry:5000/app, newTag: '1.2'}]\n",
            ),
        ]);
        assert_eq!(
            pins(&prod, "base/app.yaml", "registry:5000/app"),
            Some(true)
        );
        assert_eq!(
            pins(&prod, "base/app.yaml", "registry:5000/app:0.9"),
            Some(true)
        );
        assert_eq!(
            pins(&prod, "base/app.yaml", "registry:5000/app@sha256:ab"),
            Some(true)
        );
        assert_eq!(pins(&prod, "base/app.yaml", "registry"), Some(false));
    }

    #[test]
    fn a_component_transforms_the_whole_build_that_includes_it() {
        let run = builds(&[
            ("base/kustomization.yaml", "resources: [app.yaml]\n"),
            (
                "tags/kustomization.yaml",
                "kind: Component\nimages: [{name: app, newTag: '3.1'}]\nresources: [extra.yaml]\n",
            ),
            (
                "prod/kustomization.yaml",
                "resources: [../base]\ncomponents: [../tags]\n",
            ),
        ]);
        assert_eq!(pins(&run, "base/app.yaml", "app"), Some(true));
        assert_eq!(pins(&run, "tags/extra.yaml", "app"), Some(true));
    }

    #[test]
    fn selectors_are_filled_where_every_build_adds_selector_labels() {
        let fills = |files: &[(&str, &str)], path: &str| {
            builds(files)
                .build_of(Path::new(path))
                .map(|b| b.fills_selectors())
        };
        let base = ("base/kustomization.yaml", "resources: [app.yaml]\n");
        let common = (
            "prod/kustomization.yaml",
            "resources: [../base]\ncommonLabels: {team: shop}\n",
        );
        let labels = (
            "dev/kustomization.yaml",
            "resources: [../base]\nlabels: [{pairs: {team: shop}, includeSelectors: true}]\n",
        );
        let metadata_only = (
            "test/kustomization.yaml",
            "resources: [../base]\nlabels: [{pairs: {team: shop}}]\n",
        );
        assert_eq!(fills(&[base, common], "base/app.yaml"), Some(true));
        assert_eq!(fills(&[base, common, labels], "base/app.yaml"), Some(true));
        assert_eq!(
            fills(&[base, common, metadata_only], "base/app.yaml"),
            Some(false)
        );
        assert_eq!(fills(&[base], "base/app.yaml"), Some(false));
    }

    #[test]
    fn builds_that_share_bases_in_many_layers_end_within_the_budget() {
        // Each layer includes the next two: the ways down double with every
        // layer, far beyond what the walk may follow.
        let texts: Vec<(String, String)> = (0..30)
            .map(|i| {
                (
                    format!("k{i}/kustomization.yaml"),
                    format!(
                        "resources: [../k{}, ../k{}, app.yaml]\nimages: [{{name: app, newTag: '1'}}]\n",
                        i + 1,
                        i + 2
                    ),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let run = builds(&files);
        // Past the budget, no file is known as built: reported as without
        // kustomizations.
        assert_eq!(pins(&run, "k3/app.yaml", "app"), None);
        // A few layers stay within it.
        let run = builds(&files[25..]);
        assert_eq!(pins(&run, "k29/app.yaml", "app"), Some(true));
    }

    #[test]
    fn directives_mark_patch_documents_at_any_depth() {
        let patch = |text: &str| {
            let stream = parse_stream(text, &Limits::default());
            assert!(may_hold_directives(text));
            is_patch_document(&stream.documents[0].root)
        };
        assert!(patch(
            "kind: Deployment\nmetadata: {name: web}\n$patch: delete\n"
        ));
        assert!(patch(
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          $patch: delete\n"
        ));
        assert!(patch(
            "spec:\n  $setElementOrder/containers:\n    - name: web\n"
        ));
        // A value that mentions one is not one.
        assert!(!patch("kind: ConfigMap\ndata:\n  note: $patch\n"));
        assert!(!may_hold_directives("kind: ConfigMap\n"));
    }
}
