//! Aggregates: the matches of the braces gathered and deduplicated, folded into groups, and
//! remembered under the bindings they were computed for.

use std::rc::Rc;

use hashbrown::HashTable;

use super::{Exec, Sink};
use crate::eval::plan::{AggStep, Reg, Source, Step};
use crate::eval::relation::{hash_values, wide};
use crate::eval::stop::Stop;
use crate::eval::value::{binary, Const, Value};
use crate::syntax::ast::AggFunc;

/// An aggregate's groups: the values of its free group-by variables and its result.
type Groups = Vec<(Vec<Value>, Value)>;

/// The buffers of [`Exec::matches`].
#[derive(Default)]
pub(super) struct Spare {
    flat: Vec<Value>,
    seen: HashTable<(u32, u32)>,
    scratch: Vec<Value>,
}

impl Spare {
    /// Up to this many tuples, a match is compared with each one gathered before; past
    /// it, the tuples are hashed into `seen`.
    const LINEAR: usize = 16;
    /// The largest `seen` kept for the next aggregate.
    const KEEP: usize = 1 << 12;
}

/// A remembered aggregate: its address, where the values of its bound group-by variables
/// start in [`Exec::memo_keys`], their hash, and its answer under them. Nothing in it is
/// allocated on its own unless the aggregate forms groups.
pub(super) struct Memo {
    at: usize,
    key: usize,
    hash: u32,
    answer: Answer,
}

/// What an aggregate gives under one binding: one result or none when it forms no groups
/// (no allocation), else its groups.
#[derive(Clone)]
pub(super) enum Answer {
    One(Option<Value>),
    Groups(Rc<Groups>),
}

/// The most rows under a key for which an aggregate is computed anew each time it is asked
/// (see [`Exec::few_rows`]).
const FEW_ROWS: usize = 32;

/// The slots of [`Exec::asked`].
const ASKED: usize = 1 << 12;

