//! The one check vocabulary: every `check ...` command, `certs verify` and every coming check
//! reports a list of [`Check`]s, grouped, each with a [`Mark`], a detail and, for a warning or
//! a failure, a hint saying what to do. One renderer (`output::check`) prints them all. Plain
//! data, usable from any layer: domain modules make checks, reports carry them.

use serde::Serialize;

/// Certificates that expire within this many days are warned about.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Ok,
    Warning,
    Failure,
    Skipped,
}

/// One check: its group (a section of the report), what it looked at, the outcome, and what to
/// do about a warning or a failure.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub group: String,
    pub check: String,
    pub status: Mark,
    pub detail: String,
    pub hint: Option<String>,
}

impl Check {
    pub fn new(
        group: impl Into<String>,
        check: impl Into<String>,
        status: Mark,
        detail: impl Into<String>,
    ) -> Check {
        Check {
            group: group.into(),
            check: check.into(),
            status,
            detail: detail.into(),
            hint: None,
        }
    }

    pub fn ok(
        group: impl Into<String>,
        check: impl Into<String>,
        detail: impl Into<String>,
    ) -> Check {
        Check::new(group, check, Mark::Ok, detail)
    }

    pub fn skipped(
        group: impl Into<String>,
        check: impl Into<String>,
        why: impl Into<String>,
    ) -> Check {
        Check::new(group, check, Mark::Skipped, why)
    }

    pub fn warning(
        group: impl Into<String>,
        check: impl Into<String>,
        detail: impl Into<String>,
        hint: impl Into<String>,
    ) -> Check {
        Check::new(group, check, Mark::Warning, detail).with_hint(hint)
    }

    pub fn failure(
        group: impl Into<String>,
        check: impl Into<String>,
        detail: impl Into<String>,
        hint: impl Into<String>,
    ) -> Check {
        Check::new(group, check, Mark::Failure, detail).with_hint(hint)
    }

    /// `hint`, unless it is empty.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Check {
        let hint = hint.into();
        self.hint = (!hint.is_empty()).then_some(hint);
        self
    }
}

/// The checks of one command run, with what they were about.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The first line of the table, naming what was checked.
    pub title: String,
    /// Fields that lead the JSON document, such as `address`.
    pub about: Vec<(&'static str, String)>,
    /// Structured fields of the JSON document, after `about` (such as the values `check
    /// values` used).
    pub data: Vec<(&'static str, serde_json::Value)>,
    pub checks: Vec<Check>,
}

impl CheckReport {
    pub fn new(title: impl Into<String>) -> CheckReport {
        CheckReport { title: title.into(), ..CheckReport::default() }
    }

    pub fn count(&self, mark: Mark) -> usize {
        self.checks.iter().filter(|c| c.status == mark).count()
    }

    /// No check failed.
    pub fn passed(&self) -> bool {
        self.count(Mark::Failure) == 0
    }

    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Appends the checks of another report (for reports made of several).
    pub fn extend(&mut self, other: CheckReport) {
        self.checks.extend(other.checks);
    }
}
