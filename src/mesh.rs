//! Organizations, the ordered pairs between them, and the secrets that pair them.
//!
//! For every ordered pair (server A, client B) there is one secret: A's
//! `incomingOrganizations` holds `{name: B, secret}` and B's `outgoingOrganizations` holds
//! `{name: A, secret}`. Every organization is also paired with itself.

use std::collections::HashMap;
use std::fmt;

mod mask;

pub use mask::{mask_secrets, mask_secrets_with};

/// Longest organization name (MSP ID) the backend accepts.
pub const MAX_NAME_LEN: usize = 64;
/// Longest secret the backend accepts.
pub const MAX_SECRET_LEN: usize = 128;
/// Length of the secrets substractl makes: 64 of [A-Za-z0-9] (the first a letter), over 380 bits.
pub const SECRET_LEN: usize = 64;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Why a name cannot be an organization name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("an organization name cannot be empty")]
    Empty,
    #[error("organization name {0:?} contains whitespace")]
    Whitespace(String),
    #[error("organization name {0:?} contains a path separator")]
    Separator(String),
    #[error("organization name {0:?} starts with a dot")]
    Dot(String),
    #[error("organization name {0:?} is longer than {MAX_NAME_LEN} characters")]
    TooLong(String),
    #[error("organization name {0:?} contains a control character or one YAML cannot hold")]
    Control(String),
    /// The MSP ID is the HTTP Basic user name, which ends at the first colon: such an
    /// organization could never log in to another.
    #[error(
        "organization name {0:?} contains ':', which ends the user name of HTTP Basic credentials"
    )]
    Colon(String),
}

/// Checks a name given on the command line or read as an MSP ID.
pub fn validate_name(name: &str) -> Result<(), NameError> {
    let owned = || name.to_string();
    if name.is_empty() {
        Err(NameError::Empty)
    } else if name.chars().any(char::is_whitespace) {
        Err(NameError::Whitespace(owned()))
    } else if name.chars().any(|c| c.is_control() || !crate::values::yaml_printable(c)) {
        Err(NameError::Control(owned()))
    } else if name.contains(['/', '\\']) {
        Err(NameError::Separator(owned()))
    } else if name.contains(':') {
        Err(NameError::Colon(owned()))
    } else if name.starts_with('.') {
        Err(NameError::Dot(owned()))
    } else if name.chars().count() > MAX_NAME_LEN {
        Err(NameError::TooLong(owned()))
    } else {
        Ok(())
    }
}

/// Why a secret cannot work, by the backend's rule; None when it can. The rule: not empty, at
/// most 128 characters (the sync job's `varchar(128)`: a longer one makes the whole sync fail
/// and keep the old secrets), no whitespace or control character (the `name secret` line
/// format), and latin-1 only (the backend's client encodes HTTP Basic credentials in latin-1,
/// so a secret outside it can never be sent). The problem never quotes the secret.
pub fn secret_problem(secret: &str) -> Option<String> {
    let chars = secret.chars().count();
    if secret.is_empty() {
        Some("the secret is empty".into())
    } else if chars > MAX_SECRET_LEN {
        Some(format!(
            "the secret is {chars} characters long: the backend stores at most {MAX_SECRET_LEN} \
             (its sync job fails on a longer one and keeps the old secrets)"
        ))
    } else if secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("the secret holds whitespace or a control character, which the chart's `name secret` line cannot carry".into())
    } else if secret.chars().any(|c| u32::from(c) > 0xff) {
        Some("the secret holds a character outside latin-1: the backend's client encodes HTTP Basic credentials in latin-1 and can never send it".into())
    } else {
        None
    }
}

/// Why a secret as written in a values file cannot work: [`secret_problem`], or, for a value
/// that is not a YAML string, what helm makes of it (`rendered`, e.g.
/// `%!s(float64=1.2345678901234568e+39)`), which becomes the secret on both sides.
///
/// The rendering is the secret both sides use: only its type is shown (`%!s(float64=...)`).
pub fn entry_secret_problem(secret: &str, rendered: Option<&str>) -> Option<String> {
    if let Some(r) = rendered {
        let kind = r.split_once('=').map_or("%!s(?", |(kind, _)| kind);
        return Some(format!(
            "the secret is not a YAML string (an unquoted number or boolean): helm renders it as \
             `{kind}=...)`, the text both sides then use; quote it, or let link make a new one"
        ));
    }
    secret_problem(secret)
}

