//! Properties of the parser and printer: printing then re-parsing random well-formed programs
//! gives the same tree; parsing never panics, whatever the input; deep nesting is an error,
//! not a stack overflow.

use super::ast::*;
use super::{parse, print_module, Code, FileId, ParseOptions, Span};
use crate::value::{Number, Time};
use proptest::prelude::*;
use serde_json::Value;

const S: Span = Span {
    file: FileId(0),
    start: 0,
    end: 0,
};

fn ident(name: &str) -> Ident {
    Ident {
        name: name.to_string(),
        span: S,
    }
}

fn var(name: &str) -> Var {
    Var {
        name: name.to_string(),
        span: S,
    }
}

fn string_lit(value: String) -> StringLit {
    StringLit { value, span: S }
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["a", "china", "ties", "p_1", "window_open", "x2"]),
        prop::sample::select(vec!["year", "month", "day", "depth", "note_"]),
    ]
    .prop_map(str::to_string)
}

fn var_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["X", "Y", "T", "Year", "_ignored", "_1"]).prop_map(str::to_string)
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::Int),
        (any::<i32>(), 1u32..6).prop_map(|(m, scale)| {
            let digits = format!("{:0>width$}", m.unsigned_abs(), width = scale as usize + 1);
            let (int, frac) = digits.split_at(digits.len() - scale as usize);
            let sign = if m < 0 { "-" } else { "" };
            Number::parse(&format!("{sign}{int}.{frac}")).expect("a valid decimal")
        }),
    ]
}

fn time() -> impl Strategy<Value = Time> {
    (0u16..10000, 0u8..13, 0u8..29).prop_map(|(y, m, d)| {
        let text = match (m, d) {
            (0, _) => format!("{y:04}"),
            (m, 0) => format!("{y:04}-{m:02}"),
            (m, d) => format!("{y:04}-{m:02}-{d:02}"),
        };
        Time::parse(&text).expect("a valid time")
    })
}

fn text() -> impl Strategy<Value = String> {
    "[a-z \"\\\\\n\t§é%#.()]{0,12}"
}

fn constant() -> BoxedStrategy<Expr> {
    prop_oneof![
        name().prop_map(|n| Expr::Symbol(ident(&n))),
        number().prop_map(|n| Expr::Number(n, S)),
        text().prop_map(|t| Expr::Str(string_lit(t))),
    ]
    .boxed()
}

fn expr() -> BoxedStrategy<Expr> {
    let leaf = prop_oneof![
        constant(),
        var_name().prop_map(|v| Expr::Var(var(&v))),
        Just(Expr::Wildcard(S)),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                prop::sample::select(vec![BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, lhs, rhs)| Expr::Binary(Box::new(Binary {
                    op,
                    lhs,
                    rhs,
                    span: S
                }))),
            inner.clone().prop_map(|e| Expr::Neg(Box::new(e), S)),
            // A year-only time in a time function reads back as an integer, as it should:
            // `year(2005)` is the number 2005. Only dashed times stay times there.
            (
                prop::sample::select(vec!["year", "month", "day"]),
                prop_oneof![
                    inner.clone(),
                    time()
                        .prop_filter("dashed", |t| t.month_of().is_some())
                        .prop_map(|t| Expr::Time(t, S))
                ]
            )
                .prop_map(|(f, arg)| Expr::Call(Box::new(Call {
                    name: ident(f),
                    args: vec![arg],
                    span: S
                }))),
            (
                prop::sample::select(vec!["min", "max"]),
                inner.clone(),
                inner
            )
                .prop_map(|(f, a, b)| Expr::Call(Box::new(Call {
                    name: ident(f),
                    args: vec![a, b],
                    span: S
                }))),
        ]
    })
    .boxed()
}

fn time_expr() -> impl Strategy<Value = Expr> {
    let base = prop_oneof![
        time().prop_map(|t| Expr::Time(t, S)),
        var_name().prop_map(|v| Expr::Var(var(&v))),
        Just(Expr::Wildcard(S)),
    ];
    (base, prop::option::of((any::<bool>(), 0i64..100))).prop_map(|(base, shift)| match shift {
        None => base,
        Some((add, n)) => Expr::Binary(Box::new(Binary {
            op: if add { BinOp::Add } else { BinOp::Sub },
            lhs: base,
            rhs: Expr::Number(Number::Int(n), S),
            span: S,
        })),
    })
}

fn atom(args: BoxedStrategy<Expr>) -> impl Strategy<Value = Atom> {
    (
        name(),
        prop::collection::vec(args, 0..4),
        prop::option::of(time_expr()),
    )
        .prop_map(|(p, args, time)| Atom {
            pred: ident(&p),
            args,
            time,
            span: S,
        })
}

fn cmp_op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ])
}

