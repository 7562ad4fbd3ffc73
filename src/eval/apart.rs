//! Work handed to a second thread while the first goes on: the second takes over a state (the
//! relation a rule derives into, the relation an input file's rows go to) and works on each
//! item sent to it (a batch of facts or rows) in the order sent, handing each back, emptied
//! for more, with what the work answered. Facts and rows reach their relation in the order
//! they would on one thread, so nothing a user sees depends on whether a thread ran.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{Scope, ScopedJoinHandle};

/// Whether this process may run on two cores or more: on one, a second thread only takes
/// turns with the first (join-order 10⁵ pinned to one core took 1.05× as long with it).
/// Asked once. The crate's own tests always have one, so that they run the second thread
/// wherever they run.
pub(crate) fn second_core() -> bool {
    static CORES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    cfg!(test)
        || *CORES.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

/// A state `S` taken over by a second thread, and the items `T` on their way to it; the work
/// answers an `A` for each.
pub(crate) struct Apart<'scope, S, T, A> {
    full: SyncSender<T>,
    emptied: Receiver<(T, A)>,
    thread: ScopedJoinHandle<'scope, Option<S>>,
}

impl<'scope, S, T, A> Apart<'scope, S, T, A>
where
    S: Send + 'scope,
    T: Default + Send + 'scope,
    A: Send + 'scope,
{
    /// Hands `state` to a new thread of `scope`, named `name`, that runs `work` on each item
    /// sent; gives `state` back when no thread can start.
    pub(crate) fn start(
        scope: &'scope Scope<'scope, '_>,
        name: &str,
        state: S,
        mut work: impl FnMut(&mut S, &mut T) -> A + Send + 'scope,
    ) -> Result<Self, S> {
        let (hand_over, handed) = mpsc::channel::<S>();
        let (full, items) = mpsc::sync_channel::<T>(2);
        let (give_back, emptied) = mpsc::channel();
        let spawned =
            std::thread::Builder::new()
                .name(name.into())
                .spawn_scoped(scope, move || {
                    // A thread handed nothing (its starter gave up) ends at once.
                    let mut state = handed.recv().ok()?;
                    for mut item in items {
                        let answer = work(&mut state, &mut item);
                        // The first thread may have stopped taking items back: it sends no more.
                        let _ = give_back.send((item, answer));
                    }
                    Some(state)
                });
        let Ok(thread) = spawned else {
            return Err(state);
        };
        match hand_over.send(state) {
            Ok(()) => Ok(Apart {
                full,
                emptied,
                thread,
            }),
            Err(mpsc::SendError(state)) => Err(state),
        }
    }

    /// Sends `item` over, leaving in its place one handed back (or a new one); `answered` is
    /// told what the work answered for each item handed back since the last call.
    pub(crate) fn send(&mut self, item: &mut T, mut answered: impl FnMut(A)) {
        let mut spare = None;
        while let Ok((back, answer)) = self.emptied.try_recv() {
            answered(answer);
            spare = Some(back);
        }
        // The thread takes items until this side stops sending, or panics (which `finish`
        // carries on).
        let _ = self
            .full
            .send(std::mem::replace(item, spare.unwrap_or_default()));
    }

    /// Sends `last` over and waits for the thread to have worked on every item: the state
    /// back (`None` only from a thread never handed it, which `start` does not return), and
    /// `answered` told the answers not yet told.
    pub(crate) fn finish(self, last: T, answered: impl FnMut(A)) -> Option<S> {
        let _ = self.full.send(last);
        drop(self.full);
        let state = match self.thread.join() {
            Ok(state) => state,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        self.emptied.try_iter().map(|(_, a)| a).for_each(answered);
        state
    }
}
