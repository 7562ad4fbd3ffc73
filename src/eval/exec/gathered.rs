//! The innermost keyed scan of a plan, run a chunk of rows at a time: the rows under its key
//! are gathered in one walk of the index, then the tests after the scan strike rows out, a
//! pass each over all of them, and the bindings after it compute a column each. What a pass
//! reads is found once — a value of the row, one computed by an earlier pass, or one bound
//! before the scan (the part of an expression fixed for the scan computed once) — instead of
//! at every row. Each row left then goes on through [`Exec::step`] like any other.
//!
//! A pass only computes: it raises no error and interns only the integers a binding computes.
//! Where a step cannot be run as a pass for every row still standing (a value that is not an
//! integer, a division by zero, an overflow, a function other than `year`), the passes stop
//! there and each row left runs that step and the rest one at a time, in the order and with
//! the errors a row-by-row run gives.

use super::range;
use super::{compare, Exec, Sink, Stop};
use crate::eval::expr::int_binary;
use crate::eval::plan::{Computed, IntOp, Reg, Scan, Step, Term};
use crate::eval::relation::Ranks;
use crate::eval::value::{Interner, Value};
use crate::syntax::ast::{BinOp, CmpOp};

/// The buffers of a gathered scan, kept from one scan to the next.
#[derive(Default)]
pub(super) struct Gathering {
    /// The rows gathered: each its number, time and the values it binds.
    found: Vec<Value>,
    /// Where in `found` each row still standing starts.
    standing: Vec<u32>,
    /// Where a pass puts the rows it keeps.
    kept: Vec<u32>,
    /// The columns computed by the passes of bindings, one after another, each as long as
    /// `found`: a row's value at the place its row starts in `found` (rows struck out before
    /// a binding keep [`Value::NONE`]).
    computed: Vec<Value>,
    /// The registers bound by the passes so far, and where each row's value of each is.
    bound: Vec<(Reg, Operand)>,
    /// The integers of the pass being run.
    stack: Stack,
    /// The places of the entries a ranged walk picks (see `Index::gather_sorted`).
    picked: Vec<u32>,
    /// The steps after the scan that every row gathered passes (see `range::Range::served`).
    served: u64,
}

/// Where a pass reads a value, seen from the gathered rows: a value of the row (its number,
/// time, then the values it binds), a column an earlier pass computed, or a value bound
/// before the scan.
#[derive(Clone, Copy, Debug)]
enum Operand {
    Row(usize),
    Computed(usize),
    Fixed(Value),
}

/// The gathered rows as a pass reads them.
struct Rows<'g> {
    found: &'g [Value],
    computed: &'g [Value],
}

impl<'g> Rows<'g> {
    /// Where each row's value at `at` is read; a value bound before the scan is read from
    /// `fixed` (which holds it).
    #[inline]
    fn reader<'v>(&self, at: Operand, fixed: &'v Value) -> Reader<'v>
    where
        'g: 'v,
    {
        let (values, mask, offset) = match at {
            Operand::Row(j) => (self.found, usize::MAX, j),
            Operand::Computed(j) => (self.computed, usize::MAX, j * self.found.len()),
            Operand::Fixed(_) => (std::slice::from_ref(fixed), 0, 0),
        };
        Reader {
            values,
            mask,
            offset,
        }
    }

    /// The value `at` gives for the row that starts at `found[r]`.
    #[inline]
    fn value(&self, at: Operand, r: u32) -> Value {
        let fixed = at.fixed();
        self.reader(at, &fixed).get(r)
    }
}

impl Operand {
    /// The value bound before the scan, if this is one ([`Value::NONE`] if not).
    #[inline]
    fn fixed(self) -> Value {
        match self {
            Operand::Fixed(v) => v,
            _ => Value::NONE,
        }
    }
}

/// Where a pass reads an operand of the row that starts at `found[r]`: at
/// `values[(r & mask) + offset]`, without a branch on where it is (a value bound before the
/// scan is a slice of one, of mask 0).
#[derive(Clone, Copy)]
struct Reader<'v> {
    values: &'v [Value],
    mask: usize,
    offset: usize,
}

impl Reader<'_> {
    /// The value of the row that starts at `found[r]`.
    #[inline]
    fn get(self, r: u32) -> Value {
        self.values
            .get((r as usize & self.mask) + self.offset)
            .copied()
            .unwrap_or(Value::NONE)
    }

    /// Whether every row's value is the same one, bound before the scan.
    fn is_fixed(self) -> bool {
        self.mask == 0
    }
}

