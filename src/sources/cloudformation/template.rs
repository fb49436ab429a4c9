//! The template being loaded, and what its intrinsic functions resolve to: `Ref`,
//! `Fn::Sub`, `Fn::GetAtt` and `Fn::Join` where the template alone says what they give, and
//! the resolved copy of a policy document (see the module documentation of the parent).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use foldhash::HashMap;
use serde_json::{Map, Value};

use super::entities::EntityKind;
use super::yaml::{SpanNode, YamlPlaces};
use super::TEMPLATE_ACCOUNT;
use crate::finding::{Finding, Severity};
use crate::model::inventory::{Account, Contribution};
use crate::model::location::{DocOrigin, FileId, Location, MappedSpans, WholePlace};
use crate::model::path::{JsonPath, PathSeg};
use crate::model::policy::{PolicyDocument, PolicyKind};
use crate::model::shared_str::SharedStr;
use crate::sources::account_dump::{kind_of, strip_position};
use crate::sources::MALFORMED_SOURCE;

/// One step of a path being walked, borrowing its key from the document.
pub(super) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The partition `AWS::Partition` resolves to. Templates for China or GovCloud regions
/// would get `aws-cn`/`aws-us-gov`; the template does not say which region it is for.
pub(super) const PARTITION: &str = "aws";

/// How deep `Ref`s to resources and nested intrinsics are followed before giving up (a
/// role whose name refers to itself would otherwise loop).
pub(super) const MAX_DEPTH: usize = 24;
pub(super) const TOO_DEEP_WHAT: &str = "too-deep";
pub(super) const TOO_DEEP: &str = "${too-deep}";

/// Longest text a resolved value may have: far above any IAM name, ARN or policy value;
/// a template whose `Fn::Join`s multiply past it is not worth the memory.
pub(super) const MAX_TEXT: usize = 64 * 1024;

/// A value worked out from the template: its text and whether every part of it is known.
/// Unknown parts are `${…}` placeholders in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Text {
    pub(super) text: String,
    pub(super) known: bool,
}

impl Text {
    pub(super) fn known(text: impl Into<String>) -> Self {
        Text {
            text: text.into(),
            known: true,
        }
    }

    pub(super) fn unknown(what: &str) -> Self {
        Text {
            text: format!("${{{what}}}"),
            known: false,
        }
    }
}

/// The template being loaded and the contribution being built.
pub(super) struct Template<'v> {
    pub(super) file: FileId,
    /// The account configured for this file, if any.
    pub(super) account: Option<String>,
    /// The stack's name, when a CDK manifest gives it: generated names start with it.
    pub(super) stack_name: Option<String>,
    pub(super) params: Option<&'v Map<String, Value>>,
    pub(super) resources: &'v Map<String, Value>,
    /// SAM's `Globals.Function`: properties every `AWS::Serverless::Function` takes.
    pub(super) function_globals: Option<&'v Map<String, Value>>,
    /// Names of the template's IAM resources, worked out once each: a template whose names
    /// refer to each other many times over costs no more than one that does not.
    pub(super) names: RefCell<HashMap<String, Text>>,
    /// Which syntax the template was written in, for places in the file.
    pub(super) front: Front,
    /// Whether shape problems go unreported: the template (or the resource being loaded)
    /// is rewritten by a macro before CloudFormation reads it, so what it lacks or holds
    /// in another shape may be the macro's input, not a mistake.
    pub(super) quiet: bool,
    pub(super) out: Contribution,
}

/// How paths in the template become places in its file: JSON text is searched for them
/// when a finding is reported (`crate::span`); YAML's places were noted while reading it.
pub(super) enum Front {
    Json,
    Yaml {
        spans: Arc<SpanNode>,
        /// Bytes before the text in the file (a byte-order mark).
        offset: usize,
    },
}

