# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_substractl_global_optspecs
    string join \n o/output= color= lock-wait= h/help V/version
end

function __fish_substractl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_substractl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_substractl_using_subcommand
    set -l cmd (__fish_substractl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c substractl -n "__fish_substractl_needs_command" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_needs_command" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_needs_command" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_needs_command" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "link" -d 'Pair organizations: every one may log in to every other, with one fresh secret per ordered pair'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "unlink" -d 'Remove the pairing of two organizations, in both directions and in both files'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "init" -d 'Write a whole deployment: values, links, certificates, manifests, helmfile, next steps'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "certs" -d 'Make and check the orchestrator\'s CA, server and mTLS client certificates'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "grpc" -d 'Talk to a gRPC server through reflection, as grpcurl does, with Substra\'s headers'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "check" -d 'Prove that the pieces of a deployment agree with, reach and accept each other'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "exchange" -d 'Link organizations that share no files: identities, cards, the owner\'s signed roster and sealed pair secrets'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "secrets" -d 'Keep organizations\' credentials in a Secret manifest (the chart\'s existingSecret) instead of their values files'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c substractl -n "__fish_substractl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand link" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand link" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -l channel -d 'Also make sure this channel lists every organization, in the orchestrator values and in each backend' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -l orchestrator-values -d 'Orchestrator values file edited by --channel (relative paths are taken in --dir)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand link" -l existing-secret -d 'Keep the credentials of the organizations named in a Secret manifest beside each values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the organization\'s name), in --namespace' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -l release -d 'Helm release name of the backends (see `helm list -A`)' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -l namespace -d 'Kubernetes namespace of the backends' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -l chart-version -d 'Version of the substra-backend chart' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand link" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand link" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand link" -l rotate -d 'Issue new secrets for every pair among the organizations named'
complete -c substractl -n "__fish_substractl_using_subcommand link" -l create -d 'Create the values file of an organization that has none, even though --dir holds other organizations\' files (without it, a name with no file there is taken for a typo)'
complete -c substractl -n "__fish_substractl_using_subcommand link" -l dry-run -d 'Print a diff of every change, secrets masked, and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand link" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand link" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l release -d 'Helm release name of the backends (see `helm list -A`)' -r
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l namespace -d 'Kubernetes namespace of the backends' -r
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l chart-version -d 'Version of the substra-backend chart' -r
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -l dry-run -d 'Print a diff of every change, secrets masked, and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand unlink" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand init" -l channel -d 'Channel every organization joins (repeatable) [default: our-channel]' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l backend-address -d 'Address each backend registers, {org} replaced by the organization [default: https://api.{org}.example.com, http://api.{org}.example.com:80 with --no-tls]' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l orchestrator-host -d 'Public host name of the orchestrator [default: orchestrator.example.com]' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l context -d 'Kube context of an organization\'s cluster, or of the orchestrator\'s with `orchestrator=CONTEXT` (repeatable) [default: the organization\'s name, orchestrator]' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l out -d 'Directory the deployment is written to [default: substra-deployment]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand init" -l backend-chart-version -d 'Version of the substra/substra-backend chart' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l orchestrator-chart-version -d 'Version of the substra/orchestrator chart' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l key-type -d 'Key algorithm of every new key' -r -f -a "ecdsa-p256\t''
ecdsa-p384\t''
rsa-2048\t''
rsa-3072\t''
rsa-4096\t''
ed25519\t''"
complete -c substractl -n "__fish_substractl_using_subcommand init" -l existing-secret -d 'Keep each organization\'s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the organization\'s name), in its namespace org-<name>' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand init" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand init" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand init" -l tls -d 'TLS between backends and the orchestrator (the default)'
complete -c substractl -n "__fish_substractl_using_subcommand init" -l no-tls -d 'No TLS: the orchestrator listens on port 80'
complete -c substractl -n "__fish_substractl_using_subcommand init" -l mtls -d 'Mutual TLS: each backend presents a client certificate (the default with TLS)'
complete -c substractl -n "__fish_substractl_using_subcommand init" -l no-mtls -d 'No client certificates'
complete -c substractl -n "__fish_substractl_using_subcommand init" -s y -l yes -d 'Take the default of every question not answered by a flag, and never prompt'
complete -c substractl -n "__fish_substractl_using_subcommand init" -l dry-run -d 'Print a diff of every change, secrets and keys masked, and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand init" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "gen" -d 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "inspect" -d 'Show what a certificate holds'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "verify" -d 'Check a certificate against a CA, a host name, a purpose and a key'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "request" -d 'On an organization\'s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator\'s owner to sign'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "sign" -d 'On the orchestrator owner\'s machine: sign organizations\' certificate signing requests (or the orchestrator\'s server request) with the CA in --out'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "install" -d 'On an organization\'s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and not __fish_seen_subcommand_from gen inspect verify request sign install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l out -d 'Directory the certificates, keys and manifests are written to' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l ca-cn -d 'Common name of a new CA' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l host -d 'Public host name of the orchestrator (repeatable; the first is the CN)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l san -d 'Extra subject alternative name, DNS name or IP address (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l service -d 'In-cluster Service NAME.NAMESPACE: adds .svc and .svc.cluster.local names (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l org -d 'mTLS client certificate for an organization: O=MSPID, CN=HOSTNAME or the MSP ID (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l key-type -d 'Key algorithm of every new key' -r -f -a "ecdsa-p256\t''
ecdsa-p384\t''
rsa-2048\t''
rsa-3072\t''
rsa-4096\t''
ed25519\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l days -d 'Validity of server and client certificates, in days' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l ca-days -d 'Validity of a new CA, in days' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l namespace -d 'metadata.namespace of the orchestrator\'s manifests (the CA and the server pair)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l backend-namespace -d 'metadata.namespace of each backend\'s manifest (its CA and client certificate Secrets); without it, apply them with `kubectl apply -n NAMESPACE`' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l values-dir -d 'Also set the TLS values in orchestrator-values.yaml and each backend\'s values file there (found by --values-pattern with the MSP ID, or by its orchestrator.mspID)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l values-pattern -d 'File name of an organization\'s backend values in --values-dir; {org} is replaced by the MSP ID' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l force -d 'Overwrite existing server and client certificates (never the CA)'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l manifests -d 'Also write Kubernetes Secret manifests'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -l cacert-configmap -d 'Write the CA as a ConfigMap, for orchestrator charts before 8.6.0 and backend charts before 26.0.0'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from gen" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from inspect" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from inspect" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l ca -d 'The CA certificate that must have signed CERT' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l host -d 'Host name the certificate must be valid for' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l key -d 'Private key that must match the certificate' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l msp-id-verification -d 'Whether the orchestrator verifies clients\' MSP IDs (orchestrator.verifyClientMSPID): with --client, a missing or wrong authorityKeyIdentifier fails when on (or not given) and is a warning when off' -r -f -a "on\t''
off\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -l client -d 'Check for client authentication (mTLS) instead of server authentication'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l values -d 'The organization\'s backend values file: its MSP ID (orchestrator.mspID) and host (server.defaultDomain) are read from it' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l msp-id -d 'The organization\'s MSP ID, the request\'s O= (default: orchestrator.mspID of --values)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l host -d 'Host name of the organization\'s backend, the request\'s CN (default: the host of server.defaultDomain in --values, else the MSP ID); with --server, the orchestrator\'s public host name' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l san -d 'With --server: extra subject alternative name, DNS name or IP address (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l service -d 'With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l out -d 'Directory of the key MSPID.key (kept when it exists) and the request MSPID.csr' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l key-type -d 'Key algorithm of a new key' -r -f -a "ecdsa-p256\t''
ecdsa-p384\t''
rsa-2048\t''
rsa-3072\t''
rsa-4096\t''
ed25519\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l server -d 'The orchestrator\'s own key and request instead (orchestrator-tls.key and .csr), for `certs sign --server` where the CA is'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -l new-key -d 'Make a new key even though MSPID.key exists (the old key is replaced)'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from request" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l out -d 'Directory of the CA (orchestrator-ca.crt and .key) where the certificates are written' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l msp-id -d 'An MSP ID whose request may be signed, besides those listed in a channel of orchestrator-values.yaml in --values-dir (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l values-dir -d 'Directory of orchestrator-values.yaml: its channels name the MSP IDs that may be signed, and each one signed gets its orchestrator.tls.mtls.clientCACerts entry there' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l days -d 'Validity of the certificates, in days' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l host -d 'With --server: public host name of the orchestrator (repeatable; the first is the CN)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l san -d 'With --server: extra subject alternative name, DNS name or IP address (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l service -d 'With --server: in-cluster Service NAME.NAMESPACE, adds .svc and .svc.cluster.local names (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l force -d 'Replace certificates that exist in --out'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -l server -d 'The request is the orchestrator\'s own, for its server certificate (orchestrator-tls.crt)'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from sign" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l ca -d 'The orchestrator\'s CA certificate, which must have signed CERT' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l key -d 'This organization\'s private key [default: MSPID.key in --out]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l values -d 'The organization\'s backend values file: its MSP ID is read from it, and its TLS values (orchestrator.tls.*) are written in it' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l msp-id -d 'The organization\'s MSP ID, which CERT must name as its O= (default: orchestrator.mspID of --values)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l out -d 'Directory of the key and of the Secret manifests written' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l namespace -d 'metadata.namespace of the manifests (the backend\'s namespace); without it, apply them with `kubectl apply -n NAMESPACE`' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "gen" -d 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show what a certificate holds'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a certificate against a CA, a host name, a purpose and a key'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "request" -d 'On an organization\'s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator\'s owner to sign'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "sign" -d 'On the orchestrator owner\'s machine: sign organizations\' certificate signing requests (or the orchestrator\'s server request) with the CA in --out'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "install" -d 'On an organization\'s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests'
complete -c substractl -n "__fish_substractl_using_subcommand certs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the services, or a service\'s methods, through server reflection'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l cacert -d 'CA certificate that signed the server\'s certificate' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l cert -d 'Client certificate for mutual TLS' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l key -d 'Private key of --cert' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l authority -d 'Name sent to the server and checked against its certificate' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -s H -l header -d 'Extra header \'name: value\' (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l mspid -d 'Substra\'s mspid header: the organization\'s MSP ID' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l channel -d 'Substra\'s channel header' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l rpc-timeout -d 'Seconds allowed for each call (health, reflection) to be answered' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l max-time -d 'Seconds allowed for the whole operation' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l plaintext -d 'Speak plaintext HTTP/2, no TLS'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -l insecure -d 'Do not verify the server\'s certificate'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the services, or a service\'s methods, through server reflection'
complete -c substractl -n "__fish_substractl_using_subcommand grpc; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -f -a "links" -d 'Check, without changing anything, that the values files pair every organization correctly'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -f -a "orchestrator" -d 'Check the orchestrator: TCP, TLS, health, reflection, services and headers'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -f -a "values" -d 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -f -a "outgoing" -d 'Check that an organization reaches every organization it logs in to, and is accepted'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -f -a "all" -d 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report'
complete -c substractl -n "__fish_substractl_using_subcommand check; and not __fish_seen_subcommand_from links orchestrator values outgoing all help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from links" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l cacert -d 'CA certificate that signed the server\'s certificate' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l cert -d 'Client certificate for mutual TLS' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l key -d 'Private key of --cert' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l authority -d 'Name sent to the server and checked against its certificate' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -s H -l header -d 'Extra header \'name: value\' (repeatable)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l mspid -d 'Substra\'s mspid header: the organization\'s MSP ID' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l channel -d 'Substra\'s channel header' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l connect-timeout -d 'Seconds allowed to connect: TCP, TLS and the HTTP/2 handshake' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l rpc-timeout -d 'Seconds allowed for each call (health, reflection) to be answered' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l max-time -d 'Seconds allowed for the whole operation' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l plaintext -d 'Speak plaintext HTTP/2, no TLS'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -l insecure -d 'Do not verify the server\'s certificate'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from orchestrator" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -l orchestrator-values -d 'Orchestrator values file (relative paths are taken in --dir)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from values" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l org -d 'Organization to check: the name in its values file\'s name (see --values-pattern)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l values -d 'The backend values file of the organization to check' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l address -d 'Address of an organization (ORG: the name used with `link`, or its MSP ID); repeatable. Default: the organization\'s server.defaultDomain in its values file in --dir, else its card\'s in the roster taken there with `exchange take`' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l channel -d 'Channel sent in Substra-Channel-Name (default: the first of orchestrator.channels)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l timeout -d 'Seconds allowed for each request (with --in-cluster: for the whole kubectl run)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l concurrency -d 'Requests at the same time' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l cacert -d 'CA certificate(s) trusted instead of the system\'s roots, for https addresses' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l format -d 'Print the backend command\'s own table instead (no auth column)' -r -f -a "legacy\t'The table of the backend\'s `./manage.py get_outgoing_organization`: its layout, and its status cells byte for byte'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l context -d 'kubectl context of the organization\'s cluster (with --in-cluster)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l namespace -d 'Namespace of the organization\'s backend (with --in-cluster)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l all -d 'Check every organization in --dir against every organization it logs in to'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l no-auth -d 'Do not check the credentials (only GET /info/, as the backend\'s own command does)'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l insecure -d 'Do not verify the backends\' certificates'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -l in-cluster -d 'Run the backend\'s own command in its server pod (kubectl exec) and read its table'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from outgoing" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l orchestrator-values -d 'Orchestrator values file (relative paths are taken in --dir)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l certs -d 'Directory holding the files of `certs gen` (default: --dir, then --dir/certs)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l orchestrator -d 'Orchestrator address host:port, instead of each backend\'s orchestrator.host and port (the certificate is still checked against orchestrator.host)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l address -d 'Address of an organization\'s backend (ORG: the name used with `link`, or its MSP ID); repeatable. Default: its server.defaultDomain' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l timeout -d 'Seconds allowed for each network step' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l wait -d 'Retry the failing network checks until they pass or this time runs out (e.g. 90s, 5m)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l concurrency -d 'Orchestrator probes at the same time (one per organization), and, beside them, outgoing requests at the same time' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from all" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from help" -f -a "links" -d 'Check, without changing anything, that the values files pair every organization correctly'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from help" -f -a "orchestrator" -d 'Check the orchestrator: TCP, TLS, health, reflection, services and headers'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from help" -f -a "values" -d 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from help" -f -a "outgoing" -d 'Check that an organization reaches every organization it logs in to, and is accepted'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from help" -f -a "all" -d 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report'
complete -c substractl -n "__fish_substractl_using_subcommand check; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "identity" -d 'Make this directory\'s identity (an existing one is kept) and, for an organization, its card'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "admit" -d 'The orchestrator\'s owner: admit an organization\'s card into channels and issue the roster'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "roster" -d 'The orchestrator\'s owner: issue the roster again, from the orchestrator\'s values and the cards admitted'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "take" -d 'An organization: take a roster signed by the orchestrator\'s owner'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "seal" -d 'An organization: pair with every partner in the roster, writing a sealed secret for each'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "open" -d 'An organization: apply the sealed secrets that partners sent'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "status" -d 'An organization: per partner, which entries exist and which sealed files are still to go'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and not __fish_seen_subcommand_from identity admit roster take seal open status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -l dir -d 'The party\'s own directory: its identity, roster, state (and values file)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -l values -d 'The organization\'s backend values file [default: the one backend-*-values.yaml in --dir]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -l owner -d 'The directory is the orchestrator\'s owner\'s: make the identity only, no card'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from identity" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l fingerprint -d 'The card\'s fingerprint as its administrator read it to you (SHA256:...)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l channel -d 'Channel the organization joins (repeatable) [default: the channels its card asks for]' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l dir -d 'The owner\'s directory: identity, orchestrator values, roster' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l orchestrator-values -d 'Orchestrator values file (relative paths are taken in --dir)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l ca -d 'The orchestrator\'s CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, if any]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l orchestrator -d 'The orchestrator\'s address, host:port [default: the roster\'s, else ingress.hostname with 443 or 80]' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -l dry-run -d 'Print a diff of every change and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from admit" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -l dir -d 'The owner\'s directory: identity, orchestrator values, roster' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -l orchestrator-values -d 'Orchestrator values file (relative paths are taken in --dir)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -l ca -d 'The orchestrator\'s CA certificate carried in the roster [default: orchestrator-ca.crt in --dir, else the roster\'s]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -l orchestrator -d 'The orchestrator\'s address, host:port [default: the roster\'s, else ingress.hostname with 443 or 80]' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from roster" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -l owner-fingerprint -d 'The owner\'s fingerprint, read to you by the owner: needed the first time only' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -l dir -d 'The party\'s own directory: its identity, roster, state (and values file)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -l values -d 'The organization\'s backend values file [default: the one backend-*-values.yaml in --dir]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from take" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l dir -d 'The party\'s own directory: its identity, roster, state (and values file)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l values -d 'The organization\'s backend values file [default: the one backend-*-values.yaml in --dir]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l out -d 'Directory the sealed files are written to [default: --dir]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l existing-secret -d 'Keep the organization\'s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the name in the values file\'s name)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l namespace -d 'Kubernetes namespace of the organization\'s backend, written into a new Secret manifest' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l rotate -d 'Issue new secrets for every partner (each partner then applies its new sealed file)'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -l dry-run -d 'Print a diff of every change, secrets masked, and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from seal" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l existing-secret -d 'Keep the organization\'s credentials in a Secret manifest beside its values file (addAccountOperator.existingSecret NAME, default backend-{org}-accounts; {org} is the name in the values file\'s name)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l namespace -d 'Kubernetes namespace of the organization\'s backend, written into a new Secret manifest' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l dir -d 'The party\'s own directory: its identity, roster, state (and values file)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l values -d 'The organization\'s backend values file [default: the one backend-*-values.yaml in --dir]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -l dry-run -d 'Print a diff of every change, secrets masked, and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from open" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -l dir -d 'The party\'s own directory: its identity, roster, state (and values file)' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -l values -d 'The organization\'s backend values file [default: the one backend-*-values.yaml in --dir]' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "identity" -d 'Make this directory\'s identity (an existing one is kept) and, for an organization, its card'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "admit" -d 'The orchestrator\'s owner: admit an organization\'s card into channels and issue the roster'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "roster" -d 'The orchestrator\'s owner: issue the roster again, from the orchestrator\'s values and the cards admitted'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "take" -d 'An organization: take a roster signed by the orchestrator\'s owner'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "seal" -d 'An organization: pair with every partner in the roster, writing a sealed secret for each'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "open" -d 'An organization: apply the sealed secrets that partners sent'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "status" -d 'An organization: per partner, which entries exist and which sealed files are still to go'
complete -c substractl -n "__fish_substractl_using_subcommand exchange; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -f -a "move" -d 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and not __fish_seen_subcommand_from move help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l dir -d 'Directory holding the values files' -r -F
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l values-pattern -d 'File name of an organization\'s backend values; {org} is replaced by the organization name given' -r
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l secret-name -d 'Name of the Secret ({org} is replaced by the organization name given)' -r
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l namespace -d 'Kubernetes namespace of the organization\'s backend, written into the manifest ({org} is replaced by the organization name given); without it the manifest names none' -r
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -l dry-run -d 'Print a diff of every change, secrets masked, and write nothing'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from move" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "move" -d 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret'
complete -c substractl -n "__fish_substractl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand completions" -s o -l output -d 'Output format of the result' -r -f -a "table\t'A table for people'
json\t'A stable JSON document for scripts'"
complete -c substractl -n "__fish_substractl_using_subcommand completions" -l color -d 'When to colour the output: auto colours a terminal unless NO_COLOR is set or TERM=dumb' -r -f -a "auto\t''
always\t''
never\t''"
complete -c substractl -n "__fish_substractl_using_subcommand completions" -l lock-wait -d 'Seconds to wait for another substractl run that holds the directory (0: do not wait)' -r
complete -c substractl -n "__fish_substractl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c substractl -n "__fish_substractl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "link" -d 'Pair organizations: every one may log in to every other, with one fresh secret per ordered pair'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "unlink" -d 'Remove the pairing of two organizations, in both directions and in both files'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "init" -d 'Write a whole deployment: values, links, certificates, manifests, helmfile, next steps'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "certs" -d 'Make and check the orchestrator\'s CA, server and mTLS client certificates'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "grpc" -d 'Talk to a gRPC server through reflection, as grpcurl does, with Substra\'s headers'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "check" -d 'Prove that the pieces of a deployment agree with, reach and accept each other'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "exchange" -d 'Link organizations that share no files: identities, cards, the owner\'s signed roster and sealed pair secrets'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "secrets" -d 'Keep organizations\' credentials in a Secret manifest (the chart\'s existingSecret) instead of their values files'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c substractl -n "__fish_substractl_using_subcommand help; and not __fish_seen_subcommand_from link unlink init certs grpc check exchange secrets completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "gen" -d 'Make the CA (or reuse the one in --out), the server certificate and mTLS client certificates'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "inspect" -d 'Show what a certificate holds'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "verify" -d 'Check a certificate against a CA, a host name, a purpose and a key'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "request" -d 'On an organization\'s machine: make its private key (an existing one is kept) and a certificate signing request for the orchestrator\'s owner to sign'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "sign" -d 'On the orchestrator owner\'s machine: sign organizations\' certificate signing requests (or the orchestrator\'s server request) with the CA in --out'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from certs" -f -a "install" -d 'On an organization\'s machine: check the certificate signed for it against its key, its MSP ID and the CA, then write its TLS values and Secret manifests'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from grpc" -f -a "list" -d 'List the services, or a service\'s methods, through server reflection'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from check" -f -a "links" -d 'Check, without changing anything, that the values files pair every organization correctly'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from check" -f -a "orchestrator" -d 'Check the orchestrator: TCP, TLS, health, reflection, services and headers'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from check" -f -a "values" -d 'Audit a deployment directory offline: pairs, identities, addresses, channels and TLS settings'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from check" -f -a "outgoing" -d 'Check that an organization reaches every organization it logs in to, and is accepted'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from check" -f -a "all" -d 'Everything at once: values, certificates, the orchestrator for each organization, and outgoing connectivity, in one report'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "identity" -d 'Make this directory\'s identity (an existing one is kept) and, for an organization, its card'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "admit" -d 'The orchestrator\'s owner: admit an organization\'s card into channels and issue the roster'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "roster" -d 'The orchestrator\'s owner: issue the roster again, from the orchestrator\'s values and the cards admitted'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "take" -d 'An organization: take a roster signed by the orchestrator\'s owner'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "seal" -d 'An organization: pair with every partner in the roster, writing a sealed secret for each'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "open" -d 'An organization: apply the sealed secrets that partners sent'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from exchange" -f -a "status" -d 'An organization: per partner, which entries exist and which sealed files are still to go'
complete -c substractl -n "__fish_substractl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "move" -d 'Move the users and organization lists of values files into Secret manifests beside them (backend-ORG-accounts.yaml), leaving addAccountOperator.existingSecret'
