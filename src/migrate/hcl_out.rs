//! Generated specs written as HCL (Nomad job files): blocks built with hcl-rs's
//! builders and printed by its formatter, so quoting and escaping are the crate's.

use hcl::expr::{Expression, TemplateExpr};
use hcl::{Block, Body, Identifier};

/// A string taken as it is: `${` and `%{` in it are escaped (`$${`), so a value
/// from the source is never read as an interpolation by Nomad.
pub(crate) fn text(s: &str) -> Expression {
    Expression::String(s.to_string())
}

/// A string Nomad interpolates at run time (`${node.unique.name}`,
/// `${NOMAD_PORT_http}`): written as a template, unescaped.
pub(crate) fn interpolated(s: &str) -> Expression {
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(s.to_string())))
}

/// A list of strings taken as they are.
pub(crate) fn texts<S: AsRef<str>>(items: &[S]) -> Expression {
    Expression::Array(items.iter().map(|s| text(s.as_ref())).collect())
}

/// Whether `key` may stand as an attribute name (`env { KEY = ... }`).
pub(crate) fn is_identifier(key: &str) -> bool {
    Identifier::new(key).is_ok()
}

/// One file of top-level blocks, ending with a line break.
pub(crate) fn file(blocks: Vec<Block>) -> String {
    let body = Body::builder().add_blocks(blocks).build();
    // Formatting into a String does not fail (the writer is memory).
    let printed = hcl::format::to_string(&body).unwrap_or_default();
    // The formatter pads an empty block (`port "http" {      }`); written `{}`.
    let mut out = String::with_capacity(printed.len());
    for line in printed.lines() {
        match line.strip_suffix('}').map(str::trim_end) {
            Some(head) if head.ends_with('{') && head.len() + 1 < line.len() => {
                out.push_str(head);
                out.push('}');
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_is_escaped_and_interpolations_are_kept() {
        let block = Block::builder("env")
            .add_attribute(("A", text("${HOME}/x \"q\"")))
            .add_attribute(("B", interpolated("${NOMAD_PORT_http}")))
            .add_attribute(("C", texts(&["a", "%{b}"])))
            .add_block(Block::builder("port").add_label("http").build())
            .build();
        let out = file(vec![block]);
        assert!(out.contains("port \"http\" {}\n"), "{out}");
        assert!(out.contains(r#"A = "$${HOME}/x \"q\"""#), "{out}");
        assert!(out.contains(r#"B = "${NOMAD_PORT_http}""#), "{out}");
        assert!(out.contains(r#""%%{b}""#), "{out}");
        // It reads back: the literal is the source's text again.
        let body = hcl::parse(&out).expect("parses");
        let env = body.blocks().next().expect("env block");
        let a = env.body().attributes().find(|a| a.key() == "A").expect("A");
        let value: hcl::Value = a.expr().clone().into();
        assert_eq!(value, hcl::Value::from("${HOME}/x \"q\""), "{out}");
        assert!(is_identifier("DB_HOST"));
        assert!(!is_identifier("db.host"));
        assert!(!is_identifier("1X"));
    }
}