/// The integers of an integer program run over the rows standing (see [`IntOp`]), from the
/// bottom up: each one integer for all the rows, or a column of one a row (in `columns`, at
/// the entry's place, its buffer kept from one run to the next). An operation costs one
/// dispatch for all the rows, and a part of an expression fixed for the scan (`year(T1)`)
/// is computed once.
#[derive(Default)]
struct Stack {
    entries: Vec<Entry>,
    columns: Vec<Vec<i64>>,
}

/// An entry of a [`Stack`].
#[derive(Clone, Copy, Debug)]
enum Entry {
    /// The same integer for every row.
    All(i64),
    /// One integer a row, in the column at the entry's place.
    Each,
}

impl Exec<'_> {
    /// The most rows an innermost scan gathers at a time (see [`Exec::scan_gathered`]).
    const GATHERED: usize = 4096;

    /// A scan that [`Scan::gathers`] (the innermost keyed scan of its plan): the rows under its
    /// key are gathered first, up to [`Exec::GATHERED`] at a time, in one walk of the index,
    /// each as its number, time and the values it binds (or, for a scan with a range, only
    /// the rows in it: [`Exec::gather_ranged`]); then [`Exec::gathered`] runs the steps after
    /// the scan over them. The walk decides the index's layout once instead of at every row,
    /// and reads the rows before any test or `sink` (which may append to a relation) runs.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scan_gathered(
        &mut self,
        steps: &[Step],
        i: usize,
        s: &Scan,
        key: &[Value],
        rows: (u32, u32),
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        // Lent out and put back by pointer: the buffers are not copied at each scan.
        let mut g = self.gathering.take().unwrap_or_default();
        g.served = 0;
        let ranged = match s.range.is_some() {
            true => self.gather_ranged(s, key, rows, regs, &mut g),
            false => None,
        };
        let mut from = None;
        // A chunk of rows at a time: a key with millions of rows takes no buffer of millions
        // (a range's rows at once).
        let result = loop {
            let more = match ranged {
                // No row under the key can pass the conditions that bound the range.
                Some(false) => break Ok(()),
                Some(true) => None,
                None => {
                    g.found.clear();
                    let rel = &self.rels[s.pred as usize];
                    let found = &mut g.found;
                    rel.gather(s.index, key, rows, &s.binds, found, from, Self::GATHERED)
                }
            };
            let result = self.gathered(steps, i, s, &mut g, regs, sink);
            match more {
                Some(place) if result.is_ok() => from = Some(place),
                _ => break result,
            }
        };
        self.gathering = Some(g);
        result
    }

    /// Gathers into `g` the rows of the scan `s`, which has a [`Scan::range`], that lie
    /// in the range its conditions let through under `regs`, through a view of its index
    /// sorted by the column the range bounds; `g.served` says which conditions every one of
    /// them passes. False when the range is empty; `None`, with nothing gathered, where the
    /// scan is to read every row under its key: its index has no such view (looked for once
    /// for each scan), or no condition bounds the column under `regs`; always so while
    /// rebuilding a proof.
    #[inline]
    fn gather_ranged(
        &mut self,
        s: &Scan,
        key: &[Value],
        rows: (u32, u32),
        regs: &[Value],
        g: &mut Gathering,
    ) -> Option<bool> {
        let asked = std::ptr::from_ref(s) as usize;
        let ranks = match self.sorted {
            (last, ranks) if last == asked => ranks,
            _ => self.sort_for(s, asked),
        }?;
        let plan = s.range.as_deref()?;
        let range = range::ranks(plan, ranks, regs, self.interner)?;
        if range.is_empty() {
            return Some(false);
        }
        g.found.clear();
        let rel = &self.rels[s.pred as usize];
        let ranked = (plan.col, range.ranks);
        let (found, picked) = (&mut g.found, &mut g.picked);
        let only = rel.gather_sorted(s.index, key, rows, &s.binds, found, ranked, picked)?;
        g.served = if only { range.served } else { 0 };
        Some(true)
    }

    /// How the index of the ranged scan `s` (at address `asked`) is seen sorted by the column
    /// its range bounds, sorted now if it is not yet (see `Relation::sort_index`), remembered
    /// in `Exec::sorted`; `None` where there is no such view, or a proof is being rebuilt.
    #[cold]
    fn sort_for(&mut self, s: &Scan, asked: usize) -> Option<Ranks> {
        let plan = s.range.as_deref().filter(|_| self.step_limit.is_none());
        let ranks = plan.and_then(|plan| self.rels[s.pred as usize].sort_index(s.index, plan.col));
        self.sorted = (asked, ranks);
        ranks
    }

    /// The rows of the innermost scan `steps[i]` gathered in `g.found` (see
    /// [`Exec::scan_gathered`]): struck out by the scan's time conditions, then by the steps
    /// right after it, as long as each runs as a pass (see the module's comment) or is one
    /// that every row gathered passes (`g.served`); each row left is then bound and goes on
    /// with the first step that did not.
    fn gathered(
        &mut self,
        steps: &[Step],
        i: usize,
        s: &Scan,
        g: &mut Gathering,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let width = 2 + s.binds.len();
        g.standing.clear();
        if self.asks_of_time(s) {
            let rel = &self.rels[s.pred as usize];
            // Most often the scan asks only that a row be timed (`@ T2`).
            let timed_only = s.within.is_none() && s.until.is_none() && self.step_limit.is_none();
            g.standing.reserve(g.found.len() / width);
            for (r, row) in g.found.chunks_exact(width).enumerate() {
                let &[number, time, ..] = row else { break };
                let out = match timed_only {
                    true => !time.is_some(),
                    false => self.row_out(s, rel, number.0, time),
                };
                if !out {
                    g.standing.push((r * width) as u32);
                }
            }
        } else {
            let starts = (0..g.found.len()).step_by(width);
            g.standing.extend(starts.map(|at| at as u32));
        }
        g.computed.clear();
        g.bound.clear();
        let mut next = i + 1;
        while !g.standing.is_empty() {
            // A condition every row read in the range passes is not run.
            let done = g.served != 0
                && 1u64
                    .checked_shl((next - i - 1) as u32)
                    .is_some_and(|bit| g.served & bit != 0);
            let passed = match steps.get(next) {
                Some(_) if done => true,
                Some(step) => self.pass(step, s, g, regs),
                None => false,
            };
            if !passed {
                break;
            }
            next += 1;
        }
        let rows = Rows {
            found: &g.found,
            computed: &g.computed,
        };
        for &r in g.standing.iter() {
            let at = r as usize;
            let Some([row, time, values @ ..]) = g.found.get(at..at + width) else {
                break;
            };
            if let Some(row_reg) = s.row_reg {
                regs[row_reg as usize] = *row;
            }
            regs[s.time_reg as usize] = *time;
            for (&(_, reg), v) in s.binds.iter().zip(values) {
                regs[reg as usize] = *v;
            }
            for &(reg, at) in &g.bound {
                regs[reg as usize] = rows.value(at, r);
            }
            self.tick()?;
            self.step(steps, next, regs, sink)?;
        }
        Ok(())
    }

    /// Runs `step` as a pass over the rows standing in `g`: a comparison or a narrowed
    /// negation strikes rows out, a binding computes a column. False, with nothing changed,
    /// when the step cannot run as a pass for every row standing.
    #[inline(always)]
    fn pass(&mut self, step: &Step, s: &Scan, g: &mut Gathering, regs: &[Value]) -> bool {
        let rows = Rows {
            found: &g.found,
            computed: &g.computed,
        };
        let at = |t: Term| operand(s, &g.bound, t, regs);
        match step {
            Step::Compare(op, a, b) => {
                let (a, b) = (at(*a), at(*b));
                let fixed = [a.fixed(), b.fixed()];
                let (a, b) = (rows.reader(a, &fixed[0]), rows.reader(b, &fixed[1]));
                g.standing
                    .retain(|&r| compare(self.interner, *op, a.get(r), b.get(r)));
                true
            }
            Step::Not(p) => {
                // The outer part of a narrowed negation's key is bound before the scan, so
                // every gathered row is checked against the one run found under it: an
                // anti-join against a set built once for the scan.
                let Some(n) = &p.narrow else { return false };
                let [(_, checked)] = n.checks.as_slice() else {
                    return false;
                };
                let outer_fixed = n.key.iter().all(|t| matches!(at(*t), Operand::Fixed(_)));
                if !(outer_fixed && self.run_known(p, n, regs)) {
                    return false;
                }
                let checked = at(*checked);
                let fixed = checked.fixed();
                let checked = rows.reader(checked, &fixed);
                let run = &self.narrowed[n.slot].values;
                g.standing.retain(|&r| !run.contains(&checked.get(r)));
                true
            }
            Step::Filter(op, l, r, _) => self.filter_pass(*op, l, r, s, g, regs),
            Step::Bind(reg, e, _) => self.bind_pass(*reg, e, s, g, regs),
            _ => false,
        }
    }

    /// [`Exec::pass`] of a comparison that computes a side: both sides' integer programs run
    /// over the rows standing, the rows whose sides do not compare as `op` asks struck out.
    #[inline(never)]
    fn filter_pass(
        &mut self,
        op: CmpOp,
        l: &Computed,
        r: &Computed,
        s: &Scan,
        g: &mut Gathering,
        regs: &[Value],
    ) -> bool {
        let (Some(left), Some(right)) = (l.ints(), r.ints()) else {
            return false;
        };
        let computed = g.compute(&[left, right], s, regs, self.interner);
        g.kept.clear();
        if computed.is_none() || !g.stack.keep(op, &g.standing, &mut g.kept) {
            return false;
        }
        std::mem::swap(&mut g.standing, &mut g.kept);
        true
    }

    /// [`Exec::pass`] of a binding: a copy reads where its term is read; a computed integer
    /// becomes a column of the rows standing.
    #[inline(never)]
    fn bind_pass(
        &mut self,
        reg: Reg,
        e: &Computed,
        s: &Scan,
        g: &mut Gathering,
        regs: &[Value],
    ) -> bool {
        if let Some(t) = e.expr().as_term() {
            // A copy: the register reads where the term is read.
            let copied = operand(s, &g.bound, t, regs);
            g.bound.push((reg, copied));
            return true;
        }
        let Some(program) = e.ints() else {
            return false;
        };
        if g.compute(&[program], s, regs, self.interner).is_none() {
            return false;
        }
        // Interned only once every row has its integer: as a row-by-row run interns it
        // (`eval_expr`), though all the rows' first (an integer too large to be its own id,
        // interned for a row a stopped run never reaches, is a constant nothing holds).
        let len = g.found.len();
        let j = g.computed.len().checked_div(len).unwrap_or(0);
        g.computed.resize((j + 1) * len, Value::NONE);
        let column = g.computed.get_mut(j * len..).unwrap_or_default();
        // A binding the planner places after the scan reads the scan's row: one integer a
        // row (one for all would have been placed before the scan).
        let ([Entry::Each], Some(ints)) = (g.stack.entries.as_slice(), g.stack.columns.first())
        else {
            return false;
        };
        for (&r, &n) in g.standing.iter().zip(ints) {
            if let Some(slot) = column.get_mut(r as usize) {
                *slot = self.interner.intern_int(n);
            }
        }
        g.bound.push((reg, Operand::Computed(j)));
        true
    }
}

