//! Panics as errors. Third-party readers (the PDF parser above all) can
//! panic on malformed input; cifra turns such a panic into an error in the
//! document's record, so one broken file costs that file, not the batch.
//! While [`quietly`] runs, the panic message is not printed: it goes into
//! the record instead. Panics elsewhere print as usual.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    static QUIET: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

/// Run `f`; a panic in it becomes `Err` with the panic's message.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(q.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.map_err(|cause| {
        cause
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| cause.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_an_error() {
        assert_eq!(super::quietly(|| 2 + 2), Ok(4));
        let got = super::quietly(|| -> u8 { panic!("bad xref at {}", 7) });
        assert_eq!(got, Err("bad xref at 7".to_string()));
        // Nested: the outer guard still holds after the inner one ends.
        let outer = super::quietly(|| {
            let _ = super::quietly(|| panic!("inner"));
            panic!("outer")
        });
        assert_eq!(outer, Err::<(), _>("outer".to_string()));
    }
}
