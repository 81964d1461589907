"""Instructions per call of BotoClient (valgrind's callgrind), noise-free
where bench/run-client's CPU times are not.

Usage (moto started by tests/moto-fixture.py, as bench/run-client does):
  .venv/bin/python tests/moto-fixture.py .venv/bin/python \\
      bench/callgrind_client.py _build/bench/bench-client [FEW MANY]

Runs `bench-client calls N` under callgrind, collecting inside
boto_client_call only, for N = FEW and N = MANY (default 50 and 150), and
prints, per function, (its inclusive count at MANY - at FEW) divided by
2 × (MANY - FEW), the calls in between: the steady-state cost per call (the average of one small PutObject
and one SQS SendMessage), without the first calls' one-time work. Needs
valgrind and callgrind_annotate.
"""

import os
import re
import subprocess
import sys
import tempfile

import boto3


def run(bench, n, bucket, queue_url, out):
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                    "--toggle-collect=boto_client_call", bench, "calls", str(n), bucket, queue_url],
                   check=True, capture_output=True)
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                          check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(\S.*?) \[", line)
        if m:
            name = m.group(2).split(":")[-1]
            counts[name] = counts.get(name, 0) + int(m.group(1).replace(",", ""))
    return counts


def main():
    if len(sys.argv) not in (2, 4):
        sys.exit(__doc__)
    bench = sys.argv[1]
    few, many = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) == 4 else (50, 150)
    boto3.client("s3").create_bucket(Bucket="bench-client")
    queue_url = boto3.client("sqs").create_queue(QueueName="bench-client")["QueueUrl"]
    with tempfile.TemporaryDirectory() as tmp:
        a = run(bench, few, "bench-client", queue_url, os.path.join(tmp, "few"))
        b = run(bench, many, "bench-client", queue_url, os.path.join(tmp, "many"))
    calls = 2 * (many - few)
    rows = sorted(((b[k] - a.get(k, 0)) / calls, k) for k in b)
    rows.reverse()
    print("instructions per call (steady state, %d calls apart)" % calls)
    for value, name in rows[:60]:
        if value >= 1000:
            print("%10.0f  %s" % (value, name))


if __name__ == "__main__":
    main()
