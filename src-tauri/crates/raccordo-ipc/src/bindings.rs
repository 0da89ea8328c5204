//! `ui/src/ipc/bindings.ts`, generated from [`for_each_command!`](crate::for_each_command):
//! the TypeScript declaration of every type a command takes or answers, and one typed
//! function per command. `cargo run -p raccordo-ipc --bin bindings` rewrites the file;
//! a test fails while the committed file differs from what the Rust side generates.

use std::collections::{BTreeMap, BTreeSet};
use ts_rs::{Config, TS, TypeVisitor};

/// Where the generated file lives, from the repository root.
pub const PATH: &str = "ui/src/ipc/bindings.ts";

/// The configuration every declaration is made with: 64-bit integers are plain
/// numbers in JSON (counts and cents stay far below 2^53).
fn config() -> Config {
    Config::new().with_large_int("number")
}

/// Collects the declarations of a type and of everything it mentions.
struct Declarations {
    cfg: Config,
    by_name: BTreeMap<String, String>,
    seen: BTreeSet<String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Every type once: serde_json's Value mentions itself.
        if !self.seen.insert(T::name(&self.cfg)) {
            return;
        }
        if T::output_path().is_some() {
            self.by_name.insert(T::ident(&self.cfg), T::decl(&self.cfg));
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// `session_state` → `sessionState`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `Name: { value: "Etichetta", ... }` for one enum, in the order forms offer it.
fn label_entry<T: serde::Serialize + TS + Copy>(all: &[T], label: fn(T) -> &'static str) -> String {
    let name = T::ident(&config());
    let values: Vec<String> = all
        .iter()
        .map(|v| {
            format!("{}: {}", raccordo_register::enum_str(v), serde_json::to_string(label(*v)).unwrap_or_default())
        })
        .collect();
    format!("  {name}: {{ {} }} satisfies Record<{name}, string>,\n", values.join(", "))
}

/// The Italian labels of every enum, from the same `label()` the documents use.
fn labels() -> String {
    use raccordo_register::model::*;
    use raccordo_register::provenance::Origin;
    let entries = [
        label_entry(&Kind::ALL, Kind::label),
        label_entry(AdministrationKind::ALL, AdministrationKind::label),
        label_entry(Source::ALL, Source::label),
        label_entry(AgreementKind::ALL, AgreementKind::label),
        label_entry(AgreementStatus::ALL, AgreementStatus::label),
        label_entry(Renewal::ALL, Renewal::label),
        label_entry(PartyRole::ALL, PartyRole::label),
        label_entry(SignatureCapacity::ALL, SignatureCapacity::label),
        label_entry(SignatureMethod::ALL, SignatureMethod::label),
        label_entry(WorkStatus::ALL, WorkStatus::label),
        label_entry(MemberRole::ALL, MemberRole::label),
        label_entry(MinutesStatus::ALL, MinutesStatus::label),
        label_entry(VoteKind::ALL, VoteKind::label),
        label_entry(Presence::ALL, Presence::label),
        label_entry(ProjectStatus::ALL, ProjectStatus::label),
        label_entry(FundingSource::ALL, FundingSource::label),
        label_entry(Origin::ALL, Origin::label),
        label_entry(Scope::ALL, Scope::label),
    ];
    format!(
        "\n/** The Italian label of every value of every enum, in the order forms offer them. */\nexport const LABELS = {{\n{}}} as const;\n",
        entries.concat()
    )
}

macro_rules! generate_bindings {
    ($($module:ident :: $name:ident : $args:ty => $answer:ty),* $(,)?) => {
        /// The whole generated file.
        pub fn generate() -> String {
            use crate::*;
            let cfg = config();
            let mut decls = Declarations { cfg: config(), by_name: BTreeMap::new(), seen: BTreeSet::new() };
            // What every command rejects with.
            decls.visit::<raccordo_register::Error>();
            let mut calls = String::new();
            $(
                decls.visit::<$args>();
                decls.visit::<$answer>();
                let args = <$args as TS>::name(&cfg);
                let answer = <$answer as TS>::name(&cfg);
                let (param, value) = if args == "null" { (String::new(), "null") } else { (format!("args: {args}"), "args") };
                calls.push_str(&format!(
                    "  {}: ({param}): Promise<{answer}> => invoke(\"{}\", {{ args: {value} }}),\n",
                    camel(stringify!($name)),
                    stringify!($name),
                ));
            )*
            let mut out = String::from(
                "// Generated from src-tauri/crates/raccordo-ipc by `cargo run -p raccordo-ipc --bin bindings`.\n\
                 // Do not edit: change the Rust types and generate again (a test fails while this file is stale).\n\n\
                 import { invoke } from \"@tauri-apps/api/core\";\n",
            );
            for decl in decls.by_name.values() {
                out.push('\n');
                out.push_str("export ");
                out.push_str(decl);
                out.push('\n');
            }
            out.push_str(&labels());
            out.push_str("\n/** Every command of the shell; a failure rejects with a `RegisterError`. */\nexport const commands = {\n");
            out.push_str(&calls);
            out.push_str("};\n");
            out
        }
    };
}

crate::for_each_command!(generate_bindings);
