//! Progress of long work on standard error: a split solve's components, an
//! analysis's scenarios, a batch's parks.
//!
//! A 10,000-plant solve or an analysis of hundreds of solves runs for
//! minutes; without a sign of life a user cannot tell work from a hang. The
//! bar (the `indicatif` crate) is drawn only when the binary has switched
//! it on ([`enable`], which it does unless `--quiet`) and standard error is
//! a terminal, so it never lands in files, logs or test output. Only the
//! outermost piece of work shows one: the solves inside an analysis count
//! as its scenarios and draw nothing of their own.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether bars may be drawn at all (the binary's choice).
static ENABLED: AtomicBool = AtomicBool::new(false);
/// Whether a bar is on the screen now.
static SHOWING: AtomicBool = AtomicBool::new(false);

/// Lets later work draw its progress, when `wanted` and standard error is
/// a terminal. Library users who never call it see no bars.
pub fn enable(wanted: bool) {
    ENABLED.store(wanted && std::io::stderr().is_terminal(), Ordering::SeqCst);
}

/// The progress of one piece of work: a count of things done out of a
/// total, with a short message. Cheap when hidden; cleared when dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Starts counting `total` things called `what` (e.g. "components").
    /// Hidden unless bars are enabled and no other bar is showing.
    pub fn start(total: usize, what: &str) -> Progress {
        let claimed = ENABLED.load(Ordering::SeqCst)
            && SHOWING
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok();
        if !claimed {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let template = format!("{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {what} {{msg}}");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(500));
        Progress { bar: Some(bar) }
    }

    /// One more thing done.
    pub fn done_one(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// More things to do than counted at the start.
    pub fn add_to_total(&self, more: usize) {
        if let Some(bar) = &self.bar {
            bar.inc_length(more as u64);
        }
    }

    /// Replaces the message after the count (made only when shown).
    pub fn say(&self, message: impl FnOnce() -> String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message());
        }
    }

    /// Whether this bar is drawn.
    pub fn is_shown(&self) -> bool {
        self.bar.is_some()
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            SHOWING.store(false, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_drawn_unless_the_binary_asks() {
        // The library's own default: no test or library user calls `enable`.
        let outer = Progress::start(3, "scenarios");
        assert!(!outer.is_shown());
        outer.done_one();
        outer.add_to_total(2);
        outer.say(|| unreachable!("a hidden bar makes no message"));
    }
}
