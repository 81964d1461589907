// SPDX-License-Identifier: Apache-2.0
// List buckets: the boto3 resource example, from GJS with the Boto
// override (region, credentials and endpoint from the environment).
// Usage: gjs -m list-buckets.js [BUCKET-TO-CREATE]

import Boto from 'gi://Boto?version=1.0';
import System from 'system';

const [name = 'example-js-resource-bucket'] = System.programArgs;
const s3 = Boto.resource('s3');
s3.createBucket({Bucket: name});

for (const bucket of s3.buckets.all())
    print(bucket.name, bucket.creationDate.toISOString());
