// SPDX-License-Identifier: Apache-2.0
// The model layer and the session from GJS, through the typelib.

import GLib from 'gi://GLib';
import Boto from 'gi://Boto?version=1.0';

let failures = 0;
let count = 0;

function check(name, fn) {
    count++;
    try {
        fn();
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
    if (actual !== expected)
        throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

check('ec2 model has RunInstances', () => {
    const m = Boto.ServiceModel.load('ec2');
    assert(m.get_operation_names().includes('RunInstances'), 'RunInstances listed');
    assertEqual(m.get_protocol(), 'ec2');
    const shape = m.get_operation('RunInstances').get_input_shape();
    assertEqual(shape.get_name(), 'RunInstancesRequest');
    assertEqual(shape.get_shape_type(), Boto.ShapeType.STRUCTURE);
    assert(shape.get_required_members().includes('MinCount'), 'MinCount required');
});

check('s3 ListObjectsV2 input shape', () => {
    const s3 = Boto.ServiceModel.load('s3');
    const shape = s3.get_operation('ListObjectsV2').get_input_shape();
    assertEqual(shape.get_name(), 'ListObjectsV2Request');
    const bucket = shape.get_member('Bucket');
    assertEqual(bucket.get_location(), 'uri');
    assertEqual(shape.get_member('Prefix').get_location_name(), 'prefix');
    assertEqual(shape.get_definition().deepUnpack().type.unpack(), 'structure');
});

check('unknown service raises a BotoClientError', () => {
    let caught = null;
    try {
        Boto.ServiceModel.load('no-such-service');
    } catch (e) {
        caught = e;
    }
    assert(caught !== null, 'an error was thrown');
    assert(caught.matches(Boto.client_error_quark(), Boto.ClientError.UNKNOWN_SERVICE), 'error code');
    assert(caught.message.includes('no-such-service'), 'message names the service');
});

check('session from explicit properties', () => {
    const session = new Boto.Session({
        region_name: 'sa-east-1',
        aws_access_key_id: 'AKJS',
        aws_secret_access_key: 'js-secret',
    });
    assertEqual(session.region_name, 'sa-east-1');
    const creds = session.get_credentials();
    assertEqual(creds.get_access_key(), 'AKJS');
    assertEqual(creds.get_method(), 'explicit');
});

print(`1..${count}`);
if (failures > 0)
    imports.system.exit(1);
