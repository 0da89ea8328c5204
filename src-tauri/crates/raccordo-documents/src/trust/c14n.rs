//! XML canonicalisation, the two forms XML signatures name: Exclusive XML
//! Canonicalization 1.0 (W3C, 2002) and Canonical XML 1.0 (W3C, 2001), both without
//! comments. Only what a signature check needs: a subtree of a parsed document, with
//! one subtree left out (the enveloped `Signature`).
//!
//! The parser (roxmltree) has already normalised line ends and attribute values and
//! replaced character and entity references; it does not keep prefixes, so each
//! element's and attribute's prefix is read back from its qualified name in the text.

use roxmltree::{Node, NodeId};

pub const EXCLUSIVE: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const INCLUSIVE: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Exclusive,
    Inclusive,
}

impl Method {
    pub fn from_uri(uri: &str) -> Option<Method> {
        match uri {
            EXCLUSIVE => Some(Method::Exclusive),
            INCLUSIVE => Some(Method::Inclusive),
            _ => None,
        }
    }
}

/// What to canonicalise: the subtree at `apex` (an element, or the document's root for
/// the whole document), without the subtree at `excluded`.
pub struct Subset<'a, 'input> {
    pub text: &'input str,
    pub apex: Node<'a, 'input>,
    pub excluded: Option<NodeId>,
    pub method: Method,
    /// Exclusive form: the `InclusiveNamespaces PrefixList` ("#default" for the default).
    pub inclusive_prefixes: Vec<String>,
}

/// The canonical bytes of `subset`.
pub fn canonicalize(subset: &Subset) -> Vec<u8> {
    let mut out = Vec::new();
    if subset.apex.is_root() {
        let mut seen_element = false;
        for child in subset.apex.children() {
            if child.is_element() {
                element(subset, child, &[], &mut out);
                seen_element = true;
            } else if child.is_pi() {
                // Processing instructions around the document element: a line feed
                // between them and the element (C14N 1.0, 2.1).
                if seen_element {
                    out.push(b'\n');
                }
                pi(child, &mut out);
                if !seen_element {
                    out.push(b'\n');
                }
            }
        }
    } else {
        // The apex's context: for the inclusive form, every namespace in scope counts
        // as not yet rendered; for the exclusive form, none is.
        element(subset, subset.apex, &[], &mut out);
    }
    out
}

/// Namespaces rendered by output ancestors: (prefix, "" for the default; URI).
type Rendered<'s> = [(String, String)];

fn element(subset: &Subset, node: Node, rendered: &Rendered, out: &mut Vec<u8>) {
    if Some(node.id()) == subset.excluded {
        return;
    }
    let qname = element_qname(subset.text, node);
    let own_prefix = qname.split_once(':').map_or("", |(p, _)| p);
    // The namespaces this element renders.
    let in_scope: Vec<(String, String)> = node
        .namespaces()
        .filter(|ns| ns.uri() != XML_NS)
        .map(|ns| (ns.name().unwrap_or_default().to_owned(), ns.uri().to_owned()))
        .collect();
    let default_uri = in_scope.iter().find(|(p, _)| p.is_empty()).map_or("", |(_, u)| u.as_str());
    let rendered_uri = |prefix: &str| rendered.iter().rev().find(|(p, _)| p == prefix).map(|(_, u)| u.as_str());
    let mut candidates: Vec<String> = match subset.method {
        Method::Inclusive => in_scope.iter().map(|(p, _)| p.clone()).collect(),
        Method::Exclusive => {
            let mut used = vec![own_prefix.to_owned()];
            for a in node.attributes() {
                let q = &subset.text[a.range_qname()];
                if let Some((p, _)) = q.split_once(':').filter(|(p, _)| *p != "xml" && *p != "xmlns") {
                    used.push(p.to_owned());
                }
            }
            for p in &subset.inclusive_prefixes {
                let p = if p == "#default" { String::new() } else { p.clone() };
                if in_scope.iter().any(|(q, _)| *q == p) {
                    used.push(p);
                }
            }
            used
        }
    };
    // The default namespace undeclared here while an ancestor rendered one.
    if default_uri.is_empty() && !candidates.iter().any(String::is_empty) && subset.method == Method::Inclusive {
        candidates.push(String::new());
    }
    candidates.sort();
    candidates.dedup();
    let mut declared: Vec<(String, String)> = Vec::new();
    for prefix in candidates {
        let uri = if prefix.is_empty() {
            default_uri.to_owned()
        } else {
            match in_scope.iter().find(|(p, _)| *p == prefix) {
                Some((_, u)) => u.clone(),
                None => continue,
            }
        };
        let already = rendered_uri(&prefix);
        let needed = if prefix.is_empty() { already.unwrap_or("") != uri } else { already != Some(uri.as_str()) };
        if needed {
            declared.push((prefix, uri));
        }
    }

    out.push(b'<');
    out.extend_from_slice(qname.as_bytes());
    for (prefix, uri) in &declared {
        if prefix.is_empty() {
            out.extend_from_slice(b" xmlns=\"");
        } else {
            out.extend_from_slice(b" xmlns:");
            out.extend_from_slice(prefix.as_bytes());
            out.extend_from_slice(b"=\"");
        }
        attribute_value(uri, out);
        out.push(b'"');
    }
    // Attributes by namespace URI (none first), then local name.
    let mut attrs: Vec<_> = node.attributes().collect();
    attrs.sort_by(|a, b| (a.namespace().unwrap_or(""), a.name()).cmp(&(b.namespace().unwrap_or(""), b.name())));
    for a in attrs {
        out.push(b' ');
        out.extend_from_slice(subset.text[a.range_qname()].as_bytes());
        out.extend_from_slice(b"=\"");
        attribute_value(a.value(), out);
        out.push(b'"');
    }
    out.push(b'>');

    let mut context: Vec<(String, String)> = rendered.to_vec();
    context.extend(declared);
    for child in node.children() {
        if child.is_element() {
            element(subset, child, &context, out);
        } else if child.is_text() {
            text(child.text().unwrap_or_default(), out);
        } else if child.is_pi() {
            pi(child, out);
        }
    }
    out.extend_from_slice(b"</");
    out.extend_from_slice(qname.as_bytes());
    out.push(b'>');
}

