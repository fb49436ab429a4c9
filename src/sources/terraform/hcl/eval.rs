//! Evaluates HCL expressions as far as they can be known without running Terraform:
//! literals, templates, references the module can answer, operators, `for` expressions
//! and the functions in [`super::functions`]. Anything else is [`Val::Unknown`] with the
//! reason, and so is everything computed from it: nothing is guessed.

use std::sync::Arc;

use super::ast::{
    self, BinaryOperator, Expr, ExprKind, ForExpr, ObjectKey, Op, Part, Span, Template,
};
use serde_json::Number;

use super::functions;
use super::parse::HclFile;
use super::value::{Member, Node, Text, Val};
use crate::model::location::Location;

/// Expressions nested deeper than this, counted through every reference a value
/// follows (`local.a` whose value is `local.b`…), evaluate to unknown.
const MAX_DEPTH: usize = 128;

/// Values nested deeper than this, or holding more parts than a root module's whole
/// budget, are unknown: `[local.a, local.a]` doubled forty times is a terabyte.
const MAX_VALUE_DEPTH: usize = 256;

/// What one root module's evaluation may spend, shared by its module instances: the
/// depth of the evaluation now, and parts made or copied so far (one per expression, per
/// item a `for` makes, per part of a value a reference copies).
pub struct Budget {
    depth: std::cell::Cell<usize>,
    work: std::cell::Cell<u64>,
    limit: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget {
            depth: std::cell::Cell::new(0),
            work: std::cell::Cell::new(0),
            limit,
        }
    }

    /// Spends `n`; false once the budget is gone.
    pub fn charge(&self, n: u64) -> bool {
        let spent = self.work.get().saturating_add(n);
        self.work.set(spent);
        spent <= self.limit
    }

    pub fn exhausted(&self) -> bool {
        self.work.get() > self.limit
    }

    fn enter(&self) -> bool {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return false;
        }
        self.depth.set(d + 1);
        true
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    /// A copy of `node` paid for, or unknown when it is too deep or the budget is gone.
    pub fn copy(&self, node: &Node) -> Node {
        let left = self.limit.saturating_sub(self.work.get());
        match node_size(node, left.saturating_add(1), 0) {
            Some(n) if self.charge(n) => node.clone(),
            _ => {
                self.charge(left.saturating_add(1));
                Node::unknown(TOO_LARGE)
            }
        }
    }
}

/// Why a value is unknown when the budget is gone.
pub const TOO_LARGE: &str = "too large or too deep to evaluate";

/// The parts of a value, or None when they are more than `cap` or nested deeper than
/// [`MAX_VALUE_DEPTH`].
fn node_size(node: &Node, cap: u64, depth: usize) -> Option<u64> {
    if depth > MAX_VALUE_DEPTH {
        return None;
    }
    let mut total: u64 = 1;
    let mut add = |child: &Node| -> Option<()> {
        total += node_size(child, cap.checked_sub(total)?, depth + 1)?;
        (total <= cap).then_some(())
    };
    match &node.value {
        Val::List(items) => items.iter().try_for_each(&mut add)?,
        Val::Object(members) => members.iter().try_for_each(|m| add(&m.value))?,
        Val::Json(inner) => add(inner)?,
        Val::String(s, _) => total += (s.len() / 64) as u64,
        _ => {}
    }
    (total <= cap).then_some(total)
}

/// What a module instance answers for the references in its expressions.
pub trait Env {
    /// The value `root.names[0].names[1]…` stands for, and how many of `names` it used
    /// (`var.x` uses one, `aws_iam_role.x` one, `data.aws_partition.p` two). None when
    /// `root` is not something the module knows (then the value is unknown).
    fn reference(&self, root: &str, names: &[&str]) -> Option<(Node, usize)>;

    /// The text of a file `file()` or `templatefile()` reads, by the path as written
    /// (relative to the working folder, as Terraform takes it), with the file it is in the
    /// scan, so that positions inside it can be reported. None when it cannot be read.
    fn read_file(&self, path: &str)
        -> Option<(Arc<str>, Option<crate::model::location::Location>)>;

    /// The budget of the root module being evaluated.
    fn budget(&self) -> &Budget;
}

