//! A hint to the processor that a value will be read soon: on x86-64 the `prefetcht0`
//! instruction, elsewhere nothing (a plain read instead would stall where the hint is given,
//! which is worse than no hint; another architecture's instruction wants a machine of it to be
//! tested on).
//!
//! kingdon's joins read tables larger than the caches at places known some rows ahead. A plain
//! read of such a place (what safe Rust can do) waits for memory once the processor's window
//! of pending instructions fills, and stalls the join's own work behind it; a prefetch
//! instruction retires at once and only starts the load. Issuing one needs `unsafe`, which the
//! kingdon crate forbids: this crate holds that one block, behind a function that takes a
//! reference, so that what it is asked to load is always memory the caller may read.

#![no_std]

/// Asks for the cache line of `value` to be loaded into every level of the cache. Reads
/// nothing and changes nothing the program can observe: only how soon a later read of `value`
/// is served.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `prefetcht0` only hints the cache: it does not read the memory into any register,
    // cannot fault, and has no effect the program can observe. The address comes from a
    // reference, so it is memory the caller may read anyway. The intrinsic is `unsafe` only
    // because it is gated on the SSE target feature, which every x86-64 processor has.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
            (value as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
