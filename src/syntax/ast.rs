//! The abstract syntax tree: what a `.msf` text says, with a byte [`Span`] on every node.
//!
//! The tree is close to the text (a fact's arguments are still expressions, a disjunction is
//! still a disjunction); the checker validates it and the evaluator lowers it.

use serde::Serialize;

use super::source::Span;
use crate::value::{Number, Time};

/// A parsed text: its statements in order.
#[derive(Clone, Debug, PartialEq, Serialize, Default)]
pub struct Module {
    /// The statements, in the order they were written.
    pub statements: Vec<Statement>,
}

/// One statement, ended by `.` (or `?` for the short query form). Facts are by far the most
/// numerous, so the large and rare statements (rules, `why`, `whynot`) are boxed and a
/// statement takes no more room than a fact.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Statement {
    /// `pred(args) @ TIME note "…" source "…".`
    Fact(Fact),
    /// `document NAME "path" [note "…"].`
    Document(DocumentDecl),
    /// `head :- body.` or `rule name: head when body.`
    Rule(Box<Rule>),
    /// `stream NAME "Label": pred/arity, … .`
    Stream(StreamDecl),
    /// `include "file.msf".`
    Include(Include),
    /// `input pred/N from "file.csv".`
    Input(InputDecl),
    /// `output pred to "file.csv".`
    Output(OutputDecl),
    /// `?- body.` or `body?`
    Query(Query),
    /// `why atom [@ TIME] [depth N].`
    Why(Box<Why>),
    /// `whynot atom [@ TIME].`
    WhyNot(Box<WhyNot>),
    /// `retract atom [@ TIME], … .`
    Retract(Retract),
    /// `whatif retract|assert atom, … [show pred, …].`
    WhatIf(WhatIf),
}

impl Statement {
    /// Whether the statement only asks (a query, `why`, `whynot`, `whatif`): it changes no
    /// fact or rule.
    pub fn only_asks(&self) -> bool {
        matches!(
            self,
            Statement::Query(_) | Statement::Why(_) | Statement::WhyNot(_) | Statement::WhatIf(_)
        )
    }

    /// The whole statement's span, final `.` included.
    pub fn span(&self) -> Span {
        match self {
            Statement::Fact(s) => s.span,
            Statement::Rule(s) => s.span,
            Statement::Stream(s) => s.span,
            Statement::Include(s) => s.span,
            Statement::Document(s) => s.span,
            Statement::Input(s) => s.span,
            Statement::Output(s) => s.span,
            Statement::Query(s) => s.span,
            Statement::Why(s) => s.span,
            Statement::WhyNot(s) => s.span,
            Statement::Retract(s) => s.span,
            Statement::WhatIf(s) => s.span,
        }
    }
}

/// A lower-case name: a predicate, symbol constant, rule or lane name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A variable (`X`, `Year`, `_ignored`); the lone `_` is [`Expr::Wildcard`] instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Var {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A string literal, escapes resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StringLit {
    /// The text between the quotes, escapes resolved.
    pub value: String,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// Binary arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    /// Binding strength: `*` and `/` bind tighter than `+` and `-`.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Div => 2,
        }
    }
}

/// An expression: an argument, a side of a comparison, a head time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Expr {
    /// A named variable.
    Var(Var),
    /// `_`: matches anything, binds nothing; each one is distinct.
    Wildcard(Span),
    /// A symbol constant (`china`).
    Symbol(Ident),
    /// An integer or decimal literal.
    Number(Number, Span),
    /// A string literal.
    Str(StringLit),
    /// A time literal (after `@`, or as an argument of `year`/`month`/`day`).
    Time(Time, Span),
    /// `name(args)`: a function call (`year(T)`, `min(A, B)`); boxed, so that the common
    /// expressions (a variable, a constant) take 48 bytes.
    Call(Box<Call>),
    /// `lhs op rhs`.
    Binary(Box<Binary>),
    /// `-operand` (a negative number literal is folded into [`Expr::Number`]).
    Neg(Box<Expr>, Span),
}

impl Expr {
    /// Where the expression was written.
    pub fn span(&self) -> Span {
        match self {
            Expr::Var(v) => v.span,
            Expr::Symbol(s) => s.span,
            Expr::Str(s) => s.span,
            Expr::Call(c) => c.span,
            Expr::Binary(b) => b.span,
            Expr::Wildcard(span)
            | Expr::Number(_, span)
            | Expr::Time(_, span)
            | Expr::Neg(_, span) => *span,
        }
    }
}