/// Whether `v` holds an [`intrinsic`] function anywhere (what
/// [`Template::resolve_doc`] would replace).
fn has_intrinsic(v: &Value) -> bool {
    if intrinsic(v).is_some() {
        return true;
    }
    match v {
        Value::Object(map) => map.values().any(has_intrinsic),
        Value::Array(items) => items.iter().any(has_intrinsic),
        _ => false,
    }
}

/// The single-key object `{"Ref": …}` or `{"Fn::…": …}`: the function and its argument.
pub(super) fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let map = v.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let (k, arg) = map.iter().next()?;
    (k == "Ref" || k.starts_with("Fn::")).then_some((k.as_str(), arg))
}

impl<'v> Template<'v> {
    /// The place of the value at `path` of the template.
    pub(super) fn loc(&self, path: &JsonPath) -> Location {
        match &self.front {
            Front::Json => Location::json(self.file, path.clone()),
            Front::Yaml { spans, offset } => {
                let (start, end) = spans.find(path.segments(), false);
                Location::bytes(self.file, start + offset, end + offset)
            }
        }
    }

    /// Where a policy document written as an object at `base` sits.
    fn origin(&self, base: &JsonPath) -> DocOrigin {
        match &self.front {
            Front::Json => DocOrigin::Json {
                file: self.file,
                base: base.clone(),
            },
            Front::Yaml { spans, offset } => DocOrigin::Mapped {
                file: self.file,
                spans: MappedSpans(Arc::new(YamlPlaces {
                    spans: spans.clone(),
                    base: base.clone(),
                    file: self.file,
                    offset: *offset,
                })),
            },
        }
    }

    /// Where a policy document written as a JSON string at `string_at` sits. In YAML the
    /// string's escapes are YAML's, which `crate::span` does not undo: every part of the
    /// document is placed at the string.
    fn embedded_origin(&self, string_at: &JsonPath) -> DocOrigin {
        match &self.front {
            Front::Json => DocOrigin::Embedded {
                file: self.file,
                string_at: string_at.clone(),
                url_encoded: false,
            },
            Front::Yaml { .. } => DocOrigin::Mapped {
                file: self.file,
                spans: MappedSpans(Arc::new(WholePlace(self.loc(string_at)))),
            },
        }
    }

    pub(super) fn malformed(&mut self, path: &JsonPath, message: String) {
        if self.quiet {
            return;
        }
        self.out.findings.push(
            Finding::new(MALFORMED_SOURCE, Severity::Error, self.loc(path), message)
                .with_identity(format!("{MALFORMED_SOURCE}:{path}")),
        );
    }

    pub(super) fn entity_account(&self) -> Account {
        match &self.account {
            Some(a) => Account::Known(SharedStr::new(a)),
            None => Account::Template(self.file),
        }
    }

    pub(super) fn account_text(&self) -> &str {
        self.account.as_deref().unwrap_or(TEMPLATE_ACCOUNT)
    }

    /// A resource's type and properties, if it is an object with a string `Type`.
    pub(super) fn resource(&self, id: &str) -> Option<(&'v str, Option<&'v Map<String, Value>>)> {
        let res = self.resources.get(id)?.as_object()?;
        let type_name = res.get("Type")?.as_str()?;
        Some((type_name, res.get("Properties").and_then(Value::as_object)))
    }

    // ---- resolving intrinsic functions ----

