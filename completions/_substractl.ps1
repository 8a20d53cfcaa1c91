
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'substractl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'substractl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'substractl' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Pair organizations: every one may log in to every other, with one fresh secret per ordered pair')
            [CompletionResult]::new('unlink', 'unlink', [CompletionResultType]::ParameterValue, 'Remove the pairing of two organizations, in both directions and in both files')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a whole deployment: values, links, certificates, manifests, helmfile, next steps')
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Make and check the orchestrator''s CA, server and mTLS client certificates')
            [CompletionResult]::new('grpc', 'grpc', [CompletionResultType]::ParameterValue, 'Talk to a gRPC server through reflection, as grpcurl does, with Substra''s headers')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove that the pieces of a deployment agree with, reach and accept each other')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Link organizations that share no files: identities, cards, the owner''s signed roster and sealed pair secrets')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Keep organizations'' credentials in a Secret manifest (the chart''s existingSecret) instead of their values files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;link' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Also make sure this channel lists every organization, in the orchestrator values and in each backend')
            [CompletionResult]::new('--orchestrator-values', '--orchestrator-values', [CompletionResultType]::ParameterName, 'Orchestrator values file edited by --channel (relative paths are taken in --dir)')
            [CompletionResult]::new('--existing-secret', '--existing-secret', [CompletionResultType]::ParameterName, 'Keep the credentials of the organizations named in a Secret manifest beside each values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the organization''s name), in --namespace')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name of the backends (see `helm list -A`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the backends')
            [CompletionResult]::new('--chart-version', '--chart-version', [CompletionResultType]::ParameterName, 'Version of the substra-backend chart')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Issue new secrets for every pair among the organizations named')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the values file of an organization that has none, even though --dir holds other organizations'' files (without it, a name with no file there is taken for a typo)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change, secrets masked, and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;unlink' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Helm release name of the backends (see `helm list -A`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the backends')
            [CompletionResult]::new('--chart-version', '--chart-version', [CompletionResultType]::ParameterName, 'Version of the substra-backend chart')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change, secrets masked, and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;init' {
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel every organization joins (repeatable) [default: our-channel]')
            [CompletionResult]::new('--backend-address', '--backend-address', [CompletionResultType]::ParameterName, 'Address each backend registers, {org} replaced by the organization [default: https://api.{org}.example.com, http://api.{org}.example.com:80 with --no-tls]')
            [CompletionResult]::new('--orchestrator-host', '--orchestrator-host', [CompletionResultType]::ParameterName, 'Public host name of the orchestrator [default: orchestrator.example.com]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kube context of an organization''s cluster, or of the orchestrator''s with `orchestrator=CONTEXT` (repeatable) [default: the organization''s name, orchestrator]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory the deployment is written to [default: substra-deployment]')
            [CompletionResult]::new('--backend-chart-version', '--backend-chart-version', [CompletionResultType]::ParameterName, 'Version of the substra/substra-backend chart')
            [CompletionResult]::new('--orchestrator-chart-version', '--orchestrator-chart-version', [CompletionResultType]::ParameterName, 'Version of the substra/orchestrator chart')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key algorithm of every new key')
            [CompletionResult]::new('--existing-secret', '--existing-secret', [CompletionResultType]::ParameterName, 'Keep each organization''s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the organization''s name), in its namespace org-<name>')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'TLS between backends and the orchestrator (the default)')
            [CompletionResult]::new('--no-tls', '--no-tls', [CompletionResultType]::ParameterName, 'No TLS: the orchestrator listens on port 80')
            [CompletionResult]::new('--mtls', '--mtls', [CompletionResultType]::ParameterName, 'Mutual TLS: each backend presents a client certificate (the default with TLS)')
            [CompletionResult]::new('--no-mtls', '--no-mtls', [CompletionResultType]::ParameterName, 'No client certificates')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Take the default of every question not answered by a flag, and never prompt')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Take the default of every question not answered by a flag, and never prompt')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change, secrets and keys masked, and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what a certificate holds')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a certificate against a CA, a host name, a purpose and a key')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'On an organization''s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator''s owner to sign')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'On the orchestrator owner''s machine: sign organizations'' certificate signing requests (or the orchestrator''s server request) with the CA in --out')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'On an organization''s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;certs;gen' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory the certificates, keys and manifests are written to')
            [CompletionResult]::new('--ca-cn', '--ca-cn', [CompletionResultType]::ParameterName, 'Common name of a new CA')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Public host name of the orchestrator (repeatable; the first is the CN)')
            [CompletionResult]::new('--san', '--san', [CompletionResultType]::ParameterName, 'Extra subject alternative name, DNS name or IP address (repeatable)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'In-cluster Service NAME.NAMESPACE: adds .svc and .svc.cluster.local names (repeatable)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'mTLS client certificate for an organization: O=MSPID, CN=HOSTNAME or the MSP ID (repeatable)')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key algorithm of every new key')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity of server and client certificates, in days')
            [CompletionResult]::new('--ca-days', '--ca-days', [CompletionResultType]::ParameterName, 'Validity of a new CA, in days')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'metadata.namespace of the orchestrator''s manifests (the CA and the server pair)')
            [CompletionResult]::new('--backend-namespace', '--backend-namespace', [CompletionResultType]::ParameterName, 'metadata.namespace of each backend''s manifest (its CA and client certificate Secrets); without it, apply them with `kubectl apply -n NAMESPACE`')
            [CompletionResult]::new('--values-dir', '--values-dir', [CompletionResultType]::ParameterName, 'Also set the TLS values in orchestrator-values.yaml and each backend''s values file there (found by --values-pattern with the MSP ID, or by its orchestrator.mspID)')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values in --values-dir; {org} is replaced by the MSP ID')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite existing server and client certificates (never the CA)')
            [CompletionResult]::new('--manifests', '--manifests', [CompletionResultType]::ParameterName, 'Also write Kubernetes Secret manifests')
            [CompletionResult]::new('--cacert-configmap', '--cacert-configmap', [CompletionResultType]::ParameterName, 'Write the CA as a ConfigMap, for orchestrator charts before 8.6.0 and backend charts before 26.0.0')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs;inspect' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs;verify' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The CA certificate that must have signed CERT')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name the certificate must be valid for')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key that must match the certificate')
            [CompletionResult]::new('--msp-id-verification', '--msp-id-verification', [CompletionResultType]::ParameterName, 'Whether the orchestrator verifies clients'' MSP IDs (orchestrator.verifyClientMSPID): with --client, a missing or wrong authorityKeyIdentifier fails when on (or not given) and is a warning when off')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Check for client authentication (mTLS) instead of server authentication')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs;request' {
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file: its MSP ID (orchestrator.mspID) and host (server.defaultDomain) are read from it')
            [CompletionResult]::new('--msp-id', '--msp-id', [CompletionResultType]::ParameterName, 'The organization''s MSP ID, the request''s O= (default: orchestrator.mspID of --values)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name of the organization''s backend, the request''s CN (default: the host of server.defaultDomain in --values, else the MSP ID); with --server, the orchestrator''s public host name')
            [CompletionResult]::new('--san', '--san', [CompletionResultType]::ParameterName, 'With --server: extra subject alternative name, DNS name or IP address (repeatable)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names (repeatable)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory of the key MSPID.key (kept when it exists) and the request MSPID.csr')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key algorithm of a new key')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The orchestrator''s own key and request instead (orchestrator-tls.key and .csr), for `certs sign --server` where the CA is')
            [CompletionResult]::new('--new-key', '--new-key', [CompletionResultType]::ParameterName, 'Make a new key even though MSPID.key exists (the old key is replaced)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs;sign' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory of the CA (orchestrator-ca.crt and .key) where the certificates are written')
            [CompletionResult]::new('--msp-id', '--msp-id', [CompletionResultType]::ParameterName, 'An MSP ID whose request may be signed, besides those listed in a channel of orchestrator-values.yaml in --values-dir (repeatable)')
            [CompletionResult]::new('--values-dir', '--values-dir', [CompletionResultType]::ParameterName, 'Directory of orchestrator-values.yaml: its channels name the MSP IDs that may be signed, and each one signed gets its orchestrator.tls.mtls.clientCACerts entry there')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity of the certificates, in days')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'With --server: public host name of the orchestrator (repeatable; the first is the CN)')
            [CompletionResult]::new('--san', '--san', [CompletionResultType]::ParameterName, 'With --server: extra subject alternative name, DNS name or IP address (repeatable)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace certificates that exist in --out')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The request is the orchestrator''s own, for its server certificate (orchestrator-tls.crt)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs;install' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The orchestrator''s CA certificate, which must have signed CERT')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'This organization''s private key [default: MSPID.key in --out]')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file: its MSP ID is read from it, and its TLS values (orchestrator.tls.*) are written in it')
            [CompletionResult]::new('--msp-id', '--msp-id', [CompletionResultType]::ParameterName, 'The organization''s MSP ID, which CERT must name as its O= (default: orchestrator.mspID of --values)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory of the key and of the Secret manifests written')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'metadata.namespace of the manifests (the backend''s namespace); without it, apply them with `kubectl apply -n NAMESPACE`')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;certs;help' {
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what a certificate holds')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a certificate against a CA, a host name, a purpose and a key')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'On an organization''s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator''s owner to sign')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'On the orchestrator owner''s machine: sign organizations'' certificate signing requests (or the orchestrator''s server request) with the CA in --out')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'On an organization''s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;certs;help;gen' {
            break
        }
        'substractl;certs;help;inspect' {
            break
        }
        'substractl;certs;help;verify' {
            break
        }
        'substractl;certs;help;request' {
            break
        }
        'substractl;certs;help;sign' {
            break
        }
        'substractl;certs;help;install' {
            break
        }
        'substractl;certs;help;help' {
            break
        }
        'substractl;grpc' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services, or a service''s methods, through server reflection')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;grpc;list' {
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'CA certificate that signed the server''s certificate')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Client certificate for mutual TLS')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'Name sent to the server and checked against its certificate')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header ''name: value'' (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header ''name: value'' (repeatable)')
            [CompletionResult]::new('--mspid', '--mspid', [CompletionResultType]::ParameterName, 'Substra''s mspid header: the organization''s MSP ID')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Substra''s channel header')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake')
            [CompletionResult]::new('--rpc-timeout', '--rpc-timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each call (health, reflection) to be answered')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Seconds allowed for the whole operation')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--plaintext', '--plaintext', [CompletionResultType]::ParameterName, 'Speak plaintext HTTP/2, no TLS')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s certificate')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;grpc;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services, or a service''s methods, through server reflection')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;grpc;help;list' {
            break
        }
        'substractl;grpc;help;help' {
            break
        }
        'substractl;check' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('links', 'links', [CompletionResultType]::ParameterValue, 'Check, without changing anything, that the values files pair every organization correctly')
            [CompletionResult]::new('orchestrator', 'orchestrator', [CompletionResultType]::ParameterValue, 'Check the orchestrator: TCP, TLS, health, reflection, services and headers')
            [CompletionResult]::new('values', 'values', [CompletionResultType]::ParameterValue, 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings')
            [CompletionResult]::new('outgoing', 'outgoing', [CompletionResultType]::ParameterValue, 'Check that an organization reaches every organization it logs in to, and is accepted')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;check;links' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;check;orchestrator' {
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'CA certificate that signed the server''s certificate')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Client certificate for mutual TLS')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'Name sent to the server and checked against its certificate')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header ''name: value'' (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header ''name: value'' (repeatable)')
            [CompletionResult]::new('--mspid', '--mspid', [CompletionResultType]::ParameterName, 'Substra''s mspid header: the organization''s MSP ID')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Substra''s channel header')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake')
            [CompletionResult]::new('--rpc-timeout', '--rpc-timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each call (health, reflection) to be answered')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Seconds allowed for the whole operation')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--plaintext', '--plaintext', [CompletionResultType]::ParameterName, 'Speak plaintext HTTP/2, no TLS')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s certificate')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;check;values' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('--orchestrator-values', '--orchestrator-values', [CompletionResultType]::ParameterName, 'Orchestrator values file (relative paths are taken in --dir)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;check;outgoing' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization to check: the name in its values file''s name (see --values-pattern)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The backend values file of the organization to check')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Address of an organization (ORG: the name used with `link`, or its MSP ID); repeatable. Default: the organization''s server.defaultDomain in its values file in --dir, else its card''s in the roster taken there with `exchange take`')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel sent in Substra-Channel-Name (default: the first of orchestrator.channels)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each request (with --in-cluster: for the whole kubectl run)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests at the same time')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'CA certificate(s) trusted instead of the system''s roots, for https addresses')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the backend command''s own table instead (no auth column)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'kubectl context of the organization''s cluster (with --in-cluster)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the organization''s backend (with --in-cluster)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check every organization in --dir against every organization it logs in to')
            [CompletionResult]::new('--no-auth', '--no-auth', [CompletionResultType]::ParameterName, 'Do not check the credentials (only GET /info/, as the backend''s own command does)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the backends'' certificates')
            [CompletionResult]::new('--in-cluster', '--in-cluster', [CompletionResultType]::ParameterName, 'Run the backend''s own command in its server pod (kubectl exec) and read its table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;check;all' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('--orchestrator-values', '--orchestrator-values', [CompletionResultType]::ParameterName, 'Orchestrator values file (relative paths are taken in --dir)')
            [CompletionResult]::new('--certs', '--certs', [CompletionResultType]::ParameterName, 'Directory holding the files of `certs gen` (default: --dir, then --dir/certs)')
            [CompletionResult]::new('--orchestrator', '--orchestrator', [CompletionResultType]::ParameterName, 'Orchestrator address host:port, instead of each backend''s orchestrator.host and port (the certificate is still checked against orchestrator.host)')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Address of an organization''s backend (ORG: the name used with `link`, or its MSP ID); repeatable. Default: its server.defaultDomain')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each network step')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Retry the failing network checks until they pass or this time runs out (e.g. 90s, 5m)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Orchestrator probes at the same time (one per organization), and, beside them, outgoing requests at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;check;help' {
            [CompletionResult]::new('links', 'links', [CompletionResultType]::ParameterValue, 'Check, without changing anything, that the values files pair every organization correctly')
            [CompletionResult]::new('orchestrator', 'orchestrator', [CompletionResultType]::ParameterValue, 'Check the orchestrator: TCP, TLS, health, reflection, services and headers')
            [CompletionResult]::new('values', 'values', [CompletionResultType]::ParameterValue, 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings')
            [CompletionResult]::new('outgoing', 'outgoing', [CompletionResultType]::ParameterValue, 'Check that an organization reaches every organization it logs in to, and is accepted')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;check;help;links' {
            break
        }
        'substractl;check;help;orchestrator' {
            break
        }
        'substractl;check;help;values' {
            break
        }
        'substractl;check;help;outgoing' {
            break
        }
        'substractl;check;help;all' {
            break
        }
        'substractl;check;help;help' {
            break
        }
        'substractl;exchange' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Make this directory''s identity (an existing one is kept) and, for an organization, its card')
            [CompletionResult]::new('admit', 'admit', [CompletionResultType]::ParameterValue, 'The orchestrator''s owner: admit an organization''s card into channels and issue the roster')
            [CompletionResult]::new('roster', 'roster', [CompletionResultType]::ParameterValue, 'The orchestrator''s owner: issue the roster again, from the orchestrator''s values and the cards admitted')
            [CompletionResult]::new('take', 'take', [CompletionResultType]::ParameterValue, 'An organization: take a roster signed by the orchestrator''s owner')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'An organization: pair with every partner in the roster, writing a sealed secret for each')
            [CompletionResult]::new('open', 'open', [CompletionResultType]::ParameterValue, 'An organization: apply the sealed secrets that partners sent')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'An organization: per partner, which entries exist and which sealed files are still to go')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;exchange;identity' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The party''s own directory: its identity, roster, state (and values file)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The directory is the orchestrator''s owner''s: make the identity only, no card')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;admit' {
            [CompletionResult]::new('--fingerprint', '--fingerprint', [CompletionResultType]::ParameterName, 'The card''s fingerprint as its administrator read it to you (SHA256:...)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel the organization joins (repeatable) [default: the channels its card asks for]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The owner''s directory: identity, orchestrator values, roster')
            [CompletionResult]::new('--orchestrator-values', '--orchestrator-values', [CompletionResultType]::ParameterName, 'Orchestrator values file (relative paths are taken in --dir)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The orchestrator''s CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, if any]')
            [CompletionResult]::new('--orchestrator', '--orchestrator', [CompletionResultType]::ParameterName, 'The orchestrator''s address, host:port [default: the roster''s, else ingress.hostname with 443 or 80]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;roster' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The owner''s directory: identity, orchestrator values, roster')
            [CompletionResult]::new('--orchestrator-values', '--orchestrator-values', [CompletionResultType]::ParameterName, 'Orchestrator values file (relative paths are taken in --dir)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The orchestrator''s CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, else the roster''s]')
            [CompletionResult]::new('--orchestrator', '--orchestrator', [CompletionResultType]::ParameterName, 'The orchestrator''s address, host:port [default: the roster''s, else ingress.hostname with 443 or 80]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;take' {
            [CompletionResult]::new('--owner-fingerprint', '--owner-fingerprint', [CompletionResultType]::ParameterName, 'The owner''s fingerprint, read to you by the owner: needed the first time only')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The party''s own directory: its identity, roster, state (and values file)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;seal' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The party''s own directory: its identity, roster, state (and values file)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory the sealed files are written to [default: --dir]')
            [CompletionResult]::new('--existing-secret', '--existing-secret', [CompletionResultType]::ParameterName, 'Keep the organization''s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the name in the values file''s name)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the organization''s backend, written into a new Secret manifest')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Issue new secrets for every partner (each partner then applies its new sealed file)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change, secrets masked, and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;open' {
            [CompletionResult]::new('--existing-secret', '--existing-secret', [CompletionResultType]::ParameterName, 'Keep the organization''s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the name in the values file''s name)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the organization''s backend, written into a new Secret manifest')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The party''s own directory: its identity, roster, state (and values file)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change, secrets masked, and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;status' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The party''s own directory: its identity, roster, state (and values file)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;exchange;help' {
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Make this directory''s identity (an existing one is kept) and, for an organization, its card')
            [CompletionResult]::new('admit', 'admit', [CompletionResultType]::ParameterValue, 'The orchestrator''s owner: admit an organization''s card into channels and issue the roster')
            [CompletionResult]::new('roster', 'roster', [CompletionResultType]::ParameterValue, 'The orchestrator''s owner: issue the roster again, from the orchestrator''s values and the cards admitted')
            [CompletionResult]::new('take', 'take', [CompletionResultType]::ParameterValue, 'An organization: take a roster signed by the orchestrator''s owner')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'An organization: pair with every partner in the roster, writing a sealed secret for each')
            [CompletionResult]::new('open', 'open', [CompletionResultType]::ParameterValue, 'An organization: apply the sealed secrets that partners sent')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'An organization: per partner, which entries exist and which sealed files are still to go')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;exchange;help;identity' {
            break
        }
        'substractl;exchange;help;admit' {
            break
        }
        'substractl;exchange;help;roster' {
            break
        }
        'substractl;exchange;help;take' {
            break
        }
        'substractl;exchange;help;seal' {
            break
        }
        'substractl;exchange;help;open' {
            break
        }
        'substractl;exchange;help;status' {
            break
        }
        'substractl;exchange;help;help' {
            break
        }
        'substractl;secrets' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;secrets;move' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory holding the values files')
            [CompletionResult]::new('--values-pattern', '--values-pattern', [CompletionResultType]::ParameterName, 'File name of an organization''s backend values; {org} is replaced by the organization name given')
            [CompletionResult]::new('--secret-name', '--secret-name', [CompletionResultType]::ParameterName, 'Name of the Secret ({org} is replaced by the organization name given)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Kubernetes namespace of the organization''s backend, written into the manifest ({org} is replaced by the organization name given); without it the manifest names none')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print a diff of every change, secrets masked, and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;secrets;help' {
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;secrets;help;move' {
            break
        }
        'substractl;secrets;help;help' {
            break
        }
        'substractl;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb')
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'Seconds to wait for another substractl run that holds the directory (0: do not wait)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'substractl;help' {
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Pair organizations: every one may log in to every other, with one fresh secret per ordered pair')
            [CompletionResult]::new('unlink', 'unlink', [CompletionResultType]::ParameterValue, 'Remove the pairing of two organizations, in both directions and in both files')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a whole deployment: values, links, certificates, manifests, helmfile, next steps')
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Make and check the orchestrator''s CA, server and mTLS client certificates')
            [CompletionResult]::new('grpc', 'grpc', [CompletionResultType]::ParameterValue, 'Talk to a gRPC server through reflection, as grpcurl does, with Substra''s headers')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove that the pieces of a deployment agree with, reach and accept each other')
            [CompletionResult]::new('exchange', 'exchange', [CompletionResultType]::ParameterValue, 'Link organizations that share no files: identities, cards, the owner''s signed roster and sealed pair secrets')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Keep organizations'' credentials in a Secret manifest (the chart''s existingSecret) instead of their values files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'substractl;help;link' {
            break
        }
        'substractl;help;unlink' {
            break
        }
        'substractl;help;init' {
            break
        }
        'substractl;help;certs' {
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what a certificate holds')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a certificate against a CA, a host name, a purpose and a key')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'On an organization''s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator''s owner to sign')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'On the orchestrator owner''s machine: sign organizations'' certificate signing requests (or the orchestrator''s server request) with the CA in --out')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'On an organization''s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests')
            break
        }
        'substractl;help;certs;gen' {
            break
        }
        'substractl;help;certs;inspect' {
            break
        }
        'substractl;help;certs;verify' {
            break
        }
        'substractl;help;certs;request' {
            break
        }
        'substractl;help;certs;sign' {
            break
        }
        'substractl;help;certs;install' {
            break
        }
        'substractl;help;grpc' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services, or a service''s methods, through server reflection')
            break
        }
        'substractl;help;grpc;list' {
            break
        }
        'substractl;help;check' {
            [CompletionResult]::new('links', 'links', [CompletionResultType]::ParameterValue, 'Check, without changing anything, that the values files pair every organization correctly')
            [CompletionResult]::new('orchestrator', 'orchestrator', [CompletionResultType]::ParameterValue, 'Check the orchestrator: TCP, TLS, health, reflection, services and headers')
            [CompletionResult]::new('values', 'values', [CompletionResultType]::ParameterValue, 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings')
            [CompletionResult]::new('outgoing', 'outgoing', [CompletionResultType]::ParameterValue, 'Check that an organization reaches every organization it logs in to, and is accepted')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report')
            break
        }
        'substractl;help;check;links' {
            break
        }
        'substractl;help;check;orchestrator' {
            break
        }
        'substractl;help;check;values' {
            break
        }
        'substractl;help;check;outgoing' {
            break
        }
        'substractl;help;check;all' {
            break
        }
        'substractl;help;exchange' {
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Make this directory''s identity (an existing one is kept) and, for an organization, its card')
            [CompletionResult]::new('admit', 'admit', [CompletionResultType]::ParameterValue, 'The orchestrator''s owner: admit an organization''s card into channels and issue the roster')
            [CompletionResult]::new('roster', 'roster', [CompletionResultType]::ParameterValue, 'The orchestrator''s owner: issue the roster again, from the orchestrator''s values and the cards admitted')
            [CompletionResult]::new('take', 'take', [CompletionResultType]::ParameterValue, 'An organization: take a roster signed by the orchestrator''s owner')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'An organization: pair with every partner in the roster, writing a sealed secret for each')
            [CompletionResult]::new('open', 'open', [CompletionResultType]::ParameterValue, 'An organization: apply the sealed secrets that partners sent')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'An organization: per partner, which entries exist and which sealed files are still to go')
            break
        }
        'substractl;help;exchange;identity' {
            break
        }
        'substractl;help;exchange;admit' {
            break
        }
        'substractl;help;exchange;roster' {
            break
        }
        'substractl;help;exchange;take' {
            break
        }
        'substractl;help;exchange;seal' {
            break
        }
        'substractl;help;exchange;open' {
            break
        }
        'substractl;help;exchange;status' {
            break
        }
        'substractl;help;secrets' {
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret')
            break
        }
        'substractl;help;secrets;move' {
            break
        }
        'substractl;help;completions' {
            break
        }
        'substractl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
