/* bench-client.c: the client side of a request, measured in one process
 *
 * Usage:
 *   bench-client create            time to build an s3 and an ec2 client in
 *                                  this (fresh) process
 *   bench-client calls N BUCKET QUEUE_URL
 *                                  CPU time (getrusage) per small PutObject
 *                                  and per SQS SendMessage, N of each, and
 *                                  the system part of it
 *   bench-client rss               peak RSS (VmHWM) of a process holding s3,
 *                                  sqs and ec2 clients (each has made one call)
 *   bench-client floor N BUCKET    CPU time per PutObject of the same body sent
 *                                  by hand: one prepared request written on a
 *                                  fresh socket, the answer read to its end,
 *                                  no HTTP library and no signing; the least
 *                                  any client can spend against this server
 *
 * Region, credentials and endpoint come from the environment (run-client
 * starts moto on loopback and exports them). Each mode prints `key value`
 * lines for run_client.py.
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <boto-glib/boto-glib.h>

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* User plus system CPU time; the system part alone in @out_sys. */
static gint64
cpu_us_split (gint64 *out_sys)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  if (out_sys != NULL)
    *out_sys = (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static BotoClient *
client_or_die (BotoSession *session,
               const char  *service)
{
  g_autoptr(GError) error = NULL;
  BotoClient *client = boto_session_create_client (session, service, NULL, NULL, &error);

  if (client == NULL)
    {
      g_printerr ("bench-client: %s: %s\n", service, error->message);
      exit (1);
    }
  return client;
}

static void
call_or_die (BotoClient *client,
             const char *operation,
             GVariant   *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = boto_client_call (client, operation, params, NULL, &error);

  if (result == NULL)
    {
      g_printerr ("bench-client: %s: %s\n", operation, error->message);
      exit (1);
    }
}

static int
run_create (void)
{
  g_autoptr(BotoSession) session = NULL;
  g_autoptr(BotoClient) s3 = NULL;
  g_autoptr(BotoClient) ec2 = NULL;
  gint64 start = now_ns ();

  session = boto_session_new ();
  s3 = client_or_die (session, "s3");
  ec2 = client_or_die (session, "ec2");
  printf ("create-us %.1f\n", (now_ns () - start) / 1000.0);
  return 0;
}

static int
run_calls (int         n,
           const char *bucket,
           const char *queue_url)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = client_or_die (session, "s3");
  g_autoptr(BotoClient) sqs = client_or_die (session, "sqs");
  static const char body[] = "a small object of a few dozen bytes, as in the bench";
  gint64 start, end, start_sys, end_sys;

  /* One call of each first, so connections and caches are warm, as they are
   * for boto3 in run_client.py. */
  call_or_die (s3, "PutObject",
               g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <'warm'>, 'Body': <%@ay>}", bucket,
                                     g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, body,
                                                                sizeof body - 1, 1)));
  call_or_die (sqs, "SendMessage",
               g_variant_new_parsed ("{'QueueUrl': <%s>, 'MessageBody': <'warm'>}", queue_url));

  start = cpu_us_split (&start_sys);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("bench/%06d", i);

      call_or_die (s3, "PutObject",
                   g_variant_new_parsed ("{'Bucket': <%s>, 'Key': <%s>, 'Body': <%@ay>}", bucket, key,
                                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, body,
                                                                    sizeof body - 1, 1)));
    }
  end = cpu_us_split (&end_sys);
  printf ("put-object-cpu-us %.1f\n", (double) (end - start) / n);
  printf ("put-object-sys-us %.1f\n", (double) (end_sys - start_sys) / n);

  start = cpu_us_split (&start_sys);
  for (int i = 0; i < n; i++)
    call_or_die (sqs, "SendMessage",
                 g_variant_new_parsed ("{'QueueUrl': <%s>, 'MessageBody': <'hello from the bench'>}",
                                       queue_url));
  end = cpu_us_split (&end_sys);
  printf ("send-message-cpu-us %.1f\n", (double) (end - start) / n);
  printf ("send-message-sys-us %.1f\n", (double) (end_sys - start_sys) / n);
  return 0;
}

/* One connection per request, as moto closes each one (werkzeug always
 * answers `Connection: close`), so every client pays for a TCP connect and
 * teardown on every call. The request has the size and headers of ours
 * (moto does not check signatures). */
