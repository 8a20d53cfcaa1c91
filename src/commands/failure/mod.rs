//! How the failure of a command is classified for the exit code and explained to the user.
//!
//! An error is bad input when its chain holds an [`Explained`] input or a domain error about
//! the user's files or flags; an error nothing classifies is a bug. The hint printed under the
//! message says what to do next. The words themselves are in [`crate::error`] and in the
//! submodules here: [`probe`] for every way a probe fails, [`outgoing`] for `check outgoing`.

use crate::error::hints;
use crate::error::{Explained, Kind, EXIT_BUG, EXIT_INPUT, EXIT_PROBLEM, REPORT};

pub mod outgoing;
pub mod probe;

/// The kind of an error returned by [`crate::run`].
pub fn kind(err: &anyhow::Error) -> Kind {
    use crate::values::ValuesError;
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Explained>() {
            return e.kind;
        }
        if let Some(e) = cause.downcast_ref::<crate::probe::ProbeError>() {
            return probe::explain(e).kind;
        }
        if let Some(e) = cause.downcast_ref::<ValuesError>() {
            return if matches!(e, ValuesError::Verify { .. }) { Kind::Bug } else { Kind::Input };
        }
        if let Some(e) = cause.downcast_ref::<crate::deployment::DeploymentError>() {
            use crate::deployment::DeploymentError as D;
            return match e {
                D::Values(ValuesError::Verify { .. }) => Kind::Bug,
                _ => Kind::Input,
            };
        }
        if cause.is::<crate::workspace::WsError>()
            || cause.is::<crate::workspace::FindError>()
            || cause.is::<crate::pki::PkiError>()
            || cause.is::<crate::exchange::ExchangeError>()
            || cause.is::<crate::mesh::NameError>()
            || cause.is::<crate::probe::addr::AddrError>()
            || cause.is::<crate::probe::grpc::HeaderError>()
            || cause.is::<crate::probe::tls::TlsConfigError>()
            || cause.is::<std::io::Error>()
            || cause.is::<clap::Error>()
        {
            return Kind::Input;
        }
    }
    Kind::Bug
}

/// The exit code for an error returned by [`crate::run`].
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match kind(err) {
        Kind::Problem => EXIT_PROBLEM,
        Kind::Input => EXIT_INPUT,
        Kind::Bug => EXIT_BUG,
    }
}

/// The hint to print under the error, if any cause carries one.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Explained>() {
            if let Some(h) = &e.hint {
                return Some(h.clone());
            }
        }
        if let Some(h) = cause.downcast_ref::<crate::probe::ProbeError>().and_then(probe::hint) {
            return Some(h);
        }
        if let Some(e) = cause.downcast_ref::<crate::workspace::WsError>() {
            if let Some(h) = e.hint() {
                return Some(h.to_string());
            }
        }
        if let Some(h) = cause.downcast_ref::<crate::exchange::ExchangeError>().and_then(|e| e.hint)
        {
            return Some(h.to_string());
        }
        if let Some(h) = cause.downcast_ref::<crate::workspace::FindError>().and_then(find_hint) {
            return Some(h);
        }
        if let Some(e) = cause.downcast_ref::<crate::deployment::DeploymentError>() {
            match e {
                crate::deployment::DeploymentError::Missing(_) => {
                    return Some(hints::CHECK_ORG_NAME.to_string())
                }
                crate::deployment::DeploymentError::Ws(w) => {
                    if let Some(h) = w.hint() {
                        return Some(h.to_string());
                    }
                }
                crate::deployment::DeploymentError::Values(_) => {}
            }
        }
    }
    (kind(err) == Kind::Bug).then(|| REPORT.to_string())
}

fn find_hint(e: &crate::workspace::FindError) -> Option<String> {
    use crate::workspace::FindError;
    Some(match e {
        FindError::NotDir(_) | FindError::NoDir(_) => {
            "pass the directory of the values files with --dir".into()
        }
        FindError::NoBackend { msp_id, .. } => format!(
            "create it, or set orchestrator.mspID: {msp_id} in that organization's backend values file"
        ),
        FindError::OtherId { found, .. } => format!(
            "the client certificate's O must equal the backend's MSP ID: pass --org {found} or fix the file"
        ),
        FindError::Several { .. } => "keep one file per organization".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Explained, EXIT_BUG, EXIT_INPUT, EXIT_PROBLEM, REPORT};

    #[test]
    fn bugs_exit_70_bad_input_2_problems_1() {
        let bug = anyhow::anyhow!("an invariant broke");
        assert_eq!(exit_code(&bug), EXIT_BUG);
        assert_eq!(hint(&bug).as_deref(), Some(REPORT));
        assert_eq!(exit_code(&Explained::bug("x").into()), EXIT_BUG);
        let verify = crate::values::ValuesError::Verify { path: "v.yaml".into() };
        assert_eq!(exit_code(&verify.into()), EXIT_BUG);
        let input = crate::workspace::WsError::NotRegular { path: "p".into(), kind: "a FIFO" };
        assert_eq!(exit_code(&anyhow::Error::new(input).context("reading")), EXIT_INPUT);
        assert_eq!(exit_code(&Explained::input("bad").into()), EXIT_INPUT);
        assert_eq!(exit_code(&Explained::problem("found").into()), EXIT_PROBLEM);
    }
}
