//! Runtime values: constants interned into small copyable ids, with the language's
//! comparisons (numbers numerically, times chronologically, an integer against a time as a
//! year) and exact arithmetic (overflow is an error, division by zero has no value).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use indexmap::IndexSet;

use crate::syntax::ast::CmpOp;
use crate::syntax::Builtin;
use crate::value::{Decimal, Number, Time};

/// A constant as a copyable 4-byte id: an integer of up to 30 bits is its own id (the top
/// bit set, the rest the integer offset by 2^30), so that input numbers, years and counts
/// cost no table entry and no lookup; so is every time (the next bit set, the rest its
/// [`Time::rank`]), so that a fact's latest time, `year(T)` and a time's place in a sorted
/// index read no table either; any other constant is an index into the [`Interner`]. Equal
/// constants have equal ids either way, and two times' ids are in the times' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(pub(crate) u32);

/// The bit that marks an integer kept in its id.
const INLINE: u32 = 1 << 31;

/// The bit that marks a time kept in its id (below [`INLINE`]: interned constants are
/// numbered below it). Every time's rank is below it: years end at 9999.
const TIME: u32 = 1 << 30;

/// The smallest integer kept in its id; the largest is `-MIN_INLINE - 2` (the bits that
/// would stand for `-MIN_INLINE - 1` are [`Value::NONE`]'s).
const MIN_INLINE: i64 = -(1 << 30);

impl Value {
    /// The time column of a timeless fact.
    pub(crate) const NONE: Value = Value(u32::MAX);

    /// The smallest and the largest integer kept in its id.
    pub(crate) const INLINE_INTS: (i64, i64) = (MIN_INLINE, -MIN_INLINE - 2);

    /// Whether this is a real value (not the timeless marker).
    pub(crate) fn is_some(self) -> bool {
        self != Value::NONE
    }

    /// The id of a constant kept in its id (most integers, every time), if it is one.
    #[inline]
    pub(crate) fn inline(c: &Const) -> Option<Value> {
        match *c {
            Const::Int(n) => Value::inline_int(n),
            Const::Time(t) => Some(Value::time(t)),
            _ => None,
        }
    }

    /// The id of the integer `n` if it is kept in its id.
    #[inline]
    pub(crate) fn inline_int(n: i64) -> Option<Value> {
        let bits = u32::try_from(n.checked_sub(MIN_INLINE)?).ok()?;
        (bits < INLINE - 1).then_some(Value(bits | INLINE))
    }

    /// How the integers kept in these two ids compare, if both are such: the ids keep their
    /// integers' order, so no integer is unpacked.
    #[inline]
    pub(crate) fn inline_cmp(self, other: Value) -> Option<std::cmp::Ordering> {
        let inline = |v: Value| v.0 & INLINE != 0 && v.is_some();
        (inline(self) && inline(other)).then(|| self.0.cmp(&other.0))
    }

    /// The integer kept in this id, if it is one.
    #[inline]
    pub(crate) fn as_inline_int(self) -> Option<i64> {
        (self.0 & INLINE != 0 && self.is_some()).then(|| i64::from(self.0 & !INLINE) + MIN_INLINE)
    }

    /// The id of a time.
    #[inline]
    pub(crate) fn time(t: Time) -> Value {
        Value(TIME | t.rank())
    }

    /// The [`Time::rank`] of the time kept in this id, if it is one.
    #[inline]
    pub(crate) fn time_rank(self) -> Option<u32> {
        (self.0 & (INLINE | TIME) == TIME).then_some(self.0 & !TIME)
    }

    /// The time kept in this id, if it is one.
    #[inline]
    pub(crate) fn as_time(self) -> Option<Time> {
        self.time_rank().map(Time::from_rank)
    }
}

/// A constant as the language sees it. As in Prolog, `3` and `3.0` are different constants
/// (so `7.0 / 2` is `3.5`), though comparisons find them equal (`3 = 3.0` holds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Const {
    /// A 64-bit integer.
    Int(i64),
    /// A decimal (`3.2`, `3.0`).
    Dec(Decimal),
    /// A calendar time.
    Time(Time),
    /// A symbol (`china`).
    Sym(Box<str>),
    /// A string (`"…"`).
    Str(Box<str>),
}

