//! The backend's account lines: what the chart's `common.users` helper writes into the
//! `<fullname>-add-account` Secret, or what a Secret named by `addAccountOperator.existingSecret`
//! must hold under the keys `users`, `incoming_organizations` and `outgoing_organizations`.
//!
//! One line per entry, `name secret` or, when the entry has a channel (users do), `name secret
//! channel` (`printf "%s %s\n"`). The backend's sync commands split an organization's line on
//! its last space, so a name or secret that holds white space cannot be carried: it is refused
//! here rather than written into a line the backend would read differently.

/// The three keys of the Secret, in the order `kubectl create secret generic` writes them.
pub const KEYS: [&str; 3] = [INCOMING, OUTGOING, USERS];
pub const INCOMING: &str = "incoming_organizations";
pub const OUTGOING: &str = "outgoing_organizations";
pub const USERS: &str = "users";

/// One entry: an admin user (with a channel) or an organization (without).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub secret: String,
    pub channel: Option<String>,
}

/// A line that cannot hold an entry, or a line that does not read as one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("{what} {shown:?} holds white space, which the backend's account lines cannot carry")]
    Space { what: &'static str, shown: String },
    #[error("{what} is empty")]
    Empty { what: &'static str },
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
}

/// Checks that `text` fits in a field of an account line.
pub fn field(what: &'static str, text: &str) -> Result<(), LineError> {
    if text.is_empty() {
        return Err(LineError::Empty { what });
    }
    if text.chars().any(char::is_whitespace) {
        // The name may be shown (it is an MSP ID); a secret never is.
        let shown = if what == "secret" { "<secret>".to_string() } else { text.to_string() };
        return Err(LineError::Space { what, shown });
    }
    Ok(())
}

/// The lines `common.users` renders for these entries.
pub fn render(entries: &[Account]) -> Result<String, LineError> {
    let mut out = String::new();
    for e in entries {
        field("name", &e.name)?;
        field("secret", &e.secret)?;
        out.push_str(&e.name);
        out.push(' ');
        out.push_str(&e.secret);
        if let Some(channel) = e.channel.as_deref().filter(|c| !c.is_empty()) {
            field("channel", channel)?;
            out.push(' ');
            out.push_str(channel);
        }
        out.push('\n');
    }
    Ok(out)
}

/// Reads the lines of one key. `with_channel` is true for `users`, whose lines have three
/// fields; organizations' lines have two, split on the last space as the sync commands do.
pub fn parse(text: &str, with_channel: bool) -> Result<Vec<Account>, LineError> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let bad = |message: &str| LineError::Line { line: i + 1, message: message.to_string() };
        let fields: Vec<&str> = line.split(' ').collect();
        if fields.iter().any(|f| f.is_empty() || f.chars().any(char::is_whitespace)) {
            return Err(bad("fields must be separated by one space, with no other white space"));
        }
        let entry = match (with_channel, fields.as_slice()) {
            (false, [name, secret]) => {
                Account { name: name.to_string(), secret: secret.to_string(), channel: None }
            }
            (true, [name, secret, channel]) => Account {
                name: name.to_string(),
                secret: secret.to_string(),
                channel: Some(channel.to_string()),
            },
            (true, [name, secret]) => {
                Account { name: name.to_string(), secret: secret.to_string(), channel: None }
            }
            (false, [_, _, _]) => {
                return Err(bad(
                    "an organization's line has three fields: the backend would read the \
                     channel as the password (drop the channel)",
                ))
            }
            _ => return Err(bad("expected `name secret` or `name secret channel`")),
        };
        out.push(entry);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(name: &str, secret: &str) -> Account {
        Account { name: name.into(), secret: secret.into(), channel: None }
    }

    #[test]
    fn renders_as_the_chart_helper_does() {
        // templates/_helpers.tpl, common.users: printf "%s %s %s\n" with a channel, else "%s %s\n".
        let users = [Account {
            name: "admin".into(),
            secret: "pw".into(),
            channel: Some("our-channel".into()),
        }];
        assert_eq!(render(&users).expect("renders"), "admin pw our-channel\n");
        assert_eq!(render(&[org("a", "s1"), org("b", "s2")]).expect("renders"), "a s1\nb s2\n");
        assert_eq!(render(&[]).expect("renders"), "");
    }

    #[test]
    fn round_trips_and_refuses_what_the_format_cannot_hold() {
        let entries = vec![org("ingen", "x1"), org("biotechnica", "y2")];
        assert_eq!(parse(&render(&entries).expect("renders"), false).expect("renders"), entries);
        let err = render(&[org("ingen", "a b")]).expect_err("refused");
        assert!(!err.to_string().contains("a b"), "a secret is never shown: {err}");
        assert!(render(&[org("in gen", "x")]).is_err());
        assert!(render(&[org("", "x")]).is_err());
        assert!(parse("ingen secret our-channel\n", false).is_err());
        assert!(parse("ingen  secret\n", false).is_err());
        assert!(parse("ingen\tsecret\n", false).is_err());
        assert_eq!(parse("admin pw c\n", true).expect("renders")[0].channel.as_deref(), Some("c"));
    }
}
