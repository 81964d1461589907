// SPDX-License-Identifier: Apache-2.0
// SQS from GJS with promises: create a queue, send a message, receive and
// delete it (region, credentials and endpoint from the environment).
// Usage: gjs -m sqs-send-receive.js [QUEUE]

import Boto from 'gi://Boto?version=1.0';
import System from 'system';

const [name = 'example-js-queue'] = System.programArgs;
const sqs = new Boto.Session().client('sqs');

const {QueueUrl} = await sqs.createQueueAsync({QueueName: name});
const sent = await sqs.sendMessageAsync({QueueUrl, MessageBody: 'hello from GJS',
    MessageAttributes: {lang: {DataType: 'String', StringValue: 'javascript'}}});
print(`sent: ${sent.MD5OfMessageBody}`);

const {Messages = []} = await sqs.receiveMessageAsync({QueueUrl, MessageAttributeNames: ['All'],
    WaitTimeSeconds: 1});
for (const message of Messages) {
    print(`received: ${message.Body} lang = ${message.MessageAttributes.lang.StringValue}`);
    await sqs.deleteMessageAsync({QueueUrl, ReceiptHandle: message.ReceiptHandle});
}

const left = sqs.getQueueAttributes({QueueUrl, AttributeNames: ['ApproximateNumberOfMessages']});
print(`left in the queue: ${left.Attributes.ApproximateNumberOfMessages}`);

try {
    sqs.getQueueUrl({QueueName: `${name}-missing`});
} catch (e) {
    if (!(e instanceof sqs.exceptions.QueueDoesNotExist))
        throw e;
    print(`error: ${e.constructor.name}`);
}
