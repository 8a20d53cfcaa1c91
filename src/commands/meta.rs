//! Commands about substractl itself: shell completions and the manual pages.
//!
//! Both are generated from the clap definitions in [`crate::cli`] and checked in (under
//! `completions/` and `man/`), with tests that fail when they are stale.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::roff::{bold, roman, Roff};

use crate::cli::Cli;
use crate::error::Explained;
use crate::output::Printer;

/// The command line as users see it: without hidden commands (`man`) and without clap's `help`
/// subcommand, which has no page of its own.
fn visible_command() -> clap::Command {
    let full = Cli::command();
    let mut cmd = clap::Command::new("substractl")
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .max_term_width(100)
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    cmd
}

/// The completion script for a shell, as checked in under `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut visible_command(), "substractl", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Every command that has a manual page, with its page name (`substractl-certs-gen`).
fn page_commands() -> Vec<(String, clap::Command)> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
        out.push((name.to_string(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &format!("{name}-{}", sub.get_name()), out);
        }
    }
    let mut root = visible_command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    walk(&root, "substractl", &mut pages);
    pages
}

/// The names of every manual page, `substractl` first; each is checked in as `man/NAME.1`.
pub fn man_page_names() -> Vec<String> {
    page_commands().into_iter().map(|(name, _)| name).collect()
}