/// One evaluation: an environment, the file whose expressions are evaluated, and the
/// names bound by enclosing `for` expressions, `dynamic` blocks and `each`/`count`.
pub struct Eval<'e> {
    pub env: &'e dyn Env,
    pub file: &'e HclFile,
    pub bound: Vec<(Arc<str>, Node)>,
}

impl<'e> Eval<'e> {
    pub fn new(env: &'e dyn Env, file: &'e HclFile) -> Self {
        Eval {
            env,
            file,
            bound: Vec::new(),
        }
    }

    fn at(&self, span: Option<Span>) -> Option<Location> {
        self.file.loc(span)
    }

    pub fn expr(&mut self, e: &Expr) -> Node {
        let budget = self.env.budget();
        if !budget.charge(1) {
            return Node::unknown(TOO_LARGE);
        }
        if !budget.enter() {
            return Node::unknown("expression or references nested too deeply");
        }
        let node = self.expr_inner(e);
        self.env.budget().leave();
        node
    }

    fn expr_inner(&mut self, e: &Expr) -> Node {
        let at = self.at(e.span);
        match &e.kind {
            ExprKind::Null => Node::new(Val::Null, at),
            ExprKind::Bool(b) => Node::new(Val::Bool(*b), at),
            ExprKind::Number(Some(n)) => Node::new(Val::Number(n.clone()), at),
            ExprKind::Number(None) => {
                Node::new(Val::Unknown("a number is out of range".into()), at)
            }
            ExprKind::String(s) => Node::new(Val::String(s.clone(), Text::Made), at),
            ExprKind::Array(items) => {
                Node::new(Val::List(items.iter().map(|i| self.expr(i)).collect()), at)
            }
            ExprKind::Object(members_in) => {
                let mut members: Vec<Member> = Vec::with_capacity(members_in.len());
                for (key, value) in members_in.iter() {
                    let (key, key_at): (Option<Arc<str>>, _) = match key {
                        ObjectKey::Name(name, span) => (Some(name.clone()), self.at(*span)),
                        ObjectKey::Expr(k) => (
                            self.expr(k).as_text().map(|t| Arc::from(&*t)),
                            self.at(k.span),
                        ),
                    };
                    let value = self.expr(value);
                    let Some(key) = key else {
                        return Node::new(Val::Unknown("an object key is not known".into()), at);
                    };
                    members.push(Member::new(key, key_at, value));
                }
                Node::new(Val::Object(last_of_each_key(members)), at)
            }
            ExprKind::Template(t) => self.template(t, at, false),
            ExprKind::Heredoc(t) => {
                let content = self.at(t.span);
                let mut node = self.template(t, content, true);
                if node.at.is_none() {
                    node.set_loc(at);
                }
                node
            }
            ExprKind::Variable(v) => self.traversal(at, v, &[]),
            ExprKind::Conditional(c) => {
                let (cond, yes, no) = &**c;
                let cond = self.expr(cond);
                match cond.value {
                    Val::Bool(true) => self.expr(yes),
                    Val::Bool(false) => self.expr(no),
                    Val::String(ref s, _) if &**s == "true" => self.expr(yes),
                    Val::String(ref s, _) if &**s == "false" => self.expr(no),
                    _ => Node::new(Val::Unknown("a condition is not known".into()), at),
                }
            }
            ExprKind::Call(call) => {
                let ast::Call {
                    name,
                    namespaced,
                    args,
                    expand,
                } = &**call;
                if *namespaced {
                    return Node::new(
                        Val::Unknown(format!("provider function `{name}`").into()),
                        at,
                    );
                }
                let mut args: Vec<Node> = args.iter().map(|a| self.expr(a)).collect();
                if *expand {
                    match args.pop().map(|n| n.value) {
                        Some(Val::List(items)) => args.extend(items),
                        _ => {
                            return Node::new(
                                Val::Unknown("expanded arguments not known".into()),
                                at,
                            )
                        }
                    }
                }
                functions::call(self, name, args, at)
            }
            ExprKind::Traversal(t) => match &t.0.kind {
                ExprKind::Variable(root) => self.traversal(at, root, &t.1),
                _ => {
                    let base = self.expr(&t.0);
                    self.apply_operators(base, &t.1, at)
                }
            },
            ExprKind::Not(inner) => {
                let v = self.expr(inner);
                let value = match &v.value {
                    Val::Bool(b) => Val::Bool(!b),
                    _ => Val::Unknown("an operand is not known".into()),
                };
                Node::new(value, at)
            }
            ExprKind::Neg(inner) => {
                let v = self.expr(inner);
                let value = match &v.value {
                    Val::Number(n) => n
                        .as_f64()
                        .and_then(|f| float(-f))
                        .unwrap_or_else(|| Val::Unknown("a number is out of range".into())),
                    _ => Val::Unknown("an operand is not known".into()),
                };
                Node::new(value, at)
            }
            ExprKind::Binary(op, sides) => {
                let l = self.expr(&sides.0);
                let r = self.expr(&sides.1);
                Node::new(binary(*op, &l, &r), at)
            }
            ExprKind::For(f) => self.for_expr(f, at),
        }
    }