impl Exec<'_> {
    /// Whether an aggregate is one atom looked up under a key with few rows (at most
    /// [`FEW_ROWS`]), so that computing it anew costs no more than remembering it would.
    /// Most keys of a large relation have few rows (`count { window(T, Y) }` under each
    /// topic `T`), and remembering each of them fills a table past the caches.
    fn few_rows(&self, agg: &AggStep, regs: &[Value]) -> bool {
        let [Step::Scan(s)] = agg.steps.as_slice() else {
            return false;
        };
        if s.cols.is_empty() {
            return false;
        }
        let rel = &self.rels[s.pred as usize];
        let mut key = [Value::NONE; 8];
        let mut key_vec = Vec::new();
        let key = Self::key(&s.key, regs, &mut key, &mut key_vec);
        let mut at = rel.first(s.index, key);
        for _ in 0..=FEW_ROWS {
            let Some(hit) = at else {
                return true;
            };
            at = rel.next(s.index, hit, key);
        }
        false
    }

    /// The answer of an aggregate under the current bindings, remembered under them unless
    /// it is quick to compute again (see [`Exec::few_rows`]) and not asked again lately. The
    /// memo is asked first: it holds only keys of many rows and keys asked again, so it stays
    /// small where each key is asked once, and a key asked again and again (each of the
    /// forty rows of a topic asking for the topic's count) costs one probe, not a walk over
    /// its rows.
    pub(super) fn aggregate(&mut self, agg: &AggStep, regs: &[Value]) -> Result<Answer, Stop> {
        let at = agg as *const AggStep as usize;
        let key = || agg.bound_group.iter().map(|r| regs[*r as usize]);
        let hash = hash_values(key().chain([Value(at as u32)]));
        let width = agg.bound_group.len();
        let keys = &self.memo_keys;
        let same = |m: &Memo| {
            m.hash == hash
                && m.at == at
                && keys
                    .get(m.key..m.key + width)
                    .is_some_and(|k| k.iter().copied().eq(key()))
        };
        if let Some(found) = self.memo.find(wide(hash), same) {
            return Ok(found.answer.clone());
        }
        if self.few_rows(agg, regs) && !self.asked_again(hash) {
            return self.compute(agg, regs);
        }
        let answer = self.compute(agg, regs)?;
        let entry = Memo {
            at,
            key: self.memo_keys.len(),
            hash,
            answer: answer.clone(),
        };
        self.memo_keys.extend(key());
        self.memo.insert_unique(wide(hash), entry, |m| wide(m.hash));
        Ok(answer)
    }

    /// Whether an aggregate of hash `hash` was computed anew lately (its hash still in its slot
    /// of [`Exec::asked`]); records it if not. A key whose slot another took since is
    /// computed anew once more; two keys of one hash count as one (and are both remembered).
    fn asked_again(&mut self, hash: u32) -> bool {
        if self.asked.is_empty() {
            self.asked.resize(ASKED, 0);
        }
        match self.asked.get_mut(hash as usize % ASKED) {
            Some(slot) if *slot == hash => true,
            Some(slot) => {
                *slot = hash;
                false
            }
            None => false,
        }
    }

    /// An aggregate's answer: each group's values of the free group-by variables and its
    /// result. The matches are deduplicated on the values of the variables inside the braces
    /// (unless distinct rows make them distinct already), kept flat in one buffer, and
    /// sorted by group only when there are groups to form.
    fn compute(&mut self, agg: &AggStep, regs: &[Value]) -> Result<Answer, Stop> {
        let distinct = agg
            .distinct
            .is_some_and(|d| !d.needs_timeless || self.rels[d.pred as usize].is_timeless());
        if distinct && agg.func == AggFunc::Count && agg.free_group.is_empty() {
            let n = match self.plain_rows(&agg.steps) {
                Some(n) => n,
                None => self.count_matches(&agg.steps, regs)?,
            };
            return Ok(Answer::One(Some(self.interner.intern_int(n as i64))));
        }
        let (flat, tuples) = self.matches(agg, regs, distinct)?;
        let groups = self.groups(agg, &flat, tuples);
        self.spare.flat = flat;
        let groups = groups?;
        Ok(if agg.free_group.is_empty() {
            Answer::One(groups.first().map(|&(_, result)| result))
        } else {
            Answer::Groups(Rc::new(groups))
        })
    }

    /// How many rows a lone scan without conditions matches, when it is one: the rows in its
    /// range, counted without reading them.
    fn plain_rows(&self, steps: &[Step]) -> Option<usize> {
        let [Step::Scan(s)] = steps else {
            return None;
        };
        let plain = s.cols.is_empty()
            && s.checks.is_empty()
            && !s.timed
            && s.within.is_none()
            && s.until.is_none()
            && self.step_limit.is_none()
            && s.source == Source::All;
        plain.then(|| self.end(s.pred as usize) as usize)
    }

    /// Runs an aggregate's `steps` reading every scan in its rows' order: the matches fold in
    /// the order found (see `Exec::scans_in_key_order`).
    fn in_rows_order(
        &mut self,
        steps: &[Step],
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let in_key_order = std::mem::replace(&mut self.scans_in_key_order, false);
        let run = self.step(steps, 0, regs, sink);
        self.scans_in_key_order = in_key_order;
        run
    }

    /// How many ways `steps` match.
    fn count_matches(&mut self, steps: &[Step], regs: &[Value]) -> Result<usize, Stop> {
        let mut n = 0usize;
        let mut scratch = std::mem::take(&mut self.spare.scratch);
        scratch.clear();
        scratch.extend_from_slice(regs);
        let run = self.in_rows_order(steps, &mut scratch, &mut |_, _| {
            n += 1;
            Ok(())
        });
        self.spare.scratch = scratch;
        run.map(|()| n)
    }

    /// The values of the variables inside an aggregate's braces, one tuple per distinct
    /// match, flat; and how many tuples there are (braces without variables match once or
    /// not at all: one tuple of no values, or none).
    fn matches(
        &mut self,
        agg: &AggStep,
        regs: &[Value],
        distinct: bool,
    ) -> Result<(Vec<Value>, usize), Stop> {
        let width = agg.inner.len();
        let Spare {
            mut flat,
            mut seen,
            mut scratch,
        } = std::mem::take(&mut self.spare);
        flat.clear();
        // Clearing a table costs its capacity: one a large aggregate grew is dropped instead,
        // so that the small ones after it do not pay for it.
        if seen.capacity() > Spare::KEEP {
            seen = HashTable::new();
        }
        seen.clear();
        let mut tuples = 0usize;
        let mut collect = |_: &mut Exec<'_>, regs: &[Value]| {
            let is = |flat: &[Value], t: usize| {
                flat[t * width..(t + 1) * width]
                    .iter()
                    .zip(&agg.inner)
                    .all(|(v, r)| *v == regs[*r as usize])
            };
            if !distinct && tuples < Spare::LINEAR {
                // A few tuples are compared one by one, without hashing.
                if (0..tuples).any(|t| is(&flat, t)) {
                    return Ok(());
                }
            } else if !distinct {
                if seen.is_empty() {
                    for t in 0..tuples {
                        let hash = hash_values(flat[t * width..(t + 1) * width].iter().copied());
                        seen.insert_unique(wide(hash), (t as u32, hash), |&(_, h)| wide(h));
                    }
                }
                let hash = hash_values(agg.inner.iter().map(|r| regs[*r as usize]));
                let same = |&(i, h): &(u32, u32)| h == hash && is(&flat, i as usize);
                if seen.find(wide(hash), same).is_some() {
                    return Ok(());
                }
                seen.insert_unique(wide(hash), (tuples as u32, hash), |&(_, h)| wide(h));
            }
            flat.extend(agg.inner.iter().map(|r| regs[*r as usize]));
            tuples += 1;
            Ok(())
        };
        scratch.clear();
        scratch.extend_from_slice(regs);
        let run = self.in_rows_order(&agg.steps, &mut scratch, &mut collect);
        self.spare.seen = seen;
        self.spare.scratch = scratch;
        run.map(|()| (flat, tuples))
    }

    /// Folds the distinct matches of an aggregate (from [`Exec::matches`]) into its groups,
    /// in the order of their group values.
    fn groups(&mut self, agg: &AggStep, flat: &[Value], tuples: usize) -> Result<Groups, Stop> {
        let width = agg.inner.len();
        let position = |r: &Reg| agg.inner.iter().position(|x| x == r).unwrap_or(0);
        let group_at: Vec<usize> = agg.free_group.iter().map(position).collect();
        let target_at = agg.target.as_ref().map(position);
        let value = |t: usize| target_at.map_or(Value::NONE, |at| flat[t * width + at]);
        let mut out: Groups = Vec::new();
        if agg.free_group.is_empty() {
            // `count` over no match is 0; `sum`, `min` and `max` make no group.
            if tuples > 0 || agg.func == AggFunc::Count {
                if let Some(result) = self.fold(agg, (0..tuples).map(value))? {
                    out.push((Vec::new(), result));
                }
            }
            return Ok(out);
        }
        let group_of = |t: usize| group_at.iter().map(move |&g| flat[t * width + g]);
        // Groups in the order of their values, so that results are deterministic.
        let mut order: Vec<usize> = (0..tuples).collect();
        order.sort_unstable_by(|&a, &b| group_of(a).cmp(group_of(b)).then(a.cmp(&b)));
        let mut t = 0;
        while t < order.len() {
            let first = order[t];
            let end = t + order[t..]
                .iter()
                .take_while(|&&m| group_of(m).eq(group_of(first)))
                .count();
            if let Some(result) = self.fold(agg, order[t..end].iter().map(|&m| value(m)))? {
                if out.len() == self.max_groups {
                    return Err(Stop::Groups {
                        limit: self.max_groups,
                        span: agg.span,
                    });
                }
                out.push((group_of(first).collect(), result));
            }
            t = end;
        }
        Ok(out)
    }

    /// One group's result: the count, sum, least or greatest of its values.
    fn fold(
        &mut self,
        agg: &AggStep,
        values: impl Iterator<Item = Value>,
    ) -> Result<Option<Value>, Stop> {
        let result = match agg.func {
            AggFunc::Count => Const::Int(values.count() as i64),
            AggFunc::Sum => {
                let mut total = Const::Int(0);
                for v in values {
                    total = match binary(
                        crate::syntax::ast::BinOp::Add,
                        &total,
                        &self.interner.get(v),
                    ) {
                        Ok(Some(c)) => c,
                        Ok(None) => continue,
                        Err(error) => {
                            return Err(Stop::Arith {
                                error,
                                span: agg.span,
                            })
                        }
                    };
                }
                total
            }
            AggFunc::Min | AggFunc::Max => {
                let interner = &*self.interner;
                let pick = values.reduce(|a, b| {
                    let order = crate::eval::value::least_first(&interner.get(a), &interner.get(b));
                    let keep_a = if agg.func == AggFunc::Min {
                        order.is_le()
                    } else {
                        order.is_ge()
                    };
                    if keep_a {
                        a
                    } else {
                        b
                    }
                });
                return Ok(pick);
            }
        };
        Ok(Some(self.interner.intern(result)))
    }
}
