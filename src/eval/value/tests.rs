//! Values: kinds, order, arithmetic.

use super::*;
use crate::eval::expr::compare;
use crate::syntax::ast::BinOp;
use crate::syntax::Builtin;

fn n(s: &str) -> Const {
    Const::number(Number::parse(s).expect("number"))
}

fn t(s: &str) -> Const {
    Const::Time(Time::parse(s).expect("time"))
}

fn op(o: BinOp, a: &str, b: &str) -> String {
    match binary(o, &n(a), &n(b)) {
        Ok(Some(c)) => c.to_string(),
        Ok(None) => "none".into(),
        Err(e) => format!("{e:?}"),
    }
}

#[test]
fn integers_and_decimals() {
    // A decimal without fraction digits is the integer (LANGUAGE.md §8, "Numbers").
    assert_eq!(n("3.0"), n("3"));
    assert_eq!(n("3.0").compare(&n("3")), Some(Ordering::Equal));
    assert_eq!(n("3").total_cmp(&n("3.5")), Ordering::Less);
    assert_eq!(n("3.20"), n("3.2"));
    assert_eq!(op(BinOp::Add, "1.5", "1.5"), "3");
    assert_eq!(n("1.5").compare(&n("1.5")), Some(Ordering::Equal));
    assert_eq!(op(BinOp::Div, "7", "2"), "3");
    assert_eq!(op(BinOp::Div, "-7", "2"), "-3");
    assert_eq!(op(BinOp::Div, "7.0", "2"), "3", "7.0 is the integer 7");
    assert_eq!(op(BinOp::Mul, "7", "0.5"), "3.5");
    assert_eq!(op(BinOp::Div, "7.5", "2"), "3.75");
    assert_eq!(op(BinOp::Div, "1", "0"), "none");
    assert_eq!(op(BinOp::Div, "1.5", "0"), "none");
    assert_eq!(op(BinOp::Div, "1", "0.3"), "3.333333333333333333");
    assert_eq!(op(BinOp::Div, "10.5", "4"), "2.625");
    assert_eq!(op(BinOp::Div, "100.5", "3"), "33.5");
    assert_eq!(op(BinOp::Div, "1.5", "3"), "0.5");
    assert_eq!(op(BinOp::Mul, "3.25", "1.5"), "4.875");
    assert_eq!(op(BinOp::Sub, "6.8", "3.2"), "3.6");
    assert_eq!(op(BinOp::Add, "9223372036854775807", "1"), "Overflow");
    assert_eq!(op(BinOp::Mul, "-9223372036854775808", "-1"), "Overflow");
    assert_eq!(op(BinOp::Div, "-9223372036854775808", "-1"), "Overflow");
}

#[test]
fn comparisons_across_kinds() {
    assert_eq!(n("3.2").compare(&n("6.8")), Some(Ordering::Less));
    assert_eq!(t("2005-07").compare(&n("2010")), Some(Ordering::Less));
    // Ordered against a number, a time is its year (LANGUAGE.md §7).
    assert_eq!(t("2010-03").compare(&n("2010")), Some(Ordering::Equal));
    assert_eq!(t("2010").compare(&n("2010")), Some(Ordering::Equal));
    assert_eq!(t("2010").compare(&n("2009.5")), Some(Ordering::Greater));
    assert!(t("2010").holds(CmpOp::Lt, &n("10000")));
    assert!(t("2010").holds(CmpOp::Gt, &n("-1")));
    assert!(t("2010-03").holds(CmpOp::Ge, &n("2010")));
    // ... and never equal to one.
    assert!(!t("2010").holds(CmpOp::Eq, &n("2010")));
    assert!(t("2010").holds(CmpOp::Ne, &n("2010")));
    assert_eq!(Const::Sym("a".into()).compare(&n("1")), None);
    assert_eq!(
        Const::Sym("a".into()).compare(&Const::Str("a".into())),
        None
    );
}

#[test]
fn time_arithmetic_keeps_granularity() {
    let shift = |a: &str, k: &str| {
        binary(BinOp::Add, &t(a), &n(k))
            .expect("ok")
            .expect("some")
            .to_string()
    };
    assert_eq!(shift("2005-07", "2"), "2007-07");
    assert_eq!(shift("2004-02-29", "1"), "2005-02-28");
    assert_eq!(
        binary(BinOp::Sub, &t("2013"), &t("1992-12-25")).expect("ok"),
        Some(Const::Int(21))
    );
    assert!(binary(BinOp::Add, &t("2013"), &t("1992")).is_err());
    assert!(binary(BinOp::Add, &Const::Sym("china".into()), &n("1")).is_err());
}