    /// The string a value stands for.
    pub(super) fn scalar(&self, v: &Value, depth: usize) -> Text {
        if depth > MAX_DEPTH {
            return Text::unknown(TOO_DEEP_WHAT);
        }
        match v {
            Value::String(s) => Text::known(s.clone()),
            Value::Number(n) => Text::known(n.to_string()),
            Value::Bool(b) => Text::known(b.to_string()),
            _ => match intrinsic(v) {
                Some(("Ref", Value::String(name))) => self.reference(name, depth + 1),
                Some(("Fn::Sub", arg)) => self.sub(arg, depth + 1),
                Some(("Fn::GetAtt", arg)) => match arg {
                    Value::String(s) => match s.split_once('.') {
                        Some((res, attr)) => self.get_att(res, attr, depth + 1),
                        None => Text::unknown(s),
                    },
                    Value::Array(parts) => {
                        match (
                            parts.first().and_then(Value::as_str),
                            parts.get(1).and_then(Value::as_str),
                        ) {
                            (Some(res), Some(attr)) if parts.len() == 2 => {
                                self.get_att(res, attr, depth + 1)
                            }
                            _ => Text::unknown("Fn::GetAtt"),
                        }
                    }
                    _ => Text::unknown("Fn::GetAtt"),
                },
                Some(("Fn::Join", arg)) => self.join(arg, depth + 1),
                Some((func, _)) => Text::unknown(func),
                None => Text::unknown("unresolved"),
            },
        }
    }

    /// `Ref`: a pseudo parameter, a parameter's default, or an IAM resource's name (a
    /// managed policy's ARN).
    pub(super) fn reference(&self, name: &str, depth: usize) -> Text {
        match name {
            "AWS::AccountId" => return Text::known(self.account_text()),
            "AWS::Partition" => return Text::known(PARTITION),
            "AWS::URLSuffix" => return Text::known("amazonaws.com"),
            _ if name.starts_with("AWS::") => return Text::unknown(name),
            _ => {}
        }
        if let Some(param) = self.params.and_then(|p| p.get(name)) {
            return param_default(name, param).map_or_else(|| Text::unknown(name), Text::known);
        }
        match self.resource(name) {
            Some((type_name, props)) => match EntityKind::of(type_name) {
                Some(EntityKind::ManagedPolicy) => self.entity_arn(name, props, depth),
                Some(kind) => self.entity_name(name, kind, props, depth),
                None => self
                    .provider_arn(type_name, props, depth)
                    .unwrap_or_else(|| Text::unknown(name)),
            },
            None => Text::unknown(name),
        }
    }

    /// The ARN of an `AWS::IAM::OIDCProvider` (its `Url` without the scheme) or an
    /// `AWS::IAM::SAMLProvider` (its `Name`) of the template, which `Ref` and
    /// `Fn::GetAtt … Arn` both return; `None` for other types. A trust names its provider
    /// so (`Federated: !Ref GithubOidc`), and the trust rules read the provider's host.
    fn provider_arn(
        &self,
        type_name: &str,
        props: Option<&Map<String, Value>>,
        depth: usize,
    ) -> Option<Text> {
        let (kind, prop) = match type_name {
            "AWS::IAM::OIDCProvider" => ("oidc-provider", "Url"),
            "AWS::IAM::SAMLProvider" => ("saml-provider", "Name"),
            _ => return None,
        };
        let text = match props.and_then(|p| p.get(prop)) {
            Some(v) => self.scalar(v, depth + 1),
            // A SAML provider without a `Name` gets a generated one.
            None => return Some(Text::unknown(type_name)),
        };
        if !text.known {
            return Some(Text::unknown(type_name));
        }
        let name = text.text.strip_prefix("https://").unwrap_or(&text.text);
        Some(Text::known(format!(
            "arn:{PARTITION}:iam::{}:{kind}/{name}",
            self.account_text()
        )))
    }

    /// `Fn::GetAtt`: the ARN of a role, user, group or managed policy of the template.
    pub(super) fn get_att(&self, res: &str, attr: &str, depth: usize) -> Text {
        let what = format!("{res}.{attr}");
        let Some((type_name, props)) = self.resource(res) else {
            return Text::unknown(&what);
        };
        match (EntityKind::of(type_name), attr) {
            (Some(EntityKind::ManagedPolicy), "PolicyArn")
            | (Some(EntityKind::Role | EntityKind::User | EntityKind::Group), "Arn") => {
                self.entity_arn(res, props, depth)
            }
            (None, "Arn") => self
                .provider_arn(type_name, props, depth)
                .unwrap_or_else(|| Text::unknown(&what)),
            _ => Text::unknown(&what),
        }
    }

