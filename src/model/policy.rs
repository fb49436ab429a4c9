//! IAM policy documents, normalised on load: `Statement` as a list, `Action`/`Resource`
//! and principal values as lists, conditions flattened. Loading is lenient — whatever
//! is malformed is skipped here. The parsed JSON itself is not kept (with serde_json's
//! `preserve_order` a small object costs about ten times its text, and a monorepo holds
//! tens of thousands of documents): what the rules need from it, the grammar errors and
//! the length IAM counts, is worked out once while the document is built, on the loader's
//! thread.

use serde_json::Value;

use crate::grammar::{self, GrammarError, PolicyShape};

use super::json_view::{quota_length, Json, JsonView};
use super::location::{DocOrigin, Location};
use super::matching::{has_wildcard, matches_action, matches_resource};
use super::path::JsonPath;
use super::shared_str::SharedStr;

/// Allow or Deny. Anything else is kept as `Invalid` (the grammar rule reports it) and
/// never grants anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    Invalid,
}

/// The key of a [`ValueList`] as written (a byte, not a string: there are tens of
/// thousands of statements in a monorepo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKey {
    Action,
    NotAction,
    Resource,
    NotResource,
}

impl ListKey {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKey::Action => "Action",
            ListKey::NotAction => "NotAction",
            ListKey::Resource => "Resource",
            ListKey::NotResource => "NotResource",
        }
    }
}

impl std::fmt::Display for ListKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element, normalised to a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueList {
    /// True for the `Not…` form.
    pub negated: bool,
    /// The key as written (`Action`, `NotResource`), for positions.
    pub key: ListKey,
    pub values: Box<[SharedStr]>,
    /// Whether the JSON held a list (positions then need the item index).
    pub is_list: bool,
}

impl ValueList {
    /// The path of item `i`, relative to the statement.
    pub fn item_path(&self, stmt: &JsonPath, i: usize) -> JsonPath {
        let field = stmt.key(self.key.as_str());
        if self.is_list {
            field.index(i)
        } else {
            field
        }
    }

    /// The path of the element itself, relative to the statement's document.
    pub fn path(&self, stmt: &JsonPath) -> JsonPath {
        stmt.key(self.key.as_str())
    }
}

/// The kinds of principal a policy can name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
    Other(String),
}

/// One `"AWS": [...]`-style entry of a principal map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalEntry {
    pub kind: PrincipalKind,
    /// The key as written, for positions.
    pub key: SharedStr,
    pub values: Box<[SharedStr]>,
    pub is_list: bool,
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub negated: bool,
    /// `"Principal": "*"`: everyone, including anonymous callers.
    pub star: bool,
    pub entries: Box<[PrincipalEntry]>,
}

impl Principal {
    pub fn key(&self) -> &'static str {
        if self.negated {
            "NotPrincipal"
        } else {
            "Principal"
        }
    }

    /// Every value, in order; [`PrincipalValue::path`] finds its place when needed.
    pub fn values(&self) -> impl Iterator<Item = PrincipalValue<'_>> + '_ {
        let key = self.key();
        self.entries.iter().flat_map(move |e| {
            e.values
                .iter()
                .enumerate()
                .map(move |(i, v)| PrincipalValue {
                    kind: &e.kind,
                    value: v.as_str(),
                    principal_key: key,
                    entry: e,
                    item: i,
                })
        })
    }

    /// Whether it names every AWS principal: `"*"` or `{"AWS": "*"}`.
    pub fn is_everyone(&self) -> bool {
        self.star
            || self
                .entries
                .iter()
                .any(|e| e.kind == PrincipalKind::Aws && e.values.iter().any(|v| v == "*"))
    }
}

/// One value of a principal entry (`"AWS": ["a", "b"]` has two).
#[derive(Clone, Copy, Debug)]
pub struct PrincipalValue<'a> {
    pub kind: &'a PrincipalKind,
    pub value: &'a str,
    principal_key: &'static str,
    entry: &'a PrincipalEntry,
    item: usize,
}

impl PrincipalValue<'_> {
    /// The value's path relative to the statement's document (built only for values that
    /// end up in a finding).
    pub fn path(&self, stmt: &JsonPath) -> JsonPath {
        let entry = stmt.key(self.principal_key).key(&self.entry.key);
        if self.entry.is_list {
            entry.index(self.item)
        } else {
            entry
        }
    }
}

