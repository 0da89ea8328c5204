//! The floors stay floors: every module of `raccordo-register` uses only modules of its
//! own floor or below, as the table in `src/lib.rs` says, and no two modules use each
//! other in a loop. Read from the sources: the `crate::` paths (in `use` lines and in
//! code) and `dispatch_kind!`, which names the records of `model`. A macro's own
//! `$crate::` paths resolve where it is expanded, so they count there, not where the
//! macro is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name → floor, from the table in the crate's docs.
fn floors_from_docs(lib_rs: &str) -> BTreeMap<String, u32> {
    let mut floors = BTreeMap::new();
    for line in lib_rs.lines() {
        let Some(row) = line.strip_prefix("//! | ") else { continue };
        let mut cells = row.split('|').map(str::trim);
        let Some(Ok(floor)) = cells.next().map(str::parse::<u32>) else { continue };
        for module in cells.next().unwrap_or("").split(',') {
            floors.insert(module.trim().trim_matches('`').to_owned(), floor);
        }
    }
    floors
}

/// The modules `lib.rs` declares.
fn declared_modules(lib_rs: &str) -> BTreeSet<String> {
    lib_rs
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect()
}

/// What one source file uses: the crate's top-level names after `crate::` or
/// `$crate::`, including each name of a `crate::{a, b::C}` group.
fn uses(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        if code.contains("dispatch_kind!(") {
            out.insert("model".to_owned());
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let preceded_by_ident =
                rest[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
            rest = &rest[at + "crate::".len()..];
            if preceded_by_ident {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                out.extend(group_heads(group));
            } else {
                out.insert(ident_at(rest));
            }
        }
    }
    out.remove("");
    out
}

/// The first name of each path at the top level of a `{…}` group.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = vec![ident_at(group.trim_start())];
    let mut depth = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => heads.push(ident_at(group[i + 1..].trim_start())),
            _ => {}
        }
    }
    heads
}

fn ident_at(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The top-level module a source file belongs to: `store/writer.rs` → `store`.
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// Every problem with a crate's sources: modules missing from the table, uses that
/// reach a higher floor, names taken from the crate's root instead of their module,
/// loops between modules.
fn problems(lib_rs: &str, sources: &[(String, String)]) -> Vec<String> {
    let floors = floors_from_docs(lib_rs);
    let mut found = Vec::new();
    for m in declared_modules(lib_rs) {
        if !floors.contains_key(&m) {
            found.push(format!("il modulo {m} non è nella tabella dei piani di lib.rs"));
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, source) in sources {
        let Some(&floor) = floors.get(module) else { continue };
        for used in uses(source) {
            if used == *module {
                continue;
            }
            match floors.get(&used) {
                Some(&f) if f > floor => {
                    found.push(format!("{module} (piano {floor}) usa {used}, che sta al piano {f}"))
                }
                Some(_) => {
                    graph.entry(module.clone()).or_default().insert(used);
                }
                None if used.chars().next().is_some_and(char::is_uppercase) => {
                    found.push(format!("{module} usa crate::{used}: si scrive col percorso del suo modulo"))
                }
                None => {}
            }
        }
    }
    if let Some(cycle) = a_cycle(&graph) {
        found.push(format!("i moduli si usano in cerchio: {}", cycle.join(" → ")));
    }
    found
}

/// One loop of the graph, if there is one (depth-first search).
fn a_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn crate_sources(src: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().unwrap() != "lib.rs" {
                let relative = path.strip_prefix(src).unwrap();
                out.push((module_of(relative), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

#[test]
fn no_module_reaches_above_its_floor_and_none_loops() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib_rs = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let floors = floors_from_docs(&lib_rs);
    assert!(floors.len() >= 15, "la tabella dei piani in lib.rs non si legge: {floors:?}");
    let found = problems(&lib_rs, &crate_sources(&src));
    assert!(found.is_empty(), "piani del registro non rispettati:\n{}", found.join("\n"));
}

/// The check itself finds what it is for: an upward use, a root name, a loop, a module
/// left out of the table.
#[test]
fn the_check_finds_an_upward_use_a_loop_and_a_missing_module() {
    let lib_rs = "//! | 1 | `error`, `kind` | x |\n//! | 2 | `db`, `other` | y |\n//! | 3 | `model` | z |\n\
                  pub mod db;\npub mod error;\npub mod kind;\npub mod model;\npub mod other;\npub mod extra;\n";
    let sources = vec![
        ("db".to_owned(), "use crate::{error::Result, model::Agreement};\n".to_owned()),
        (
            "kind".to_owned(),
            "// use crate::model::X; in a comment is not a use\nuse crate::Kind;\ntype T = $crate::model::X;\n"
                .to_owned(),
        ),
        ("error".to_owned(), "fn f() { let _ = dispatch_kind!(k, T => 1); }\n".to_owned()),
        ("other".to_owned(), "use crate::db::rows;\n".to_owned()),
        ("model".to_owned(), "use crate::db::Reader;\n".to_owned()),
    ];
    let mut with_loop = sources.clone();
    with_loop.push(("db".to_owned(), "use crate::other::X;\n".to_owned()));
    let found = problems(lib_rs, &with_loop).join("\n");
    assert!(found.contains("db (piano 2) usa model, che sta al piano 3"), "{found}");
    assert!(found.contains("error (piano 1) usa model"), "{found}");
    assert!(found.contains("kind usa crate::Kind"), "{found}");
    assert!(!found.contains("kind (piano 1) usa model"), "{found}");
    assert!(found.contains("il modulo extra non è nella tabella"), "{found}");
    assert!(found.contains("in cerchio: db → other → db"), "{found}");
    assert!(!problems(lib_rs, &sources).join("\n").contains("cerchio"));
}