impl Gathering {
    /// Runs `programs` one after another over the rows standing, on a stack emptied first:
    /// each leaves its integers on it (see [`Stack::run`]); `None` where a row has none.
    fn compute(
        &mut self,
        programs: &[&[IntOp]],
        s: &Scan,
        regs: &[Value],
        interner: &Interner,
    ) -> Option<()> {
        let rows = Rows {
            found: &self.found,
            computed: &self.computed,
        };
        let at = |reg| operand(s, &self.bound, Term::Var(reg), regs);
        self.stack.entries.clear();
        programs.iter().try_for_each(|program| {
            self.stack
                .run(program, &rows, &self.standing, interner, &at)
        })
    }
}

/// Where the pass after the scan `s` finds the term `t`, with the registers `bound` by the
/// passes before it and the registers bound before the scan.
fn operand(s: &Scan, bound: &[(Reg, Operand)], t: Term, regs: &[Value]) -> Operand {
    match t {
        Term::Var(r) => match bound.iter().find(|(b, _)| *b == r) {
            Some(&(_, at)) => at,
            None if r == s.time_reg => Operand::Row(1),
            None if Some(r) == s.row_reg => Operand::Row(0),
            None => match s.binds.iter().position(|&(_, b)| b == r) {
                Some(j) => Operand::Row(2 + j),
                None => Operand::Fixed(regs[r as usize]),
            },
        },
        Term::Const(v) => Operand::Fixed(v),
        Term::Wild => Operand::Fixed(Value::NONE),
    }
}