    /// A reference: a name bound by an enclosing expression, or one the module answers.
    fn traversal(&mut self, at: Option<Location>, root: &str, ops: &[Op]) -> Node {
        if let Some((_, bound)) = self.bound.iter().rev().find(|(n, _)| &**n == root) {
            let base = self.env.budget().copy(bound);
            return self.apply_operators(base, ops, at);
        }
        let names: Vec<&str> = ops
            .iter()
            .map_while(|op| match op {
                Op::GetAttr(id) => Some(&**id),
                _ => None,
            })
            .collect();
        match self.env.reference(root, &names) {
            Some((node, used)) => {
                let rest = ops.get(used..).unwrap_or_default();
                let mut out = self.apply_operators(node, rest, at.clone());
                if out.at.is_none() {
                    out.set_loc(at);
                }
                out
            }
            None => Node::new(
                Val::Unknown(format!("`{root}` is not known statically").into()),
                at,
            ),
        }
    }

    fn apply_operators(&mut self, mut node: Node, ops: &[Op], at: Option<Location>) -> Node {
        for (i, op) in ops.iter().enumerate() {
            node = match op {
                Op::GetAttr(id) => get_attr(&node, id),
                Op::Index(e) => {
                    let key = self.expr(e);
                    index(&node, &key)
                }
                Op::LegacyIndex(n) => index(&node, &Node::new(Val::Number(Number::from(*n)), None)),
                Op::Splat => {
                    let rest = ops.get(i + 1..).unwrap_or_default();
                    let items = match node.value {
                        Val::List(items) => items,
                        Val::Null => Vec::new(),
                        Val::Unknown(why) => return Node::new(Val::Unknown(why), at),
                        _ => vec![node],
                    };
                    let out = items
                        .into_iter()
                        .map(|item| self.apply_operators(item, rest, None))
                        .collect();
                    return Node::new(Val::List(out), at);
                }
            };
        }
        node
    }