/// Each kind, then its value: written out (not derived) so that `TextRef` can hash a
/// symbol or string it borrows exactly as its `Const` hashes.
impl Hash for Const {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Const::Int(n) => {
                state.write_u8(0);
                n.hash(state);
            }
            Const::Dec(d) => {
                state.write_u8(1);
                d.hash(state);
            }
            Const::Time(t) => {
                state.write_u8(2);
                t.hash(state);
            }
            Const::Sym(s) => TextRef {
                symbol: true,
                text: s,
            }
            .hash(state),
            Const::Str(s) => TextRef {
                symbol: false,
                text: s,
            }
            .hash(state),
        }
    }
}

/// A symbol or a string, borrowed: looked up in the interner without making a `Const`.
struct TextRef<'t> {
    symbol: bool,
    text: &'t str,
}

impl Hash for TextRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(if self.symbol { 3 } else { 4 });
        self.text.hash(state);
    }
}

impl indexmap::Equivalent<Const> for TextRef<'_> {
    fn equivalent(&self, c: &Const) -> bool {
        match c {
            Const::Sym(s) => self.symbol && **s == *self.text,
            Const::Str(s) => !self.symbol && **s == *self.text,
            _ => false,
        }
    }
}

impl Const {
    /// A number literal's constant.
    pub fn number(n: Number) -> Const {
        match n {
            Number::Int(i) => Const::Int(i),
            Number::Dec(d) => match Number::decimal(d) {
                Number::Int(i) => Const::Int(i),
                Number::Dec(d) => Const::Dec(d),
            },
        }
    }

    /// The value as stored: a decimal without fraction digits is its integer (see
    /// [`Number::decimal`]); every other value as it is.
    pub fn canonical(self) -> Const {
        match self {
            Const::Dec(d) => Const::number(Number::Dec(d)),
            other => other,
        }
    }

    fn as_number(&self) -> Option<Number> {
        match self {
            Const::Int(i) => Some(Number::Int(*i)),
            Const::Dec(d) => Some(Number::Dec(*d)),
            _ => None,
        }
    }

    /// The class rank used by the total order: numbers, times, symbols, strings.
    fn rank(&self) -> u8 {
        match self {
            Const::Int(_) | Const::Dec(_) => 0,
            Const::Time(_) => 1,
            Const::Sym(_) => 2,
            Const::Str(_) => 3,
        }
    }

    /// The total order used to sort answers and for `min`/`max`: numbers (numerically),
    /// then times (chronologically), then symbols, then strings.
    pub fn total_cmp(&self, other: &Const) -> Ordering {
        match (self, other) {
            (Const::Time(a), Const::Time(b)) => a.cmp(b),
            (Const::Sym(a), Const::Sym(b)) | (Const::Str(a), Const::Str(b)) => a.cmp(b),
            _ => match (self.as_number(), other.as_number()) {
                // Equal numbers of two kinds (3 and 3.0): the integer first.
                (Some(a), Some(b)) => a.numeric_cmp(b).then_with(|| {
                    matches!(self, Const::Dec(_)).cmp(&matches!(other, Const::Dec(_)))
                }),
                _ => self.rank().cmp(&other.rank()),
            },
        }
    }

    /// How the language orders two values, or `None` when they are of kinds that do not
    /// compare (a symbol and a number). A time ordered against a number is its year
    /// (LANGUAGE.md §7: `T < 2010`, `T >= -1`, `T < 10000`).
    pub fn compare(&self, other: &Const) -> Option<Ordering> {
        let year = |t: &Time| Const::Int(i64::from(t.year_of()));
        match (self, other) {
            (Const::Time(a), Const::Time(b)) => Some(a.cmp(b)),
            (Const::Time(t), n) if n.as_number().is_some() => year(t).compare(n),
            (n, Const::Time(t)) if n.as_number().is_some() => n.compare(&year(t)),
            (Const::Sym(a), Const::Sym(b)) | (Const::Str(a), Const::Str(b)) => Some(a.cmp(b)),
            _ => Some(self.as_number()?.numeric_cmp(other.as_number()?)),
        }
    }
}