/// True when a secret found in a file can be kept: see [`secret_problem`].
pub fn secret_is_usable(secret: &str) -> bool {
    secret_problem(secret).is_none()
}

/// Shortest secret kept from a file: anything shorter was typed by hand or copied from a
/// guide, and is replaced.
pub const MIN_SECRET_LEN: usize = 32;

/// Why a usable secret found in a file should still be replaced: a placeholder copied from
/// the guide (`SECRET_ORG1_ORG2`, `organizationSecret`...) or a secret too short to be one
/// that substractl or the backend made. None for a secret worth keeping.
pub fn weak_secret(secret: &str) -> Option<&'static str> {
    if is_placeholder(secret) {
        Some("the secret is a placeholder copied from the guide")
    } else if secret.chars().count() < MIN_SECRET_LEN {
        Some("the secret is shorter than 32 characters")
    } else {
        None
    }
}

/// Why a secret found in a file or received from a partner is not one to keep: it cannot
/// work ([`secret_problem`]) or link would replace it ([`weak_secret`]). None for a secret
/// that link keeps, and that `exchange seal` and `exchange open` take.
pub fn unkept_secret(secret: &str) -> Option<String> {
    secret_problem(secret).or_else(|| weak_secret(secret).map(str::to_string))
}

/// Whether a secret is a placeholder: copied from the guide (`SECRET_ORG1_ORG2`,
/// `organizationSecret`, `changeme`...) or written by substractl's examples (`REPLACE-ME`).
pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    const PLACEHOLDERS: &[&str] =
        &["organizationsecret", "secret", "password", "changeme", "change-me", "xxx", "todo"];
    PLACEHOLDERS.contains(&lower.as_str())
        || lower.starts_with("secret_org")
        || lower.starts_with("replace-me")
        || lower.contains("placeholder")
        || lower.contains("changeme")
        || secret.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && lower.starts_with("secret")
}

/// A secret shared by the two sides of one ordered pair. Never displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A fresh secret from the operating system's CSPRNG.
    pub fn generate() -> Secret {
        let mut out = String::with_capacity(SECRET_LEN);
        while out.len() < SECRET_LEN {
            let buf = random_bytes::<96>();
            // Rejection sampling (248 = 4 * 62, 208 = 4 * 52) keeps every character equally likely.
            // The first character is a letter, so that a secret is always a plain YAML string
            // (a leading digit could read as a number and would need quotes).
            for &b in &buf {
                if out.len() == SECRET_LEN {
                    break;
                }
                if out.is_empty() {
                    if b < 208 {
                        out.push(ALPHABET[(b % 52) as usize] as char);
                    }
                } else if b < 248 {
                    out.push(ALPHABET[(b % 62) as usize] as char);
                }
            }
        }
        Secret(out)
    }

    pub fn from_existing(s: &str) -> Secret {
        Secret(s.to_string())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// `N` bytes from the operating system's CSPRNG, drawn from a per-thread pool refilled 4 KiB at
/// a time (one system call serves about forty secrets).
fn random_bytes<const N: usize>() -> [u8; N] {
    use std::cell::RefCell;
    thread_local! {
        static POOL: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.len() < N {
            let mut fresh = vec![0u8; 4096.max(N)];
            getrandom::fill(&mut fresh).expect("the operating system's random source failed");
            *pool = fresh;
        }
        let at = pool.len() - N;
        let mut out = [0u8; N];
        out.copy_from_slice(&pool[at..]);
        // Bytes handed out leave the pool: none is served twice.
        pool.truncate(at);
        out
    })
}

/// One ordered pair: `server` accepts logins from `client`. Indices into the organization list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pair {
    pub server: usize,
    pub client: usize,
}

/// Every ordered pair among `n` organizations, self pairs included: n * n pairs.
pub fn full_mesh(n: usize) -> impl Iterator<Item = Pair> {
    (0..n).flat_map(move |server| (0..n).map(move |client| Pair { server, client }))
}

