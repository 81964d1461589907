#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What the model says about an operation, from Python.

Usage: describe_operation.py [SERVICE [OPERATION]]   (default: s3 ListObjectsV2)
"""

import sys

import gi

gi.require_version("Boto", "1.0")
from gi.repository import Boto  # noqa: E402

service = sys.argv[1] if len(sys.argv) > 1 else "s3"
operation = sys.argv[2] if len(sys.argv) > 2 else "ListObjectsV2"

session = Boto.Session()
print("session: region %s, profile %s" % (session.props.region_name, session.props.profile_name))

model = Boto.ServiceModel.load(service)
print("%s %s: protocol %s, %d operations" % (
    service, model.get_api_version(), model.get_protocol(), len(model.get_operation_names())))

op = model.get_operation(operation)
print("%s: %s %s" % (operation, op.get_http_method(), op.get_request_uri()))
shape = op.get_input_shape()
for name in shape.get_member_names() if shape else []:
    member = shape.get_member(name)
    where = member.get_location()
    print("  %s%s: %s (%s)%s" % (
        name, " [required]" if shape.is_member_required(name) else "",
        member.get_name(), member.get_type_name(), " in " + where if where else ""))