/// Examples shown on each page: what it does, then the command line.
fn examples(page: &str) -> &'static [(&'static str, &'static str)] {
    match page {
        "substractl" => &[
            (
                "Pair two organizations whose values files are in deploy/, and list the channel in the orchestrator's values:",
                "substractl link ingen biotechnica --dir deploy --channel our-channel",
            ),
            ("Check, offline, that every pair agrees on both sides:", "substractl check links --dir deploy"),
            (
                "Make the orchestrator's CA, server certificate and one client certificate:",
                "substractl certs gen --out certs --host orchestrator.example --org ingen",
            ),
            (
                "Check every layer of an orchestrator, from TCP to Substra's headers:",
                "substractl check orchestrator orchestrator.example --cacert certs/orchestrator-ca.crt --mspid ingen --channel our-channel",
            ),
        ],
        "substractl-link" => &[
            (
                "Pair three organizations; their files are backend-ingen-values.yaml and so on, in deploy/:",
                "substractl link ingen biotechnica tyrell --dir deploy",
            ),
            (
                "See the changes, secrets masked, without writing anything:",
                "substractl link ingen biotechnica --dir deploy --dry-run",
            ),
            (
                "Issue new secrets for every pair and fill in the helm upgrade commands:",
                "substractl link ingen biotechnica --dir deploy --rotate --release backend --namespace org --chart-version 26.15.3",
            ),
        ],
        "substractl-check-outgoing" => &[
            (
                "Probe every organization ingen logs in to, with its secrets, at once:",
                "substractl check outgoing --org ingen --dir deploy --channel our-channel",
            ),
            (
                "Every organization against every other, as a matrix:",
                "substractl check outgoing --all --dir deploy",
            ),
            (
                "Run the backend's own command in its pod, and read its table:",
                "substractl check outgoing --in-cluster --context cluster-1 --namespace org-1",
            ),
        ],
        "substractl-check-all" => &[
            (
                "Prove a deployment directory: values, certificates, orchestrator, outgoing links:",
                "substractl check all --dir deploy",
            ),
            (
                "Right after helmfile apply, retry the network checks for up to five minutes:",
                "substractl check all --dir deploy --wait 5m",
            ),
        ],
        "substractl-check-values" => &[(
            "Audit every values file of a deployment directory, offline:",
            "substractl check values --dir deploy",
        )],
        "substractl-init" => &[
            (
                "A deployment of three organizations with TLS and mTLS, every default taken:",
                "substractl init ingen biotechnica tyrell --yes --out deploy",
            ),
            (
                "Add an organization to it, keeping the CA, the certificates and every secret:",
                "substractl init ingen biotechnica tyrell umbrella --yes --out deploy",
            ),
            (
                "Without TLS, each cluster on its own kube context:",
                "substractl init ingen biotechnica --no-tls --context ingen=gke-1 --context biotechnica=gke-2 --context orchestrator=gke-0 --yes --out deploy",
            ),
        ],
        "substractl-unlink" => &[(
            "Remove the pairing of ingen and biotechnica, both directions, both files:",
            "substractl unlink ingen biotechnica --dir deploy",
        )],
        "substractl-certs" => &[(
            "Make the CA, the server certificate and the manifests:",
            "substractl certs gen --out certs --host orchestrator.example --manifests",
        )],
        "substractl-certs-gen" => &[
            (
                "A CA, a server certificate for the public and in-cluster names, two client certificates, manifests and TLS values:",
                "substractl certs gen --out certs --host orchestrator.example --service orchestrator-server.orchestrator --org ingen=api.ingen.example --org biotechnica --manifests --namespace orchestrator --values-dir deploy",
            ),
            (
                "RSA keys, as the deployment guide's openssl commands make:",
                "substractl certs gen --out certs --host orchestrator.example --key-type rsa-2048",
            ),
        ],
        "substractl-certs-inspect" => &[(
            "Show what two certificates hold, as JSON:",
            "substractl certs inspect certs/orchestrator-tls.crt certs/ingen.crt -o json",
        )],
        "substractl-certs-verify" => &[
            (
                "Check the server certificate for the name clients dial:",
                "substractl certs verify --ca certs/orchestrator-ca.crt certs/orchestrator-tls.crt --host orchestrator.example",
            ),
            (
                "Check a client certificate and its key for mTLS:",
                "substractl certs verify --ca certs/orchestrator-ca.crt certs/ingen.crt --client --key certs/ingen.key",
            ),
            (
                "Check a client certificate for an orchestrator without MSP-ID verification (a missing authorityKeyIdentifier is then a warning):",
                "substractl certs verify --ca orchestrator-ca.crt ingen.crt --client --msp-id-verification off",
            ),
        ],
        "substractl-certs-request" => &[
            (
                "On the organization's machine: its key (kept when it exists) and a request, O and CN read from its backend values:",
                "substractl certs request --values backend-ingen-values.yaml",
            ),
            (
                "Without a values file, with an RSA key as the deployment guide makes:",
                "substractl certs request --msp-id ingen --host api.ingen.example --key-type rsa-2048",
            ),
        ],
        "substractl-certs-sign" => &[
            (
                "On the orchestrator owner's machine: sign requests with the CA in certs/, admitting the MSP IDs of the channels in deploy/orchestrator-values.yaml, and list their client CAs there:",
                "substractl certs sign ingen.csr biotechnica.csr --out certs --values-dir deploy",
            ),
            (
                "Sign the orchestrator's own server request for its public and in-cluster names:",
                "substractl certs sign --server orchestrator.csr --out certs --host orchestrator.example --service orchestrator-server.orchestrator --force",
            ),
        ],
        "substractl-certs-install" => &[(
            "On the organization's machine: check the certificate sent back, then write the backend's TLS values and Secret manifests:",
            "substractl certs install ingen.crt --ca orchestrator-ca.crt --values backend-ingen-values.yaml --namespace org-ingen",
        )],
        "substractl-grpc" | "substractl-grpc-list" => &[
            (
                "List the services of an orchestrator over mutual TLS:",
                "substractl grpc list orchestrator.example --cacert orchestrator-ca.crt --cert ingen.crt --key ingen.key --mspid ingen --channel our-channel",
            ),
            (
                "List a service's methods on a plaintext port:",
                "substractl grpc list localhost:9000 --plaintext --mspid ingen --channel our-channel orchestrator.OrganizationService",
            ),
        ],
        "substractl-secrets" | "substractl-secrets-move" => &[
            (
                "Move ingen's credentials into backend-ingen-accounts.yaml, in its namespace:",
                "substractl secrets move ingen --dir deploy --namespace org-ingen",
            ),
            (
                "See both diffs, secrets masked, without writing anything:",
                "substractl secrets move ingen biotechnica --dir deploy --namespace 'org-{org}' --dry-run",
            ),
        ],
        "substractl-check" | "substractl-check-links" => &[
            ("Check every values file in deploy/:", "substractl check links --dir deploy"),
            ("Check two organizations only, as JSON:", "substractl check links ingen biotechnica --dir deploy -o json"),
        ],
        "substractl-check-orchestrator" => &[
            (
                "Without headers: proves the orchestrator answers (OE0003 counts as reachable):",
                "substractl check orchestrator orchestrator.example --cacert orchestrator-ca.crt",
            ),
            (
                "Every layer, with a client certificate and Substra's headers:",
                "substractl check orchestrator orchestrator.example --cacert orchestrator-ca.crt --cert ingen.crt --key ingen.key --mspid ingen --channel our-channel",
            ),
        ],
        "substractl-completions" => &[
            ("Completions for bash, for this shell:", "source <(substractl completions bash)"),
            ("Completions for zsh:", "substractl completions zsh > ~/.zfunc/_substractl"),
        ],
        "substractl-exchange" => &[
            (
                "An organization: its identity and card, from its values file in its own directory:",
                "substractl exchange identity --dir ingen",
            ),
            (
                "The orchestrator's owner: admit a card whose fingerprint its administrator read out:",
                "substractl exchange admit card-IngenMSP.yaml --fingerprint SHA256:... --dir owner",
            ),
            (
                "An organization: take the roster, then seal a secret for every partner in it:",
                "substractl exchange take roster.yaml --owner-fingerprint SHA256:... --dir ingen && substractl exchange seal --dir ingen --out outbox",
            ),
        ],
        "substractl-exchange-identity" => &[
            ("The orchestrator's owner's identity (no card):", "substractl exchange identity --owner --dir owner"),
            (
                "An organization's identity and card, from the one backend values file in its directory:",
                "substractl exchange identity --dir ingen",
            ),
        ],
        "substractl-exchange-admit" => &[(
            "Admit ingen into our-channel and write the new roster in owner/:",
            "substractl exchange admit card-IngenMSP.yaml --fingerprint SHA256:7pBWux/D6sJiCyXcJS6nanvHv2Wsx46J3Ldq3jEZdLw --channel our-channel --dir owner",
        )],
        "substractl-exchange-roster" => &[(
            "Issue the roster again, with the orchestrator's new address:",
            "substractl exchange roster --orchestrator orchestrator.example:443 --dir owner",
        )],
        "substractl-exchange-take" => &[
            (
                "The first roster: trust the owner's key by the fingerprint the owner read out:",
                "substractl exchange take roster.yaml --owner-fingerprint SHA256:09SMwagHb0Tf/LwU/eVZ/RwyTEqipv/8zMCDVZvUGQ8 --dir ingen",
            ),
            ("A later roster, checked against the key trusted then:", "substractl exchange take roster.yaml --dir ingen"),
        ],
        "substractl-exchange-seal" => &[
            ("Seal a secret for every partner, into outbox/:", "substractl exchange seal --dir ingen --out outbox"),
            ("Issue new secrets for every partner:", "substractl exchange seal --rotate --dir ingen --out outbox"),
        ],
        "substractl-exchange-open" => &[(
            "Apply what two partners sealed for ingen:",
            "substractl exchange open sealed-BiotechnicaMSP-for-IngenMSP.yaml sealed-TyrellMSP-for-IngenMSP.yaml --dir ingen",
        )],
        "substractl-exchange-status" => &[(
            "Which partners let ingen in, and which sealed files are still to go:",
            "substractl exchange status --dir ingen",
        )],
        _ => &[],
    }
}

