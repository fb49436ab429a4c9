//! The parts of an HCL file iamlint evaluates, in a compact form of its own. hcl-edit's
//! tree keeps every comment and blank as owned text, about twenty times the file's size;
//! a module's files are held until every file of the scan is read, so each is converted
//! as soon as it is parsed and hcl-edit's tree is dropped on the thread that parsed it.

use std::sync::Arc;

pub use hcl_edit::expr::BinaryOperator;
use hcl_edit::expr::{Expression, ObjectKey as HclKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element};
use hcl_edit::Span as _;
use serde_json::Number;

use crate::model::shared_str::SharedStr;

/// A name or string of the file, shared with an equal one the thread made lately (see
/// [`SharedStr`]): a module's files repeat a small vocabulary (attribute and block names,
/// `var`, `each`, `"Allow"`, `"sts:AssumeRole"`), and one allocation each was a tenth of
/// the allocations of a scan of a Terraform tree.
fn shared(text: &str) -> Arc<str> {
    SharedStr::new(text).into_arc()
}

/// A byte range of the parsed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// A byte range as a span (None past 4 GiB, which no file read reaches).
pub fn span(r: Option<std::ops::Range<usize>>) -> Option<Span> {
    let r = r?;
    Some(Span {
        start: u32::try_from(r.start).ok()?,
        end: u32::try_from(r.end).ok()?,
    })
}

/// A body: attributes and blocks, in the order written.
#[derive(Debug, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
    pub span: Option<Span>,
}

#[derive(Debug)]
pub struct Attribute {
    pub key: Arc<str>,
    pub key_span: Option<Span>,
    pub value: Expr,
}

#[derive(Debug)]
pub struct Block {
    pub ident: Arc<str>,
    pub ident_span: Option<Span>,
    pub labels: Vec<Arc<str>>,
    pub body: Body,
    pub span: Option<Span>,
}

impl Body {
    pub fn get_attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| &*a.key == key)
    }

    pub fn get_blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| &*b.ident == ident)
    }
}

impl Block {
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(|l| &**l)
    }
}

/// An expression and where it is.
#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Option<Span>,
}

#[derive(Debug)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// None for a number JSON cannot hold.
    Number(Option<Number>),
    String(Arc<str>),
    Array(Box<[Expr]>),
    Object(Box<[(ObjectKey, Expr)]>),
    /// A quoted string with interpolations or directives.
    Template(Box<Template>),
    /// A heredoc: the expression's span is the whole heredoc, the template's its text.
    Heredoc(Box<Template>),
    Variable(Arc<str>),
    /// A base and the operators applied to it in turn.
    Traversal(Box<(Expr, Box<[Op]>)>),
    Call(Box<Call>),
    Conditional(Box<(Expr, Expr, Expr)>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinaryOperator, Box<(Expr, Expr)>),
    For(Box<ForExpr>),
}

/// A function call.
#[derive(Debug)]
pub struct Call {
    pub name: Arc<str>,
    /// A provider function (`provider::aws::arn_parse`): never evaluated.
    pub namespaced: bool,
    pub args: Box<[Expr]>,
    /// The last argument is expanded (`f(list...)`).
    pub expand: bool,
}

#[derive(Debug)]
pub enum ObjectKey {
    /// A bare name (`Version = …`).
    Name(Arc<str>, Option<Span>),
    /// A quoted or computed key.
    Expr(Box<Expr>),
}

#[derive(Debug)]
pub enum Op {
    GetAttr(Arc<str>),
    Index(Box<Expr>),
    LegacyIndex(u64),
    /// `[*]` or `.*`: the operators after it apply to each item.
    Splat,
}

#[derive(Debug)]
pub struct Template {
    pub parts: Vec<Part>,
    pub span: Option<Span>,
}

