//! What `check outgoing` found: for one organization, one row per organization it logs in to
//! (address, reachability, authentication); for `--all`, one such report per organization.
//!
//! Cells carry a [`Mark`] of the one check vocabulary. A row passes when `/info/` answered 200
//! and the credentials were accepted (or not checked, with `--no-auth` or `--in-cluster`).

use serde::Serialize;

use crate::report::check::Mark;

/// One cell: the text shown, its mark, and the status code when there is one.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub status: Mark,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
}

impl Cell {
    pub fn new(text: impl Into<String>, status: Mark, code: Option<u16>) -> Cell {
        Cell { text: text.into(), status, code }
    }

    pub fn failure(text: impl Into<String>) -> Cell {
        Cell::new(text, Mark::Failure, None)
    }

    pub fn skipped(text: impl Into<String>) -> Cell {
        Cell::new(text, Mark::Skipped, None)
    }
}

/// What the hint of a row is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trouble {
    /// No address is known for the organization.
    NoAddress,
    /// The address did not answer (network, DNS, TLS).
    Unreachable,
    /// No connection could be opened: substractl has too many open files.
    OpenFiles,
    /// The address answered with a status other than 200.
    BadStatus,
    /// The other side refused the credentials: the two sides' secrets differ.
    Rejected,
    /// The backend throttled an anonymous request (`/info/`): its anonymous allowance per
    /// client address is spent.
    Throttled,
    /// An authenticated request was throttled: not by the backend, which does not throttle
    /// them, but by something in front of it.
    ThrottledAuthenticated,
    /// The values file's secret cannot work by the backend's rule; it was not sent.
    UnusableSecret,
    /// No channel to send in Substra-Channel-Name.
    NoChannel,
    /// The values file holds no secret for the organization.
    NoSecret,
    /// The certificate did not verify.
    Tls,
    /// The address answered with a redirect, which is not followed.
    Redirected,
    /// The address is not a usable backend address (a user name, a query...): not probed.
    BadAddress,
    /// An organization of the values file's outgoing list is missing from the table the
    /// backend printed in its pod.
    NotInTable,
}

/// One organization that the checked one logs in to.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The other organization's MSP ID, as in the outgoing list.
    pub org_id: String,
    pub org_address: Option<String>,
    /// Where the address came from (`--address`, or the file and key it was read from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_from: Option<String>,
    pub http_status: Cell,
    pub auth: Cell,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trouble: Vec<Trouble>,
    /// What to do about the row, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Seconds a 429 asked to wait before asking again (`Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Row {
    /// The address is reachable (`/info/` answered 200, or it was not asked because `/model/`
    /// accepted the credentials) and authentication was accepted or not checked.
    pub fn ok(&self) -> bool {
        let reachable = self.http_status.status == Mark::Ok
            || (self.http_status.status == Mark::Skipped && self.auth.status == Mark::Ok);
        reachable && self.auth.status != Mark::Failure
    }
}

/// The outgoing links of one organization.
#[derive(Debug, Clone, Serialize)]
pub struct OutgoingReport {
    /// The checked organization's MSP ID (or the pod, with `--in-cluster`).
    pub organization: String,
    /// `probe` (substractl sent the requests) or `in-cluster` (the backend's own command).
    pub source: &'static str,
    /// The authentication column was checked.
    pub auth_checked: bool,
    pub rows: Vec<Row>,
    /// Why its links were not checked: its credentials are in a Secret manifest that is not
    /// in the directory.
    pub skipped: Option<String>,
}

impl OutgoingReport {
    pub fn ok(&self) -> bool {
        self.rows.iter().all(Row::ok)
    }
}

/// `--all`: every organization's report, in the order of the files.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixReport {
    pub organizations: Vec<String>,
    pub reports: Vec<OutgoingReport>,
}

impl MatrixReport {
    pub fn ok(&self) -> bool {
        self.reports.iter().all(OutgoingReport::ok)
    }

    /// The matrix in the one check vocabulary: one check a link (`from -> to`) in `group`; a
    /// link with no address is skipped.
    pub fn checks(&self, group: &str) -> Vec<crate::check::Check> {
        use crate::check::Check;
        let mut checks = Vec::new();
        for report in &self.reports {
            if let Some(why) = &report.skipped {
                checks.push(Check::skipped(group, format!("{} links", report.organization), why));
            }
            for row in &report.rows {
                let name = format!("{} -> {}", report.organization, row.org_id);
                let detail = format!(
                    "{}: /info/ {}, credentials {}",
                    row.org_address.as_deref().unwrap_or("no address"),
                    row.http_status.text,
                    row.auth.text
                );
                let status = if row.trouble.contains(&Trouble::NoAddress) {
                    Mark::Skipped
                } else if row.ok() {
                    Mark::Ok
                } else {
                    Mark::Failure
                };
                let mut c = Check::new(group, name, status, detail);
                if status != Mark::Ok {
                    c.hint = row.hint.clone();
                }
                checks.push(c);
            }
        }
        if checks.is_empty() {
            checks.push(Check::skipped(group, "links", "no organization logs in to another"));
        }
        checks
    }
}

/// What `check outgoing` found: one organization's table, or the `--all` matrix.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// `legacy`: print the backend command's own layout.
    One {
        report: OutgoingReport,
        legacy: bool,
    },
    Matrix(MatrixReport),
}

impl Outgoing {
    pub fn ok(&self) -> bool {
        match self {
            Outgoing::One { report, .. } => report.ok(),
            Outgoing::Matrix(m) => m.ok(),
        }
    }
}