fn literal() -> impl Strategy<Value = Literal> {
    let simple = prop_oneof![
        atom(expr()).prop_map(Literal::Atom),
        atom(expr()).prop_map(|a| Literal::Not(a, S)),
        (cmp_op(), expr(), expr()).prop_map(|(op, lhs, rhs)| Literal::Compare(Comparison {
            op,
            lhs,
            rhs,
            span: S
        })),
    ];
    simple.prop_recursive(3, 16, 3, |inner| {
        let conj = prop::collection::vec(inner.clone(), 1..3);
        prop_oneof![
            (
                var_name(),
                prop::sample::select(vec![
                    AggFunc::Count,
                    AggFunc::Sum,
                    AggFunc::Min,
                    AggFunc::Max
                ]),
                var_name(),
                conj.clone()
            )
                .prop_map(|(result, func, target, body)| Literal::Aggregate(
                    Aggregate {
                        result: var(&result),
                        func,
                        target: (func != AggFunc::Count).then(|| var(&target)),
                        body,
                        span: S
                    }
                )),
            prop::collection::vec(conj, 2..4).prop_map(|alts| Literal::Or(alts, S)),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<Literal>> {
    prop::collection::vec(literal(), 1..4)
}

fn annotation() -> impl Strategy<Value = Option<StringLit>> {
    prop::option::of(text().prop_map(string_lit))
}

fn pred_ref(arity: bool) -> impl Strategy<Value = PredRef> {
    (name(), prop::option::of(0u32..5)).prop_map(move |(n, a)| PredRef {
        name: ident(&n),
        arity: if arity { Some(a.unwrap_or(1)) } else { a },
        timed: false,
        span: S,
    })
}

/// A predicate of a lane, which may be declared timed (`enacted/2 @`).
fn lane_pred() -> impl Strategy<Value = PredRef> {
    (pred_ref(true), any::<bool>()).prop_map(|(p, timed)| PredRef { timed, ..p })
}

/// `note`, `source [NAME]`, `quote` and `assumed`, each present or not.
fn annotations() -> impl Strategy<Value = Annotations> {
    (
        annotation(),
        annotation(),
        prop::option::of(name()),
        annotation(),
        annotation(),
    )
        .prop_map(|(note, source, document, quote, assumed)| Annotations {
            note: note.map(Box::new),
            source: source.map(|locator| {
                Box::new(Citation {
                    document: document.map(|d| ident(&d)),
                    locator,
                })
            }),
            quote: quote.map(Box::new),
            assumed: assumed.map(Box::new),
        })
}

fn statement() -> impl Strategy<Value = Statement> {
    let fact_time = prop::option::of(time().prop_map(|t| Expr::Time(t, S)));
    prop_oneof![
        (
            name(),
            prop::collection::vec(constant(), 0..4),
            fact_time,
            annotations()
        )
            .prop_map(|(p, args, time, about)| Statement::Fact(Fact {
                atom: Atom {
                    pred: ident(&p),
                    args,
                    time,
                    span: S
                },
                about,
                span: S
            })),
        (
            prop::option::of(name()),
            atom(expr()),
            body(),
            annotations()
        )
            .prop_map(|(n, head, body, about)| Statement::Rule(Box::new(Rule {
                name: n.map(|n| ident(&n)),
                head,
                body,
                about,
                span: S
            }))),
        (
            name(),
            annotation(),
            prop::collection::vec(lane_pred(), 1..3)
        )
            .prop_map(|(n, label, preds)| Statement::Stream(StreamDecl {
                name: ident(&n),
                label,
                preds,
                span: S
            })),
        text().prop_map(|p| Statement::Include(Include {
            path: string_lit(p),
            span: S
        })),
        (pred_ref(true), text()).prop_map(|(pred, p)| Statement::Input(InputDecl {
            pred,
            path: string_lit(p),
            span: S
        })),
        (pred_ref(false), text()).prop_map(|(pred, p)| Statement::Output(OutputDecl {
            pred,
            path: string_lit(p),
            span: S
        })),
        (body(), any::<bool>()).prop_map(|(body, short)| Statement::Query(Query {
            body,
            short,
            span: S
        })),
        (atom(expr()), prop::option::of(any::<u32>()), any::<bool>()).prop_map(
            |(atom, depth, brief)| {
                // `depth N` and `brief` are two reading levels: one or the other.
                let brief = brief && depth.is_none();
                Statement::Why(Box::new(Why {
                    atom,
                    depth,
                    brief,
                    span: S,
                }))
            }
        ),
        atom(expr()).prop_map(|atom| Statement::WhyNot(Box::new(WhyNot { atom, span: S }))),
        prop::collection::vec(atom(expr()), 1..3)
            .prop_map(|atoms| Statement::Retract(Retract { atoms, span: S })),
        (
            prop::collection::vec((any::<bool>(), atom(constant())), 1..3),
            prop::collection::vec(pred_ref(false), 0..3)
        )
            .prop_map(|(changes, show)| Statement::WhatIf(WhatIf {
                changes: changes
                    .into_iter()
                    .map(|(assert, atom)| Change {
                        kind: if assert {
                            ChangeKind::Assert
                        } else {
                            ChangeKind::Retract
                        },
                        atom
                    })
                    .collect(),
                show,
                span: S
            })),
    ]
}

/// The tree as JSON with every span replaced by null: two trees are the same program when
/// these are equal, wherever their nodes were written.
fn without_spans(module: &Module) -> Value {
    fn erase(v: &mut Value) {
        match v {
            Value::Object(map) => {
                let is_span = map.len() == 3
                    && ["file", "start", "end"]
                        .iter()
                        .all(|k| map.contains_key(*k));
                if is_span {
                    *v = Value::Null;
                } else {
                    map.values_mut().for_each(erase);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(erase),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(module).expect("the AST serialises");
    erase(&mut v);
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn print_then_parse_gives_the_same_tree(statements in prop::collection::vec(statement(), 1..6)) {
        let module = Module { statements };
        let printed = print_module(&module);
        let (reparsed, diagnostics) = parse(&printed, FileId(0), ParseOptions::default());
        prop_assert!(diagnostics.is_empty(), "{printed}\n{diagnostics:?}");
        prop_assert_eq!(without_spans(&reparsed), without_spans(&module), "{}", printed);
    }

    #[test]
    fn parsing_never_panics(text in "[a-zA-Z_0-9 ()\\[\\]{},.;:?@=<>!+*/\"\\\\#%\n-]{0,200}") {
        let _ = parse(&text, FileId(0), ParseOptions::default());
    }

    #[test]
    fn parsing_never_panics_on_any_text(text in any::<String>()) {
        let _ = parse(&text, FileId(0), ParseOptions::default());
    }
}

/// Every real file of the repository round-trips too.
#[test]
fn repository_files_round_trip() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in ["tests/language", "rules", "examples"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable entry").path();
            if path.extension().is_none_or(|e| e != "msf") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8 file");
            let (module, diagnostics) = parse(&text, FileId(0), ParseOptions::default());
            assert!(diagnostics.is_empty(), "{}", path.display());
            let printed = print_module(&module);
            let (reparsed, diagnostics) = parse(&printed, FileId(0), ParseOptions::default());
            assert!(diagnostics.is_empty(), "{printed}");
            assert_eq!(
                without_spans(&reparsed),
                without_spans(&module),
                "{}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} files checked");
}

fn deep(open: &str, close: &str, depth: usize) -> String {
    format!(
        "big(X) :- gdp(X, G), G > {}1{}.\n",
        open.repeat(depth),
        close.repeat(depth)
    )
}

#[test]
fn input_nested_100_000_levels_deep_is_an_error_not_a_crash() {
    let (_, diagnostics) = parse(&deep("(", ")", 100_000), FileId(0), ParseOptions::default());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::TooDeep);
    assert_eq!(
        diagnostics[0].message,
        "nesting too deep: more than 100 levels of parentheses, braces or operators"
    );
    let groups = format!("p :- {}q{}.", "(".repeat(100_000), ")".repeat(100_000));
    let (_, diagnostics) = parse(&groups, FileId(0), ParseOptions::default());
    assert_eq!(diagnostics[0].code, Code::TooDeep);
    let negations = format!("p(X) :- q(X), Y = {}X.", "-".repeat(100_000));
    let (_, diagnostics) = parse(&negations, FileId(0), ParseOptions::default());
    assert_eq!(diagnostics[0].code, Code::TooDeep);
    let sums = format!("p(X) :- q(X), Y = X{}.", " + 1".repeat(100_000));
    let (_, diagnostics) = parse(&sums, FileId(0), ParseOptions::default());
    assert_eq!(diagnostics[0].code, Code::TooDeep);
}

#[test]
fn nesting_just_under_the_limit_parses_on_a_test_thread() {
    let (module, diagnostics) = parse(&deep("(", ")", 100), FileId(0), ParseOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let printed = print_module(&module);
    assert_eq!(printed, "big(X) :- gdp(X, G), G > 1.\n");
    let groups = format!("p :- {}q{}.", "(".repeat(100), ")".repeat(100));
    let (_, diagnostics) = parse(&groups, FileId(0), ParseOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn the_depth_limit_is_configurable() {
    let options = ParseOptions {
        max_depth: 8,
        ..ParseOptions::default()
    };
    let (_, diagnostics) = parse(&deep("(", ")", 9), FileId(0), options);
    assert_eq!(
        diagnostics[0].message,
        "nesting too deep: more than 8 levels of parentheses, braces or operators"
    );
    let (_, diagnostics) = parse(&deep("(", ")", 7), FileId(0), options);
    assert!(diagnostics.is_empty());
}