#[derive(Debug)]
pub enum Part {
    /// Literal text; `verbatim` when it is the file's bytes character for character
    /// (no escape was undone).
    Literal {
        text: Arc<str>,
        verbatim: bool,
    },
    Interpolation(Expr),
    If {
        cond: Box<Expr>,
        then: Box<Template>,
        otherwise: Option<Box<Template>>,
    },
    For(Box<TemplateFor>),
}

/// A template's `%{ for … }` directive.
#[derive(Debug)]
pub struct TemplateFor {
    pub key_var: Option<Arc<str>>,
    pub value_var: Arc<str>,
    pub collection: Expr,
    pub body: Template,
}

#[derive(Debug)]
pub struct ForExpr {
    pub key_var: Option<Arc<str>>,
    pub value_var: Arc<str>,
    pub collection: Expr,
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    pub grouping: bool,
}

/// A JSON value (a `*.tfvars.json` value) as a literal expression, placed as a whole.
pub fn json_expr(v: &serde_json::Value, at: Option<Span>) -> Expr {
    use serde_json::Value;
    let kind = match v {
        Value::Null => ExprKind::Null,
        Value::Bool(b) => ExprKind::Bool(*b),
        Value::Number(n) => ExprKind::Number(Some(n.clone())),
        Value::String(s) => ExprKind::String(shared(s.as_str())),
        Value::Array(items) => ExprKind::Array(items.iter().map(|i| json_expr(i, at)).collect()),
        Value::Object(map) => ExprKind::Object(
            map.iter()
                .map(|(k, v)| (ObjectKey::Name(shared(k.as_str()), at), json_expr(v, at)))
                .collect(),
        ),
    };
    Expr { kind, span: at }
}

/// Converts a parsed body, keeping only the top-level structures `keep` accepts.
pub fn convert_body(
    body: &hcl_edit::structure::Body,
    keep: impl Fn(&hcl_edit::structure::Structure) -> bool,
) -> Body {
    // Sized exactly: a module's trees stay in memory until it is evaluated, and vectors
    // grown by pushing are a quarter empty on average.
    let attributes = body.iter().filter(|s| s.is_attribute() && keep(s)).count();
    let blocks = body.iter().filter(|s| s.is_block() && keep(s)).count();
    let mut out = Body {
        span: span(body.span()),
        attributes: Vec::with_capacity(attributes),
        blocks: Vec::with_capacity(blocks),
    };
    for s in body.iter().filter(|s| keep(s)) {
        match s {
            hcl_edit::structure::Structure::Attribute(a) => out.attributes.push(attribute(a)),
            hcl_edit::structure::Structure::Block(b) => out.blocks.push(block(b)),
        }
    }
    out
}

fn attribute(a: &hcl_edit::structure::Attribute) -> Attribute {
    Attribute {
        key: shared(a.key.as_str()),
        key_span: span(a.key.span()),
        value: expr(&a.value),
    }
}

fn block(b: &hcl_edit::structure::Block) -> Block {
    Block {
        ident: shared(b.ident.as_str()),
        ident_span: span(b.ident.span()),
        labels: b.labels.iter().map(|l| shared(l.as_str())).collect(),
        body: convert_body(&b.body, |_| true),
        span: span(b.span()),
    }
}

fn number(n: &hcl_edit::Number) -> Option<Number> {
    if let Some(i) = n.as_i64() {
        return Some(Number::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(Number::from(u));
    }
    let f = n.as_f64()?;
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return Some(Number::from(f as i64));
    }
    Number::from_f64(f)
}