    fn template(&mut self, t: &Template, at: Option<Location>, heredoc: bool) -> Node {
        // `"${x}"` is x itself, whatever its type.
        if let [Part::Interpolation(e)] = t.parts.as_slice() {
            let mut node = self.expr(e);
            if node.at.is_none() {
                node.set_loc(at);
            }
            return node;
        }
        let mut out = String::new();
        let mut verbatim = heredoc;
        let rendered = self.render(t, &mut out, &mut verbatim);
        // A JSON document written with interpolations (`"Resource": "${aws_s3_bucket.b.arn}"`)
        // is read with its unknown strings left unknown, not dropped whole; each such
        // string was rendered as a sentinel. Its paths are those of the text in the file.
        if !verbatim && looks_like_json(&out, heredoc) {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&out) {
                if value.is_object() {
                    return Node::new(Val::Json(Arc::new(json_with_unknowns(&value))), at);
                }
            }
        }
        if let Err(why) = rendered {
            return Node::new(Val::Unknown(why), at);
        }
        let text = if verbatim { Text::Verbatim } else { Text::Made };
        Node::new(Val::String(Arc::from(out.as_str()), text), at)
    }

    /// Renders a template (`templatefile`'s) with the names bound now.
    pub fn render_template(
        &mut self,
        t: &Template,
        out: &mut String,
        verbatim: &mut bool,
    ) -> Result<(), Arc<str>> {
        self.render(t, out, verbatim)
    }

    /// Appends a template's text; Err with the reason when a part is not known (unknown
    /// interpolations are rendered as [`UNKNOWN_SENTINEL`] all the same).
    fn render(
        &mut self,
        t: &Template,
        out: &mut String,
        verbatim: &mut bool,
    ) -> Result<(), Arc<str>> {
        let mut unknown: Option<Arc<str>> = None;
        self.render_into(t, out, verbatim, &mut unknown)?;
        match unknown {
            Some(why) => Err(why),
            None => Ok(()),
        }
    }

    fn render_into(
        &mut self,
        t: &Template,
        out: &mut String,
        verbatim: &mut bool,
        unknown: &mut Option<Arc<str>>,
    ) -> Result<(), Arc<str>> {
        for part in &t.parts {
            match part {
                Part::Literal {
                    text,
                    verbatim: literal,
                } => {
                    *verbatim &= *literal;
                    out.push_str(text);
                }
                Part::Interpolation(e) => {
                    *verbatim = false;
                    let node = self.expr(e);
                    match (&node.value, node.as_text()) {
                        (_, Some(text)) => out.push_str(&text),
                        (Val::Unknown(why), _) => {
                            // Rendered on, so a JSON document around it can still be read
                            // (see `template`); the result as a whole stays unknown.
                            out.push_str(UNKNOWN_SENTINEL);
                            unknown.get_or_insert_with(|| why.clone());
                        }
                        _ => return Err("an interpolated value is not a string".into()),
                    }
                }
                Part::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    *verbatim = false;
                    match self.expr(cond).value {
                        Val::Bool(true) => self.render_into(then, out, verbatim, unknown)?,
                        Val::Bool(false) => {
                            if let Some(e) = otherwise {
                                self.render_into(e, out, verbatim, unknown)?;
                            }
                        }
                        _ => return Err("a template condition is not known".into()),
                    }
                }
                Part::For(directive) => {
                    let ast::TemplateFor {
                        key_var,
                        value_var,
                        collection,
                        body,
                    } = &**directive;
                    *verbatim = false;
                    let coll = self.expr(collection);
                    let pairs = iteration(&coll).ok_or_else(|| {
                        Arc::<str>::from("a template loop's collection is not known")
                    })?;
                    for (k, v) in pairs {
                        if !self.env.budget().charge(1 + (out.len() / 4096) as u64) {
                            return Err(TOO_LARGE.into());
                        }
                        let mark = self.bound.len();
                        if let Some(kv) = key_var {
                            self.bound.push((kv.clone(), k));
                        }
                        self.bound.push((value_var.clone(), v));
                        let r = self.render_into(body, out, verbatim, unknown);
                        self.bound.truncate(mark);
                        r?;
                    }
                }
            }
        }
        Ok(())
    }

    fn for_expr(&mut self, f: &ForExpr, at: Option<Location>) -> Node {
        let coll = self.expr(&f.collection);
        let Some(pairs) = iteration(&coll) else {
            return Node::new(
                Val::Unknown("a `for` expression's collection is not known".into()),
                at,
            );
        };
        let mut items = Vec::new();
        let mut members: Vec<Member> = Vec::new();
        for (k, v) in pairs {
            if !self.env.budget().charge(1) {
                return Node::unknown(TOO_LARGE);
            }
            let mark = self.bound.len();
            if let Some(kv) = &f.key_var {
                self.bound.push((kv.clone(), k));
            }
            self.bound.push((f.value_var.clone(), v));
            let keep = match &f.cond {
                Some(c) => self.expr(c).value,
                None => Val::Bool(true),
            };
            let result = match keep {
                Val::Bool(false) => Ok(()),
                Val::Bool(true) => {
                    let value = self.expr(&f.value);
                    match &f.key {
                        None => {
                            items.push(value);
                            Ok(())
                        }
                        Some(ke) => match self.expr(ke).as_text() {
                            Some(key) if !f.grouping => {
                                members.push(Member {
                                    key: Arc::from(&*key),
                                    key_at: None,
                                    value,
                                });
                                Ok(())
                            }
                            _ => Err(()),
                        },
                    }
                }
                _ => Err(()),
            };
            self.bound.truncate(mark);
            if result.is_err() {
                return Node::new(
                    Val::Unknown("a `for` expression's item is not known".into()),
                    at,
                );
            }
        }
        if f.key.is_some() {
            Node::new(Val::Object(last_of_each_key(members)), at)
        } else {
            Node::new(Val::List(items), at)
        }
    }
}