impl Stack {
    /// Runs `program` over the rows `standing` (`at` says where each register is read),
    /// leaving its integers on top; `None` where a row has none (a value that is not an
    /// integer, a division by zero, an overflow), the stack then as it stands.
    fn run(
        &mut self,
        program: &[IntOp],
        rows: &Rows<'_>,
        standing: &[u32],
        interner: &Interner,
        at: &impl Fn(Reg) -> Operand,
    ) -> Option<()> {
        for op in program {
            match *op {
                IntOp::Const(v) => self.entries.push(Entry::All(interner.int(v)?)),
                IntOp::Int(reg) => self.load(at(reg), rows, standing, |v| interner.int(v))?,
                IntOp::Year(reg) => {
                    self.load(at(reg), rows, standing, |v| interner.int_or_year(v))?;
                }
                IntOp::Neg => {
                    let k = self.entries.len().checked_sub(1)?;
                    match *self.entries.get(k)? {
                        Entry::All(x) => self.entries[k] = Entry::All(x.checked_neg()?),
                        Entry::Each => each(self.columns.get_mut(k)?, i64::checked_neg)?,
                    }
                }
                IntOp::Binary(op) => self.binary(op)?,
            }
        }
        Some(())
    }

    /// Pushes the integer `int` gives of the value at `at`, for each row standing.
    fn load(
        &mut self,
        at: Operand,
        rows: &Rows<'_>,
        standing: &[u32],
        int: impl Fn(Value) -> Option<i64>,
    ) -> Option<()> {
        let fixed = at.fixed();
        let reader = rows.reader(at, &fixed);
        if reader.is_fixed() {
            self.entries.push(Entry::All(int(fixed)?));
            return Some(());
        }
        let k = self.entries.len();
        if self.columns.len() <= k {
            self.columns.resize_with(k + 1, Vec::new);
        }
        let column = self.columns.get_mut(k)?;
        column.clear();
        column.reserve(standing.len());
        for &r in standing {
            column.push(int(reader.get(r))?);
        }
        self.entries.push(Entry::Each);
        Some(())
    }

