// SPDX-License-Identifier: Apache-2.0
// The GJS override (gir/gjs/overrides/Boto.js) against moto: plain objects
// in and out, camelCase and snake_case methods, promises, errors, and the
// resource scenarios of S3, EC2, SQS, IAM, SNS, DynamoDB, CloudFormation
// and CloudWatch.
// Run under tests/moto-fixture.py.

import GLib from 'gi://GLib';
import Boto from 'gi://Boto?version=1.0';

let failures = 0;
let count = 0;

async function check(name, fn) {
    count++;
    try {
        await fn();
        print(`ok ${count} - ${name}`);
    } catch (e) {
        failures++;
        print(`not ok ${count} - ${name}`);
        printerr(`${e}\n${e.stack}`);
    }
}

function assert(cond, what) {
    if (!cond)
        throw new Error(`assertion failed: ${what}`);
}

function assertEqual(actual, expected) {
    if (JSON.stringify(actual) !== JSON.stringify(expected))
        throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function assertThrows(fn, Cls) {
    try {
        fn();
    } catch (e) {
        assert(e instanceof Cls, `${e} is a ${Cls.name}`);
        return e;
    }
    throw new Error(`nothing thrown, expected ${Cls.name}`);
}

async function main() {
    await check('override loaded, enum kept', () => {
        assertEqual(typeof Boto.client, 'function');
        assert(Boto.ClientError.PARAM_VALIDATION > 0, 'error enum still there');
    });

    await check('session and client meta', () => {
        const session = Boto.session({regionName: 'eu-west-3', awsAccessKeyId: 'AKJS',
            aws_secret_access_key: 'js-secret'});
        assertEqual(session.get_region_name(), 'eu-west-3');
        assertEqual(session.get_credentials().get_access_key(), 'AKJS');
        const s3 = new Boto.Session().client('s3');
        assertEqual(s3.constructor.name, 'S3');
        assertEqual(s3.meta.regionName, 'us-east-1');
        assertEqual(s3.meta.endpointUrl, GLib.getenv('AWS_ENDPOINT_URL'));
        assertEqual(typeof s3.listObjectsV2, 'function');
        assertEqual(typeof s3.list_objects_v2, 'function');
        assertEqual(Boto.client('sqs', {regionName: 'eu-west-1'}).meta.regionName, 'eu-west-1');
        // botocore's hand-spelled names (ExecutePartiQLStatement)
        assertEqual(Boto.xform_name('ExecutePartiQLStatement'), 'execute_partiql_statement');
        assertEqual(Boto.xform_name('NotificationARNs'), 'notification_arns');
        const cloudwatch = Boto.client('cloudwatch');
        assertEqual(typeof cloudwatch.start_otel_enrichment, 'function');
        assertEqual(typeof cloudwatch.startOtelEnrichment, 'function');
        assertEqual(typeof cloudwatch.start_o_tel_enrichment, 'undefined');
    });

    await check('s3 round trip with plain objects', () => {
        const s3 = Boto.client('s3');
        const before = Date.now() - 5 * 60 * 1000;
        assertEqual(s3.createBucket({Bucket: 'js-override-bucket'}).ResponseMetadata.HTTPStatusCode, 200);
        s3.put_object({Bucket: 'js-override-bucket', Key: 'a.bin', Body: new Uint8Array([0, 1, 2])});
        s3.putObject({Bucket: 'js-override-bucket', Key: 'b.txt', Body: 'text', Metadata: {colour: 'red'}});
        const listed = s3.listObjectsV2({Bucket: 'js-override-bucket'});
        assertEqual(listed.Contents.map(o => o.Key), ['a.bin', 'b.txt']);
        assert(listed.Contents[0].LastModified instanceof Date, 'LastModified is a Date');
        assert(listed.Contents[0].LastModified.getTime() > before, 'LastModified is recent');
        assertEqual(listed.KeyCount, 2);
        const got = s3.getObject({Bucket: 'js-override-bucket', Key: 'a.bin'});
        assert(got.Body instanceof Uint8Array, 'Body is a Uint8Array');
        assertEqual(Array.from(got.Body), [0, 1, 2]);
        const text = s3.getObject({Bucket: 'js-override-bucket', Key: 'b.txt'});
        assertEqual(new TextDecoder().decode(text.Body), 'text');
        assertEqual(text.Metadata, {colour: 'red'});
    });

    await check('service errors', () => {
        const s3 = Boto.client('s3');
        const e = assertThrows(() => s3.listObjectsV2({Bucket: 'js-override-missing'}),
            s3.exceptions.NoSuchBucket);
        assert(e instanceof Boto.ServiceException, 'a ServiceException');
        assertEqual(e.code, 'NoSuchBucket');
        assertEqual(e.name, 'NoSuchBucket');
        assertEqual(e.response.Error.Code, 'NoSuchBucket');
        assertEqual(e.response.ResponseMetadata.HTTPStatusCode, 404);
        assertEqual(e.operationName, 'ListObjectsV2');
        assert(e.message.startsWith('An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: '),
            e.message);
        const sqs = Boto.client('sqs');
        assertThrows(() => sqs.getQueueUrl({QueueName: 'js-no-such-queue'}),
            sqs.exceptions.QueueDoesNotExist);
    });

    await check('parameter validation', () => {
        const e = assertThrows(() => Boto.client('ec2').runInstances({ImageId: 5, MinCount: 1}),
            Boto.ParamValidationError);
        assert(e.message.includes('Missing required parameter in input: "MaxCount"'), e.message);
    });

    await check('ec2 run instances', () => {
        const ec2 = Boto.client('ec2');
        ec2.createKeyPair({KeyName: 'js-override-key'});
        const reply = ec2.runInstances({ImageId: 'ami-12c6146b', InstanceType: 't2.micro',
            KeyName: 'js-override-key', MinCount: 1, MaxCount: 1});
        const [instance] = reply.Instances;
        assertEqual(instance.State.Name, 'pending');
        assert(instance.LaunchTime instanceof Date, 'LaunchTime is a Date');
        const described = ec2.describeInstances({InstanceIds: [instance.InstanceId]});
        assertEqual(described.Reservations[0].Instances[0].InstanceId, instance.InstanceId);
    });

    await check('sqs send and receive, maps and blobs', () => {
        const sqs = Boto.client('sqs');
        const {QueueUrl} = sqs.createQueue({QueueName: 'js-override-queue',
            Attributes: {VisibilityTimeout: '40'}});
        sqs.sendMessage({QueueUrl, MessageBody: 'hi from gjs',
            MessageAttributes: {b: {DataType: 'Binary', BinaryValue: new Uint8Array([9, 8])}}});
        const {Messages} = sqs.receiveMessage({QueueUrl, MessageAttributeNames: ['All']});
        assertEqual(Messages[0].Body, 'hi from gjs');
        assertEqual(Array.from(Messages[0].MessageAttributes.b.BinaryValue), [9, 8]);
        assertEqual(sqs.getQueueAttributes({QueueUrl, AttributeNames: ['VisibilityTimeout']}).Attributes,
            {VisibilityTimeout: '40'});
    });

    await check('timestamps in', () => {
        const cw = Boto.client('cloudwatch');
        const now = new Date(Math.floor(Date.now() / 1000) * 1000);
        cw.putMetricData({Namespace: 'js/override', MetricData: [
            {MetricName: 'm', Value: 2, Unit: 'Count', Timestamp: now}]});
        const stats = cw.getMetricStatistics({Namespace: 'js/override', MetricName: 'm',
            StartTime: new Date(now.getTime() - 600000), EndTime: new Date(now.getTime() + 600000),
            Period: 3600, Statistics: ['Sum']});
        assertEqual(stats.Datapoints.reduce((a, p) => a + p.Sum, 0), 2);
        assert(stats.Datapoints[0].Timestamp instanceof Date, 'a Date');
    });

    await check('promises', async () => {
        const s3 = Boto.client('s3');
        const listed = await s3.listBucketsAsync();
        assert(listed.Buckets.some(b => b.Name === 'js-override-bucket'), 'bucket listed');
        assert(listed.Buckets[0].CreationDate instanceof Date, 'a Date');
        let caught = null;
        try {
            await s3.list_objects_v2_async({Bucket: 'js-override-missing'});
        } catch (e) {
            caught = e;
        }
        assert(caught instanceof s3.exceptions.NoSuchBucket, `${caught}`);
        const same = await s3.callAsync('ListObjectsV2', {Bucket: 'js-override-bucket'});
        assertEqual(same.KeyCount, 2);
    });

    await check('paginators: for, for await, search, full result', async () => {
        const s3 = Boto.client('s3');
        s3.createBucket({Bucket: 'js-override-pages'});
        for (let i = 0; i < 5; i++)
            s3.putObject({Bucket: 'js-override-pages', Key: `k${i}`, Body: 'x'});
        assert(s3.canPaginate('list_objects_v2'), 'can paginate');
        const paginator = s3.getPaginator('list_objects_v2');
        const sizes = [];
        for (const page of paginator.paginate({Bucket: 'js-override-pages', PaginationConfig: {PageSize: 2}}))
            sizes.push(page.Contents.length);
        assertEqual(sizes, [2, 2, 1]);
        const asyncKeys = [];
        for await (const page of paginator.paginate({Bucket: 'js-override-pages', PaginationConfig: {PageSize: 3}})) {
            assert(page.Contents[0].LastModified instanceof Date, 'a Date');
            asyncKeys.push(...page.Contents.map(o => o.Key));
        }
        assertEqual(asyncKeys, ['k0', 'k1', 'k2', 'k3', 'k4']);
        assertEqual(paginator.paginate({Bucket: 'js-override-pages', PaginationConfig: {PageSize: 2}})
            .search('Contents[].Key'), ['k0', 'k1', 'k2', 'k3', 'k4']);
        const limited = paginator.paginate({Bucket: 'js-override-pages', PaginationConfig: {MaxItems: 3}});
        assertEqual(limited.buildFullResult().Contents.map(o => o.Key), ['k0', 'k1', 'k2']);
        assert(limited.resumeToken, 'a resume token');
        assertThrows(() => [...paginator.paginate({Bucket: 'js-override-no-pages'})],
            s3.exceptions.NoSuchBucket);
    });

    await check('waiters', async () => {
        const s3 = Boto.client('s3');
        assert(s3.waiterNames.includes('bucket_exists'), 'bucket_exists');
        s3.createBucket({Bucket: 'js-override-waited'});
        s3.getWaiter('bucket_exists').wait({Bucket: 'js-override-waited'});
        await s3.getWaiter('bucket_exists').waitAsync({Bucket: 'js-override-waited',
            WaiterConfig: {Delay: 1, MaxAttempts: 2}});
        let caught = null;
        try {
            await s3.getWaiter('bucket_exists').waitAsync({Bucket: 'js-override-never',
                WaiterConfig: {Delay: 0, MaxAttempts: 2}});
        } catch (e) {
            caught = e;
        }
        assert(caught instanceof Boto.WaiterError, `${caught}`);
        assert(caught.message.startsWith('Waiter BucketExists failed'), caught.message);
        assertEqual(caught.waiterName, 'BucketExists');
    });

    await check('resources', async () => {
        const s3 = Boto.resource('s3');
        const bucket = s3.createBucket({Bucket: 'js-override-res'});
        assertEqual(bucket.name, 'js-override-res');
        assertEqual(bucket.toString(), "s3.Bucket(name='js-override-res')");
        assert(bucket.equals(s3.Bucket('js-override-res')), 'equal');
        const listed = [...s3.buckets.all()].find(b => b.name === 'js-override-res');
        assert(listed.creationDate instanceof Date, 'creation_date is a Date');
        const obj = bucket.putObject({Key: 'a.txt', Body: 'resource body'});
        assertEqual([obj.bucketName, obj.key], ['js-override-res', 'a.txt']);
        assertEqual(bucket.Object('a.txt').contentLength, 13);
        bucket.put_object({Key: 'b.txt', Body: new Uint8Array([1])});
        assertEqual([...bucket.objects.all()].map(o => o.key), ['a.txt', 'b.txt']);
        assertEqual([...bucket.objects.filter({Prefix: 'b'})].map(o => o.key), ['b.txt']);
        assertEqual([...bucket.objects.pageSize(1).pages()].map(p => p.length), [1, 1]);
        const keys = [];
        for await (const o of bucket.objects.limit(5))
            keys.push(o.key);
        assertEqual(keys, ['a.txt', 'b.txt']);
        await bucket.waitUntilExistsAsync();
        const got = await bucket.Object('a.txt').getAsync();
        assertEqual(new TextDecoder().decode(got.Body), 'resource body');
        assertEqual(bucket.objects.delete()[0].Deleted.length, 2);
        assertThrows(() => [...s3.Bucket('js-override-res-missing').objects.all()],
            s3.meta.client.exceptions.NoSuchBucket);

        const ec2 = Boto.resource('ec2');
        const [instance] = ec2.createInstances({ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1});
        assertEqual(instance.state.Name, 'pending');
        assert(instance.launchTime instanceof Date, 'launch_time is a Date');
        assert(instance.vpc.id.startsWith('vpc-'), 'vpc reference');
        await instance.waitUntilRunningAsync({WaiterConfig: {Delay: 1}});
        instance.reload();
        assertEqual(instance.state.Name, 'running');
    });

    await check('resources: ec2 tags, references, vpcs and subnets, terminate', async () => {
        const ec2 = Boto.resource('ec2');
        const vpc = ec2.createVpc({CidrBlock: '10.42.0.0/16'});
        const subnet = vpc.createSubnet({CidrBlock: '10.42.1.0/24', AvailabilityZone: 'us-east-1a'});
        assertEqual([...vpc.subnets.all()].map(s => s.id), [subnet.id]);
        assert([...ec2.vpcs.all()].some(v => v.id === vpc.id), 'vpcs.all lists the vpc');
        const [instance] = subnet.createInstances({ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1,
            InstanceType: 't2.micro'});
        assertEqual(instance.instanceType, 't2.micro');
        assertEqual(instance.imageId, 'ami-12c6146b');
        assertEqual(instance.subnet.id, subnet.id);
        assertEqual(instance.vpc.id, vpc.id);
        assertEqual(instance.image.id, 'ami-12c6146b');
        instance.createTags({Tags: [{Key: 'team', Value: 'js'}]});
        instance.reload();
        assertEqual(instance.tags, [{Key: 'team', Value: 'js'}]);
        const filtered = [...ec2.instances.filter({Filters: [{Name: 'tag:team', Values: ['js']}]})];
        assertEqual(filtered.map(i => i.id), [instance.id]);
        instance.terminate();
        await instance.waitUntilTerminatedAsync({WaiterConfig: {Delay: 1}});
        instance.reload();
        assertEqual(instance.state.Name, 'terminated');
    });

    await check('resources: sqs queues and messages', () => {
        const sqs = Boto.resource('sqs');
        const queue = sqs.createQueue({QueueName: 'js-res-queue'});
        assert(queue.url.endsWith('/js-res-queue'), 'queue url');
        queue.sendMessage({MessageBody: 'one'});
        queue.sendMessages({Entries: [{Id: 'a', MessageBody: 'two'}, {Id: 'b', MessageBody: 'three'}]});
        const bodies = [];
        for (let i = 0; i < 5 && bodies.length < 3; i++) {
            for (const message of queue.receiveMessages({MaxNumberOfMessages: 10})) {
                bodies.push(message.body);
                message.delete();
            }
        }
        assertEqual(bodies.sort(), ['one', 'three', 'two']);
        assertEqual([...sqs.queues.filter({QueueNamePrefix: 'js-res-'})].map(q => q.url), [queue.url]);
        queue.delete();
    });

    await check('resources: iam users, sns topics, dynamodb tables', () => {
        const iam = Boto.resource('iam');
        const user = iam.createUser({UserName: 'js-res-user'});
        assertEqual(user.name, 'js-res-user');
        user.load();
        assert(user.arn.endsWith(':user/js-res-user'), 'user arn');
        assert([...iam.users.all()].some(u => u.name === 'js-res-user'), 'users.all lists the user');
        user.delete();

        const sns = Boto.resource('sns');
        const topic = sns.createTopic({Name: 'js-res-topic'});
        assertEqual(topic.attributes.TopicArn, topic.arn);
        const subscription = topic.subscribe({Protocol: 'email', Endpoint: 'js@example.com'});
        assertEqual([...topic.subscriptions.all()].map(s => s.arn), [subscription.arn]);
        topic.delete();

        const dynamodb = Boto.resource('dynamodb');
        const table = dynamodb.createTable({TableName: 'js-res-table',
            KeySchema: [{AttributeName: 'pk', KeyType: 'HASH'}],
            AttributeDefinitions: [{AttributeName: 'pk', AttributeType: 'S'}],
            BillingMode: 'PAY_PER_REQUEST'});
        table.waitUntilExists();
        table.putItem({Item: {pk: {S: 'a'}, n: {N: '7'}}});
        const item = table.getItem({Key: {pk: {S: 'a'}}}).Item;
        assertEqual([item.pk, item.n], [{S: 'a'}, {N: '7'}]);
        table.reload();
        assertEqual(table.itemCount, 1);
        table.delete();
    });

    await check('resources: cloudformation stacks, cloudwatch metrics', () => {
        const cloudformation = Boto.resource('cloudformation');
        const template = JSON.stringify({Resources: {Queue: {Type: 'AWS::SQS::Queue',
            Properties: {QueueName: 'js-res-stack-queue'}}}});
        const stack = cloudformation.createStack({StackName: 'js-res-stack', TemplateBody: template});
        assertEqual(stack.name, 'js-res-stack');
        assert([...cloudformation.stacks.all()].some(s => s.name === 'js-res-stack'), 'stacks.all lists it');
        assertEqual(stack.stackStatus, 'CREATE_COMPLETE');
        stack.delete();

        const cloudwatch = Boto.resource('cloudwatch');
        const metric = cloudwatch.Metric('js/ns', 'Requests');
        metric.putData({MetricData: [{MetricName: 'Requests', Value: 1.0, Unit: 'Count'}]});
        const found = [...cloudwatch.metrics.filter({Namespace: 'js/ns'})];
        assertEqual(found.map(m => [m.namespace, m.name]), [['js/ns', 'Requests']]);
    });

    await check('presigned URL and POST, as boto3\'s methods', () => {
        const s3 = Boto.client('s3');
        const url = s3.generatePresignedUrl('get_object', {Params: {Bucket: 'js-presign', Key: 'a b'},
            ExpiresIn: 60});
        assert(url.startsWith(`${GLib.getenv('AWS_ENDPOINT_URL')}/js-presign/a%20b?`), url);
        assert(url.includes('X-Amz-Expires=60&'), url);
        assertEqual(s3.generate_presigned_url('GetObject', {Params: {Bucket: 'js-presign', Key: 'a b'},
            ExpiresIn: 60}).split('?')[0], url.split('?')[0]);
        // Signed for PUT: the same URL but for its signature.
        const put = s3.generatePresignedUrl('get_object', {Params: {Bucket: 'js-presign', Key: 'a b'},
            ExpiresIn: 60, HttpMethod: 'PUT'});
        const unsigned = u => u.replace(/X-Amz-(Signature|Date)=[^&]*/g, '');
        assertEqual(unsigned(put), unsigned(url));
        assertThrows(() => s3.generatePresignedUrl('get_object', {Params: {Bucket: 'b', Key: 'k'},
            HttpMethod: 'GET /'}), Boto.ParamValidationError);
        const post = s3.generate_presigned_post({Bucket: 'js-presign', Key: 'up/${filename}',
            Fields: {acl: 'private'}, Conditions: [{acl: 'private'}, ['content-length-range', 1, 10]]});
        assertEqual(post.url, `${GLib.getenv('AWS_ENDPOINT_URL')}/js-presign`);
        assertEqual(Object.keys(post.fields), ['acl', 'key', 'x-amz-algorithm', 'x-amz-credential',
            'x-amz-date', 'policy', 'x-amz-signature']);
        const policy = JSON.parse(new TextDecoder().decode(GLib.base64_decode(post.fields.policy)));
        assertEqual(policy.conditions.slice(0, 4), [{acl: 'private'}, ['content-length-range', 1, 10],
            {bucket: 'js-presign'}, ['starts-with', '$key', 'up/']]);
        assert(!('generateDbAuthToken' in s3), 'an RDS method on S3');
        assertThrows(() => s3.generatePresignedPost({Bucket: 'b', Key: 'k', Fields: {acl: 5}}),
            Boto.ParamValidationError);
    });

    await check('resources: 2,500 objects, filter, limit, page size, pages', () => {
        const s3 = Boto.resource('s3');
        const bucket = s3.createBucket({Bucket: 'js-res-many'});
        const client = s3.meta.client;
        for (let i = 0; i < 2500; i++)
            client.putObject({Bucket: 'js-res-many', Key: `${i < 1200 ? 'a' : 'b'}/${String(i).padStart(4, '0')}`, Body: 'x'});
        assertEqual([...bucket.objects.all()].length, 2500);
        assertEqual([...bucket.objects.filter({Prefix: 'a/'})].length, 1200);
        const limited = [...bucket.objects.filter({Prefix: 'b/'}).limit(10)].map(o => o.key);
        assertEqual(limited, Array.from({length: 10}, (_, i) => `b/${String(1200 + i).padStart(4, '0')}`));
        assertEqual([...bucket.objects.pageSize(500).pages()].map(p => p.length), [500, 500, 500, 500, 500]);
        assertEqual([...bucket.objects.filter({Prefix: 'a/'}).pages()].map(p => p.length), [1000, 200]);
        bucket.objects.delete();
        assertEqual([...bucket.objects.all()].length, 0);
        bucket.delete();
    });
}

const loop = new GLib.MainLoop(null, false);
main().catch(e => {
    failures++;
    printerr(`${e}\n${e.stack}`);
}).finally(() => loop.quit());
loop.run();

print(`1..${count}`);
if (failures > 0)
    imports.system.exit(1);
