//! A memory budget per query: the bytes a query thread allocates while it runs a query
//! are counted, and a query past its budget is cancelled.
//!
//! Why: the engine builds the sides of a join, a sort or a group in memory, and looks
//! at its cancellation token only as it reads the store. Within its time limit one
//! anonymous `SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }` made half a gigabyte on a
//! 50-report store, and kept it; on a store of 100,000 reports it would take the
//! machine's memory long before its deadline, and with it the whole process. Counting
//! costs one thread-local add per allocation; it is off (a limit of `isize::MAX`) on
//! every thread but a query's while it runs.
//!
//! The count is the net of what the query's thread allocates and frees from the query's
//! start: memory the query hands over to the request (its answer) counts while it is
//! made, which is what bounds it. When a query ends after using much memory, the
//! allocator is asked to give the free pages back to the system (it keeps them per
//! thread arena otherwise, and the next big query on another thread would add to them).

use mimalloc::MiMalloc;
use oxigraph::sparql::CancellationToken;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

/// mimalloc, counting on the threads that run a query.
///
/// mimalloc rather than glibc's malloc: a cheap query's answer is made of many small
/// allocations freed at once, and glibc's allocator took about a sixth of the server's
/// CPU under load (`_int_malloc`, `_int_free`, `malloc_consolidate`; BENCHMARKS.md).
pub struct Counting;

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One thread's count: a single thread-local, so that an allocation looks it up once.
struct Count {
    /// Bytes allocated less bytes freed on this thread since its query began.
    used: Cell<isize>,
    /// The most `used` has been during the query.
    peak: Cell<isize>,
    /// The query's budget; `isize::MAX` when this thread runs no query.
    limit: Cell<isize>,
    /// The running query's token, cancelled when the budget is passed.
    token: Cell<*const CancellationToken>,
    /// Whether this query passed its budget.
    exceeded: Cell<bool>,
}

thread_local! {
    static COUNT: Count = const {
        Count {
            used: Cell::new(0),
            peak: Cell::new(0),
            limit: Cell::new(isize::MAX),
            token: Cell::new(std::ptr::null()),
            exceeded: Cell::new(false),
        }
    };
}

/// A query past this peak gives free memory back to the system when it ends.
const TRIM_AFTER: isize = 64 << 20;

/// Adds `n` bytes (negative: freed) to this thread's count. Must not allocate.
#[inline]
fn count(n: isize) {
    let _ = COUNT.try_with(|c| {
        let now = c.used.get().wrapping_add(n);
        c.used.set(now);
        if now > c.peak.get() {
            c.peak.set(now);
            if now > c.limit.get() {
                passed(c);
            }
        }
    });
}

/// The budget is passed: cancel the query once.
#[cold]
fn passed(c: &Count) {
    if c.exceeded.replace(true) {
        return;
    }
    let token = c.token.get();
    if !token.is_null() {
        // SAFETY: `Scope` sets the pointer from a token that outlives it, and clears
        // it before that token is dropped; only this thread reads it.
        unsafe { (*token).cancel() };
    }
}

// SAFETY: every call goes to `MiMalloc` unchanged; only a thread-local count is kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// A query's budget on the thread that runs it, from [`Scope::enter`] to its drop.
pub struct Scope<'a> {
    _token: std::marker::PhantomData<&'a CancellationToken>,
}

impl<'a> Scope<'a> {
    /// Starts counting this thread's allocations against `limit` bytes (`None`: no
    /// budget), cancelling `token` when they pass it.
    pub fn enter(limit: Option<usize>, token: &'a CancellationToken) -> Self {
        COUNT.with(|c| {
            c.used.set(0);
            c.peak.set(0);
            c.exceeded.set(false);
            c.token.set(token);
            c.limit
                .set(limit.map_or(isize::MAX, |l| l.min(isize::MAX as usize - 1) as isize));
        });
        Scope {
            _token: std::marker::PhantomData,
        }
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        let peak = COUNT.with(|c| {
            c.limit.set(isize::MAX);
            c.token.set(std::ptr::null());
            c.peak.get()
        });
        if peak > TRIM_AFTER {
            trim();
        }
    }
}

/// `bytes` this thread allocated have left the query: a chunk of a streamed answer,
/// handed to the request that sends it (and frees it, on its own thread). Without this
/// a streamed answer counted whole against the budget: every dump past the budget (a
/// gigabyte or so, a hundredth of one at 100,000 reports) was cut there.
pub fn handed_over(bytes: usize) {
    count(-(bytes.min(isize::MAX as usize) as isize));
}

/// Whether the query running on this thread passed its budget.
pub fn exceeded() -> bool {
    COUNT.with(|c| c.exceeded.get())
}

fn trim() {
    // SAFETY: mi_collect only frees and returns pages no allocation uses; it takes no
    // pointer.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Allocating past the budget cancels the token; freeing brings the count down.
    #[test]
    fn a_query_past_its_budget_is_cancelled() {
        let token = CancellationToken::new();
        {
            let _scope = Scope::enter(Some(8 << 20), &token);
            let small = vec![0u8; 4 << 20];
            drop(small);
            let other = vec![1u8; 6 << 20];
            assert!(!token.is_cancelled(), "freed memory no longer counts");
            let more = vec![2u8; 4 << 20];
            assert!(token.is_cancelled());
            assert!(exceeded());
            drop((other, more));
        }
        // Memory handed over to the request no longer counts.
        let token = CancellationToken::new();
        {
            let _scope = Scope::enter(Some(8 << 20), &token);
            let mut sent = Vec::new();
            for _ in 0..4 {
                let chunk = vec![3u8; 4 << 20];
                handed_over(chunk.capacity());
                sent.push(chunk);
            }
            assert!(!token.is_cancelled(), "handed-over chunks count no more");
            let more = vec![4u8; 9 << 20];
            assert!(token.is_cancelled(), "what the query keeps still counts");
            drop(more);
            drop(sent);
        }
        // Outside a scope nothing is counted against a budget.
        let token = CancellationToken::new();
        {
            let _scope = Scope::enter(None, &token);
            let big = vec![0u8; 64 << 20];
            drop(big);
        }
        assert!(!token.is_cancelled());
        assert!(!exceeded());
    }
}
