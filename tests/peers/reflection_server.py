#!/usr/bin/env python3
"""A gRPC server that is not Rust: grpcio with health and reflection (v1alpha only).

Listens on 127.0.0.1 on a free port and prints the port on the first line of stdout. Plaintext
by default; --cert/--key serve TLS, and --client-ca requires client certificates (mTLS).
--echo-metadata refuses every call with the metadata it received in the status message, as a
hostile or careless server might. Exits when stdin closes, so it never outlives the test that
started it.
"""

import argparse
import os
import sys
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection


class EchoMetadata(grpc.ServerInterceptor):
    """Refuses every call, echoing the metadata the client sent."""

    def intercept_service(self, continuation, details):
        got = " ".join(f"{k}={v}" for k, v in details.invocation_metadata)

        def refuse(request_or_iterator, context):
            context.abort(grpc.StatusCode.UNKNOWN, "got: " + got)

        return grpc.stream_stream_rpc_method_handler(refuse)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--echo-metadata", action="store_true")
    args = parser.parse_args()

    interceptors = [EchoMetadata()] if args.echo_metadata else []
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), interceptors=interceptors)
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    names = (health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME)
    reflection.enable_server_reflection(names, server)

    if args.cert:
        with open(args.cert, "rb") as f:
            cert = f.read()
        with open(args.key, "rb") as f:
            key = f.read()
        ca = None
        if args.client_ca:
            with open(args.client_ca, "rb") as f:
                ca = f.read()
        creds = grpc.ssl_server_credentials(
            [(key, cert)], root_certificates=ca, require_client_auth=ca is not None
        )
        port = server.add_secure_port("127.0.0.1:0", creds)
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)

    def watch_stdin():
        sys.stdin.read()
        server.stop(0)
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