/// What one organization's file holds for another organization, in one list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryState {
    /// The secret, when it is a scalar.
    pub secret: Option<String>,
    /// The entry carries a `channel` key.
    pub has_channel: bool,
    /// How many entries the list holds for that organization.
    pub count: usize,
    /// What helm renders the secret as, when it is not a YAML string.
    pub rendered: Option<String>,
}

/// What one organization's values file holds for the organizations being linked, by MSP ID.
#[derive(Debug, Clone, Default)]
pub struct OrgLinks {
    pub msp_id: String,
    pub incoming: HashMap<String, EntryState>,
    pub outgoing: HashMap<String, EntryState>,
}

/// What `link` or `unlink` did to one ordered pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Kept,
    Rotated,
    Repaired,
    Removed,
    /// `unlink` found nothing to remove.
    Absent,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Kept => "kept",
            Action::Rotated => "rotated",
            Action::Repaired => "repaired",
            Action::Removed => "removed",
            Action::Absent => "absent",
        }
    }
}

/// The decision for one ordered pair: what happens, why, and the secret both sides get
/// (None for a removal).
#[derive(Debug, Clone)]
pub struct PairPlan {
    pub pair: Pair,
    pub action: Action,
    /// What was wrong with the pair before, if anything (for `check links`).
    pub problem: Option<String>,
    /// Why `link` changed the pair, when it repaired it.
    pub reason: Option<String>,
    pub secret: Option<Secret>,
}

/// Decides every ordered pair among `orgs`: keep a consistent pair's secret, create a missing
/// one, repair a one-sided or mismatched one, and rotate all of them with `rotate`.
pub fn plan_link(orgs: &[OrgLinks], rotate: bool) -> Vec<PairPlan> {
    decide_all(orgs, rotate)
        .map(|(plan, kept)| PairPlan {
            secret: Some(kept.map_or_else(Secret::generate, |k| Secret::from_existing(&k))),
            ..plan
        })
        .collect()
}

/// Inspects every ordered pair among `orgs` as [`plan_link`] would decide it, drawing no
/// secret: for checks that change nothing.
pub fn inspect_links(orgs: &[OrgLinks]) -> Vec<PairPlan> {
    decide_all(orgs, false).map(|(plan, _)| plan).collect()
}

/// Each pair's plan without its secret, and the secret it keeps (None: a fresh one is needed).
fn decide_all(
    orgs: &[OrgLinks],
    rotate: bool,
) -> impl Iterator<Item = (PairPlan, Option<String>)> + '_ {
    full_mesh(orgs.len()).map(move |pair| {
        let server = &orgs[pair.server];
        let client = &orgs[pair.client];
        let inc = server.incoming.get(&client.msp_id);
        let out = client.outgoing.get(&server.msp_id);
        let (action, problem, reason, kept) =
            decide(inc, out, rotate, &server.msp_id, &client.msp_id);
        (PairPlan { pair, action, problem, reason, secret: None }, kept)
    })
}