    /// `Fn::Sub`, in its string and `[string, {vars}]` forms.
    pub(super) fn sub(&self, arg: &Value, depth: usize) -> Text {
        let (template, vars) = match arg {
            Value::String(s) => (s.as_str(), None),
            Value::Array(parts) if parts.len() == 2 => {
                match (parts.first().and_then(Value::as_str), parts.get(1)) {
                    (Some(s), Some(Value::Object(vars))) => (s, Some(vars)),
                    _ => return Text::unknown("Fn::Sub"),
                }
            }
            _ => return Text::unknown("Fn::Sub"),
        };
        let mut out = Text::known(String::new());
        let mut rest = template;
        while let Some(i) = rest.find("${") {
            out.text.push_str(rest.get(..i).unwrap_or_default());
            let after = rest.get(i + 2..).unwrap_or_default();
            // `${!Literal}` is how a template writes a literal `${Literal}`.
            if let Some(literal) = after.strip_prefix('!') {
                out.text.push_str("${");
                rest = literal;
                continue;
            }
            let Some(j) = after.find('}') else {
                out.text.push_str(rest.get(i..).unwrap_or_default());
                rest = "";
                break;
            };
            let name = after.get(..j).unwrap_or_default().trim();
            rest = after.get(j + 1..).unwrap_or_default();
            let value = match vars.and_then(|m| m.get(name)) {
                Some(v) => self.scalar(v, depth + 1),
                // An IAM policy variable (`${aws:username}`) is left for IAM to fill in.
                None if name.contains(':') && !name.starts_with("AWS::") => {
                    Text::known(format!("${{{name}}}"))
                }
                None => match name.split_once('.') {
                    Some((res, attr)) => self.get_att(res, attr, depth + 1),
                    None => self.reference(name, depth + 1),
                },
            };
            out.text.push_str(&value.text);
            out.known &= value.known;
            if out.text.len() > MAX_TEXT {
                return Text::unknown("too-long");
            }
        }
        out.text.push_str(rest);
        out
    }