/// Objects up to this many keys are checked for repeated keys pair by pair.
const SMALL_OBJECT: usize = 16;

/// Members with the last value of each key (a later duplicate wins, as in HCL), in the
/// order of first appearance; linear, for objects of tens of thousands of keys.
pub fn last_of_each_key(members: Vec<Member>) -> Vec<Member> {
    // Most objects have a handful of keys: comparing each pair costs less than hashing.
    if members.len() <= SMALL_OBJECT
        && members
            .iter()
            .enumerate()
            .all(|(i, m)| members[..i].iter().all(|o| o.key != m.key))
    {
        return members;
    }
    let mut last: foldhash::HashMap<Arc<str>, usize> = foldhash::HashMap::default();
    for (i, m) in members.iter().enumerate() {
        last.insert(m.key.clone(), i);
    }
    if last.len() == members.len() {
        return members;
    }
    let mut first: foldhash::HashMap<Arc<str>, usize> = foldhash::HashMap::default();
    let mut out: Vec<Option<Member>> = Vec::with_capacity(last.len());
    for (i, m) in members.into_iter().enumerate() {
        let is_last = last.get(&m.key) == Some(&i);
        match first.get(&m.key) {
            Some(&slot) => {
                if is_last {
                    out[slot] = Some(m);
                }
            }
            None => {
                first.insert(m.key.clone(), out.len());
                out.push(is_last.then_some(m));
            }
        }
    }
    out.into_iter().flatten().collect()
}

/// What an unknown interpolation renders as while a template that may be JSON is read.
const UNKNOWN_SENTINEL: &str = "__iamlint_unknown_value__";

/// Whether a rendered template may be a JSON document: a heredoc, or a string that
/// starts like an object.
fn looks_like_json(text: &str, heredoc: bool) -> bool {
    let t = text.trim_start();
    t.starts_with('{') && (heredoc || t.trim_end().ends_with('}'))
}

/// A parsed JSON document as nodes without places (they are found in the file's text by
/// path), each string holding [`UNKNOWN_SENTINEL`] unknown.
pub fn json_with_unknowns(v: &serde_json::Value) -> Node {
    Node::from_json(v, None, Some(UNKNOWN_SENTINEL))
}

/// The (key, value) pairs a `for` iterates: a list's (index, item), an object's
/// (key, value). None when the collection is not known.
pub fn iteration(coll: &Node) -> Option<Vec<(Node, Node)>> {
    match &coll.value {
        Val::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(Val::Number(Number::from(i)), None), v.clone()))
                .collect(),
        ),
        Val::Object(members) => Some(
            members
                .iter()
                .map(|m| {
                    (
                        Node::new(Val::String(m.key.clone(), Text::Made), m.key_loc()),
                        m.value.clone(),
                    )
                })
                .collect(),
        ),
        Val::Null => Some(Vec::new()),
        _ => None,
    }
}

pub fn get_attr(node: &Node, name: &str) -> Node {
    match &node.value {
        Val::Object(_) => node
            .get(name)
            .cloned()
            .unwrap_or_else(|| Node::unknown(format!("attribute `{name}` is not known"))),
        Val::Unknown(why) => Node::unknown(why.clone()),
        _ => Node::unknown(format!("attribute `{name}` of a value that has none")),
    }
}