#[test]
fn functions() {
    assert_eq!(
        call(Builtin::Year, &[t("2005-07")]),
        Ok(Some(Const::Int(2005)))
    );
    assert_eq!(
        call(Builtin::Month, &[t("2005-07")]),
        Ok(Some(Const::Int(7)))
    );
    assert_eq!(call(Builtin::Month, &[t("2005")]), Ok(None));
    assert_eq!(
        call(Builtin::FirstDay, &[t("2012")]),
        Ok(Some(t("2012-01-01")))
    );
    assert_eq!(
        call(Builtin::LastDay, &[t("2012")]),
        Ok(Some(t("2012-12-31")))
    );
    assert_eq!(
        call(Builtin::LastDay, &[t("2012-02")]),
        Ok(Some(t("2012-02-29")))
    );
    assert_eq!(
        call(Builtin::LastDay, &[t("2013-02")]),
        Ok(Some(t("2013-02-28")))
    );
    assert_eq!(
        call(Builtin::FirstDay, &[t("2012-07-15")]),
        Ok(Some(t("2012-07-15")))
    );
    assert_eq!(
        call(Builtin::LastDay, &[n("2006")]),
        Ok(Some(t("2006-12-31")))
    );
    assert!(call(Builtin::FirstDay, &[Const::Sym("a".into())]).is_err());
    assert_eq!(
        call(Builtin::Max, &[n("3.2"), n("6.8")]),
        Ok(Some(n("6.8")))
    );
    assert_eq!(
        call(Builtin::Min, &[n("3"), Const::Sym("a".into())]),
        Ok(None)
    );
    // A call of the wrong arity (which the checker refuses) answers an error, not a panic.
    assert!(call(Builtin::Min, &[n("3")]).is_err());
    assert!(call::<Const>(Builtin::Year, &[]).is_err());
}

#[test]
fn text_finds_the_constant_interned_before() {
    let mut interner = Interner::default();
    let sym = interner.intern(Const::Sym("horgos".into()));
    let string = interner.intern(Const::Str("horgos".into()));
    assert_ne!(sym, string);
    assert_eq!(interner.intern_text(true, "horgos"), sym);
    assert_eq!(interner.intern_text(false, "horgos"), string);
    let new = interner.intern_text(true, "khorgos");
    assert_eq!(interner.intern(Const::Sym("khorgos".into())), new);
}

#[test]
fn integers_in_their_ids_and_beyond() {
    let mut interner = Interner::default();
    let edges = [
        MIN_INLINE - 1,
        MIN_INLINE,
        -1,
        0,
        2010,
        -MIN_INLINE - 2,
        -MIN_INLINE - 1,
        i64::MAX,
        i64::MIN,
    ];
    for n in edges {
        let v = interner.intern(Const::Int(n));
        assert!(v.is_some(), "{n} is not the timeless marker");
        assert_eq!(*interner.get(v), Const::Int(n), "{n} comes back");
        assert_eq!(interner.int(v), Some(n));
        assert_eq!(interner.intern(Const::Int(n)), v, "{n} has one id");
    }
    let inline = |n| Value::inline_int(n).is_some();
    assert!(inline(MIN_INLINE) && inline(-MIN_INLINE - 2));
    assert!(!inline(MIN_INLINE - 1) && !inline(-MIN_INLINE - 1));
    assert_eq!(Value::NONE.as_inline_int(), None);
    let three = interner.intern(Const::Int(3));
    let big = interner.intern(Const::Int(i64::MAX));
    assert!(compare(&interner, CmpOp::Lt, three, big));
    let (minus_four, three_dec) = (interner.intern(Const::Int(-4)), interner.intern(n("3.0")));
    assert!(compare(&interner, CmpOp::Gt, three, minus_four));
    assert!(compare(&interner, CmpOp::Eq, three, three_dec));
}

/// Every time is kept in its id: it comes back, knows its year, and the ids of any two
/// times compare as the times do, the first and last years of the calendar included.
#[test]
fn times_in_their_ids_keep_their_order() {
    let mut interner = Interner::default();
    let sym = interner.intern(Const::Sym("horgos".into()));
    let mut times = Vec::new();
    for year in [0u16, 1, 1991, 1992, 2000, 9998, 9999] {
        times.push(Time::year(year));
        for month in 1..=12 {
            let text = format!("{year:04}-{month:02}");
            times.push(Time::parse(&text).expect("a month"));
            for day in [1, 15, 28] {
                times.push(Time::parse(&format!("{text}-{day:02}")).expect("a day"));
            }
        }
    }
    let ids: Vec<Value> = times
        .iter()
        .map(|&t| interner.intern(Const::Time(t)))
        .collect();
    assert_eq!(interner.len(), 1, "no time takes a table entry");
    for (&t, &v) in times.iter().zip(&ids) {
        assert!(
            v.is_some() && v != sym && v.as_inline_int().is_none(),
            "{t}"
        );
        assert_eq!(*interner.get(v), Const::Time(t), "{t} comes back");
        assert_eq!(v.as_time(), Some(t));
        assert_eq!(interner.int_or_year(v), Some(i64::from(t.year_of())));
        assert_eq!(interner.id_of(&Const::Time(t)), Some(v));
        assert!(interner.knows(&Const::Time(t)));
    }
    for (&a, &x) in times.iter().zip(&ids) {
        for (&b, &y) in times.iter().zip(&ids) {
            assert_eq!(x.cmp(&y), a.cmp(&b), "{a} against {b}");
            assert_eq!(interner.later(x, y), a > b, "{a} later than {b}");
        }
    }
    assert_eq!(sym.as_time(), None);
    assert_eq!(Value::NONE.as_time(), None);
    let year = interner.intern(Const::Int(2005));
    assert_eq!(year.as_time(), None);
}