    /// `Fn::Join [delimiter, [items]]`.
    pub(super) fn join(&self, arg: &Value, depth: usize) -> Text {
        let Some([Value::String(delim), Value::Array(items)]) = arg.as_array().map(Vec::as_slice)
        else {
            return Text::unknown("Fn::Join");
        };
        let mut out = Text::known(String::new());
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.text.push_str(delim);
            }
            let t = self.scalar(item, depth + 1);
            out.text.push_str(&t.text);
            out.known &= t.known;
            if out.text.len() > MAX_TEXT {
                return Text::unknown("too-long");
            }
        }
        out
    }

    /// The stand-in for the name CloudFormation generates for resource `id`: `<LogicalId>`,
    /// or `<StackName-LogicalId>` when the stack's name is known (see the module
    /// documentation).
    pub(super) fn generated_name(&self, id: &str) -> String {
        match &self.stack_name {
            Some(stack) => format!("<{stack}-{id}>"),
            None => format!("<{id}>"),
        }
    }

    /// The name of an IAM resource: its name property, or the `<LogicalId>` stand-in for a
    /// name CloudFormation generates (see the module documentation).
    pub(super) fn entity_name(
        &self,
        id: &str,
        kind: EntityKind,
        props: Option<&Map<String, Value>>,
        depth: usize,
    ) -> Text {
        if let Some(t) = self.names.borrow().get(id) {
            return t.clone();
        }
        let t = match props.and_then(|p| p.get(kind.name_key())) {
            Some(v) => self.scalar(v, depth + 1),
            None => Text::known(self.generated_name(id)),
        };
        // A name given up on for depth may resolve from a shallower start: not cached.
        if !t.text.contains(TOO_DEEP) {
            self.names.borrow_mut().insert(id.to_owned(), t.clone());
        }
        t
    }

    /// The IAM path of a resource (`/` unless it says otherwise).
    pub(super) fn entity_path(&self, props: Option<&Map<String, Value>>, depth: usize) -> Text {
        match props.and_then(|p| p.get("Path")) {
            Some(v) => {
                let t = self.scalar(v, depth + 1);
                Text {
                    text: normalize_path(&t.text),
                    known: t.known,
                }
            }
            None => Text::known("/"),
        }
    }

    /// The ARN of an IAM resource of the template.
    pub(super) fn entity_arn(
        &self,
        id: &str,
        props: Option<&Map<String, Value>>,
        depth: usize,
    ) -> Text {
        let Some(kind) = self.resource(id).and_then(|(t, _)| EntityKind::of(t)) else {
            return Text::unknown(id);
        };
        let name = self.entity_name(id, kind, props, depth);
        let path = self.entity_path(props, depth);
        Text {
            text: iam_arn(self.account_text(), kind.arn_kind(), &path.text, &name.text),
            known: name.known && path.known,
        }
    }

    /// The resolved copy of a value inside a policy document; `unresolved` collects the
    /// paths (relative to the document) of values left unknown.
    /// `path` is where `v` is, as a stack the walk pushes to and pops from: a path is only
    /// built for the (few) values left unresolved.
    pub(super) fn resolve_doc<'d>(
        &self,
        v: &'d Value,
        path: &mut Vec<Step<'d>>,
        unresolved: &mut Vec<JsonPath>,
    ) -> Value {
        if intrinsic(v).is_some() {
            let t = self.scalar(v, 0);
            if !t.known {
                let segs = path.iter().map(|s| match s {
                    Step::Key(k) => PathSeg::Key((*k).into()),
                    Step::Index(i) => PathSeg::Index(*i),
                });
                unresolved.push(JsonPath(segs.collect()));
            }
            return Value::String(t.text);
        }
        match v {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, x)| {
                        path.push(Step::Key(k));
                        let resolved = self.resolve_doc(x, path, unresolved);
                        path.pop();
                        (k.clone(), resolved)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        path.push(Step::Index(i));
                        let resolved = self.resolve_doc(x, path, unresolved);
                        path.pop();
                        resolved
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// A policy document property: an object (resolved), or a JSON string. `None` when it
    /// is unknown as a whole (an `Fn::If` between two documents) or malformed (reported).
    pub(super) fn document(
        &mut self,
        v: &Value,
        path: &JsonPath,
        kind: PolicyKind,
        label: String,
    ) -> Option<Arc<PolicyDocument>> {
        if let Some(("Fn::Sub", arg)) = intrinsic(v) {
            return self.sub_document(arg, &path.key("Fn::Sub"), kind, label);
        }
        if intrinsic(v).is_some() {
            return None;
        }
        let doc = match v {
            Value::Object(_) => {
                let mut unresolved = Vec::new();
                // Most documents hold no intrinsic function, and their resolved copy is
                // the same value: built only where one is (a copy of every document was
                // 6% of a scan of a tree with many templates, its maps hashed again).
                let raw = if has_intrinsic(v) {
                    Cow::Owned(self.resolve_doc(v, &mut Vec::new(), &mut unresolved))
                } else {
                    Cow::Borrowed(v)
                };
                let origin = self.origin(path);
                let mut doc = PolicyDocument::from_value(&raw, origin, kind, label);
                doc.unresolved = unresolved.into_boxed_slice();
                doc
            }
            // Properties of type Json also take the document as a JSON string.
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(raw) => {
                    let origin = self.embedded_origin(path);
                    PolicyDocument::from_value(&raw, origin, kind, label)
                }
                Err(e) => {
                    self.malformed(
                        path,
                        format!("policy document string is not JSON: {}", strip_position(&e)),
                    );
                    return None;
                }
            },
            other => {
                self.malformed(
                    path,
                    format!(
                        "policy document must be a JSON object, found {}",
                        kind_of(other)
                    ),
                );
                return None;
            }
        };
        Some(Arc::new(doc))
    }
}

