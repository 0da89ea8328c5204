//! Hybrid logical clock: wall-clock milliseconds in the high 48 bits and a counter in
//! the low 16. Stamps grow strictly on this site even when the wall clock steps back,
//! and stay close to real time, so that "last writer wins" means what people expect.

use serde::{Deserialize, Serialize};

const LOGICAL_BITS: u32 = 16;
const LOGICAL_MASK: u64 = (1 << LOGICAL_BITS) - 1;

/// A stamp. Ties between sites are broken by the site id, never by arrival order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stamp(pub u64);

impl Stamp {
    pub fn physical_ms(self) -> u64 {
        self.0 >> LOGICAL_BITS
    }
    pub fn logical(self) -> u64 {
        self.0 & LOGICAL_MASK
    }
    fn from_parts(ms: u64, logical: u64) -> Stamp {
        Stamp((ms << LOGICAL_BITS) | logical)
    }
}

/// How far ahead of local time a remote stamp may be before it is refused (sync), by
/// default; a register may set its own bound (`Register::set_clock_bound_ms`).
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    last: Stamp,
}

impl Clock {
    pub fn starting_after(last: Stamp) -> Clock {
        Clock { last }
    }

    pub fn last(&self) -> Stamp {
        self.last
    }

    /// A new stamp for a local change, given the wall clock in ms.
    pub fn tick_at(&mut self, wall_ms: u64) -> Stamp {
        let last_ms = self.last.physical_ms();
        self.last = if wall_ms > last_ms {
            Stamp::from_parts(wall_ms, 0)
        } else if self.last.logical() < LOGICAL_MASK {
            Stamp::from_parts(last_ms, self.last.logical() + 1)
        } else {
            // Counter exhausted within one millisecond: borrow the next millisecond.
            Stamp::from_parts(last_ms + 1, 0)
        };
        self.last
    }

    pub fn tick(&mut self) -> Stamp {
        self.tick_at(wall_ms())
    }

    /// Takes a remote stamp into account (sync). A stamp further ahead of the wall
    /// clock than [`MAX_DRIFT_MS`] is refused, not obeyed: returns `false`.
    pub fn observe_at(&mut self, remote: Stamp, wall_ms: u64) -> bool {
        self.observe_within(remote, wall_ms, MAX_DRIFT_MS)
    }

    /// [`Clock::observe_at`] with a bound of `bound_ms` instead of the default.
    pub fn observe_within(&mut self, remote: Stamp, wall_ms: u64, bound_ms: u64) -> bool {
        if remote.physical_ms() > wall_ms + bound_ms {
            return false;
        }
        if remote > self.last {
            self.last = remote;
        }
        true
    }
}

pub fn wall_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_grow_when_the_wall_clock_stands_still_or_steps_back() {
        let mut c = Clock::starting_after(Stamp(0));
        let a = c.tick_at(1_000);
        let b = c.tick_at(1_000);
        let d = c.tick_at(900);
        assert!(a < b && b < d);
        assert_eq!(d.physical_ms(), 1_000);
        assert_eq!(d.logical(), 2);
        let e = c.tick_at(2_000);
        assert_eq!((e.physical_ms(), e.logical()), (2_000, 0));
    }

    #[test]
    fn counter_overflow_moves_to_the_next_millisecond() {
        let mut c = Clock::starting_after(Stamp::from_parts(5, LOGICAL_MASK));
        let s = c.tick_at(5);
        assert_eq!((s.physical_ms(), s.logical()), (6, 0));
    }

    #[test]
    fn a_stamp_far_in_the_future_is_refused() {
        let mut c = Clock::starting_after(Stamp(0));
        let now = 10_000_000;
        assert!(!c.observe_at(Stamp::from_parts(now + MAX_DRIFT_MS + 1, 0), now));
        assert_eq!(c.last(), Stamp(0));
        assert!(c.observe_at(Stamp::from_parts(now + 10, 3), now));
        assert!(c.tick_at(now) > Stamp::from_parts(now + 10, 3));
    }
}