impl Const {
    /// The constant a literal of the language writes (a symbol, string, number or time);
    /// `None` for a variable, `_` or an expression.
    pub(crate) fn of_literal(e: &crate::syntax::ast::Expr) -> Option<Const> {
        use crate::syntax::ast::Expr;
        Some(match e {
            Expr::Symbol(s) => Const::Sym(s.name.as_str().into()),
            Expr::Str(s) => Const::Str(s.value.as_str().into()),
            Expr::Number(n, _) => Const::number(*n),
            Expr::Time(t, _) => Const::Time(*t),
            _ => return None,
        })
    }

    /// Whether `self op other` holds, as the language compares: equal constants satisfy `=`,
    /// `<=`, `>=`; kinds that do not compare are unequal and unordered; a time is never equal
    /// to a number, though it is ordered against one by its year.
    pub(crate) fn holds(&self, op: CmpOp, other: &Const) -> bool {
        if self == other {
            return matches!(op, CmpOp::Eq | CmpOp::Le | CmpOp::Ge);
        }
        let time_and_number = matches!(
            (self, other),
            (Const::Time(_), Const::Int(_) | Const::Dec(_))
                | (Const::Int(_) | Const::Dec(_), Const::Time(_))
        );
        if time_and_number && matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return op == CmpOp::Ne;
        }
        match self.compare(other) {
            Some(order) => op.accepts(order),
            None => op == CmpOp::Ne,
        }
    }
}

impl fmt::Display for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Int(i) => write!(f, "{i}"),
            Const::Dec(d) => write!(f, "{d}"),
            Const::Time(t) => write!(f, "{t}"),
            Const::Sym(s) => f.write_str(s),
            Const::Str(s) => write!(f, "{}", crate::value::quote(s)),
        }
    }
}

/// The order `min` and `max` go by, functions and aggregates alike: by value as `<` compares
/// (a time against a number by its year), a tie (a time and a number of its year) by the
/// total order; values `<` cannot compare (a symbol and a number) by the total order.
pub(crate) fn least_first(a: &Const, b: &Const) -> std::cmp::Ordering {
    a.compare(b)
        .unwrap_or(std::cmp::Ordering::Equal)
        .then_with(|| a.total_cmp(b))
}

/// A constant as an argument is written (LANGUAGE.md §8): a year as a time is `@2006`, which
/// a bare `2006`, a number, is not; every other constant as it prints.
pub(crate) struct Written<'c>(&'c Const);

impl fmt::Display for Written<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Const::Time(t) if t.month_of().is_none() => write!(f, "@{t}"),
            other => write!(f, "{other}"),
        }
    }
}

impl Const {
    /// The constant as an argument is written: a year as a time is `@2006`, which a bare
    /// `2006`, a number, is not; every other constant as it prints.
    pub(crate) fn written(&self) -> Written<'_> {
        Written(self)
    }
}

/// In JSON: numbers as JSON numbers (exact, decimals included); symbols and times as JSON
/// strings as the language writes them (`china`, `2004-07`), and a string as the language
/// writes it too, within its quotes (`"\"a text\""`), so that a symbol and a string of the same
/// letters stay two values. (A query's answers in JSON, LANGUAGE.md §6, give a string's
/// letters alone: see [`Const::plain_json`].)
impl serde::Serialize for Const {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Const::Int(i) => s.serialize_i64(*i),
            Const::Dec(d) => {
                let n: serde_json::Number =
                    d.to_string().parse().map_err(serde::ser::Error::custom)?;
                n.serialize(s)
            }
            Const::Time(t) => s.collect_str(t),
            Const::Sym(x) => s.serialize_str(x),
            Const::Str(x) => s.serialize_str(&crate::value::quote(x)),
        }
    }
}