/// One condition: `"StringEquals": {"sts:ExternalId": "x"}` gives operator
/// `StringEquals`, key `sts:ExternalId`, values `["x"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub operator: SharedStr,
    pub key: SharedStr,
    pub values: Box<[SharedStr]>,
    /// Whether the JSON held a list of values (positions then need the item index).
    pub is_list: bool,
}

impl Condition {
    /// The path of the condition's values, relative to the document (`…/Condition/OP/KEY`);
    /// with `key_at` it places the key itself.
    pub fn path(&self, stmt: &JsonPath) -> JsonPath {
        stmt.key("Condition").key(&self.operator).key(&self.key)
    }

    /// The path of value `i`.
    pub fn value_path(&self, stmt: &JsonPath, i: usize) -> JsonPath {
        let path = self.path(stmt);
        if self.is_list {
            path.index(i)
        } else {
            path
        }
    }

    /// The operator taken apart.
    pub fn op(&self) -> super::condition::Operator<'_> {
        super::condition::Operator::parse(&self.operator)
    }
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Index in the `Statement` array; [`LONE`] when `Statement` is a lone object (a
    /// plain `u32`: an `Option` would pad every statement of a monorepo by 8 bytes).
    index: u32,
    pub sid: Option<Box<str>>,
    pub effect: Effect,
    pub action: Option<ValueList>,
    pub resource: Option<ValueList>,
    /// Boxed: only trust and resource policies have one, and inline it would make every
    /// statement 16 bytes larger.
    pub principal: Option<Box<Principal>>,
    pub conditions: Box<[Condition]>,
    /// Whether Action/NotAction covers [`ASSUME_ROLE`], worked out once when the statement
    /// is built: the graph asks it of every statement of both sides of every pair.
    assume_role: bool,
}

/// [`Statement::index`] of a lone statement object.
const LONE: u32 = u32::MAX;

/// The action of switching roles, which the graph and most rules ask about.
pub const ASSUME_ROLE: &str = "sts:AssumeRole";

impl Statement {
    /// Path from the document root (`/Statement/2`, or `/Statement` for a lone object),
    /// built when a position is needed rather than kept on every statement.
    pub fn path(&self) -> JsonPath {
        let statement = JsonPath::root().key("Statement");
        match self.index {
            LONE => statement,
            i => statement.index(i as usize),
        }
    }

    /// Whether the Action/NotAction element covers `action`.
    pub fn covers_action(&self, action: &str) -> bool {
        if action == ASSUME_ROLE {
            return self.assume_role;
        }
        self.matches_action(action)
    }

    fn matches_action(&self, action: &str) -> bool {
        match &self.action {
            Some(list) => {
                let hit = list.values.iter().any(|p| matches_action(p, action));
                hit != list.negated
            }
            None => false,
        }
    }

    /// Whether the Resource/NotResource element covers `arn`. A statement without one
    /// (a trust policy) covers nothing here.
    pub fn covers_resource(&self, arn: &str) -> bool {
        match &self.resource {
            Some(list) => {
                let hit = list.values.iter().any(|p| matches_resource(p, arn));
                hit != list.negated
            }
            None => false,
        }
    }

    /// Whether a condition on `key` (case-insensitive, as IAM compares keys) is present.
    pub fn has_condition_key(&self, key: &str) -> bool {
        self.conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case(key))
    }

    /// Conditions on `key`.
    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> {
        self.conditions
            .iter()
            .filter(move |c| c.key.eq_ignore_ascii_case(key))
    }
}

/// What a document is for, as far as its owner or content says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to a user, group or role, or a managed policy: no Principal.
    Identity,
    /// A role's trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// Another resource-based policy (bucket, key, topic) or an RCP.
    Resource,
    /// An SCP: identity grammar, but it never grants anything.
    ServiceControl,
}