/// `name(args)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Call {
    /// The function (or, in a literal, the predicate).
    pub name: Ident,
    /// The arguments.
    pub args: Vec<Expr>,
    /// From the name to the closing parenthesis.
    pub span: Span,
}

/// `lhs op rhs`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binary {
    /// The operator.
    pub op: BinOp,
    /// Left operand.
    pub lhs: Expr,
    /// Right operand.
    pub rhs: Expr,
    /// From the left operand to the right one.
    pub span: Span,
}

/// `pred(args) [@ time]`: a fact, a rule head, a body atom, or the subject of a command.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Atom {
    /// The predicate name.
    pub pred: Ident,
    /// The arguments (`pred` and `pred()` both have none).
    pub args: Vec<Expr>,
    /// The time after `@`, if any.
    pub time: Option<Expr>,
    /// From the predicate to the end of the time.
    pub span: Span,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=` (also a binding when one side is an unbound variable)
    Eq,
    /// `!=`
    Ne,
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }

    /// The comparison that holds exactly when this one does not: `<=` for `>`.
    pub fn negated(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        }
    }

    /// The comparison of the two sides swapped: `>` for `<` (`a < b` holds when `b > a` does).
    pub fn flipped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            CmpOp::Eq | CmpOp::Ne => self,
        }
    }

    /// Whether an ordering of two values satisfies the comparison.
    pub fn accepts(self, order: std::cmp::Ordering) -> bool {
        match self {
            CmpOp::Lt => order.is_lt(),
            CmpOp::Le => order.is_le(),
            CmpOp::Gt => order.is_gt(),
            CmpOp::Ge => order.is_ge(),
            CmpOp::Eq => order.is_eq(),
            CmpOp::Ne => order.is_ne(),
        }
    }
}

/// `count`, `sum`, `min`, `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum AggFunc {
    /// The number of distinct matches.
    Count,
    /// The sum of the target over distinct matches.
    Sum,
    /// The least value of the target.
    Min,
    /// The greatest value of the target.
    Max,
}

impl AggFunc {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            AggFunc::Count => "count",
            AggFunc::Sum => "sum",
            AggFunc::Min => "min",
            AggFunc::Max => "max",
        }
    }
}

/// `Result = func [Target] { body }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Aggregate {
    /// The variable that receives (or tests) the result.
    pub result: Var,
    /// Which aggregate.
    pub func: AggFunc,
    /// The aggregated variable (`sum X { … }`); `None` for `count`.
    pub target: Option<Var>,
    /// The literals inside the braces.
    pub body: Vec<Literal>,
    /// From the result variable to the closing brace.
    pub span: Span,
}

/// `lhs op rhs`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The operator.
    pub op: CmpOp,
    /// Left side.
    pub lhs: Expr,
    /// Right side.
    pub rhs: Expr,
    /// From the left side to the right side.
    pub span: Span,
}

/// One condition of a rule body or query.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Literal {
    /// A positive atom.
    Atom(Atom),
    /// `not atom`; the span covers the `not`.
    Not(Atom, Span),
    /// A comparison or binding.
    Compare(Comparison),
    /// An aggregate.
    Aggregate(Aggregate),
    /// `a, b ; c` / `a and b or c`: alternatives, each a conjunction.
    Or(Vec<Vec<Literal>>, Span),
}

/// What a fact or rule says about itself (LANGUAGE.md §7, "Evidence"): its wording, its
/// citation, the words of the source that back it, or the modeller's reason for assuming it.
/// Each at most once, in any order. Each part is boxed: most of a million facts say nothing,
/// and hold 32 bytes for it instead of 200.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Annotations {
    /// `note "…"`: the wording explanations use.
    pub note: Option<Box<StringLit>>,
    /// `source NAME "locator"` or `source "free text"`.
    pub source: Option<Box<Citation>>,
    /// `quote "…"`: words that must occur in the cited document.
    pub quote: Option<Box<StringLit>>,
    /// `assumed "reason"`: the modeller's inference, not stated by the source.
    pub assumed: Option<Box<StringLit>>,
}

/// `source NAME "locator"` (a declared document) or `source "free text"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Citation {
    /// The document cited, if named.
    pub document: Option<Ident>,
    /// Where in it (`"§3.1.1"`), or the whole citation when no document is named.
    pub locator: StringLit,
}

