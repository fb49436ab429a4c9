//! Plain references from an attribute of one Terraform resource to another resource of the
//! same module: `role = aws_iam_role.deploy.id` as a plan's `configuration` records it
//! (`{"references": ["aws_iam_role.deploy.id", "aws_iam_role.deploy"]}`), and
//! `"role": "${aws_iam_role.deploy.name}"` in `.tf.json`. This module only reads what an
//! expression refers to; the loader decides which instance and entity that is. Anything
//! that is not one resource of the expected type, read through an attribute that holds
//! what the referring argument takes, is no reference here: variables, locals, data
//! sources, module outputs, two resources, `each.value`, other attributes.

use serde_json::Value;

/// The resource (`aws_iam_role.deploy`, module-relative) an attribute refers to, and which
/// of its instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// No instance key: the resource's only instance.
    Only(String),
    /// A literal instance key (`aws_iam_role.app["api"].id`), spelt as addresses spell it.
    Keyed(String, String),
    /// `aws_iam_role.app[each.key]` or `[count.index]`: the instance whose key is the
    /// referring instance's own.
    SameKey(String),
}

/// One entry of a `references` list.
#[derive(Debug, PartialEq, Eq)]
enum Ref<'a> {
    /// `TYPE.NAME`, `TYPE.NAME[KEY]`, `TYPE.NAME.ATTR` or `TYPE.NAME[KEY].ATTR`; anything
    /// longer is not read.
    Resource {
        kind: &'a str,
        name: &'a str,
        key: Option<&'a str>,
        attr: Option<&'a str>,
    },
    /// `each.key` or `count.index`.
    OwnKey,
}

/// What a plan expression's `references` point at, when they name one resource of type
/// `kind` and nothing else but the referring instance's own key, and every attribute they
/// read is one of `attrs`.
///
/// Terraform lists each reference with its prefixes (`aws_iam_role.x.id`,
/// `aws_iam_role.x`); older versions (1.0 still) only the resource. An index that is not a
/// literal hides what follows it: `aws_iam_role.x[each.key].id` is listed as
/// `aws_iam_role.x` and `each.key`. Where the attribute is hidden, in a plan that applies
/// it is one the argument takes: IAM rejects a role ARN where it takes a role name, and a
/// name where it takes a policy ARN. A plan cannot show a function or template around the
/// one reference (`lower(aws_iam_role.x.id)` is listed as the plain reference is): such a
/// transform is read as the plain reference.
pub(super) fn plan_target(references: &[Value], kind: &str, attrs: &[&str]) -> Option<Target> {
    let mut resource: Option<&str> = None;
    let mut key: Option<&str> = None;
    let mut attr: Option<&str> = None;
    let mut own_key = false;
    for item in references {
        match parse_ref(item.as_str()?)? {
            Ref::OwnKey => own_key = true,
            Ref::Resource {
                kind: k,
                name,
                key: k_key,
                attr: k_attr,
            } => {
                if k != kind || resource.is_some_and(|r| r != name) {
                    return None;
                }
                resource = Some(name);
                if let Some(k_key) = k_key {
                    if key.is_some_and(|x| x != k_key) {
                        return None;
                    }
                    key = Some(k_key);
                }
                if let Some(k_attr) = k_attr {
                    if !attrs.contains(&k_attr) || attr.is_some_and(|x| x != k_attr) {
                        return None;
                    }
                    attr = Some(k_attr);
                }
            }
        }
    }
    let resource = format!("{kind}.{}", resource?);
    match (key, own_key) {
        (Some(key), false) => Some(Target::Keyed(resource, key.to_owned())),
        (None, false) => Some(Target::Only(resource)),
        // `"${aws_iam_role.x.id}-${each.key}"`: a template, not an index.
        (None, true) if attr.is_none() => Some(Target::SameKey(resource)),
        _ => None,
    }
}

