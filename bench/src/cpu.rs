//! CPU time of each process on the machine that takes part in a run, and of everything
//! else on the machine (`other`: builds or tests of other users skew a run).

use crate::procs::{busy_ticks, clock_ticks_per_sec, cpu_ticks};

/// The processes whose CPU time is accounted, by role.
#[derive(Clone)]
pub struct Processes {
    entries: Vec<(&'static str, u32)>,
    ticks_per_sec: u64,
}

/// CPU ticks of every process, and of the whole machine, at one instant.
pub struct Snapshot {
    processes: Vec<u64>,
    machine: u64,
}

impl Processes {
    /// Accounts `entries` (role, pid); the bench itself is added as `client`.
    pub fn new(mut entries: Vec<(&'static str, u32)>) -> Processes {
        entries.push(("client", std::process::id()));
        Processes {
            entries,
            ticks_per_sec: clock_ticks_per_sec(),
        }
    }

    /// The roles, in report order, `other` last.
    pub fn roles(&self) -> Vec<&'static str> {
        let mut roles: Vec<_> = self.entries.iter().map(|(role, _)| *role).collect();
        roles.push("other");
        roles
    }

    /// CPU ticks of every process now (0 for one that cannot be read).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            processes: self
                .entries
                .iter()
                .map(|(_, pid)| cpu_ticks(*pid).unwrap_or(0))
                .collect(),
            machine: busy_ticks().unwrap_or(0),
        }
    }

    /// CPU seconds each process used since `before`, by role, then `other`: what the
    /// rest of the machine used.
    pub fn since(&self, before: &Snapshot) -> Vec<(&'static str, f64)> {
        let now = self.snapshot();
        let secs = |ticks: u64| ticks as f64 / self.ticks_per_sec as f64;
        let deltas: Vec<u64> = now
            .processes
            .iter()
            .zip(&before.processes)
            .map(|(after, before)| after.saturating_sub(*before))
            .collect();
        let ours: u64 = deltas.iter().sum();
        let other = now
            .machine
            .saturating_sub(before.machine)
            .saturating_sub(ours);
        self.entries
            .iter()
            .zip(&deltas)
            .map(|((role, _), ticks)| (*role, secs(*ticks)))
            .chain(std::iter::once(("other", secs(other))))
            .collect()
    }
}