/// A policy document and where it is. Lists are boxed slices and the quota length a
/// `u32`: a monorepo holds tens of thousands of documents, for the whole scan.
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    pub origin: DocOrigin,
    pub kind: PolicyKind,
    /// A short name for messages (`trust policy of role/deploy`, `policy.json`).
    pub label: String,
    pub statements: Box<[Statement]>,
    /// Where the document breaks the IAM policy grammar for its kind (checked against the
    /// JSON as loaded; empty for a valid document). The grammar rule reports them.
    pub grammar_errors: Box<[GrammarError]>,
    /// For a trust policy, its length as IAM counts it for the quota: the characters of
    /// the compact JSON, white space left out ("IAM doesn't count white space"). `None`
    /// for other kinds, which have no such per-document quota rule.
    pub quota_length: Option<u32>,
    /// An AWS managed policy (from a dump): its content is AWS's, not the user's, so
    /// per-document rules skip it; the graph still uses it.
    pub aws_managed: bool,
    /// Paths (from the document's root) of values a template left unresolved, such as a
    /// CloudFormation `Fn::If` or a `Ref` to a parameter without a default. The loader put
    /// a `${…}` placeholder string there, one value for one value, so paths and positions
    /// are unchanged; rules must not guess what the value would have been.
    pub unresolved: Box<[JsonPath]>,
    /// Statements left out of `statements` (see [`PolicyDocument::aws_managed`]).
    pub omitted_statements: u32,
}

impl PolicyDocument {
    /// An AWS managed policy (from a dump): normalised like any other for the graph, but
    /// its grammar is AWS's business, so it is not checked (real dumps hold hundreds of
    /// them, some of many kilobytes).
    ///
    /// Only its statements that may cover an `sts:` action are built: the graph and the
    /// rules ask an AWS managed policy nothing else, and of the 650 or so in a dump almost
    /// all grant other services' actions (building them was half of loading a dump).
    pub fn aws_managed(raw: &Value, origin: DocOrigin, label: String) -> Self {
        PolicyDocument {
            aws_managed: true,
            ..Self::build(
                raw,
                origin,
                PolicyKind::Identity,
                label,
                false,
                may_cover_sts,
            )
        }
    }

    /// Normalises a parsed JSON policy. Never fails: malformed parts are skipped (and are
    /// in `grammar_errors`).
    pub fn from_value(raw: &Value, origin: DocOrigin, kind: PolicyKind, label: String) -> Self {
        Self::from_view(raw, origin, kind, label)
    }

    /// [`PolicyDocument::from_value`] for a document however it is held.
    pub fn from_view<'a, V: JsonView<'a>>(
        raw: V,
        origin: DocOrigin,
        kind: PolicyKind,
        label: String,
    ) -> Self {
        Self::build(raw, origin, kind, label, true, |_| true)
    }

    /// Builds the statements `keep` accepts (by their JSON); the others are counted in
    /// `omitted_statements`.
    fn build<'a, V: JsonView<'a>>(
        raw: V,
        origin: DocOrigin,
        kind: PolicyKind,
        label: String,
        check: bool,
        keep: fn(V) -> bool,
    ) -> Self {
        let mut omitted = 0u32;
        let mut kept = |v: V| {
            let keep = keep(v);
            omitted += u32::from(!keep);
            keep
        };
        let statement = raw.get("Statement");
        let statements = match statement.map(JsonView::json) {
            Some(Json::Array(items)) => items
                .enumerate()
                .filter(|(_, v)| kept(*v))
                .filter_map(|(i, v)| parse_statement(v, Some(u32::try_from(i).ok()?)))
                .collect(),
            Some(Json::Object(_)) => statement
                .filter(|v| kept(*v))
                .and_then(|v| parse_statement(v, None))
                .into_iter()
                .collect(),
            _ => Box::default(),
        };
        let shape = match kind {
            PolicyKind::Identity | PolicyKind::ServiceControl => PolicyShape::Identity,
            PolicyKind::Trust | PolicyKind::Resource => PolicyShape::Resource,
        };
        PolicyDocument {
            origin,
            kind,
            label,
            statements,
            grammar_errors: if check {
                grammar::check(raw, shape).into_boxed_slice()
            } else {
                Box::default()
            },
            // A trust over 4 GB cannot be read (files are far smaller): it counts as that.
            quota_length: (kind == PolicyKind::Trust)
                .then(|| u32::try_from(quota_length(raw)).unwrap_or(u32::MAX)),
            aws_managed: false,
            unresolved: Box::default(),
            omitted_statements: omitted,
        }
    }

    /// Whether the value at `rel` is unresolved or holds an unresolved value somewhere
    /// inside (an `Action` list with one `Fn::If` item, a `Condition` that is a `Ref`).
    pub fn has_unresolved(&self, rel: &JsonPath) -> bool {
        self.unresolved
            .iter()
            .any(|u| u.segments().starts_with(rel.segments()))
    }