static int
run_floor (int         n,
           const char *bucket)
{
  static const char body[] = "a small object of a few dozen bytes, as in the bench";
  const char *endpoint = g_getenv ("AWS_ENDPOINT_URL");
  g_autoptr(GUri) uri = endpoint != NULL ? g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL) : NULL;
  struct sockaddr_in address = { .sin_family = AF_INET };
  gint64 start, end, start_sys, end_sys;

  if (uri == NULL || g_uri_get_port (uri) <= 0 ||
      inet_pton (AF_INET, g_uri_get_host (uri), &address.sin_addr) != 1)
    {
      g_printerr ("bench-client: floor needs AWS_ENDPOINT_URL=http://IPv4:PORT\n");
      return 1;
    }
  address.sin_port = htons (g_uri_get_port (uri));

  start = cpu_us_split (&start_sys);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *request =
        g_strdup_printf ("PUT /%s/bench/floor%06d HTTP/1.1\r\n"
                         "Host: %s:%d\r\n"
                         "User-Agent: boto-glib/1.0 floor\r\n"
                         "x-amz-date: 20261128T000000Z\r\n"
                         "x-amz-content-sha256: UNSIGNED-PAYLOAD\r\n"
                         "x-amz-checksum-crc32: AAAAAA==\r\n"
                         "Authorization: AWS4-HMAC-SHA256 Credential=testing/20261128/us-east-1/s3/"
                         "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                         "Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
                         "Content-Length: %zu\r\n\r\n%s",
                         bucket, i, g_uri_get_host (uri), g_uri_get_port (uri), sizeof body - 1, body);
      size_t length = strlen (request);
      char answer[4096];
      gboolean ok = FALSE;
      ssize_t got;
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

      if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
          send (fd, request, length, MSG_NOSIGNAL) != (ssize_t) length)
        {
          g_printerr ("bench-client: floor: %s\n", g_strerror (errno));
          return 1;
        }
      /* The status line comes first; then read to the server's close. */
      while ((got = recv (fd, answer, sizeof answer, 0)) > 0)
        ok = ok || (got >= 12 && memcmp (answer, "HTTP/1.1 200", 12) == 0);
      close (fd);
      if (!ok)
        {
          g_printerr ("bench-client: floor: the server did not answer 200\n");
          return 1;
        }
    }
  end = cpu_us_split (&end_sys);
  printf ("floor-cpu-us %.1f\n", (double) (end - start) / n);
  printf ("floor-sys-us %.1f\n", (double) (end_sys - start_sys) / n);
  return 0;
}

static int
run_rss (void)
{
  g_autoptr(BotoSession) session = boto_session_new ();
  g_autoptr(BotoClient) s3 = client_or_die (session, "s3");
  g_autoptr(BotoClient) sqs = client_or_die (session, "sqs");
  g_autoptr(BotoClient) ec2 = client_or_die (session, "ec2");
  g_autofree char *status = NULL;
  const char *hwm;

  call_or_die (s3, "ListBuckets", NULL);
  call_or_die (sqs, "ListQueues", NULL);
  call_or_die (ec2, "DescribeRegions", NULL);
  /* VmHWM, not getrusage's ru_maxrss: the latter keeps the high-water mark
   * of the process before exec, that is of the (large) parent that forked
   * us. */
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (hwm = strstr (status, "VmHWM:")) == NULL)
    {
      g_printerr ("bench-client: no VmHWM in /proc/self/status\n");
      return 1;
    }
  printf ("peak-rss-kib %ld\n", strtol (hwm + strlen ("VmHWM:"), NULL, 10));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 2 && strcmp (argv[1], "create") == 0)
    return run_create ();
  if (argc >= 5 && strcmp (argv[1], "calls") == 0)
    return run_calls (atoi (argv[2]) > 0 ? atoi (argv[2]) : 1, argv[3], argv[4]);
  if (argc >= 2 && strcmp (argv[1], "rss") == 0)
    return run_rss ();
  if (argc >= 4 && strcmp (argv[1], "floor") == 0)
    return run_floor (atoi (argv[2]) > 0 ? atoi (argv[2]) : 1, argv[3]);

  g_printerr ("usage: bench-client create | calls N BUCKET QUEUE_URL | rss | floor N BUCKET\n");
  return 2;
}