/// One manual page in roff: clap's sections, then EXIT STATUS, ENVIRONMENT, EXAMPLES and SEE ALSO.
fn render_page(name: &str, cmd: clap::Command) -> anyhow::Result<String> {
    let has_subcommands = cmd.has_subcommands();
    let man = clap_mangen::Man::new(cmd)
        .title(name)
        .source(format!("substractl {}", env!("CARGO_PKG_VERSION")));
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    if has_subcommands {
        man.render_subcommands_section(&mut buf)?;
    }

    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "Success: the command did what was asked, or every check passed."),
        (
            "1",
            "A check ran and found a problem: a pair that needs repair, a certificate that fails \
             verification, a server that cannot be reached or refuses the call.",
        ),
        ("2", "Bad usage or bad input (a wrong option, malformed YAML, a bad name); nothing was changed on disk."),
        ("70", "An internal error in substractl: please report it, with the command line and its output."),
    ] {
        roff.control("TP", []).text([bold(code)]).text([roman(meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (var, meaning) in [
        ("NO_COLOR", "When set and not empty, --color auto does not colour the output."),
        ("TERM", "When dumb, --color auto does not colour the output."),
        (
            "COLUMNS",
            "The width tables fit in. By default tables fit the terminal; output to a pipe or a file \
             is as wide as its content unless COLUMNS is set.",
        ),
    ] {
        roff.control("TP", []).text([bold(var)]).text([roman(meaning)]);
    }
    let examples = examples(name);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (what, command) in examples {
            roff.control("PP", []).text([roman(*what)]);
            roff.control("PP", []).control("RS", ["4"]).text([bold(*command)]).control("RE", []);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut see_also: Vec<String> = man_page_names()
        .into_iter()
        .filter(|other| {
            other != name
                && (other == "substractl"
                    || other.strip_prefix(name).is_some_and(|rest| rest.starts_with('-'))
                    || name.strip_prefix(other.as_str()).is_some_and(|rest| rest.starts_with('-')))
        })
        .map(|other| format!("{other}(1)"))
        .collect();
    see_also.push("helm(1)".to_string());
    roff.text([roman(see_also.join(", "))]);
    roff.to_writer(&mut buf)?;
    man.render_version_section(&mut buf)?;
    // Each part above starts with the same roff preamble: keep its first copy only.
    let text = String::from_utf8_lossy(&buf);
    let mut seen = std::collections::HashSet::new();
    Ok(text
        .split_inclusive('\n')
        .filter(|line| {
            !(line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq"))
                || seen.insert(*line)
        })
        .collect())
}

/// The manual page called `name` (`substractl`, `substractl-link`, `substractl-certs-gen`, ...),
/// in roff, as checked in under `man/NAME.1`.
pub fn man_page(name: &str) -> anyhow::Result<String> {
    let Some((name, cmd)) = page_commands().into_iter().find(|(page, _)| page == name) else {
        return Err(Explained::input(format!("there is no manual page called {name}"))
            .hint(format!("pages: {}", man_page_names().join(", ")))
            .into());
    };
    render_page(&name, cmd)
}

pub fn completions(shell: clap_complete::Shell, printer: &Printer) -> anyhow::Result<ExitCode> {
    printer.out(&completion_script(shell))?;
    Ok(ExitCode::SUCCESS)
}

/// `substractl man [PAGE]` prints one page; `--list` prints the names of every page.
pub fn man(page: &str, list: bool, printer: &Printer) -> anyhow::Result<ExitCode> {
    if list {
        printer.out(&man_page_names().iter().map(|n| format!("{n}\n")).collect::<String>())?;
    } else {
        printer.out(&man_page(page)?)?;
    }
    Ok(ExitCode::SUCCESS)
}