fn decide(
    inc: Option<&EntryState>,
    out: Option<&EntryState>,
    rotate: bool,
    server: &str,
    client: &str,
) -> (Action, Option<String>, Option<String>, Option<String>) {
    let problem_of = |e: &EntryState| match &e.secret {
        None => Some("there is no secret".to_string()),
        Some(s) => entry_secret_problem(s, e.rendered.as_deref()),
    };
    let usable = |e: &EntryState| e.secret.clone().filter(|_| problem_of(e).is_none());
    const FRESH: &str = "new secret on both sides";
    let repaired = |problem: String, fix: &str| {
        let reason = format!("{problem}; {fix}");
        (Action::Repaired, Some(problem), Some(reason))
    };
    let (action, problem, reason, secret) = match (inc, out) {
        (None, None) => {
            let problem = format!(
                "not paired: neither {server}'s incomingOrganizations nor {client}'s outgoingOrganizations has an entry"
            );
            (Action::Created, Some(problem), None, None)
        }
        (Some(_), None) => {
            let problem = format!("only {server}'s incomingOrganizations has {client}");
            let (a, p, r) = repaired(problem, FRESH);
            (a, p, r, None)
        }
        (None, Some(_)) => {
            let problem = format!("only {client}'s outgoingOrganizations has {server}");
            let (a, p, r) = repaired(problem, FRESH);
            (a, p, r, None)
        }
        (Some(i), Some(o)) => match (usable(i), usable(o)) {
            (Some(a), Some(b)) if a == b && unkept_secret(&a).is_some() => {
                let problem = unkept_secret(&a).unwrap_or_default();
                let (a, p, r) = repaired(problem, FRESH);
                (a, p, r, None)
            }
            (Some(a), Some(b)) if a == b => {
                let mut problems = Vec::new();
                if i.has_channel || o.has_channel {
                    problems.push(
                        "an entry has a `channel` key: the backend would store the organization as \
                         \"name secret\" and take the channel name as its password",
                    );
                }
                if i.count > 1 || o.count > 1 {
                    problems.push("a list has several entries for the organization");
                }
                if problems.is_empty() {
                    (Action::Kept, None, None, Some(a))
                } else {
                    let (a2, p, r) = repaired(problems.join("; "), "rewritten, secret kept");
                    (a2, p, r, Some(a))
                }
            }
            (Some(_), Some(_)) => {
                let (a, p, r) = repaired("the two sides hold different secrets".into(), FRESH);
                (a, p, r, None)
            }
            _ => {
                let mut problems = Vec::new();
                if let Some(p) = problem_of(i) {
                    problems.push(format!("{server}'s incoming entry for {client}: {p}"));
                }
                if let Some(p) = problem_of(o) {
                    problems.push(format!("{client}'s outgoing entry for {server}: {p}"));
                }
                let (a, p, r) = repaired(problems.join("; "), FRESH);
                (a, p, r, None)
            }
        },
    };
    if rotate {
        return (Action::Rotated, problem, None, None);
    }
    (action, problem, reason, secret)
}

