"""Driver of the client benchmark: boto-glib's BotoClient against boto3 on
the same moto server (started by tests/moto-fixture.py, which exports
AWS_ENDPOINT_URL, fake credentials and the region), in one run.

Usage: run_client.py BENCH_CLIENT
Environment: BENCH_RUNS (cold processes per side, default 10),
BENCH_CALLS (calls per operation, default 300).

Rows:
- client creation (s3 + ec2) in a cold process: median in-process time
  (boto3: from `import boto3` to both clients; boto-glib: from
  boto_session_new to both clients) and median whole-process wall time;
- client CPU per call (getrusage of the client process, so the server's
  time does not count) for a small PutObject and an SQS SendMessage, and
  the system (kernel) part of it;
- peak RSS (VmHWM) of a process holding s3, sqs and ec2 clients that
  have each made one call;
- the floor: CPU per PutObject of a client that only writes a prepared
  request on a fresh socket and reads the answer (bench-client floor), and
  the best CPU ratio against boto3 that any client could reach with it.
"""

import os
import statistics
import subprocess
import sys
import time

import boto3

CREATE_GOAL = 50.0
CPU_GOAL = 20.0
RSS_GOAL = 5.0

BOTO3_CREATE = r"""
import time
start = time.perf_counter()
import boto3
s3 = boto3.client('s3')
ec2 = boto3.client('ec2')
print('create-us %.1f' % ((time.perf_counter() - start) * 1e6))
"""

BOTO3_CALLS = r"""
import resource, sys
import boto3
n, bucket, queue_url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s3 = boto3.client('s3')
sqs = boto3.client('sqs')
body = b'a small object of a few dozen bytes, as in the bench'
s3.put_object(Bucket=bucket, Key='warm', Body=body)
sqs.send_message(QueueUrl=queue_url, MessageBody='warm')
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return (u.ru_utime + u.ru_stime) * 1e6, u.ru_stime * 1e6
start, start_sys = cpu()
for i in range(n):
    s3.put_object(Bucket=bucket, Key='bench/%06d' % i, Body=body)
end, end_sys = cpu()
print('put-object-cpu-us %.1f' % ((end - start) / n))
print('put-object-sys-us %.1f' % ((end_sys - start_sys) / n))
start, start_sys = cpu()
for i in range(n):
    sqs.send_message(QueueUrl=queue_url, MessageBody='hello from the bench')
end, end_sys = cpu()
print('send-message-cpu-us %.1f' % ((end - start) / n))
print('send-message-sys-us %.1f' % ((end_sys - start_sys) / n))
"""

# VmHWM rather than ru_maxrss, which keeps the forking parent's peak.
BOTO3_RSS = r"""
import boto3
s3 = boto3.client('s3')
sqs = boto3.client('sqs')
ec2 = boto3.client('ec2')
s3.list_buckets()
sqs.list_queues()
ec2.describe_regions()
with open('/proc/self/status') as f:
    hwm = [line for line in f if line.startswith('VmHWM:')][0]
print('peak-rss-kib %d' % int(hwm.split()[1]))
"""


def run(argv):
    start = time.perf_counter()
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    wall = (time.perf_counter() - start) * 1e6
    values = {}
    for line in out.splitlines():
        key, value = line.split()
        values[key] = float(value)
    return values, wall


def row(name, theirs, ours, unit, goal):
    ratio = theirs / ours if ours > 0 else float("inf")
    verdict = "met" if ratio >= goal else "not met"
    print("%-44s %12.1f %12.1f %8.1fx  (goal %.0fx: %s)  [%s]"
          % (name, theirs, ours, ratio, goal, verdict, unit))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bench = sys.argv[1]
    python = sys.executable
    runs = int(os.environ.get("BENCH_RUNS", "10"))
    calls = int(os.environ.get("BENCH_CALLS", "300"))

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="bench-client")
    queue_url = boto3.client("sqs").create_queue(QueueName="bench-client")["QueueUrl"]

    ours_in, ours_wall, theirs_in, theirs_wall = [], [], [], []
    for _ in range(runs):
        values, wall = run([bench, "create"])
        ours_in.append(values["create-us"])
        ours_wall.append(wall)
        values, wall = run([python, "-c", BOTO3_CREATE])
        theirs_in.append(values["create-us"])
        theirs_wall.append(wall)

    ours_calls, _ = run([bench, "calls", str(calls), "bench-client", queue_url])
    theirs_calls, _ = run([python, "-c", BOTO3_CALLS, str(calls), "bench-client", queue_url])
    floor, _ = run([bench, "floor", str(calls), "bench-client"])
    ours_rss, _ = run([bench, "rss"])
    theirs_rss, _ = run([python, "-c", BOTO3_RSS])

    print("client: %d cold processes per side, %d calls per operation" % (runs, calls))
    print("%-44s %12s %12s %9s" % ("", "boto3", "boto-glib", "ratio"))
    row("create s3+ec2 clients, in-process (median)", statistics.median(theirs_in),
        statistics.median(ours_in), "µs", CREATE_GOAL)
    row("create s3+ec2 clients, whole process", statistics.median(theirs_wall),
        statistics.median(ours_wall), "µs", CREATE_GOAL)
    row("PutObject (small), client CPU per call", theirs_calls["put-object-cpu-us"],
        ours_calls["put-object-cpu-us"], "µs", CPU_GOAL)
    row("SQS SendMessage, client CPU per call", theirs_calls["send-message-cpu-us"],
        ours_calls["send-message-cpu-us"], "µs", CPU_GOAL)
    # Of which system time: moto closes every connection (Connection: close),
    # so both sides pay a TCP connect and teardown on each call.
    print("%-44s %12.1f %12.1f  [µs, PutObject / SendMessage, within the rows above]"
          % ("  of which kernel (system) time, PutObject", theirs_calls["put-object-sys-us"],
             ours_calls["put-object-sys-us"]))
    print("%-44s %12.1f %12.1f"
          % ("  of which kernel (system) time, SendMessage", theirs_calls["send-message-sys-us"],
             ours_calls["send-message-sys-us"]))
    # moto closes every connection, so a connect and a teardown are part of
    # every call; what they cost bounds the ratio any client can reach.
    print("%-44s %12s %12.1f  [µs, of which kernel %.1f; best possible ratio %.1fx]"
          % ("floor: PutObject by hand on a raw socket", "", floor["floor-cpu-us"],
             floor["floor-sys-us"], theirs_calls["put-object-cpu-us"] / floor["floor-cpu-us"]))
    row("peak RSS holding s3, sqs, ec2 clients", theirs_rss["peak-rss-kib"],
        ours_rss["peak-rss-kib"], "KiB", RSS_GOAL)


if __name__ == "__main__":
    main()