impl Const {
    /// The constant as a query's answers give it in JSON (LANGUAGE.md §6): numbers as
    /// numbers; symbols, strings and times as JSON strings, a string's letters alone.
    pub fn plain_json(&self) -> serde_json::Value {
        match self {
            Const::Str(x) => serde_json::Value::String(x.to_string()),
            other => serde_json::to_value(other).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// The table of the constants that are not kept in their id (see [`Value`]). Ids are dense
/// and stable for the interner's lifetime, and below 2^30 (a billion constants: more than
/// the memory of the machines this runs on holds).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    set: IndexSet<Const, BuildHasherDefault<FxHasher>>,
}

/// The hasher of the interner: FxHash's multiply-and-rotate. Every value an expression
/// computes is interned, so the hash runs once per derived row; SipHash's defence against
/// crafted keys costs three times as much and defends nothing here.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        // The multiply leaves the low bits of the state depending on the low bits of the
        // words alone, and a text's first word holds its first bytes (`e` in every `e123`):
        // the hash map, which picks buckets by the low bits, probed long runs of them and
        // compared strings at each step (loading a million symbols `e0`, `e1`, … took 10 s).
        // A final mix (MurmurHash3's) spreads every bit of a text over the state. Integers
        // need none: their low bits differ, and consecutive ones stay cheap to insert.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        self.0 = h ^ (h >> 33);
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Interner {
    /// The id of a constant, adding it if new.
    pub fn intern(&mut self, c: Const) -> Value {
        if let Some(v) = Value::inline(&c) {
            return v;
        }
        Value(self.set.insert_full(c).0 as u32)
    }

    /// The id of the integer `n`: most integers are kept in their ids, without a call.
    #[inline]
    pub(crate) fn intern_int(&mut self, n: i64) -> Value {
        match Value::inline_int(n) {
            Some(v) => v,
            None => self.intern(Const::Int(n)),
        }
    }

    /// The id of a symbol (`symbol`) or string given as text, adding it if new; the text is
    /// copied only then.
    pub(crate) fn intern_text(&mut self, symbol: bool, text: &str) -> Value {
        match self.set.get_index_of(&TextRef { symbol, text }) {
            Some(i) => Value(i as u32),
            None if symbol => self.intern(Const::Sym(text.into())),
            None => self.intern(Const::Str(text.into())),
        }
    }

    /// How many constants are interned (integers kept in their ids are not).
    pub(crate) fn len(&self) -> usize {
        self.set.len()
    }

    /// Forgets the constants interned after the first `len`: no value held anywhere may name
    /// them (what a question interned, once it is answered).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.set.truncate(len);
    }

    /// The id of a constant, if it has one (without adding it: a constant never interned is
    /// held by no fact).
    pub(crate) fn id_of(&self, c: &Const) -> Option<Value> {
        Value::inline(c).or_else(|| self.set.get_index_of(c).map(|i| Value(i as u32)))
    }

    /// Whether a constant has an id: it is kept in its id (most integers, every time) or has
    /// been interned.
    pub fn knows(&self, c: &Const) -> bool {
        self.id_of(c).is_some()
    }

    /// Every symbol constant, in the order first seen.
    pub fn symbols(&self) -> Vec<String> {
        self.set
            .iter()
            .filter_map(|c| match c {
                Const::Sym(s) => Some(s.to_string()),
                _ => None,
            })
            .collect()
    }

    /// The constant behind an id.
    ///
    /// # Panics
    /// On [`Value::NONE`] or an id from another interner.
    pub fn get(&self, v: Value) -> Cow<'_, Const> {
        if let Some(n) = v.as_inline_int() {
            return Cow::Owned(Const::Int(n));
        }
        match v.as_time() {
            Some(t) => Cow::Owned(Const::Time(t)),
            None => Cow::Borrowed(&self.set[v.0 as usize]),
        }
    }