/// What a `.tf.json` string refers to when it is exactly `${TYPE.NAME.ATTR}` with `TYPE`
/// = `kind` and `ATTR` one of `attrs`: no other text, no index, no function.
pub(super) fn template_target(text: &str, kind: &str, attrs: &[&str]) -> Option<Target> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?.trim();
    match parse_ref(inner)? {
        Ref::Resource {
            kind: k,
            name,
            key: None,
            attr: Some(attr),
        } if k == kind && attrs.contains(&attr) => Some(Target::Only(format!("{kind}.{name}"))),
        _ => None,
    }
}

/// `aws_iam_role.app["api"]` → (`aws_iam_role.app`, `["api"]`); no key → None.
pub(super) fn split_instance(local: &str) -> (&str, Option<&str>) {
    match local.find('[') {
        Some(i) => (local.get(..i).unwrap_or(local), local.get(i..)),
        None => (local, None),
    }
}

/// The module call path of a module instance address, as `configuration` nests it:
/// `module.team["a"].module.audit` → `module.team.module.audit`.
pub(super) fn module_call_path(module: &str) -> String {
    let mut out = String::with_capacity(module.len());
    let mut depth = 0u32;
    let mut in_string = false;
    let mut escaped = false;
    for c in module.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '"' if depth > 0 => in_string = true,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn parse_ref(s: &str) -> Option<Ref<'_>> {
    if s == "each.key" || s == "count.index" {
        return Some(Ref::OwnKey);
    }
    let (kind, rest) = ident(s)?;
    let (name, rest) = ident(rest.strip_prefix('.')?)?;
    let (key, rest) = match rest.strip_prefix('[') {
        Some(_) => {
            let (key, rest) = index(rest)?;
            (Some(key), rest)
        }
        None => (None, rest),
    };
    let attr = match rest.strip_prefix('.') {
        Some(tail) => {
            let (attr, tail) = ident(tail)?;
            if !tail.is_empty() {
                return None;
            }
            Some(attr)
        }
        None if rest.is_empty() => None,
        None => return None,
    };
    Some(Ref::Resource {
        kind,
        name,
        key,
        attr,
    })
}

/// An HCL identifier at the start of `s`, and the rest.
fn ident(s: &str) -> Option<(&str, &str)> {
    let first = s.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(s.len());
    Some((s.get(..end)?, s.get(end..)?))
}

