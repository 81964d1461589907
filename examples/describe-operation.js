// SPDX-License-Identifier: Apache-2.0
// What the model says about an operation, from GJS.
// Usage: gjs -m describe-operation.js [SERVICE [OPERATION]]   (default: sqs SendMessage)

import Boto from 'gi://Boto?version=1.0';
import System from 'system';

const [service = 'sqs', operation = 'SendMessage'] = System.programArgs;

const session = new Boto.Session();
print(`session: region ${session.region_name}, profile ${session.profile_name}`);

const model = Boto.ServiceModel.load(service);
print(`${service} ${model.get_api_version()}: protocol ${model.get_protocol()}, ` +
      `${model.get_operation_names().length} operations`);

const op = model.get_operation(operation);
print(`${operation}: ${op.get_http_method()} ${op.get_request_uri()}`);
const shape = op.get_input_shape();
for (const name of shape ? shape.get_member_names() : []) {
    const member = shape.get_member(name);
    const where = member.get_location();
    print(`  ${name}${shape.is_member_required(name) ? ' [required]' : ''}: ` +
          `${member.get_name()} (${member.get_type_name()})${where ? ` in ${where}` : ''}`);
}
