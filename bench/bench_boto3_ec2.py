"""Time boto3 creating an ec2 client in this (fresh) process.

Prints `boto3-import-ms <ms>` (import boto3) and `boto3-ec2-client-ms <ms>`
(session and client creation, then the input shape of RunInstances: the
same work as bench-model-load).
"""

import sys
import time


def main():
    t0 = time.perf_counter_ns()
    import boto3

    t1 = time.perf_counter_ns()
    session = boto3.session.Session(
        region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    client = session.client("ec2")
    shape = client.meta.service_model.operation_model("RunInstances").input_shape
    t2 = time.perf_counter_ns()

    if shape is None or shape.name != "RunInstancesRequest":
        print(f"bench_boto3_ec2: unexpected input shape {shape!r}", file=sys.stderr)
        return 1

    print(f"boto3-import-ms {(t1 - t0) / 1e6:.3f}")
    print(f"boto3-ec2-client-ms {(t2 - t1) / 1e6:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