/// The element's qualified name as written (`ds:Signature`), read from its start tag.
fn element_qname<'t>(text: &'t str, node: Node) -> &'t str {
    let start = &text[node.range().start..];
    let name = start.strip_prefix('<').unwrap_or(start);
    let end = name.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(name.len());
    &name[..end]
}

fn pi(node: Node, out: &mut Vec<u8>) {
    if let Some(p) = node.pi() {
        out.extend_from_slice(b"<?");
        out.extend_from_slice(p.target.as_bytes());
        if let Some(v) = p.value.filter(|v| !v.is_empty()) {
            out.push(b' ');
            out.extend_from_slice(v.as_bytes());
        }
        out.extend_from_slice(b"?>");
    }
}

fn text(s: &str, out: &mut Vec<u8>) {
    for c in s.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\r' => out.extend_from_slice(b"&#xD;"),
            c => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

fn attribute_value(s: &str, out: &mut Vec<u8>) {
    for c in s.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\t' => out.extend_from_slice(b"&#x9;"),
            '\n' => out.extend_from_slice(b"&#xA;"),
            '\r' => out.extend_from_slice(b"&#xD;"),
            c => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str, method: Method) -> String {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let subset = Subset { text: xml, apex: doc.root(), excluded: None, method, inclusive_prefixes: vec![] };
        String::from_utf8(canonicalize(&subset)).unwrap()
    }

    #[test]
    fn w3c_examples() {
        // C14N 1.0, 3.2 and 3.3: whitespace kept, empty elements opened and closed,
        // attributes sorted, redundant declarations dropped, quotes normalised.
        let xml = "<?xml version=\"1.0\"?>\n<doc xmlns=\"http://example.com/default\" xmlns:a=\"http://www.w3.org\">\n   <e1   />\n   <e5 a:attr=\"out\" b:attr=\"sorted\" attr2=\"all\" attr=\"I'm\"\n      xmlns:b=\"http://www.ietf.org\"\n      xmlns=\"http://example.com/default\"/>\n   <e6 xmlns=\"\" xmlns:a=\"http://www.w3.org\"><e7/></e6>\n</doc>";
        assert_eq!(
            c14n(xml, Method::Inclusive),
            "<doc xmlns=\"http://example.com/default\" xmlns:a=\"http://www.w3.org\">\n   <e1></e1>\n   <e5 xmlns:b=\"http://www.ietf.org\" attr=\"I'm\" attr2=\"all\" b:attr=\"sorted\" a:attr=\"out\"></e5>\n   <e6 xmlns=\"\"><e7></e7></e6>\n</doc>"
        );
        assert_eq!(
            c14n(xml, Method::Exclusive),
            "<doc xmlns=\"http://example.com/default\">\n   <e1></e1>\n   <e5 xmlns:a=\"http://www.w3.org\" xmlns:b=\"http://www.ietf.org\" attr=\"I'm\" attr2=\"all\" b:attr=\"sorted\" a:attr=\"out\"></e5>\n   <e6 xmlns=\"\"><e7></e7></e6>\n</doc>"
        );
        assert_eq!(
            c14n("<a t=\"x&#9;y\">&lt;&amp;&gt;\r\n</a>", Method::Exclusive),
            "<a t=\"x&#x9;y\">&lt;&amp;&gt;\n</a>"
        );
    }
}
