
use builtin;
use str;

set edit:completion:arg-completer[substractl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'substractl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'substractl'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand link 'Pair organizations: every one may log in to every other, with one fresh secret per ordered pair'
            cand unlink 'Remove the pairing of two organizations, in both directions and in both files'
            cand init 'Write a whole deployment: values, links, certificates, manifests, helmfile, next steps'
            cand certs 'Make and check the orchestrator''s CA, server and mTLS client certificates'
            cand grpc 'Talk to a gRPC server through reflection, as grpcurl does, with Substra''s headers'
            cand check 'Prove that the pieces of a deployment agree with, reach and accept each other'
            cand exchange 'Link organizations that share no files: identities, cards, the owner''s signed roster and sealed pair secrets'
            cand secrets 'Keep organizations'' credentials in a Secret manifest (the chart''s existingSecret) instead of their values files'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;link'= {
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand --channel 'Also make sure this channel lists every organization, in the orchestrator values and in each backend'
            cand --orchestrator-values 'Orchestrator values file edited by --channel (relative paths are taken in --dir)'
            cand --existing-secret 'Keep the credentials of the organizations named in a Secret manifest beside each values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the organization''s name), in --namespace'
            cand --release 'Helm release name of the backends (see `helm list -A`)'
            cand --namespace 'Kubernetes namespace of the backends'
            cand --chart-version 'Version of the substra-backend chart'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --rotate 'Issue new secrets for every pair among the organizations named'
            cand --create 'Create the values file of an organization that has none, even though --dir holds other organizations'' files (without it, a name with no file there is taken for a typo)'
            cand --dry-run 'Print a diff of every change, secrets masked, and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;unlink'= {
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand --release 'Helm release name of the backends (see `helm list -A`)'
            cand --namespace 'Kubernetes namespace of the backends'
            cand --chart-version 'Version of the substra-backend chart'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --dry-run 'Print a diff of every change, secrets masked, and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;init'= {
            cand --channel 'Channel every organization joins (repeatable) [default: our-channel]'
            cand --backend-address 'Address each backend registers, {org} replaced by the organization [default: https://api.{org}.example.com, http://api.{org}.example.com:80 with --no-tls]'
            cand --orchestrator-host 'Public host name of the orchestrator [default: orchestrator.example.com]'
            cand --context 'Kube context of an organization''s cluster, or of the orchestrator''s with `orchestrator=CONTEXT` (repeatable) [default: the organization''s name, orchestrator]'
            cand --out 'Directory the deployment is written to [default: substra-deployment]'
            cand --backend-chart-version 'Version of the substra/substra-backend chart'
            cand --orchestrator-chart-version 'Version of the substra/orchestrator chart'
            cand --key-type 'Key algorithm of every new key'
            cand --existing-secret 'Keep each organization''s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the organization''s name), in its namespace org-<name>'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --tls 'TLS between backends and the orchestrator (the default)'
            cand --no-tls 'No TLS: the orchestrator listens on port 80'
            cand --mtls 'Mutual TLS: each backend presents a client certificate (the default with TLS)'
            cand --no-mtls 'No client certificates'
            cand -y 'Take the default of every question not answered by a flag, and never prompt'
            cand --yes 'Take the default of every question not answered by a flag, and never prompt'
            cand --dry-run 'Print a diff of every change, secrets and keys masked, and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand gen 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates'
            cand inspect 'Show what a certificate holds'
            cand verify 'Check a certificate against a CA, a host name, a purpose and a key'
            cand request 'On an organization''s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator''s owner to sign'
            cand sign 'On the orchestrator owner''s machine: sign organizations'' certificate signing requests (or the orchestrator''s server request) with the CA in --out'
            cand install 'On an organization''s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;certs;gen'= {
            cand --out 'Directory the certificates, keys and manifests are written to'
            cand --ca-cn 'Common name of a new CA'
            cand --host 'Public host name of the orchestrator (repeatable; the first is the CN)'
            cand --san 'Extra subject alternative name, DNS name or IP address (repeatable)'
            cand --service 'In-cluster Service NAME.NAMESPACE: adds .svc and .svc.cluster.local names (repeatable)'
            cand --org 'mTLS client certificate for an organization: O=MSPID, CN=HOSTNAME or the MSP ID (repeatable)'
            cand --key-type 'Key algorithm of every new key'
            cand --days 'Validity of server and client certificates, in days'
            cand --ca-days 'Validity of a new CA, in days'
            cand --namespace 'metadata.namespace of the orchestrator''s manifests (the CA and the server pair)'
            cand --backend-namespace 'metadata.namespace of each backend''s manifest (its CA and client certificate Secrets); without it, apply them with `kubectl apply -n NAMESPACE`'
            cand --values-dir 'Also set the TLS values in orchestrator-values.yaml and each backend''s values file there (found by --values-pattern with the MSP ID, or by its orchestrator.mspID)'
            cand --values-pattern 'File name of an organization''s backend values in --values-dir; {org} is replaced by the MSP ID'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --force 'Overwrite existing server and client certificates (never the CA)'
            cand --manifests 'Also write Kubernetes Secret manifests'
            cand --cacert-configmap 'Write the CA as a ConfigMap, for orchestrator charts before 8.6.0 and backend charts before 26.0.0'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs;inspect'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs;verify'= {
            cand --ca 'The CA certificate that must have signed CERT'
            cand --host 'Host name the certificate must be valid for'
            cand --key 'Private key that must match the certificate'
            cand --msp-id-verification 'Whether the orchestrator verifies clients'' MSP IDs (orchestrator.verifyClientMSPID): with --client, a missing or wrong authorityKeyIdentifier fails when on (or not given) and is a warning when off'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --client 'Check for client authentication (mTLS) instead of server authentication'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs;request'= {
            cand --values 'The organization''s backend values file: its MSP ID (orchestrator.mspID) and host (server.defaultDomain) are read from it'
            cand --msp-id 'The organization''s MSP ID, the request''s O= (default: orchestrator.mspID of --values)'
            cand --host 'Host name of the organization''s backend, the request''s CN (default: the host of server.defaultDomain in --values, else the MSP ID); with --server, the orchestrator''s public host name'
            cand --san 'With --server: extra subject alternative name, DNS name or IP address (repeatable)'
            cand --service 'With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names (repeatable)'
            cand --out 'Directory of the key MSPID.key (kept when it exists) and the request MSPID.csr'
            cand --key-type 'Key algorithm of a new key'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --server 'The orchestrator''s own key and request instead (orchestrator-tls.key and .csr), for `certs sign --server` where the CA is'
            cand --new-key 'Make a new key even though MSPID.key exists (the old key is replaced)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs;sign'= {
            cand --out 'Directory of the CA (orchestrator-ca.crt and .key) where the certificates are written'
            cand --msp-id 'An MSP ID whose request may be signed, besides those listed in a channel of orchestrator-values.yaml in --values-dir (repeatable)'
            cand --values-dir 'Directory of orchestrator-values.yaml: its channels name the MSP IDs that may be signed, and each one signed gets its orchestrator.tls.mtls.clientCACerts entry there'
            cand --days 'Validity of the certificates, in days'
            cand --host 'With --server: public host name of the orchestrator (repeatable; the first is the CN)'
            cand --san 'With --server: extra subject alternative name, DNS name or IP address (repeatable)'
            cand --service 'With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names (repeatable)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --force 'Replace certificates that exist in --out'
            cand --server 'The request is the orchestrator''s own, for its server certificate (orchestrator-tls.crt)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs;install'= {
            cand --ca 'The orchestrator''s CA certificate, which must have signed CERT'
            cand --key 'This organization''s private key [default: MSPID.key in --out]'
            cand --values 'The organization''s backend values file: its MSP ID is read from it, and its TLS values (orchestrator.tls.*) are written in it'
            cand --msp-id 'The organization''s MSP ID, which CERT must name as its O= (default: orchestrator.mspID of --values)'
            cand --out 'Directory of the key and of the Secret manifests written'
            cand --namespace 'metadata.namespace of the manifests (the backend''s namespace); without it, apply them with `kubectl apply -n NAMESPACE`'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;certs;help'= {
            cand gen 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates'
            cand inspect 'Show what a certificate holds'
            cand verify 'Check a certificate against a CA, a host name, a purpose and a key'
            cand request 'On an organization''s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator''s owner to sign'
            cand sign 'On the orchestrator owner''s machine: sign organizations'' certificate signing requests (or the orchestrator''s server request) with the CA in --out'
            cand install 'On an organization''s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;certs;help;gen'= {
        }
        &'substractl;certs;help;inspect'= {
        }
        &'substractl;certs;help;verify'= {
        }
        &'substractl;certs;help;request'= {
        }
        &'substractl;certs;help;sign'= {
        }
        &'substractl;certs;help;install'= {
        }
        &'substractl;certs;help;help'= {
        }
        &'substractl;grpc'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the services, or a service''s methods, through server reflection'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;grpc;list'= {
            cand --cacert 'CA certificate that signed the server''s certificate'
            cand --cert 'Client certificate for mutual TLS'
            cand --key 'Private key of --cert'
            cand --authority 'Name sent to the server and checked against its certificate'
            cand -H 'Extra header ''name: value'' (repeatable)'
            cand --header 'Extra header ''name: value'' (repeatable)'
            cand --mspid 'Substra''s mspid header: the organization''s MSP ID'
            cand --channel 'Substra''s channel header'
            cand --connect-timeout 'Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake'
            cand --rpc-timeout 'Seconds allowed for each call (health, reflection) to be answered'
            cand --max-time 'Seconds allowed for the whole operation'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --plaintext 'Speak plaintext HTTP/2, no TLS'
            cand --insecure 'Do not verify the server''s certificate'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;grpc;help'= {
            cand list 'List the services, or a service''s methods, through server reflection'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;grpc;help;list'= {
        }
        &'substractl;grpc;help;help'= {
        }
        &'substractl;check'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand links 'Check, without changing anything, that the values files pair every organization correctly'
            cand orchestrator 'Check the orchestrator: TCP, TLS, health, reflection, services and headers'
            cand values 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings'
            cand outgoing 'Check that an organization reaches every organization it logs in to, and is accepted'
            cand all 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;check;links'= {
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;check;orchestrator'= {
            cand --cacert 'CA certificate that signed the server''s certificate'
            cand --cert 'Client certificate for mutual TLS'
            cand --key 'Private key of --cert'
            cand --authority 'Name sent to the server and checked against its certificate'
            cand -H 'Extra header ''name: value'' (repeatable)'
            cand --header 'Extra header ''name: value'' (repeatable)'
            cand --mspid 'Substra''s mspid header: the organization''s MSP ID'
            cand --channel 'Substra''s channel header'
            cand --connect-timeout 'Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake'
            cand --rpc-timeout 'Seconds allowed for each call (health, reflection) to be answered'
            cand --max-time 'Seconds allowed for the whole operation'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --plaintext 'Speak plaintext HTTP/2, no TLS'
            cand --insecure 'Do not verify the server''s certificate'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;check;values'= {
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand --orchestrator-values 'Orchestrator values file (relative paths are taken in --dir)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;check;outgoing'= {
            cand --org 'Organization to check: the name in its values file''s name (see --values-pattern)'
            cand --values 'The backend values file of the organization to check'
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand --address 'Address of an organization (ORG: the name used with `link`, or its MSP ID); repeatable. Default: the organization''s server.defaultDomain in its values file in --dir, else its card''s in the roster taken there with `exchange take`'
            cand --channel 'Channel sent in Substra-Channel-Name (default: the first of orchestrator.channels)'
            cand --timeout 'Seconds allowed for each request (with --in-cluster: for the whole kubectl run)'
            cand --concurrency 'Requests at the same time'
            cand --cacert 'CA certificate(s) trusted instead of the system''s roots, for https addresses'
            cand --format 'Print the backend command''s own table instead (no auth column)'
            cand --context 'kubectl context of the organization''s cluster (with --in-cluster)'
            cand --namespace 'Namespace of the organization''s backend (with --in-cluster)'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --all 'Check every organization in --dir against every organization it logs in to'
            cand --no-auth 'Do not check the credentials (only GET /info/, as the backend''s own command does)'
            cand --insecure 'Do not verify the backends'' certificates'
            cand --in-cluster 'Run the backend''s own command in its server pod (kubectl exec) and read its table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;check;all'= {
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand --orchestrator-values 'Orchestrator values file (relative paths are taken in --dir)'
            cand --certs 'Directory holding the files of `certs gen` (default: --dir, then --dir/certs)'
            cand --orchestrator 'Orchestrator address host:port, instead of each backend''s orchestrator.host and port (the certificate is still checked against orchestrator.host)'
            cand --address 'Address of an organization''s backend (ORG: the name used with `link`, or its MSP ID); repeatable. Default: its server.defaultDomain'
            cand --timeout 'Seconds allowed for each network step'
            cand --wait 'Retry the failing network checks until they pass or this time runs out (e.g. 90s, 5m)'
            cand --concurrency 'Orchestrator probes at the same time (one per organization), and, beside them, outgoing requests at the same time'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;check;help'= {
            cand links 'Check, without changing anything, that the values files pair every organization correctly'
            cand orchestrator 'Check the orchestrator: TCP, TLS, health, reflection, services and headers'
            cand values 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings'
            cand outgoing 'Check that an organization reaches every organization it logs in to, and is accepted'
            cand all 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;check;help;links'= {
        }
        &'substractl;check;help;orchestrator'= {
        }
        &'substractl;check;help;values'= {
        }
        &'substractl;check;help;outgoing'= {
        }
        &'substractl;check;help;all'= {
        }
        &'substractl;check;help;help'= {
        }
        &'substractl;exchange'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand identity 'Make this directory''s identity (an existing one is kept) and, for an organization, its card'
            cand admit 'The orchestrator''s owner: admit an organization''s card into channels and issue the roster'
            cand roster 'The orchestrator''s owner: issue the roster again, from the orchestrator''s values and the cards admitted'
            cand take 'An organization: take a roster signed by the orchestrator''s owner'
            cand seal 'An organization: pair with every partner in the roster, writing a sealed secret for each'
            cand open 'An organization: apply the sealed secrets that partners sent'
            cand status 'An organization: per partner, which entries exist and which sealed files are still to go'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;exchange;identity'= {
            cand --dir 'The party''s own directory: its identity, roster, state (and values file)'
            cand --values 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --owner 'The directory is the orchestrator''s owner''s: make the identity only, no card'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;admit'= {
            cand --fingerprint 'The card''s fingerprint as its administrator read it to you (SHA256:...)'
            cand --channel 'Channel the organization joins (repeatable) [default: the channels its card asks for]'
            cand --dir 'The owner''s directory: identity, orchestrator values, roster'
            cand --orchestrator-values 'Orchestrator values file (relative paths are taken in --dir)'
            cand --ca 'The orchestrator''s CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, if any]'
            cand --orchestrator 'The orchestrator''s address, host:port [default: the roster''s, else ingress.hostname with 443 or 80]'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --dry-run 'Print a diff of every change and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;roster'= {
            cand --dir 'The owner''s directory: identity, orchestrator values, roster'
            cand --orchestrator-values 'Orchestrator values file (relative paths are taken in --dir)'
            cand --ca 'The orchestrator''s CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, else the roster''s]'
            cand --orchestrator 'The orchestrator''s address, host:port [default: the roster''s, else ingress.hostname with 443 or 80]'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;take'= {
            cand --owner-fingerprint 'The owner''s fingerprint, read to you by the owner: needed the first time only'
            cand --dir 'The party''s own directory: its identity, roster, state (and values file)'
            cand --values 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;seal'= {
            cand --dir 'The party''s own directory: its identity, roster, state (and values file)'
            cand --values 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]'
            cand --out 'Directory the sealed files are written to [default: --dir]'
            cand --existing-secret 'Keep the organization''s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the name in the values file''s name)'
            cand --namespace 'Kubernetes namespace of the organization''s backend, written into a new Secret manifest'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --rotate 'Issue new secrets for every partner (each partner then applies its new sealed file)'
            cand --dry-run 'Print a diff of every change, secrets masked, and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;open'= {
            cand --existing-secret 'Keep the organization''s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the name in the values file''s name)'
            cand --namespace 'Kubernetes namespace of the organization''s backend, written into a new Secret manifest'
            cand --dir 'The party''s own directory: its identity, roster, state (and values file)'
            cand --values 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --dry-run 'Print a diff of every change, secrets masked, and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;status'= {
            cand --dir 'The party''s own directory: its identity, roster, state (and values file)'
            cand --values 'The organization''s backend values file [default: the one backend-*-values.yaml in --dir]'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;exchange;help'= {
            cand identity 'Make this directory''s identity (an existing one is kept) and, for an organization, its card'
            cand admit 'The orchestrator''s owner: admit an organization''s card into channels and issue the roster'
            cand roster 'The orchestrator''s owner: issue the roster again, from the orchestrator''s values and the cards admitted'
            cand take 'An organization: take a roster signed by the orchestrator''s owner'
            cand seal 'An organization: pair with every partner in the roster, writing a sealed secret for each'
            cand open 'An organization: apply the sealed secrets that partners sent'
            cand status 'An organization: per partner, which entries exist and which sealed files are still to go'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;exchange;help;identity'= {
        }
        &'substractl;exchange;help;admit'= {
        }
        &'substractl;exchange;help;roster'= {
        }
        &'substractl;exchange;help;take'= {
        }
        &'substractl;exchange;help;seal'= {
        }
        &'substractl;exchange;help;open'= {
        }
        &'substractl;exchange;help;status'= {
        }
        &'substractl;exchange;help;help'= {
        }
        &'substractl;secrets'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand move 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;secrets;move'= {
            cand --dir 'Directory holding the values files'
            cand --values-pattern 'File name of an organization''s backend values; {org} is replaced by the organization name given'
            cand --secret-name 'Name of the Secret ({org} is replaced by the organization name given)'
            cand --namespace 'Kubernetes namespace of the organization''s backend, written into the manifest ({org} is replaced by the organization name given); without it the manifest names none'
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand --dry-run 'Print a diff of every change, secrets masked, and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;secrets;help'= {
            cand move 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;secrets;help;move'= {
        }
        &'substractl;secrets;help;help'= {
        }
        &'substractl;completions'= {
            cand -o 'Output format of the result'
            cand --output 'Output format of the result'
            cand --color 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb'
            cand --lock-wait 'Seconds to wait for another substractl run that holds the directory (0: do not wait)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'substractl;help'= {
            cand link 'Pair organizations: every one may log in to every other, with one fresh secret per ordered pair'
            cand unlink 'Remove the pairing of two organizations, in both directions and in both files'
            cand init 'Write a whole deployment: values, links, certificates, manifests, helmfile, next steps'
            cand certs 'Make and check the orchestrator''s CA, server and mTLS client certificates'
            cand grpc 'Talk to a gRPC server through reflection, as grpcurl does, with Substra''s headers'
            cand check 'Prove that the pieces of a deployment agree with, reach and accept each other'
            cand exchange 'Link organizations that share no files: identities, cards, the owner''s signed roster and sealed pair secrets'
            cand secrets 'Keep organizations'' credentials in a Secret manifest (the chart''s existingSecret) instead of their values files'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'substractl;help;link'= {
        }
        &'substractl;help;unlink'= {
        }
        &'substractl;help;init'= {
        }
        &'substractl;help;certs'= {
            cand gen 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates'
            cand inspect 'Show what a certificate holds'
            cand verify 'Check a certificate against a CA, a host name, a purpose and a key'
            cand request 'On an organization''s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator''s owner to sign'
            cand sign 'On the orchestrator owner''s machine: sign organizations'' certificate signing requests (or the orchestrator''s server request) with the CA in --out'
            cand install 'On an organization''s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests'
        }
        &'substractl;help;certs;gen'= {
        }
        &'substractl;help;certs;inspect'= {
        }
        &'substractl;help;certs;verify'= {
        }
        &'substractl;help;certs;request'= {
        }
        &'substractl;help;certs;sign'= {
        }
        &'substractl;help;certs;install'= {
        }
        &'substractl;help;grpc'= {
            cand list 'List the services, or a service''s methods, through server reflection'
        }
        &'substractl;help;grpc;list'= {
        }
        &'substractl;help;check'= {
            cand links 'Check, without changing anything, that the values files pair every organization correctly'
            cand orchestrator 'Check the orchestrator: TCP, TLS, health, reflection, services and headers'
            cand values 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings'
            cand outgoing 'Check that an organization reaches every organization it logs in to, and is accepted'
            cand all 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report'
        }
        &'substractl;help;check;links'= {
        }
        &'substractl;help;check;orchestrator'= {
        }
        &'substractl;help;check;values'= {
        }
        &'substractl;help;check;outgoing'= {
        }
        &'substractl;help;check;all'= {
        }
        &'substractl;help;exchange'= {
            cand identity 'Make this directory''s identity (an existing one is kept) and, for an organization, its card'
            cand admit 'The orchestrator''s owner: admit an organization''s card into channels and issue the roster'
            cand roster 'The orchestrator''s owner: issue the roster again, from the orchestrator''s values and the cards admitted'
            cand take 'An organization: take a roster signed by the orchestrator''s owner'
            cand seal 'An organization: pair with every partner in the roster, writing a sealed secret for each'
            cand open 'An organization: apply the sealed secrets that partners sent'
            cand status 'An organization: per partner, which entries exist and which sealed files are still to go'
        }
        &'substractl;help;exchange;identity'= {
        }
        &'substractl;help;exchange;admit'= {
        }
        &'substractl;help;exchange;roster'= {
        }
        &'substractl;help;exchange;take'= {
        }
        &'substractl;help;exchange;seal'= {
        }
        &'substractl;help;exchange;open'= {
        }
        &'substractl;help;exchange;status'= {
        }
        &'substractl;help;secrets'= {
            cand move 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret'
        }
        &'substractl;help;secrets;move'= {
        }
        &'substractl;help;completions'= {
        }
        &'substractl;help;help'= {
        }
    ]
    $completions[$command]
}
