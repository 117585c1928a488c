//! Work spread over the machine's cores, results in input order: the audit of a national
//! catalogue is many independent pieces.

/// `f` over every item, on up to 8 threads, each with its own scratch state from `init`.
/// Small inputs stay on the calling thread.
pub fn map_init<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads == 1 || items.len() < 64 {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let (init, f) = (&init, &f);
                scope.spawn(move || {
                    let mut state = init();
                    part.iter()
                        .map(|item| f(&mut state, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        join_in_order(handles)
    })
}

/// The threads' results, in the order the threads were started; a thread's panic goes on.
fn join_in_order<R>(handles: Vec<std::thread::ScopedJoinHandle<'_, Vec<R>>>) -> Vec<R> {
    handles
        .into_iter()
        .flat_map(|handle| match handle.join() {
            Ok(results) => results,
            Err(panic) => std::panic::resume_unwind(panic),
        })
        .collect()
}

/// `f` over every item, taken by value, in parallel, results in input order.
pub fn map_owned<T: Send, R: Send>(mut items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads == 1 || items.len() < 64 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    while items.len() > chunk {
        let rest = items.split_off(chunk);
        parts.push(std::mem::replace(&mut items, rest));
    }
    parts.push(items);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        join_in_order(handles)
    })
}

/// `f` on every item with its partner in `with` (same index), in place, in parallel: nothing
/// is moved or collected, so a national catalogue's entries are never held twice.
pub fn zip_for_each_mut<T: Send, U: Sync>(
    items: &mut [T],
    with: &[U],
    f: impl Fn(&mut T, &U) + Sync,
) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads == 1 || items.len() < 64 {
        items
            .iter_mut()
            .zip(with)
            .for_each(|(item, other)| f(item, other));
        return;
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        for (part, others) in items.chunks_mut(chunk).zip(with.chunks(chunk)) {
            scope.spawn(move || {
                part.iter_mut()
                    .zip(others)
                    .for_each(|(item, other)| f(item, other));
            });
        }
    });
}

/// `f` on consecutive parts of `0..len`, one per thread (one part below `min_len`),
/// results in order: for work that gathers counts as it goes.
pub fn over_ranges<R: Send>(
    len: usize,
    min_len: usize,
    f: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads == 1 || len < min_len.max(2) {
        return vec![f(0..len)];
    }
    let chunk = len.div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = (0..len)
            .step_by(chunk)
            .map(|start| {
                let range = start..(start + chunk).min(len);
                scope.spawn(move || vec![f(range)])
            })
            .collect();
        join_in_order(handles)
    })
}

/// `f` over every item, in parallel, results in input order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_init(items, || (), |_, item| f(item))
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, |x| x * 2);
        assert_eq!(doubled, (0..1000).map(|x| x * 2).collect::<Vec<_>>());
        let owned: Vec<String> = (0..1000).map(|x| x.to_string()).collect();
        let lengths = super::map_owned(owned, |s| s.len());
        assert_eq!(
            lengths,
            (0..1000)
                .map(|x: u32| x.to_string().len())
                .collect::<Vec<_>>()
        );
        let ranges = super::over_ranges(1000, 10, |range| range);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(1000));
        assert!(ranges.windows(2).all(|pair| pair[0].end == pair[1].start));
        assert_eq!(
            super::over_ranges(5, 10, |range| (range.start, range.end)),
            [(0, 5)]
        );
    }
}
