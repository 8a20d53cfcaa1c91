//! Work on several threads: a map over a slice, in order, split into one chunk per thread.

/// Maps `f` over `items` on up to `threads` scoped threads; results keep the items' order.
/// A chunk whose thread panicked gets `failed(item)` for each of its items.
pub fn map<T, R, F, G>(items: &[T], threads: usize, f: F, failed: G) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    G: Fn(&T) -> R,
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(items.chunks(chunk))
            .flat_map(|(handle, part)| {
                handle.join().unwrap_or_else(|_| part.iter().map(&failed).collect())
            })
            .collect()
    })
}

/// The machine's cores, for work that computes.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_on_any_number_of_threads() {
        let items: Vec<u32> = (0..103).collect();
        for threads in [0, 1, 2, 8, 200] {
            let out = super::map(&items, threads, |x| x * 2, |_| 0);
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
    }
}