pub fn index(node: &Node, key: &Node) -> Node {
    match (&node.value, &key.value) {
        (Val::List(items), Val::Number(n)) => n
            .as_u64()
            .and_then(|i| items.get(usize::try_from(i).ok()?))
            .cloned()
            .unwrap_or_else(|| Node::unknown("an index is out of range")),
        (Val::List(items), Val::String(s, _)) => s
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i))
            .cloned()
            .unwrap_or_else(|| Node::unknown("an index is out of range")),
        (Val::Object(_), _) => match key.as_text() {
            Some(k) => get_attr(node, &k),
            None => Node::unknown("a key is not known"),
        },
        (Val::Unknown(why), _) => Node::unknown(why.clone()),
        _ => Node::unknown("an index is not known"),
    }
}

/// A float as a JSON number, whole numbers as integers (Terraform prints `3`, not `3.0`).
pub fn float(f: f64) -> Option<Val> {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return Some(Val::Number(Number::from(f as i64)));
    }
    Number::from_f64(f).map(Val::Number)
}

fn as_f64(n: &Node) -> Option<f64> {
    match &n.value {
        Val::Number(x) => x.as_f64(),
        Val::String(s, _) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(n: &Node) -> Option<bool> {
    match &n.value {
        Val::Bool(b) => Some(*b),
        Val::String(s, _) if &**s == "true" => Some(true),
        Val::String(s, _) if &**s == "false" => Some(false),
        _ => None,
    }
}

fn binary(op: BinaryOperator, l: &Node, r: &Node) -> Val {
    let unknown = || Val::Unknown("an operand is not known".into());
    match op {
        BinaryOperator::And | BinaryOperator::Or => match (as_bool(l), as_bool(r)) {
            (Some(a), Some(b)) => Val::Bool(if op == BinaryOperator::And {
                a && b
            } else {
                a || b
            }),
            // `false && x` and `true || x` are decided whatever x is.
            (Some(false), None) if op == BinaryOperator::And => Val::Bool(false),
            (Some(true), None) if op == BinaryOperator::Or => Val::Bool(true),
            _ => unknown(),
        },
        BinaryOperator::Eq | BinaryOperator::NotEq => {
            if l.has_unknown() || r.has_unknown() {
                return unknown();
            }
            let same = match (l.to_json(), r.to_json()) {
                (Some(a), Some(b)) => a == b,
                _ => return unknown(),
            };
            Val::Bool(if op == BinaryOperator::Eq {
                same
            } else {
                !same
            })
        }
        _ => {
            let (Some(a), Some(b)) = (as_f64(l), as_f64(r)) else {
                return unknown();
            };
            let v = match op {
                BinaryOperator::Plus => a + b,
                BinaryOperator::Minus => a - b,
                BinaryOperator::Mul => a * b,
                BinaryOperator::Div if b != 0.0 => a / b,
                BinaryOperator::Mod if b != 0.0 => a % b,
                BinaryOperator::Less => return Val::Bool(a < b),
                BinaryOperator::LessEq => return Val::Bool(a <= b),
                BinaryOperator::Greater => return Val::Bool(a > b),
                BinaryOperator::GreaterEq => return Val::Bool(a >= b),
                _ => return unknown(),
            };
            float(v).unwrap_or_else(unknown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(keys: &[&str]) -> Vec<Member> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| {
                let value = Node::new(Val::Number(serde_json::Number::from(i)), None);
                Member::new(Arc::from(*k), None, value)
            })
            .collect()
    }

    fn keys_and_values(members: &[Member]) -> Vec<(String, String)> {
        members
            .iter()
            .map(|m| (m.key.to_string(), format!("{:?}", m.value.to_json())))
            .collect()
    }

    #[test]
    fn a_later_key_wins_in_the_place_of_the_first_small_or_large() {
        let small = last_of_each_key(object(&["a", "b", "a", "c"]));
        let expected = [("a", 2), ("b", 1), ("c", 3)]
            .map(|(k, n)| (k.to_owned(), format!("Some(Number({n}))")));
        assert_eq!(keys_and_values(&small), expected);
        let mut keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        keys.push("k0".to_owned());
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let large = last_of_each_key(object(&refs));
        assert_eq!(large.len(), 40);
        assert_eq!(&*large[0].key, "k0");
        assert_eq!(
            format!("{:?}", large[0].value.to_json()),
            "Some(Number(40))"
        );
        let distinct = last_of_each_key(object(&["x", "y"]));
        assert_eq!(distinct.len(), 2);
    }
}
