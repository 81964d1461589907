// SPDX-License-Identifier: Apache-2.0
// Upload a local file to S3 and download it again from GJS: the file's
// bytes go up as putObject's Body, getObject's Body comes back as a
// Uint8Array and is written to another file (region, credentials and
// endpoint from the environment).
// Usage: gjs -m upload-download.js [BUCKET]

import Boto from 'gi://Boto?version=1.0';
import GLib from 'gi://GLib';
import System from 'system';

const [name = 'example-js-transfer'] = System.programArgs;
const bucket = name.replace(/_/g, '-');
const lines = [];
for (let i = 0; i < 10000; i++)
    lines.push(`line ${i} of the file to upload\n`);
const data = new TextEncoder().encode(lines.join(''));

const tmp = GLib.dir_make_tmp('boto-example-XXXXXX');
const upload = GLib.build_filenamev([tmp, 'upload.txt']);
const download = GLib.build_filenamev([tmp, 'download.txt']);
try {
    GLib.file_set_contents(upload, data);

    const s3 = Boto.client('s3');
    s3.createBucket({Bucket: bucket});
    const [, contents] = GLib.file_get_contents(upload);
    const put = s3.putObject({Bucket: bucket, Key: 'files/upload.txt', Body: contents});
    print(`uploaded ${contents.length} bytes to s3://${bucket}/files/upload.txt, ETag ${put.ETag}`);

    const got = s3.getObject({Bucket: bucket, Key: 'files/upload.txt'});
    GLib.file_set_contents(download, got.Body);
    const [, downloaded] = GLib.file_get_contents(download);
    const same = downloaded.length === data.length && downloaded.every((b, i) => b === data[i]);
    print(`downloaded ${downloaded.length} bytes (ContentLength ${got.ContentLength}), same as uploaded: ${same}`);
    if (!same)
        throw new Error('the downloaded file differs from the uploaded one');
} finally {
    for (const path of [upload, download])
        GLib.unlink(path);
    GLib.rmdir(tmp);
}