/// A literal instance key at the start of `s` (`[0]` or `["a"]`, brackets included), and
/// the rest.
fn index(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix('[')?;
    let len = if let Some(quoted) = body.strip_prefix('"') {
        let mut escaped = false;
        let close = quoted.char_indices().find_map(|(i, c)| {
            if escaped {
                escaped = false;
                None
            } else if c == '\\' {
                escaped = true;
                None
            } else {
                (c == '"').then_some(i)
            }
        })?;
        // `[` + `"` + the string + `"`, then `]` must follow.
        let end = 2 + close + 1;
        (s.get(end..)?.starts_with(']')).then_some(end + 1)?
    } else {
        let digits = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        (digits > 0 && body.get(digits..)?.starts_with(']')).then_some(1 + digits + 1)?
    };
    Some((s.get(..len)?, s.get(len..)?))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NAME: &[&str] = &["id", "name"];

    fn target(refs: Value) -> Option<Target> {
        plan_target(refs.as_array().expect("a list"), "aws_iam_role", NAME)
    }

    #[test]
    fn plan_references_to_one_role() {
        let only = Some(Target::Only("aws_iam_role.deploy".into()));
        assert_eq!(
            target(json!(["aws_iam_role.deploy.id", "aws_iam_role.deploy"])),
            only
        );
        assert_eq!(target(json!(["aws_iam_role.deploy.name"])), only);
        // Terraform before 1.1 lists the resource alone.
        assert_eq!(target(json!(["aws_iam_role.deploy"])), only);
        assert_eq!(
            target(json!([
                "aws_iam_role.app[\"a]b\"].id",
                "aws_iam_role.app[\"a]b\"]",
                "aws_iam_role.app"
            ])),
            Some(Target::Keyed("aws_iam_role.app".into(), "[\"a]b\"]".into()))
        );
        assert_eq!(
            target(json!(["aws_iam_role.app[0]"])),
            Some(Target::Keyed("aws_iam_role.app".into(), "[0]".into()))
        );
        assert_eq!(
            target(json!(["aws_iam_role.app", "each.key"])),
            Some(Target::SameKey("aws_iam_role.app".into()))
        );
        assert_eq!(
            target(json!(["aws_iam_role.app", "count.index"])),
            Some(Target::SameKey("aws_iam_role.app".into()))
        );
    }

    #[test]
    fn everything_else_is_no_reference() {
        for refs in [
            json!([]),
            // The role API takes names: an ARN or unique id fails at apply.
            json!(["aws_iam_role.deploy.arn", "aws_iam_role.deploy"]),
            json!(["aws_iam_role.deploy.unique_id", "aws_iam_role.deploy"]),
            json!([
                "aws_iam_role.deploy.id",
                "aws_iam_role.deploy",
                "var.suffix"
            ]),
            json!(["local.role"]),
            json!(["var.role"]),
            json!(["data.aws_iam_role.x.name", "data.aws_iam_role.x"]),
            json!(["module.roles.name", "module.roles"]),
            json!(["aws_iam_role.a.id", "aws_iam_role.a", "aws_iam_role.b.id"]),
            json!(["aws_iam_user.a.name", "aws_iam_user.a"]),
            json!(["aws_iam_role.app", "each.value"]),
            json!(["aws_iam_role.app.id", "aws_iam_role.app", "each.key"]),
            json!(["aws_iam_role.app[0].id", "aws_iam_role.app[1].id"]),
            json!(["aws_iam_role.app[\"x\"]", "each.key"]),
            json!(["aws_iam_role.deploy.tags.team"]),
            json!(["aws_iam_role.deploy.id[0]"]),
            json!([7]),
        ] {
            assert_eq!(target(refs.clone()), None, "{refs}");
        }
    }

    #[test]
    fn tf_json_plain_templates_only() {
        let only = Some(Target::Only("aws_iam_role.deploy".into()));
        assert_eq!(
            template_target("${aws_iam_role.deploy.name}", "aws_iam_role", NAME),
            only
        );
        assert_eq!(
            template_target("${ aws_iam_role.deploy.id }", "aws_iam_role", NAME),
            only
        );
        for text in [
            "${aws_iam_role.deploy.arn}",
            "${aws_iam_role.deploy.name}-x",
            " ${aws_iam_role.deploy.name}",
            "${aws_iam_role.deploy.name}${var.x}",
            "${aws_iam_role.deploy[0].name}",
            "${aws_iam_role.deploy}",
            "${lower(aws_iam_role.deploy.name)}",
            "${var.role}",
            "$${aws_iam_role.deploy.name}",
            "${~aws_iam_role.deploy.name}",
            "aws_iam_role.deploy.name",
        ] {
            assert_eq!(template_target(text, "aws_iam_role", NAME), None, "{text}");
        }
        assert_eq!(
            template_target("${aws_iam_policy.p.arn}", "aws_iam_policy", &["arn", "id"]),
            Some(Target::Only("aws_iam_policy.p".into()))
        );
    }

    #[test]
    fn addresses() {
        assert_eq!(
            split_instance("aws_iam_role.app[\"api\"]"),
            ("aws_iam_role.app", Some("[\"api\"]"))
        );
        assert_eq!(split_instance("aws_iam_role.x"), ("aws_iam_role.x", None));
        assert_eq!(
            module_call_path("module.team[\"a.module.b\"].module.audit[0]"),
            "module.team.module.audit"
        );
        assert_eq!(module_call_path(""), "");
        assert_eq!(
            module_call_path("module.x[\"q\\\"]\"]"),
            "module.x",
            "an escaped quote inside a key"
        );
    }
}