    /// [`Self::has_unresolved`] for element `key` of a statement, without making its path
    /// when the document has no unresolved part (almost every document).
    pub fn has_unresolved_in(&self, stmt: &Statement, key: &str) -> bool {
        !self.unresolved.is_empty() && self.has_unresolved(&stmt.path().key(key))
    }

    /// Whether the `Statement` list, or one statement of it as a whole, was not known
    /// statically (a Terraform `dynamic` block over an unknown collection): what it says
    /// cannot be read, so no verdict may rest on its absence.
    pub fn has_unknown_statements(&self) -> bool {
        use super::path::PathSeg;
        self.unresolved.iter().any(|u| match u.segments() {
            [] => true,
            [PathSeg::Key(k)] | [PathSeg::Key(k), PathSeg::Index(_)] => k == "Statement",
            _ => false,
        })
    }

    /// Whether a statement that is not a known Allow (a Deny, or an effect not known
    /// statically) may cover `action`: its own actions cover it, or are not known. The
    /// trust rules do not evaluate such statements, so a document with one gets no verdict
    /// about who may take that action.
    pub fn may_deny(&self, action: &str) -> bool {
        self.statements.iter().any(|s| {
            s.effect != Effect::Allow
                && (s.covers_action(action)
                    || self.has_unresolved_in(s, "Action")
                    || self.has_unresolved_in(s, "NotAction"))
        })
    }

    /// Whether the value at `rel` is unresolved or sits inside an unresolved value.
    pub fn is_unresolved(&self, rel: &JsonPath) -> bool {
        self.unresolved
            .iter()
            .any(|u| rel.segments().starts_with(u.segments()))
    }

    /// Location of a path relative to this document.
    pub fn loc(&self, rel: &JsonPath) -> Location {
        self.origin.at(rel)
    }

    /// Allow statements that cover `action`.
    pub fn allows<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a Statement> + 'a {
        self.statements
            .iter()
            .filter(move |s| s.effect == Effect::Allow && s.covers_action(action))
    }

    /// Whether any statement has a Principal (a resource-style document).
    pub fn has_principal(&self) -> bool {
        self.statements.iter().any(|s| s.principal.is_some())
    }
}