fn expr(e: &Expression) -> Expr {
    let kind = match e {
        Expression::Null(_) => ExprKind::Null,
        Expression::Bool(b) => ExprKind::Bool(*b.value()),
        Expression::Number(n) => ExprKind::Number(number(n.value())),
        Expression::String(s) => ExprKind::String(shared(s.value().as_str())),
        Expression::Array(items) => ExprKind::Array(items.iter().map(expr).collect()),
        Expression::Object(obj) => ExprKind::Object(
            obj.iter()
                .map(|(k, v)| {
                    let key = match k {
                        HclKey::Ident(id) => ObjectKey::Name(shared(id.as_str()), span(k.span())),
                        HclKey::Expression(Expression::Variable(v)) => {
                            ObjectKey::Name(shared(v.as_str()), span(k.span()))
                        }
                        HclKey::Expression(e) => ObjectKey::Expr(Box::new(expr(e))),
                    };
                    (key, expr(v.expr()))
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => ExprKind::Template(Box::new(template(t, None))),
        Expression::HeredocTemplate(h) => {
            ExprKind::Heredoc(Box::new(template(&h.template, span(h.template.span()))))
        }
        Expression::Parenthesis(p) => return expr(p.inner()),
        Expression::Variable(v) => ExprKind::Variable(shared(v.as_str())),
        Expression::Conditional(c) => ExprKind::Conditional(Box::new((
            expr(&c.cond_expr),
            expr(&c.true_expr),
            expr(&c.false_expr),
        ))),
        Expression::FuncCall(call) => ExprKind::Call(Box::new(Call {
            name: shared(call.name.name.as_str()),
            namespaced: !call.name.namespace.is_empty(),
            args: call.args.iter().map(expr).collect(),
            expand: call.args.expand_final(),
        })),
        Expression::Traversal(t) => ExprKind::Traversal(Box::new((
            expr(&t.expr),
            t.operators
                .iter()
                .map(|op| match op.value() {
                    TraversalOperator::GetAttr(id) => Op::GetAttr(shared(id.as_str())),
                    TraversalOperator::Index(e) => Op::Index(Box::new(expr(e))),
                    TraversalOperator::LegacyIndex(n) => Op::LegacyIndex(*n.value()),
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => Op::Splat,
                })
                .collect(),
        ))),
        Expression::UnaryOp(op) => match op.operator.value() {
            UnaryOperator::Not => ExprKind::Not(Box::new(expr(&op.expr))),
            UnaryOperator::Neg => ExprKind::Neg(Box::new(expr(&op.expr))),
        },
        Expression::BinaryOp(op) => ExprKind::Binary(
            *op.operator.value(),
            Box::new((expr(&op.lhs_expr), expr(&op.rhs_expr))),
        ),
        Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
            key_var: f.intro.key_var.as_ref().map(|k| shared(k.as_str())),
            value_var: shared(f.intro.value_var.as_str()),
            collection: expr(&f.intro.collection_expr),
            key: f.key_expr.as_ref().map(expr),
            value: expr(&f.value_expr),
            cond: f.cond.as_ref().map(|c| expr(&c.expr)),
            grouping: f.grouping,
        })),
    };
    Expr {
        kind,
        span: span(e.span()),
    }
}

/// A template; `at` overrides its span (a heredoc's text).
pub fn template(t: &hcl_edit::template::Template, at: Option<Span>) -> Template {
    let parts = t
        .iter()
        .map(|element| match element {
            Element::Literal(lit) => {
                let value = lit.value();
                let verbatim = lit.span().is_none_or(|s| s.len() == value.len());
                Part::Literal {
                    text: shared(value.as_str()),
                    verbatim,
                }
            }
            Element::Interpolation(i) => Part::Interpolation(expr(&i.expr)),
            Element::Directive(d) => match &**d {
                Directive::If(d) => Part::If {
                    cond: Box::new(expr(&d.if_expr.cond_expr)),
                    then: Box::new(template(&d.if_expr.template, None)),
                    otherwise: d
                        .else_expr
                        .as_ref()
                        .map(|e| Box::new(template(&e.template, None))),
                },
                Directive::For(d) => Part::For(Box::new(TemplateFor {
                    key_var: d.for_expr.key_var.as_ref().map(|k| shared(k.as_str())),
                    value_var: shared(d.for_expr.value_var.as_str()),
                    collection: expr(&d.for_expr.collection_expr),
                    body: template(&d.for_expr.template, None),
                })),
            },
        })
        .collect();
    Template {
        parts,
        span: at.or_else(|| span(t.span())),
    }
}