    /// The integer behind an id, if it is one.
    #[inline]
    pub(crate) fn int(&self, v: Value) -> Option<i64> {
        if let Some(n) = v.as_inline_int() {
            return Some(n);
        }
        match self.set.get_index(v.0 as usize)? {
            Const::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The integer behind an id, or the year of the time behind it (what `year(X)` gives):
    /// one look at the constant.
    #[inline]
    pub(crate) fn int_or_year(&self, v: Value) -> Option<i64> {
        if let Some(n) = v.as_inline_int() {
            return Some(n);
        }
        if let Some(rank) = v.time_rank() {
            return Some(i64::from(Time::year_of_rank(rank)));
        }
        match v
            .is_some()
            .then(|| self.set.get_index(v.0 as usize))
            .flatten()?
        {
            Const::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether `a` comes after `b` in the total order of values ([`Const::total_cmp`]); two
    /// times (a derived fact's latest time) compare by their ids.
    #[inline]
    pub(crate) fn later(&self, a: Value, b: Value) -> bool {
        match (a.time_rank(), b.time_rank()) {
            (Some(a), Some(b)) => a > b,
            _ => self.get(a).total_cmp(&self.get(b)).is_gt(),
        }
    }

    /// Whether a fact's time (an id, or [`Value::NONE`] for a timeless fact) lies within
    /// `outer` (LANGUAGE.md §7); a timeless fact's does not.
    pub(crate) fn time_within(&self, time: Value, outer: Time) -> bool {
        time.as_time().is_some_and(|t| t.within(outer))
    }

    /// Whether a fact's time had come by `bound` (as of that time); a timeless fact's has.
    pub(crate) fn time_come_by(&self, time: Value, bound: Time) -> bool {
        !time.is_some() || time.as_time().is_some_and(|t| t.not_after(bound))
    }
}

/// Why an expression has no value and the evaluation must stop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArithError {
    /// The result does not fit in 64 bits (or 18 decimal digits).
    Overflow,
    /// The operands are of kinds the operator does not take (`china + 1`).
    Type(String),
    /// A time shifted past the calendar's years, 0 to 9999 (`9999 + 1`): the shift, written.
    Calendar(String),
}

/// The result of an operation: a value, no value (division by zero, `month` of a year:
/// the condition is false), or an error.
pub type Arith = Result<Option<Const>, ArithError>;

fn type_error(op: &str, a: &Const, b: &Const) -> ArithError {
    ArithError::Type(format!("cannot compute `{a} {op} {b}`"))
}

fn decimal_of(c: &Const) -> Option<(i128, u32)> {
    match c {
        Const::Int(i) => Some((*i as i128, 0)),
        Const::Dec(d) => Some((d.mantissa() as i128, u32::from(d.scale()))),
        _ => None,
    }
}

/// A decimal from `mantissa × 10^-scale`, rounding away digits beyond what fits.
fn make_decimal(mut m: i128, mut scale: u32) -> Result<Const, ArithError> {
    while scale > u32::from(crate::value::MAX_SCALE) || (scale > 0 && i64::try_from(m).is_err()) {
        m /= 10;
        scale -= 1;
    }
    let m = i64::try_from(m).map_err(|_| ArithError::Overflow)?;
    Ok(Const::number(Number::Dec(Decimal::new(m, scale as u8))))
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// `a op b` for `+ - * /`.
pub fn binary(op: crate::syntax::ast::BinOp, a: &Const, b: &Const) -> Arith {
    use crate::syntax::ast::BinOp::*;
    match (a, b) {
        (Const::Int(x), Const::Int(y)) => {
            let r = match op {
                Add => x.checked_add(*y),
                Sub => x.checked_sub(*y),
                Mul => x.checked_mul(*y),
                Div if *y == 0 => return Ok(None),
                Div => x.checked_div(*y),
            };
            r.map(|v| Some(Const::Int(v))).ok_or(ArithError::Overflow)
        }
        (Const::Time(t), Const::Int(n)) | (Const::Int(n), Const::Time(t))
            if matches!(op, Add) || (matches!(op, Sub) && matches!(a, Const::Time(_))) =>
        {
            let years = if matches!(op, Sub) {
                n.checked_neg()
            } else {
                Some(*n)
            };
            let shifted = years.and_then(|n| t.shift_years(n));
            shifted
                .map(|t| Some(Const::Time(t)))
                .ok_or_else(|| ArithError::Calendar(format!("{a} {} {b}", op.symbol())))
        }
        (Const::Time(x), Const::Time(y)) if matches!(op, Sub) => Ok(Some(Const::Int(
            i64::from(x.year_of()) - i64::from(y.year_of()),
        ))),
        _ => {
            let symbol = op.symbol();
            let ((ma, sa), (mb, sb)) = match (decimal_of(a), decimal_of(b)) {
                (Some(x), Some(y)) => (x, y),
                _ => return Err(type_error(symbol, a, b)),
            };
            let overflow = ArithError::Overflow;
            let r = match op {
                Add | Sub => {
                    let s = sa.max(sb);
                    let x = ma.checked_mul(pow10(s - sa).ok_or(overflow.clone())?);
                    let y = mb.checked_mul(pow10(s - sb).ok_or(overflow.clone())?);
                    let (x, y) = x.zip(y).ok_or(overflow.clone())?;
                    let m = if matches!(op, Add) {
                        x.checked_add(y)
                    } else {
                        x.checked_sub(y)
                    };
                    make_decimal(m.ok_or(overflow)?, s)?
                }
                Mul => make_decimal(ma.checked_mul(mb).ok_or(overflow)?, sa + sb)?,
                Div => {
                    if mb == 0 {
                        return Ok(None);
                    }
                    // Scale the dividend so that the quotient keeps 18 fraction digits.
                    let target = u32::from(crate::value::MAX_SCALE);
                    let mut shift = target + sb;
                    let mut x = None;
                    while x.is_none() {
                        x = pow10(shift).and_then(|p| ma.checked_mul(p));
                        if x.is_none() {
                            shift = shift.checked_sub(1).ok_or(overflow.clone())?;
                        }
                    }
                    let x = x.ok_or(overflow.clone())?;
                    let scale = (shift + sa).checked_sub(sb).ok_or(overflow)?;
                    make_decimal(x / mb, scale)?
                }
            };
            Ok(Some(r))
        }
    }
}

/// `-a`.
pub fn negate(a: &Const) -> Arith {
    match a {
        Const::Int(i) => i
            .checked_neg()
            .map(|v| Some(Const::Int(v)))
            .ok_or(ArithError::Overflow),
        Const::Dec(d) => d
            .checked_neg()
            .map(|d| Some(Const::Dec(d)))
            .ok_or(ArithError::Overflow),
        other => Err(ArithError::Type(format!("cannot compute `-{other}`"))),
    }
}

/// `year(T)`, `month(T)`, `day(T)`, `first_day(T)`, `last_day(T)`, `min(A, B)`, `max(A, B)`.
/// A call with the wrong number of arguments (which the checker refuses) is an error, not a
/// panic.
pub fn call<C: std::borrow::Borrow<Const>>(f: Builtin, args: &[C]) -> Arith {
    let name = f.name();
    let not_a_time = |other: &Const| {
        Err(ArithError::Type(format!(
            "`{name}` takes a time, not `{other}`"
        )))
    };
    match (f, args) {
        (Builtin::Min | Builtin::Max, [a, b]) => {
            let (a, b) = (a.borrow(), b.borrow());
            Ok(a.compare(b).map(|_| {
                let o = least_first(a, b);
                let first = if f == Builtin::Min {
                    o.is_le()
                } else {
                    o.is_ge()
                };
                if first {
                    a.clone()
                } else {
                    b.clone()
                }
            }))
        }
        (Builtin::FirstDay | Builtin::LastDay, [a]) => {
            let bound = |t: Time| {
                Const::Time(if f == Builtin::FirstDay {
                    t.first_day()
                } else {
                    t.last_day()
                })
            };
            match a.borrow() {
                Const::Time(t) => Ok(Some(bound(*t))),
                // A year written as a number is that year.
                Const::Int(y) => Ok(Time::from_year(*y).map(bound)),
                other => not_a_time(other),
            }
        }
        (Builtin::Year | Builtin::Month | Builtin::Day, [a]) => match a.borrow() {
            Const::Time(t) => Ok(match f {
                Builtin::Year => Some(i64::from(t.year_of())),
                Builtin::Month => t.month_of().map(i64::from),
                _ => t.day_of().map(i64::from),
            }
            .map(Const::Int)),
            Const::Int(y) if f == Builtin::Year => Ok(Some(Const::Int(*y))),
            Const::Int(_) => Ok(None),
            other => not_a_time(other),
        },
        _ => Err(ArithError::Type(format!(
            "`{name}` takes {} argument{}, not {}",
            f.arity(),
            if f.arity() == 1 { "" } else { "s" },
            args.len()
        ))),
    }
}

#[cfg(test)]
mod tests;
