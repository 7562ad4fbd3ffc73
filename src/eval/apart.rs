//! Derived facts added to their relation on a second thread while the rule that derives them
//! runs on: a rule of a stratum that reads nothing it derives hands its relation over, and
//! the join and the dedup of its facts overlap. Facts are added in the order derived, so the
//! relation comes back as the rule alone would have left it.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::relation::{Batch, Prov, Relation};

/// Whether this process may run on two cores or more: on one, a second thread only takes
/// turns with the first (join-order 10⁵ pinned to one core took 1.05× as long with it).
/// Asked once. The crate's own tests always have one, so that they run the second thread
/// wherever they run.
pub(crate) fn second_core() -> bool {
    static CORES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    cfg!(test)
        || *CORES.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

/// A relation taken over by a second thread, and the batches on their way to it.
pub(crate) struct Apart {
    full: SyncSender<Batch>,
    emptied: Receiver<(Batch, usize)>,
    thread: JoinHandle<Relation>,
    /// Batches handed back, for the facts after.
    spare: Vec<Batch>,
}

impl Apart {
    /// The facts a rule derives on its own thread before it hands its relation over: below
    /// them a thread costs more than it saves. The crate's own tests hand over from a few
    /// facts on, so that the differential test against the naive evaluator runs both ways.
    #[cfg(not(test))]
    pub(crate) const AFTER: usize = 1 << 14;
    #[cfg(test)]
    pub(crate) const AFTER: usize = 8;

    /// The facts a batch sent over holds: enough that handing it over costs next to nothing
    /// a fact.
    #[cfg(not(test))]
    pub(crate) const BATCH: usize = 4096;
    #[cfg(test)]
    pub(crate) const BATCH: usize = 4;

    /// Hands `rel` to a new thread that adds the facts sent to it, with provenance `prov`;
    /// gives `rel` back when no thread can start.
    pub(crate) fn start(rel: Relation, prov: Option<Prov>) -> Result<Apart, Relation> {
        let (hand_over, handed) = mpsc::channel::<Relation>();
        let (full, batches) = mpsc::sync_channel::<Batch>(2);
        let (give_back, emptied) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("derived facts".into())
            .spawn(move || {
                // A thread handed nothing (its starter gave up) is never joined.
                let Ok(mut rel) = handed.recv() else {
                    return Relation::new(0);
                };
                for mut batch in batches {
                    let new = rel.add_batch(&mut batch, prov);
                    // The rule may have stopped taking batches back: it no longer sends.
                    let _ = give_back.send((batch, new));
                }
                rel
            });
        let Ok(thread) = spawned else {
            return Err(rel);
        };
        match hand_over.send(rel) {
            Ok(()) => Ok(Apart {
                full,
                emptied,
                thread,
                spare: Vec::new(),
            }),
            Err(mpsc::SendError(rel)) => Err(rel),
        }
    }

    /// Sends the facts of `batch` over (leaving it empty); answers how many of the facts sent
    /// before were new, of those added since the last call.
    pub(crate) fn send(&mut self, batch: &mut Batch) -> usize {
        let new = self.taken_back();
        let next = self.spare.pop().unwrap_or_default();
        // The thread takes batches until this side stops sending.
        let _ = self.full.send(std::mem::replace(batch, next));
        new
    }

    /// The batches handed back since the last look; how many of their facts were new.
    fn taken_back(&mut self) -> usize {
        let mut new = 0;
        while let Ok((batch, n)) = self.emptied.try_recv() {
            new += n;
            self.spare.push(batch);
        }
        new
    }

    /// Sends the facts of `batch` over and waits for every fact sent to be added: the
    /// relation back, and how many facts were new since the last [`Apart::send`].
    pub(crate) fn finish(self, batch: &mut Batch) -> (Relation, usize) {
        let _ = self.full.send(std::mem::take(batch));
        drop(self.full);
        let rel = match self.thread.join() {
            Ok(rel) => rel,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let new = self.emptied.try_iter().map(|(_, n)| n).sum();
        (rel, new)
    }
}