impl Template<'_> {
    /// A document written as the JSON text of an `Fn::Sub` (`!Sub '{"Statement": …}'`,
    /// or the text of its list form). The text is read as written, its `${…}` left in:
    /// every string holding one is unresolved, so no rule judges it, and every other
    /// character is where the template has it. A text that is JSON only once substituted
    /// (`"Statement": ${List}`) is not read, and not reported.
    fn sub_document(
        &mut self,
        arg: &Value,
        sub_at: &JsonPath,
        kind: PolicyKind,
        label: String,
    ) -> Option<Arc<PolicyDocument>> {
        let (text, text_at) = match arg {
            Value::String(s) => (s.as_str(), sub_at.clone()),
            Value::Array(items) => (items.first()?.as_str()?, sub_at.index(0)),
            _ => return None,
        };
        let raw: Value = serde_json::from_str(text).ok()?;
        let mut unresolved = Vec::new();
        strings_with_variables(&raw, &JsonPath::root(), &mut unresolved);
        let mut doc = PolicyDocument::from_value(&raw, self.embedded_origin(&text_at), kind, label);
        doc.unresolved = unresolved.into_boxed_slice();
        Some(Arc::new(doc))
    }
}

/// The paths of the strings of `v`, and of the members whose key, that hold an `Fn::Sub`
/// variable.
fn strings_with_variables(v: &Value, at: &JsonPath, out: &mut Vec<JsonPath>) {
    match v {
        Value::String(s) if s.contains("${") => out.push(at.clone()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings_with_variables(item, &at.index(i), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let member = at.key(k);
                if k.contains("${") {
                    out.push(member.clone());
                }
                strings_with_variables(item, &member, out);
            }
        }
        _ => {}
    }
}

/// Whether a template's `Transform` names a macro (a name outside `AWS::`, or a shape
/// not known): the template is then the macro's input. `AWS::Serverless-2016-10-31` and
/// `AWS::LanguageExtensions` leave the IAM resources of a template as they are.
pub(super) fn has_macro_transform(top: &Map<String, Value>) -> bool {
    let is_macro = |v: &Value| !v.as_str().is_some_and(|name| name.starts_with("AWS::"));
    match top.get("Transform") {
        None => false,
        Some(Value::Array(names)) => names.iter().any(is_macro),
        Some(v) => is_macro(v),
    }
}

/// A parameter's default as text, when it stands for itself: not for list parameters
/// (a `Ref` to them is a list), not for SSM parameter types (the default is the name of
/// an SSM parameter, whose value is what the template gets), not for an empty string,
/// which templates use to mean "fill this in" (or "not used", with a `Condition` that
/// iamlint does not evaluate), and not for the parameter's own name (the Amplify CLI's
/// function stacks default `storageproductTableArn` to `"storageproductTableArn"`; the
/// root stack always passes the value).
pub(super) fn param_default(name: &str, param: &Value) -> Option<String> {
    let type_name = param
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("String");
    if type_name.contains("List") || type_name.starts_with("AWS::SSM::") {
        return None;
    }
    match param.get("Default")? {
        Value::String(s) if s.is_empty() || s == name => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An IAM path as IAM stores it: `/` or `/a/b/` (CloudFormation rejects a path without
/// its slashes; reading it with them keeps the ARN well-formed).
pub(super) fn normalize_path(path: &str) -> String {
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_owned()
    } else {
        format!("/{inner}/")
    }
}

/// `arn:aws:iam::ACCOUNT:KIND/PATH/NAME`, `path` being `/` or `/a/b/`.
pub(super) fn iam_arn(account: &str, kind: &str, path: &str, name: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:{kind}{path}{name}")
}
