/* list-buckets.vala: create a bucket, put an object and list the buckets
 * with their creation dates, from Vala through the generated VAPI
 * (region, credentials and endpoint from the environment).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

int main (string[] args) {
    string bucket = args.length > 1 ? args[1] : "example-vala-bucket";

    try {
        var session = new Boto.Session ();
        var s3 = session.create_client ("s3", null, null);

        s3.call ("create_bucket", new Variant.parsed ("{'Bucket': <%s>}", bucket), null);
        var body = new Variant.from_bytes (VariantType.BYTESTRING, new Bytes ("hello from Vala".data), true);
        var builder = new VariantBuilder (VariantType.VARDICT);
        builder.add ("{sv}", "Bucket", new Variant.string (bucket));
        builder.add ("{sv}", "Key", new Variant.string ("hello.txt"));
        builder.add ("{sv}", "Body", body);
        s3.call ("PutObject", builder.end (), null);

        var listed = s3.call ("list_buckets", null, null);
        var buckets = listed.lookup_value ("Buckets", null);
        foreach (var entry in buckets) {
            string name;
            int64 created;
            entry.lookup ("Name", "s", out name);
            entry.lookup ("CreationDate", "x", out created);
            var when = new DateTime.from_unix_utc (created / 1000000);
            print ("%s %s\n", name, when.format_iso8601 ());
        }

        bool is_error;
        var response = s3.call_full ("HeadBucket", new Variant.parsed ("{'Bucket': <'no-such-vala-bucket'>}"),
                                     out is_error, null);
        int32 status;
        response.lookup_value ("ResponseMetadata", null).lookup ("HTTPStatusCode", "i", out status);
        print ("error: %s %d\n", is_error.to_string (), status);
    } catch (Error e) {
        printerr ("list-buckets: %s\n", e.message);
        return 1;
    }
    return 0;
}