/// Decides the two ordered pairs between `a` and `b` for `unlink`: removed where either side
/// held an entry, absent otherwise.
pub fn plan_unlink(orgs: &[OrgLinks; 2]) -> Vec<PairPlan> {
    [Pair { server: 0, client: 1 }, Pair { server: 1, client: 0 }]
        .into_iter()
        .map(|pair| {
            let server = &orgs[pair.server];
            let client = &orgs[pair.client];
            let present = server.incoming.contains_key(&client.msp_id)
                || client.outgoing.contains_key(&server.msp_id);
            let action = if present { Action::Removed } else { Action::Absent };
            PairPlan { pair, action, problem: None, reason: None, secret: None }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A secret long enough to be kept.
    fn long(s: &str) -> String {
        format!("{s}{}", "x".repeat(MIN_SECRET_LEN))
    }

    fn org(msp: &str, inc: &[(&str, &str, bool)], out: &[(&str, &str, bool)]) -> OrgLinks {
        let map = |l: &[(&str, &str, bool)]| {
            l.iter()
                .map(|(n, s, ch)| {
                    let state = EntryState {
                        secret: Some(long(s)),
                        has_channel: *ch,
                        count: 1,
                        rendered: None,
                    };
                    (n.to_string(), state)
                })
                .collect()
        };
        OrgLinks { msp_id: msp.into(), incoming: map(inc), outgoing: map(out) }
    }

    #[test]
    fn link_keeps_consistent_pairs_and_repairs_the_rest() {
        let a = org("a", &[("a", "SA_A", false), ("b", "S_AB", false)], &[("a", "SA_A", false)]);
        let b = org("b", &[("a", "x", true)], &[("a", "S_AB", false)]);
        let plans = plan_link(&[a, b], false);
        let action =
            |s, c| plans.iter().find(|p| p.pair == Pair { server: s, client: c }).map(|p| p.action);
        assert_eq!(action(0, 0), Some(Action::Kept));
        assert_eq!(action(0, 1), Some(Action::Kept));
        // b serves a: b's incoming has a, a's outgoing lacks b.
        assert_eq!(action(1, 0), Some(Action::Repaired));
        assert_eq!(action(1, 1), Some(Action::Created));
        let kept = plans.iter().find(|p| p.pair == Pair { server: 0, client: 1 }).expect("pair");
        assert_eq!(kept.secret.as_ref().map(Secret::expose), Some(long("S_AB").as_str()));
    }

    #[test]
    fn channel_keys_and_mismatches_are_repaired() {
        let a = org("a", &[("b", "S", true)], &[]);
        let b = org("b", &[], &[("a", "S", false)]);
        let plans = plan_link(&[a.clone(), b.clone()], false);
        let p = &plans[1];
        assert_eq!(
            (p.action, p.secret.as_ref().map(Secret::expose)),
            (Action::Repaired, Some(long("S").as_str()))
        );
        assert!(p.reason.as_deref().unwrap_or_default().contains("channel"));
        let b2 = org("b", &[], &[("a", "T", false)]);
        let plans = plan_link(&[a, b2], false);
        assert_eq!(plans[1].action, Action::Repaired);
        assert_ne!(plans[1].secret.as_ref().map(Secret::expose), Some(long("S").as_str()));
        assert!(plan_link(&[b], true).iter().all(|p| p.action == Action::Rotated));
    }

    #[test]
    fn placeholders_and_short_secrets_are_replaced() {
        assert!(weak_secret("SECRET_ORG1_ORG2").is_some_and(|w| w.contains("placeholder")));
        assert!(weak_secret("organizationSecret").is_some_and(|w| w.contains("placeholder")));
        assert!(weak_secret("Short1234").is_some_and(|w| w.contains("shorter than 32")));
        assert_eq!(weak_secret(Secret::generate().expose()), None);
        let a = org("a", &[], &[]);
        let mut a = a;
        let weak = EntryState {
            secret: Some("SECRET_ORG1_ORG2".into()),
            has_channel: false,
            count: 1,
            rendered: None,
        };
        a.incoming.insert("a".into(), weak.clone());
        a.outgoing.insert("a".into(), weak);
        let plans = plan_link(&[a], false);
        assert_eq!(plans[0].action, Action::Repaired);
        assert_ne!(plans[0].secret.as_ref().map(Secret::expose), Some("SECRET_ORG1_ORG2"));
    }

    #[test]
    fn secrets_are_long_alphanumeric_and_distinct() {
        let a = Secret::generate();
        let b = Secret::generate();
        assert_eq!(a.expose().len(), SECRET_LEN);
        assert!(a.expose().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert!((0..200).all(|_| Secret::generate().expose().as_bytes()[0].is_ascii_alphabetic()));
        assert_ne!(a, b);
        assert!(secret_is_usable(a.expose()));
        assert_eq!(format!("{a:?}"), "Secret(***)");
    }

    #[test]
    fn the_backends_secret_rule_in_full() {
        assert_eq!(secret_problem(&"a".repeat(128)), None);
        assert_eq!(secret_problem(&"é".repeat(128)), None, "128 latin-1 characters, 256 bytes");
        assert!(secret_problem(&"a".repeat(129)).is_some_and(|p| p.contains("129 characters")));
        assert!(secret_problem("ab cd").is_some_and(|p| p.contains("whitespace")));
        assert!(secret_problem("ab\u{a0}cd").is_some_and(|p| p.contains("whitespace")));
        assert!(secret_problem("price€42").is_some_and(|p| p.contains("latin-1")));
        assert!(!secret_problem("price€42").unwrap_or_default().contains("price"));
        assert!(secret_problem("").is_some());
        let rendered = "%!s(float64=1.2345678901234568e+39)";
        let problem = entry_secret_problem("x", Some(rendered)).unwrap_or_default();
        assert!(problem.contains("`%!s(float64=...)`") && !problem.contains("1.23"), "{problem}");
    }

    #[test]
    fn names_are_checked() {
        assert!(validate_name("ingen").is_ok());
        assert!(validate_name("OwkinPeerMSP").is_ok());
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert!(matches!(validate_name("a b"), Err(NameError::Whitespace(_))));
        assert!(matches!(validate_name("a/b"), Err(NameError::Separator(_))));
        assert!(matches!(validate_name(".hidden"), Err(NameError::Dot(_))));
        assert!(matches!(validate_name("in:gen"), Err(NameError::Colon(_))));
        assert!(matches!(validate_name(&"x".repeat(65)), Err(NameError::TooLong(_))));
        assert!(validate_name(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn mesh_has_n_squared_pairs_with_self_pairs() {
        let pairs: Vec<_> = full_mesh(3).collect();
        assert_eq!(pairs.len(), 9);
        assert!(pairs.contains(&Pair { server: 1, client: 1 }));
        assert!(pairs.contains(&Pair { server: 2, client: 0 }));
    }
}
