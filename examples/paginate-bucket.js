// SPDX-License-Identifier: Apache-2.0
// Paginate a bucket's objects from GJS: `for … of` fetches page by page,
// `for await … of` does it on the main loop.
// Usage: gjs -m paginate-bucket.js [BUCKET]

import Boto from 'gi://Boto?version=1.0';
import System from 'system';

const [bucket = 'example-js-pages'] = System.programArgs;
const s3 = Boto.client('s3');
s3.createBucket({Bucket: bucket});
for (let i = 0; i < 5; i++)
    s3.putObject({Bucket: bucket, Key: `photos/${i}.jpg`, Body: 'x'.repeat(i + 1)});

const paginator = s3.getPaginator('list_objects_v2');
let number = 0;
for (const page of paginator.paginate({Bucket: bucket, PaginationConfig: {PageSize: 2}}))
    print(`page ${number++}`, page.Contents.map(o => o.Key).join(' '));

for await (const page of paginator.paginate({Bucket: bucket, PaginationConfig: {PageSize: 3}}))
    print(`async page of ${page.KeyCount}, newest ${page.Contents.at(-1).LastModified.toISOString()}`);

print('sizes:', paginator.paginate({Bucket: bucket}).search('Contents[].Size').join(' '));