/// A base fact.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fact {
    /// The atom (ground, with an optional time literal).
    pub atom: Atom,
    /// Its note, source, quote and assumption.
    pub about: Annotations,
    /// The whole statement.
    pub span: Span,
}

/// A rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// `rule NAME:`, if given.
    pub name: Option<Ident>,
    /// The head; its time, if any, is the derived fact's time.
    pub head: Atom,
    /// The conditions.
    pub body: Vec<Literal>,
    /// Its note, source, quote and assumption.
    pub about: Annotations,
    /// The whole statement.
    pub span: Span,
}

/// `pred/arity` (the arity is optional where the statement allows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PredRef {
    /// The predicate name.
    pub name: Ident,
    /// The number of arguments, if written.
    pub arity: Option<u32>,
    /// Whether a lane declares its facts timed (`enacted/2 @`): a fact without a time is
    /// then an error.
    pub timed: bool,
    /// The whole reference.
    pub span: Span,
}

/// `stream NAME ["Label"]: pred/arity, … .`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StreamDecl {
    /// The lane's name.
    pub name: Ident,
    /// The lane's label for pictures, if given.
    pub label: Option<StringLit>,
    /// The predicates in the lane.
    pub preds: Vec<PredRef>,
    /// The whole statement.
    pub span: Span,
}

/// `document NAME "path" [note "…"].`: a source text that quotes are checked against.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentDecl {
    /// The name citations use.
    pub name: Ident,
    /// The path, relative to the declaring file.
    pub path: StringLit,
    /// `note "…"`: what the document is (author, title, licence).
    pub note: Option<StringLit>,
    /// The document's text among the sources, once the loader has read it.
    #[serde(skip)]
    pub text: Option<super::source::FileId>,
    /// The file the path names, links followed, once the loader has resolved it: two
    /// declarations of one name agree when they name one file.
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
    /// The whole statement.
    pub span: Span,
}

/// `include "path".`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Include {
    /// The path, relative to the including file.
    pub path: StringLit,
    /// The whole statement.
    pub span: Span,
}

/// `input pred/N from "path".`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputDecl {
    /// The predicate and its arity.
    pub pred: PredRef,
    /// The CSV or TSV file.
    pub path: StringLit,
    /// The whole statement.
    pub span: Span,
}

/// `output pred to "path".`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutputDecl {
    /// The predicate.
    pub pred: PredRef,
    /// The file to write.
    pub path: StringLit,
    /// The whole statement.
    pub span: Span,
}

/// A query.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Query {
    /// The conditions to answer.
    pub body: Vec<Literal>,
    /// Written as `body?` rather than `?- body.`
    pub short: bool,
    /// The whole statement.
    pub span: Span,
}

/// `why atom [@ TIME] [depth N].`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Why {
    /// The fact(s) to explain; variables match every derived fact.
    pub atom: Atom,
    /// How many levels to print.
    pub depth: Option<u32>,
    /// `brief`: the MSF card, one line per lane, instead of the tree.
    pub brief: bool,
    /// The whole statement.
    pub span: Span,
}

/// `whynot atom [@ TIME].`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhyNot {
    /// The fact that does not hold.
    pub atom: Atom,
    /// The whole statement.
    pub span: Span,
}

/// `retract atom [@ TIME], … .`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retract {
    /// The base facts to remove.
    pub atoms: Vec<Atom>,
    /// The whole statement.
    pub span: Span,
}

/// Assert or retract, in a `whatif`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ChangeKind {
    /// Add a base fact.
    Assert,
    /// Remove a base fact.
    Retract,
}

/// One hypothetical change of a `whatif`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Add or remove.
    pub kind: ChangeKind,
    /// The fact.
    pub atom: Atom,
}

/// `whatif retract|assert atom, … [show pred, …].`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatIf {
    /// The changes, in order; a change without a keyword repeats the previous one's.
    pub changes: Vec<Change>,
    /// The predicates whose gains and losses to show (all when empty).
    pub show: Vec<PredRef>,
    /// The whole statement.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_fact_without_annotations_holds_little() {
        // The annotations were inline (200 bytes a fact that says nothing): a 124 MB file of
        // plain facts cost 32 bytes a byte and aborted `check` past 4 GB.
        assert!(std::mem::size_of::<super::Statement>() <= 176);
        assert!(std::mem::size_of::<super::Annotations>() <= 32);
    }
}
