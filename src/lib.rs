//! plimsoll: a Kubernetes manifest linter and decoupling auditor.
//!
//! The pipeline, one module per stage:
//! 1. [`source`]: find inputs (files, directories, stdin) and read them.
//! 2. [`yaml`]: parse each into trees whose every node knows its span.
//! 3. [`k8s`]: cut documents into objects and index them across files.
//! 4. [`schema`] validation and [`rules`], run by the [`engine`]: per object in
//!    parallel, then across objects.
//! 5. [`report`]: write the [`finding::Finding`]s for people or programs.

#![warn(missing_docs)]

pub mod baseline;
pub mod cli;
pub mod config;
pub mod decoupling;
pub mod engine;
pub mod finding;
pub mod guard;
pub mod helm;
pub mod k8s;
pub mod kustomize;
pub mod report;
pub mod rules;
pub mod schema;
pub mod server;
pub mod source;
pub mod suppression;
pub mod yaml;
