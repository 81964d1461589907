// SPDX-License-Identifier: Apache-2.0
// Run an instance: the boto3 client example, from GJS with the Boto
// override (region, credentials and endpoint from the environment: under
// tools/run-examples, moto on loopback).

import Boto from 'gi://Boto?version=1.0';

const ec2 = Boto.client('ec2');

const key = ec2.createKeyPair({KeyName: 'example-js-key'});
print(`key pair: ${key.KeyName}`);

const response = ec2.runInstances({ImageId: 'ami-12c6146b', InstanceType: 't2.micro',
    KeyName: 'example-js-key', MinCount: 1, MaxCount: 1});
const [instance] = response.Instances;
print(`instance: ${instance.InstanceId} ${instance.State.Name} ${instance.InstanceType}`);
print(`launched at: ${instance.LaunchTime.toISOString()}`);

// Wait on the main loop, then describe it there too (promises).
await ec2.getWaiter('instance_running').waitAsync({InstanceIds: [instance.InstanceId],
    WaiterConfig: {Delay: 1, MaxAttempts: 30}});
const described = await ec2.describeInstancesAsync({InstanceIds: [instance.InstanceId]});
print(`after waiting: ${described.Reservations[0].Instances[0].State.Name}`);
