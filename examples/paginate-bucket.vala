/* paginate-bucket.vala: put some keys into a bucket and list them page by
 * page with the ListObjectsV2 paginator, from Vala through the generated
 * VAPI (region, credentials and endpoint from the environment).
 *
 * SPDX-License-Identifier: Apache-2.0
 */

int main (string[] args) {
    string bucket = args.length > 1 ? args[1] : "example-vala-pages";
    const int N_KEYS = 120;

    try {
        var session = new Boto.Session ();
        var s3 = session.create_client ("s3", null, null);

        s3.call ("CreateBucket", new Variant.parsed ("{'Bucket': <%s>}", bucket), null);
        for (int i = 0; i < N_KEYS; i++) {
            string key = "vala/%04d.txt".printf (i);
            var builder = new VariantBuilder (VariantType.VARDICT);
            builder.add ("{sv}", "Bucket", new Variant.string (bucket));
            builder.add ("{sv}", "Key", new Variant.string (key));
            builder.add ("{sv}", "Body", new Variant.from_bytes (VariantType.BYTESTRING, new Bytes (key.data), true));
            s3.call ("PutObject", builder.end (), null);
        }

        var pages = s3.get_paginator ("ListObjectsV2").paginate (
            new Variant.parsed ("{'Bucket': <%s>}", bucket),
            new Variant.parsed ("{'PageSize': <50>}"));
        int n_pages = 0;
        size_t n_keys = 0;
        Variant? page;
        // null without an error: the last page was returned.
        while ((page = pages.next ()) != null) {
            var contents = page.lookup_value ("Contents", null);
            size_t n = contents != null ? contents.n_children () : 0;
            print ("page %d: %zu keys\n", n_pages, n);
            n_pages++;
            n_keys += n;
        }
        print ("%d pages, %zu keys\n", n_pages, n_keys);
        if (n_keys != N_KEYS) {
            printerr ("paginate-bucket: expected %d keys\n", N_KEYS);
            return 1;
        }
    } catch (Error e) {
        printerr ("paginate-bucket: %s\n", e.message);
        return 1;
    }
    return 0;
}