    /// Replaces the two integers on top by `op` of them.
    fn binary(&mut self, op: BinOp) -> Option<()> {
        let k = self.entries.len().checked_sub(2)?;
        let f = |x, y| int_binary(op, x, y);
        let result = match (*self.entries.get(k)?, *self.entries.get(k + 1)?) {
            (Entry::All(x), Entry::All(y)) => Entry::All(f(x, y)?),
            (Entry::Each, Entry::All(y)) => {
                each(self.columns.get_mut(k)?, |x| f(x, y))?;
                Entry::Each
            }
            (Entry::All(x), Entry::Each) => {
                self.columns.swap(k, k + 1);
                each(self.columns.get_mut(k)?, |y| f(x, y))?;
                Entry::Each
            }
            (Entry::Each, Entry::Each) => {
                let (lower, upper) = self.columns.split_at_mut(k + 1);
                let (xs, ys) = (lower.get_mut(k)?, upper.first()?);
                for (x, y) in xs.iter_mut().zip(ys) {
                    *x = f(*x, *y)?;
                }
                Entry::Each
            }
        };
        self.entries.truncate(k);
        self.entries.push(result);
        Some(())
    }

    /// Appends to `kept` the rows of `standing` for which the two integers on the stack (a
    /// comparison's sides) stand in the order `op` asks; false when the stack holds
    /// anything else.
    #[inline(always)]
    fn keep(&self, op: CmpOp, standing: &[u32], kept: &mut Vec<u32>) -> bool {
        let column = |k: usize| self.columns.get(k).map_or(&[][..], Vec::as_slice);
        let holds = |a: &i64, b: &i64| op.accepts(a.cmp(b));
        kept.reserve(standing.len());
        let mut keep = |r: u32, a: i64, b: i64| {
            if holds(&a, &b) {
                kept.push(r);
            }
        };
        match *self.entries.as_slice() {
            [Entry::All(a), Entry::All(b)] => {
                if holds(&a, &b) {
                    kept.extend_from_slice(standing);
                }
            }
            [Entry::Each, Entry::All(b)] => {
                for (&r, &a) in standing.iter().zip(column(0)) {
                    keep(r, a, b);
                }
            }
            [Entry::All(a), Entry::Each] => {
                for (&r, &b) in standing.iter().zip(column(1)) {
                    keep(r, a, b);
                }
            }
            [Entry::Each, Entry::Each] => {
                for (&r, (&a, &b)) in standing.iter().zip(column(0).iter().zip(column(1))) {
                    keep(r, a, b);
                }
            }
            _ => return false,
        }
        true
    }
}

/// Replaces each integer of `column` by what `f` gives of it; `None` when `f` gives none.
#[inline]
fn each(column: &mut [i64], f: impl Fn(i64) -> Option<i64>) -> Option<()> {
    for x in column {
        *x = f(*x)?;
    }
    Some(())
}