/// Guesses a standalone document's kind from its content: a Principal with
/// `sts:AssumeRole*` actions is a trust policy, a Principal otherwise is a resource policy.
pub fn classify_by_content(raw: &Value) -> PolicyKind {
    let statements: Vec<&Value> = match raw.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    let with_principal: Vec<&&Value> = statements
        .iter()
        .filter(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
        .collect();
    // A resource policy needs a Principal in every statement, an identity policy in none;
    // a mix is a mistake in one or the other, and the majority says which was meant.
    if with_principal.len() * 2 < statements.len() || with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    let assumes = with_principal.iter().any(|s| {
        let (Some(actions), _) = string_list(s.get("Action")) else {
            return false;
        };
        actions.iter().any(|a| {
            a.get(..14)
                .is_some_and(|p| p.eq_ignore_ascii_case("sts:assumerole"))
                || a == "sts:TagSession"
        })
    });
    let has_resource = statements
        .iter()
        .any(|s| s.get("Resource").is_some() || s.get("NotResource").is_some());
    if assumes && !has_resource {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

/// Whether a statement's JSON may cover some `sts:` action: a `NotAction`, or an
/// `Action` pattern whose service part is `sts` or a wildcard (`*`, `s*:*`). Anything
/// it cannot read is kept, and left to [`parse_statement`] as it would be.
pub(crate) fn may_cover_sts(v: &Value) -> bool {
    let pattern_may = |p: &str| match p.split_once(':') {
        Some((service, _)) => service.eq_ignore_ascii_case("sts") || has_wildcard(service),
        None => has_wildcard(p),
    };
    match v.get("Action") {
        Some(Value::String(p)) => pattern_may(p),
        Some(Value::Array(items)) => items.iter().any(|i| i.as_str().is_none_or(pattern_may)),
        _ => true,
    }
}

fn parse_statement<'a, V: JsonView<'a>>(v: V, index: Option<u32>) -> Option<Statement> {
    let Json::Object(obj) = v.json() else {
        return None;
    };
    // One pass over the members instead of a lookup per key: each lookup hashes its key
    // (SipHash, the map's), a fifth of the cost of building a statement.
    let mut m = Members::default();
    for (key, value) in obj {
        let slot = match key {
            "Sid" => &mut m.sid,
            "Effect" => &mut m.effect,
            "Action" => &mut m.action,
            "NotAction" => &mut m.not_action,
            "Resource" => &mut m.resource,
            "NotResource" => &mut m.not_resource,
            "Principal" => &mut m.principal,
            "NotPrincipal" => &mut m.not_principal,
            "Condition" => &mut m.condition,
            _ => continue,
        };
        *slot = Some(value);
    }
    let effect = match m.effect.and_then(JsonView::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => Effect::Invalid,
    };
    let action = value_list(m.action, ListKey::Action, false)
        .or_else(|| value_list(m.not_action, ListKey::NotAction, true));
    let resource = value_list(m.resource, ListKey::Resource, false)
        .or_else(|| value_list(m.not_resource, ListKey::NotResource, true));
    let principal =
        parse_principal(m.principal, false).or_else(|| parse_principal(m.not_principal, true));
    let conditions = parse_conditions(m.condition);
    let mut statement = Statement {
        index: index.unwrap_or(LONE),
        sid: m.sid.and_then(JsonView::as_str).map(Box::from),
        effect,
        action,
        resource,
        principal: principal.map(Box::new),
        conditions: conditions.into_boxed_slice(),
        assume_role: false,
    };
    statement.assume_role = statement.matches_action(ASSUME_ROLE);
    Some(statement)
}

/// The members of a statement that iamlint reads.
struct Members<V> {
    sid: Option<V>,
    effect: Option<V>,
    action: Option<V>,
    not_action: Option<V>,
    resource: Option<V>,
    not_resource: Option<V>,
    principal: Option<V>,
    not_principal: Option<V>,
    condition: Option<V>,
}

impl<V> Default for Members<V> {
    fn default() -> Self {
        Members {
            sid: None,
            effect: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            principal: None,
            not_principal: None,
            condition: None,
        }
    }
}

/// A string or a list of strings; non-string items are dropped (the grammar rule reports
/// them). Returns the strings and whether the JSON was a list.
fn string_list<'a, V: JsonView<'a>>(v: Option<V>) -> (Option<Box<[SharedStr]>>, bool) {
    match v.map(JsonView::json) {
        Some(Json::String(s)) => (Some(Box::new([SharedStr::new(s)])), false),
        Some(Json::Array(items)) => (
            Some(
                items
                    .filter_map(|i| i.as_str().map(SharedStr::new))
                    .collect(),
            ),
            true,
        ),
        _ => (None, false),
    }
}

fn value_list<'a, V: JsonView<'a>>(v: Option<V>, key: ListKey, negated: bool) -> Option<ValueList> {
    let (values, is_list) = string_list(v);
    values.map(|values| ValueList {
        negated,
        key,
        values,
        is_list,
    })
}

fn parse_principal<'a, V: JsonView<'a>>(v: Option<V>, negated: bool) -> Option<Principal> {
    match v?.json() {
        Json::String(s) => Some(Principal {
            negated,
            star: s == "*",
            entries: Box::new([]),
        }),
        Json::Object(map) => {
            let entries = map
                .filter_map(|(k, v)| {
                    let (values, is_list) = string_list(Some(v));
                    Some(PrincipalEntry {
                        kind: match k {
                            "AWS" => PrincipalKind::Aws,
                            "Service" => PrincipalKind::Service,
                            "Federated" => PrincipalKind::Federated,
                            "CanonicalUser" => PrincipalKind::CanonicalUser,
                            other => PrincipalKind::Other(other.to_owned()),
                        },
                        key: SharedStr::new(k),
                        values: values?,
                        is_list,
                    })
                })
                .collect();
            Some(Principal {
                negated,
                star: false,
                entries,
            })
        }
        _ => None,
    }
}

fn parse_conditions<'a, V: JsonView<'a>>(v: Option<V>) -> Vec<Condition> {
    let Some(Json::Object(ops)) = v.map(JsonView::json) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (operator, keys) in ops {
        let Json::Object(keys) = keys.json() else {
            continue;
        };
        for (key, values) in keys {
            let (values, is_list) = match values.json() {
                Json::Array(items) => (items.map(scalar_text).collect(), true),
                _ => (Box::from([scalar_text(values)]), false),
            };
            out.push(Condition {
                operator: SharedStr::new(operator),
                key: SharedStr::new(key),
                values,
                is_list,
            });
        }
    }
    out
}

fn scalar_text<'a, V: JsonView<'a>>(v: V) -> SharedStr {
    match v.as_str() {
        Some(s) => SharedStr::new(s),
        None => SharedStr::from(v.to_value().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> PolicyDocument {
        let origin = DocOrigin::Json {
            file: 0,
            base: JsonPath::root(),
        };
        PolicyDocument::from_value(&v, origin, PolicyKind::Identity, "t".into())
    }

    #[test]
    fn normalises_single_statement_and_strings() {
        let d = doc(
            json!({"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}),
        );
        assert_eq!(d.statements.len(), 1);
        let s = &d.statements[0];
        assert_eq!(s.path().to_string(), "/Statement");
        assert!(s.covers_action("sts:AssumeRole"));
        assert!(s.covers_resource("arn:aws:iam::1:role/x"));
        assert_eq!(
            s.action
                .as_ref()
                .unwrap()
                .item_path(&s.path(), 0)
                .to_string(),
            "/Statement/Action"
        );
    }

    #[test]
    fn not_action_allows_everything_else() {
        let d = doc(
            json!({"Statement": [{"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}]}),
        );
        assert!(d.statements[0].covers_action("sts:AssumeRole"));
        let d = doc(
            json!({"Statement": [{"Effect": "Allow", "NotAction": ["sts:*"], "Resource": "*"}]}),
        );
        assert!(!d.statements[0].covers_action("sts:AssumeRole"));
    }

    #[test]
    fn classifies_by_content() {
        let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]});
        assert_eq!(classify_by_content(&trust), PolicyKind::Trust);
        let bucket = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
        assert_eq!(classify_by_content(&bucket), PolicyKind::Resource);
        let ident =
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]});
        assert_eq!(classify_by_content(&ident), PolicyKind::Identity);
    }

    #[test]
    fn principal_values_have_paths() {
        let d = doc(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["a", "b"], "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        );
        let s = &d.statements[0];
        let p = s.principal.as_ref().unwrap();
        let paths: Vec<String> = p.values().map(|v| v.path(&s.path()).to_string()).collect();
        assert_eq!(
            paths,
            vec![
                "/Statement/0/Principal/AWS/0",
                "/Statement/0/Principal/AWS/1",
                "/Statement/0/Principal/Service"
            ]
        );
    }

    #[test]
    fn conditions_flatten() {
        let d = doc(
            json!({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"},
            "Condition": {"StringEquals": {"sts:ExternalId": "abc"}, "Bool": {"aws:MultiFactorAuthPresent": true}}}]}),
        );
        let s = &d.statements[0];
        assert!(s.has_condition_key("STS:EXTERNALID"));
        assert_eq!(
            *s.conditions_on("aws:MultiFactorAuthPresent")
                .next()
                .unwrap()
                .values,
            ["true"]
        );
    }

    proptest::proptest! {
        /// A statement an AWS managed policy leaves out covers no `sts:` action: leaving
        /// it out changes no answer the graph or a rule asks.
        #[test]
        fn left_out_statements_cover_no_sts_action(
            actions in proptest::collection::vec(
                "(sts|STS|s3|iam|s\\*|\\*|st\\?|ec2)?(:)?(AssumeRole|Assume\\*|\\*|Get\\*|TagSession|SetSource\\?dentity)?",
                0..4,
            ),
            as_list in proptest::prelude::any::<bool>(),
            negated in proptest::prelude::any::<bool>(),
        ) {
            let key = if negated { "NotAction" } else { "Action" };
            let list = match (as_list, actions.first()) {
                (false, Some(one)) => json!(one),
                _ => json!(actions),
            };
            let stmt = json!({"Effect": "Allow", key: list, "Resource": "*"});
            if !may_cover_sts(&stmt) {
                let built = parse_statement(&stmt, Some(0)).expect("an object");
                for action in [
                    "sts:AssumeRole",
                    "sts:TagSession",
                    "sts:SetSourceIdentity",
                    "sts:AssumeRoleWithSAML",
                    "sts:AssumeRoleWithWebIdentity",
                    "sts:GetCallerIdentity",
                ] {
                    proptest::prop_assert!(!built.covers_action(action), "{stmt} covers {action}");
                }
            }
        }
    }
}
