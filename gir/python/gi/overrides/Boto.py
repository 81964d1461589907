# SPDX-License-Identifier: Apache-2.0
"""PyGObject override for boto-glib: boto3's spelling on top of the typelib.

    from gi.repository import Boto

    ec2 = Boto.client('ec2')
    reply = ec2.run_instances(ImageId='ami-12c6146b', MinCount=1, MaxCount=1)

Sessions take boto3's keyword arguments, clients have one method per
operation of the model under its snake-case name taking keyword arguments
and returning plain dicts (timestamps as aware ``datetime`` in UTC, blobs as
``bytes``), and service errors are raised as botocore's ``ClientError`` with
``.response``, or as the generated subclass for the error code
(``client.exceptions.NoSuchBucket``).

Python values are turned into GVariants as the operation's input shape
directs (see DESIGN.md, "Data: GVariant in, GVariant out"); results are
unpacked as the output shape directs.
"""

import collections as _collections
import concurrent.futures as _futures
import datetime as _datetime
import os as _os
import tempfile as _tempfile
import threading as _threading

from gi.repository import Gio, GLib

from ..module import get_introspection_module
from ..overrides import override

Boto = get_introspection_module('Boto')

__all__ = []

_UTC = _datetime.timezone.utc
_EPOCH = _datetime.datetime(1970, 1, 1, tzinfo=_UTC)

_T = Boto.ShapeType


# ---------------------------------------------------------------------------
# Exceptions, as botocore.exceptions spells them.

class BotoCoreError(Exception):
    """The base of the errors raised on this side of the wire (botocore's
    ``BotoCoreError``).  ``gerror`` holds the GLib.Error it came from, if
    any."""

    fmt = 'An unspecified error occurred'

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.gerror = kwargs.pop('gerror', None)
        try:
            msg = self.fmt.format(**kwargs)
        except (KeyError, IndexError):
            msg = self.fmt
        super().__init__(msg)


class ParamValidationError(BotoCoreError, ValueError):
    fmt = 'Parameter validation failed:\n{report}'


class NoCredentialsError(BotoCoreError):
    fmt = 'Unable to locate credentials'


class NoRegionError(BotoCoreError):
    fmt = 'You must specify a region.'


class UnknownServiceError(BotoCoreError):
    fmt = '{message}'


class ProfileNotFound(BotoCoreError):
    fmt = '{message}'


class EndpointResolutionError(BotoCoreError):
    fmt = '{message}'


class OperationNotPageableError(BotoCoreError):
    fmt = 'Operation cannot be paginated: {operation_name}'


class WaiterError(BotoCoreError):
    fmt = 'Waiter {name} failed: {reason}'

    def __init__(self, name, reason, last_response=None, **kwargs):
        super().__init__(name=name, reason=reason, **kwargs)
        self.last_response = last_response


class ResourceLoadException(BotoCoreError):
    """An attribute of a resource that has neither data nor a load method
    was read (boto3's ``ResourceLoadException``)."""
    fmt = '{message}'


class ClientError(Exception):
    """An error response from the service (botocore's ``ClientError``).

    ``response`` is the parsed error dict (``Error`` with ``Code`` and
    ``Message``, and ``ResponseMetadata``); ``operation_name`` the model's
    name of the operation."""

    def __init__(self, error_response, operation_name):
        self.response = error_response
        self.operation_name = operation_name
        error = error_response.get('Error', {})
        code = error.get('Code', 'Unknown')
        message = error.get('Message', 'Unknown')
        text = 'An error occurred ({}) when calling the {} operation'.format(code, operation_name)
        retries = error_response.get('ResponseMetadata', {}).get('RetryAttempts', 0)
        if error_response.get('ResponseMetadata', {}).get('MaxAttemptsReached'):
            text += ' (reached max retries: {})'.format(retries)
        super().__init__('{}: {}'.format(text, message))


class _Exceptions:
    """``Boto.exceptions``, as ``botocore.exceptions``.  ``ClientError`` is
    only here (and on ``client.exceptions``): ``Boto.ClientError`` stays the
    library's error enum."""


exceptions = _Exceptions()
for _cls in (BotoCoreError, ParamValidationError, NoCredentialsError, NoRegionError,
             UnknownServiceError, ProfileNotFound, EndpointResolutionError,
             OperationNotPageableError, WaiterError, ResourceLoadException, ClientError):
    setattr(exceptions, _cls.__name__, _cls)
    if _cls is not ClientError:
        __all__.append(_cls.__name__)
__all__.append('exceptions')
del _cls


_SERVICE_ERROR_TEXT = None


def _service_error_from_gerror(e):
    """A ClientError for a BOTO_SERVICE_ERROR GError (where no call_full
    gave the response dict: pages of a paginator, waiters, resources).  The
    GLib.Error keeps only the message, so the response is asked for by it
    (Boto.ServiceError.dup_recent_response); failing that, it holds what
    the message, botocore's wording, tells."""
    import re
    global _SERVICE_ERROR_TEXT
    if _SERVICE_ERROR_TEXT is None:
        _SERVICE_ERROR_TEXT = re.compile(
            r'An error occurred \((?P<code>[^)]*)\) when calling the (?P<op>\S+) operation'
            r'(?: \(reached max retries: \d+\))?: (?P<message>.*)', re.S)
    m = _SERVICE_ERROR_TEXT.search(e.message)
    if m is None:
        return e
    recent = Boto.ServiceError.dup_recent_response(e.message)
    if recent is not None:
        response = from_variant(None, recent)
    else:
        response = {'Error': {'Code': m.group('code'), 'Message': m.group('message')},
                    'ResponseMetadata': {}}
    err = ClientError(response, m.group('op'))
    err.gerror = e
    return err


def _translate_gerror(e, client=None):
    """A botocore-style exception for a GLib.Error from the library, or the
    GLib.Error itself when there is none."""
    if e.domain == GLib.quark_to_string(Boto.service_error_quark()):
        err = _service_error_from_gerror(e)
        if client is not None and isinstance(err, ClientError):
            cls = client.exceptions.from_code(client._error_code(err.response))
            if cls is not ClientError:
                err = cls(err.response, err.operation_name)
                err.gerror = e
        return err
    if e.domain != GLib.quark_to_string(Boto.client_error_quark()):
        return e
    message = e.message
    code = e.code
    if code == Boto.ClientError.PARAM_VALIDATION:
        report = message
        prefix = 'Parameter validation failed:\n'
        if report.startswith(prefix):
            report = report[len(prefix):]
        return ParamValidationError(report=report, gerror=e)
    if code == Boto.ClientError.NO_CREDENTIALS:
        return NoCredentialsError(gerror=e)
    if code == Boto.ClientError.NO_REGION:
        return NoRegionError(gerror=e)
    if code == Boto.ClientError.UNKNOWN_SERVICE:
        return UnknownServiceError(message=message, gerror=e)
    if code == Boto.ClientError.PROFILE_NOT_FOUND:
        return ProfileNotFound(message=message, gerror=e)
    if code == Boto.ClientError.ENDPOINT_RESOLUTION:
        return EndpointResolutionError(message=message, gerror=e)
    if code == Boto.ClientError.RESOURCE_LOAD:
        return ResourceLoadException(message=message, gerror=e)
    if code == Boto.ClientError.WAITER:
        name, _, reason = message.partition(' failed: ')
        return WaiterError(name=name[len('Waiter '):] if name.startswith('Waiter ') else name,
                           reason=reason or message, last_response={}, gerror=e)
    return e


# ---------------------------------------------------------------------------
# Names

_xform_cache = {}


def xform_name(name):
    """boto3's snake-case name of a model name (``ListObjectsV2`` →
    ``list_objects_v2``, ``NotificationARNs`` → ``notification_arns``), as
    the library makes it (``Boto.xform_name``)."""
    snake = _xform_cache.get(name)
    if snake is None:
        snake = _xform_cache[name] = Boto.xform_name(name)
    return snake


__all__.append('xform_name')


# ---------------------------------------------------------------------------
# Python → GVariant, directed by a shape

_sig_cache = {}
_sig_lock = _threading.Lock()


def _shape_key(shape):
    return (shape.get_name(), shape.get_type_name())


def _signature(shape, depth=0):
    """The GVariant type string of a shape's values (DESIGN.md's table)."""
    if shape is None or depth > 32:
        return 'v'
    t = shape.get_shape_type()
    if t == _T.STRUCTURE:
        return 'a{sv}'
    if t == _T.LIST:
        return 'a' + _signature(shape.get_list_member(), depth + 1)
    if t == _T.MAP:
        return 'a{s' + _signature(shape.get_map_value(), depth + 1) + '}'
    return _SCALAR_SIGNATURES.get(t, 'v')


_SCALAR_SIGNATURES = {
    _T.STRING: 's', _T.CHARACTER: 's',
    _T.INTEGER: 'i', _T.SHORT: 'i', _T.BYTE: 'i',
    _T.LONG: 'x', _T.TIMESTAMP: 'x',
    _T.FLOAT: 'd', _T.DOUBLE: 'd',
    _T.BOOLEAN: 'b', _T.BLOB: 'ay',
    _T.DOCUMENT: 'v',
}


def _cached_signature(shape):
    key = _shape_key(shape)
    sig = _sig_cache.get(key)
    if sig is None:
        sig = _signature(shape)
        with _sig_lock:
            _sig_cache[key] = sig
    return sig


def _timestamp_us(value):
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_UTC)
        delta = value - _EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds
    # a date: midnight UTC
    return _timestamp_us(_datetime.datetime(value.year, value.month, value.day, tzinfo=_UTC))


def _int_variant(value, sig):
    if sig == 'i' and -2**31 <= value < 2**31:
        return GLib.Variant('i', value)
    if -2**63 <= value < 2**63:
        return GLib.Variant('x', value)
    # Out of any range: a string, so that validation names the parameter.
    return GLib.Variant('s', str(value))


def _blob_variant(data):
    """An `ay` of @data in one copy: GLib.Variant('ay', …) builds it a
    byte at a time, over a minute for 8 MiB."""
    return GLib.Variant.new_from_bytes(GLib.VariantType.new('ay'), GLib.Bytes.new(bytes(data)), True)


def _guess_variant(value, path='input'):
    """A GVariant for a value the model says nothing about (unknown
    parameters, documents, config options): the library's validation
    reports what is wrong with it."""
    if isinstance(value, GLib.Variant):
        return value
    if value is None:
        return GLib.Variant('mv', None)
    if isinstance(value, bool):
        return GLib.Variant('b', value)
    if isinstance(value, int):
        return _int_variant(value, 'x')
    if isinstance(value, float):
        return GLib.Variant('d', value)
    if isinstance(value, str):
        return GLib.Variant('s', value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _blob_variant(value)
    if isinstance(value, (_datetime.datetime, _datetime.date)):
        return GLib.Variant('x', _timestamp_us(value))
    if isinstance(value, dict):
        if value and all(isinstance(v, str) for v in value.values()):
            return GLib.Variant('a{ss}', {str(k): v for k, v in value.items()})
        return GLib.Variant('a{sv}', {str(k): _guess_variant(v, '%s.%s' % (path, k))
                                      for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        children = [_guess_variant(v, '%s[%d]' % (path, i)) for i, v in enumerate(value)]
        return _array(children, None)
    if hasattr(value, 'read'):
        data = value.read()
        if isinstance(data, str):
            data = data.encode('utf-8')
        return _blob_variant(data)
    raise ParamValidationError(report='Invalid type for parameter {}, value: {!r}, type: {}'.format(
        path, value, type(value)))


def _array(children, sig):
    """A typed array of @children when they all have type @sig (or one
    common type when @sig is None), else ``av``."""
    if sig is None and children:
        first = children[0].get_type_string()
        if all(c.get_type_string() == first for c in children):
            sig = first
    if sig is not None and all(c.get_type_string() == sig for c in children):
        return GLib.Variant.new_array(GLib.VariantType.new(sig), children)
    return GLib.Variant.new_array(GLib.VariantType.new('v'),
                                  [GLib.Variant.new_variant(c) for c in children])


def _to_variant(shape, value, path):
    if isinstance(value, GLib.Variant):
        return value
    if shape is None:
        return _guess_variant(value, path)
    t = shape.get_shape_type()
    if t == _T.STRUCTURE:
        if not isinstance(value, dict):
            return _guess_variant(value, path)
        out = {}
        for k, v in value.items():
            member = shape.get_member(k) if isinstance(k, str) else None
            out[str(k)] = _to_variant(member, v, '%s.%s' % (path, k) if path else k)
        return GLib.Variant('a{sv}', out)
    if t == _T.LIST:
        if not isinstance(value, (list, tuple)):
            return _guess_variant(value, path)
        member = shape.get_list_member()
        children = [_to_variant(member, v, '%s[%d]' % (path, i)) for i, v in enumerate(value)]
        return _array(children, _cached_signature(member))
    if t == _T.MAP:
        if not isinstance(value, dict):
            return _guess_variant(value, path)
        vshape = shape.get_map_value()
        sig = _cached_signature(vshape)
        entries = [(str(k), _to_variant(vshape, v, '%s.%s' % (path, k))) for k, v in value.items()]
        if all(v.get_type_string() == sig for _, v in entries):
            return GLib.Variant.new_array(
                GLib.VariantType.new('{s%s}' % sig),
                [GLib.Variant.new_dict_entry(GLib.Variant('s', k), v) for k, v in entries])
        return GLib.Variant('a{sv}', dict(entries))
    if t in (_T.STRING, _T.CHARACTER):
        if isinstance(value, str):
            return GLib.Variant('s', value)
    elif t in (_T.INTEGER, _T.SHORT, _T.BYTE, _T.LONG):
        if isinstance(value, int) and not isinstance(value, bool):
            return _int_variant(value, 'x' if t == _T.LONG else 'i')
    elif t in (_T.FLOAT, _T.DOUBLE):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return GLib.Variant('d', float(value))
    elif t == _T.BOOLEAN:
        if isinstance(value, bool):
            return GLib.Variant('b', value)
    elif t == _T.BLOB:
        if isinstance(value, str):
            return _blob_variant(value.encode('utf-8'))
        if isinstance(value, (bytes, bytearray, memoryview)):
            return _blob_variant(value)
        if hasattr(value, 'read'):
            return _guess_variant(value, path)
    elif t == _T.TIMESTAMP:
        if isinstance(value, (_datetime.datetime, _datetime.date)):
            return GLib.Variant('x', _timestamp_us(value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return GLib.Variant('d', float(value))
        if isinstance(value, str):
            return GLib.Variant('s', value)
    elif t == _T.DOCUMENT:
        return GLib.Variant.new_variant(_guess_variant(value, path))
    return _guess_variant(value, path)


def to_variant(shape, value):
    """@value (a dict, list or scalar) as the GVariant the library expects
    for @shape (a Boto.Shape, or None to guess from the Python types)."""
    return _to_variant(shape, value, '')


def params_variant(shape, params):
    """Keyword arguments of an operation as its ``a{sv}`` parameters."""
    return _to_variant(shape, dict(params), '') if params or shape is not None \
        else GLib.Variant('a{sv}', {})


__all__ += ['to_variant', 'params_variant']


# ---------------------------------------------------------------------------
# GVariant → Python, directed by a shape

class StreamingBody:
    """A streaming payload of a response (S3 ``GetObject``'s ``Body``), as
    botocore's ``StreamingBody``: ``read()``, ``iter_chunks()``,
    ``iter_lines()``, iteration and ``close()``."""

    _DEFAULT_CHUNK_SIZE = 1024
    _READ_ALL_CHUNK = 64 * 1024

    def __init__(self, data):
        # @data: the whole payload (bytes), or a Gio.InputStream read as
        # the caller asks (the object is never held in memory at once).
        self._stream = data if isinstance(data, Gio.InputStream) else None
        self._data = b'' if self._stream is not None else bytes(data)
        self._pos = 0
        self._closed = False

    def _read_stream(self, amt):
        if amt is None or amt < 0:
            parts = []
            while True:
                chunk = self._stream.read_bytes(self._READ_ALL_CHUNK, None).get_data()
                if not chunk:
                    break
                parts.append(chunk)
            return b''.join(parts)
        out = b''
        while len(out) < amt:
            chunk = self._stream.read_bytes(amt - len(out), None).get_data()
            if not chunk:
                break
            out += chunk
        return out

    def read(self, amt=None):
        if self._closed:
            raise ValueError('read of a closed StreamingBody')
        if self._stream is not None:
            try:
                chunk = self._read_stream(amt)
            except GLib.Error as e:
                raise _translate_gerror(e) from None
        elif amt is None or amt < 0:
            chunk = self._data[self._pos:]
        else:
            chunk = self._data[self._pos:self._pos + amt]
        self._pos += len(chunk)
        return chunk

    def readable(self):
        return not self._closed

    def readlines(self):
        return self.read().splitlines(True)

    def iter_chunks(self, chunk_size=_DEFAULT_CHUNK_SIZE):
        while True:
            chunk = self.read(chunk_size)
            if not chunk:
                break
            yield chunk

    def iter_lines(self, chunk_size=_DEFAULT_CHUNK_SIZE, keepends=False):
        pending = b''
        for chunk in self.iter_chunks(chunk_size):
            lines = (pending + chunk).splitlines(True)
            for line in lines[:-1]:
                yield line if keepends else line.splitlines()[0]
            pending = lines[-1]
        if pending:
            yield pending if keepends else pending.splitlines()[0]

    def __iter__(self):
        return self.iter_chunks()

    def tell(self):
        return self._pos

    def close(self):
        if self._stream is not None and not self._closed:
            self._stream.close(None)
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return '<StreamingBody: %d bytes>' % len(self._data)


__all__.append('StreamingBody')


def _streaming_payload(shape):
    """The member of an output shape that is a streaming payload, or None."""
    if shape is None:
        return None
    payload = shape.dup_trait('payload')
    if payload is None:
        return None
    name = payload.unpack() if payload.get_type_string() != 'v' else payload.get_variant().unpack()
    member = shape.get_member(name) if isinstance(name, str) else None
    if member is not None and member.get_boolean_trait('streaming'):
        return name
    return None


def _from_timestamp(us):
    return _EPOCH + _datetime.timedelta(microseconds=us)


def _decode_policy_document(text):
    """IAM returns policy documents (the policyDocumentType strings) as
    URL-encoded JSON; botocore hands them out as the decoded document, or
    the string as it came when it is no JSON."""
    import json
    from urllib.parse import unquote
    try:
        return json.loads(unquote(text))
    except (ValueError, TypeError):
        return text


def from_variant(shape, v):
    """@v unpacked to plain Python values: dicts, lists, ``bytes`` for
    blobs, aware ``datetime`` (UTC) for timestamps, ``None`` for null."""
    ts = v.get_type_string()
    c = ts[0]
    if c == 'v':
        return from_variant(shape, v.get_variant())
    if c == 'm':
        inner = v.get_maybe()
        return None if inner is None else from_variant(shape, inner)
    if c == 'a':
        if ts == 'ay':
            data = v.get_data_as_bytes().get_data()
            if shape is not None and shape.get_boolean_trait('streaming'):
                return StreamingBody(data)
            return data
        n = v.n_children()
        if ts[1] == '{':
            t = shape.get_shape_type() if shape is not None else None
            out = {}
            for i in range(n):
                entry = v.get_child_value(i)
                key = entry.get_child_value(0).unpack()
                if t == _T.STRUCTURE:
                    sub = shape.get_member(key)
                elif t == _T.MAP:
                    sub = shape.get_map_value()
                else:
                    sub = None
                out[key] = from_variant(sub, entry.get_child_value(1))
            return out
        sub = shape.get_list_member() if shape is not None and \
            shape.get_shape_type() == _T.LIST else None
        if ts in ('as', 'ai', 'ax', 'ab', 'ad') and not (sub is not None and
                                                         sub.get_shape_type() == _T.TIMESTAMP):
            return v.unpack()
        return [from_variant(sub, v.get_child_value(i)) for i in range(n)]
    if c == 'x' and shape is not None and shape.get_shape_type() == _T.TIMESTAMP:
        return _from_timestamp(v.get_int64())
    if c == 's' and shape is not None and shape.get_name() == 'policyDocumentType':
        return _decode_policy_document(v.get_string())
    if c == '(':
        return tuple(from_variant(None, v.get_child_value(i)) for i in range(v.n_children()))
    return v.unpack()


__all__.append('from_variant')


# ---------------------------------------------------------------------------
# DynamoDB: boto3's resource (and its meta.client) take and give plain
# Python values where the model has AttributeValue structures:
# {'pk': 'a', 'n': 1} instead of {'pk': {'S': 'a'}, 'n': {'N': '1'}}.

class Binary:
    """A DynamoDB binary value (boto3's ``boto3.dynamodb.types.Binary``):
    what a ``B`` attribute value reads as, so that it differs from a
    string; ``value`` holds the bytes."""

    def __init__(self, value):
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError('Value must be of the following types: bytes, bytearray, memoryview')
        self.value = bytes(value)

    def __eq__(self, other):
        if isinstance(other, Binary):
            return self.value == other.value
        return self.value == other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __repr__(self):
        return 'Binary(%r)' % self.value

    def __str__(self):
        return str(self.value)

    def __bytes__(self):
        return self.value

    def __hash__(self):
        return hash(self.value)


__all__.append('Binary')

_DYNAMODB_CONTEXT = None


def _dynamodb_context():
    """The decimal context of DynamoDB numbers: 38 digits, exponents from
    -128 to +126, and nothing silently rounded."""
    global _DYNAMODB_CONTEXT
    if _DYNAMODB_CONTEXT is None:
        import decimal
        _DYNAMODB_CONTEXT = decimal.Context(
            prec=38, Emin=-128, Emax=126,
            traps=[decimal.Clamped, decimal.Overflow, decimal.Inexact, decimal.Rounded,
                   decimal.Underflow])
    return _DYNAMODB_CONTEXT


def _is_number(value):
    import decimal
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, decimal.Decimal)):
        return True
    if isinstance(value, float):
        raise TypeError('Float types are not supported. Use Decimal types instead.')
    return False


def _is_binary(value):
    return isinstance(value, (Binary, bytes, bytearray, memoryview))


def _number_text(value):
    number = _dynamodb_context().create_decimal(value)
    if number.is_nan() or number.is_infinite():
        raise TypeError('Infinity and NaN not supported')
    return str(number)


def _binary_bytes(value):
    return value.value if isinstance(value, Binary) else bytes(value)


def serialize_attribute_value(value):
    """A Python value as a DynamoDB AttributeValue dict."""
    import collections.abc
    if value is None:
        return {'NULL': True}
    if isinstance(value, bool):
        return {'BOOL': value}
    if _is_number(value):
        return {'N': _number_text(value)}
    if isinstance(value, str):
        return {'S': value}
    if _is_binary(value):
        return {'B': _binary_bytes(value)}
    if isinstance(value, (set, frozenset)):
        items = list(value)
        if items and all(_is_number(v) for v in items):
            return {'NS': [_number_text(v) for v in items]}
        if items and all(isinstance(v, str) for v in items):
            return {'SS': items}
        if items and all(_is_binary(v) for v in items):
            return {'BS': [_binary_bytes(v) for v in items]}
        raise TypeError('Unsupported type "%s" for value "%s"' % (type(value), value))
    if isinstance(value, (list, tuple)):
        return {'L': [serialize_attribute_value(v) for v in value]}
    if isinstance(value, collections.abc.Mapping):
        return {'M': {k: serialize_attribute_value(v) for k, v in value.items()}}
    raise TypeError('Unsupported type "%s" for value "%s"' % (type(value), value))


def deserialize_attribute_value(value):
    """A DynamoDB AttributeValue dict as a Python value (numbers as
    ``Decimal``, binaries as ``Binary``, sets as ``set``)."""
    if not isinstance(value, dict) or not value:
        raise TypeError('Value must be a nonempty dictionary whose key is a valid dynamodb type.')
    kind, data = next(iter(value.items()))
    if kind == 'NULL':
        return None
    if kind == 'BOOL':
        return data
    if kind == 'S':
        return data
    if kind == 'N':
        return _dynamodb_context().create_decimal(data)
    if kind == 'B':
        return Binary(data)
    if kind == 'SS':
        return set(data)
    if kind == 'NS':
        return set(_dynamodb_context().create_decimal(v) for v in data)
    if kind == 'BS':
        return set(Binary(v) for v in data)
    if kind == 'L':
        return [deserialize_attribute_value(v) for v in data]
    if kind == 'M':
        return {k: deserialize_attribute_value(v) for k, v in data.items()}
    raise TypeError('Dynamodb type %s is not supported' % kind)


__all__ += ['serialize_attribute_value', 'deserialize_attribute_value']

_av_cache = {}


def _holds_attribute_values(shape, depth=0):
    """Whether an AttributeValue structure is somewhere under @shape."""
    if shape is None or depth > 32:
        return False
    key = _shape_key(shape)
    found = _av_cache.get(key)
    if found is not None:
        return found
    _av_cache[key] = False  # (recursive shapes)
    if shape.get_name() == 'AttributeValue':
        found = True
    else:
        t = shape.get_shape_type()
        if t == _T.STRUCTURE:
            found = any(_holds_attribute_values(shape.get_member(m), depth + 1)
                        for m in shape.get_member_names())
        elif t == _T.LIST:
            found = _holds_attribute_values(shape.get_list_member(), depth + 1)
        elif t == _T.MAP:
            found = _holds_attribute_values(shape.get_map_value(), depth + 1)
        else:
            found = False
    _av_cache[key] = found
    return found


def _map_attribute_values(shape, value, fn):
    """@value with @fn applied to whatever @shape says is an
    AttributeValue."""
    if not _holds_attribute_values(shape):
        return value
    if shape.get_name() == 'AttributeValue':
        return fn(value)
    if value is None:
        return value
    t = shape.get_shape_type()
    if t == _T.STRUCTURE and isinstance(value, dict):
        out = {}
        for k, v in value.items():
            member = shape.get_member(k) if isinstance(k, str) else None
            out[k] = _map_attribute_values(member, v, fn) if member is not None else v
        return out
    if t == _T.LIST and isinstance(value, (list, tuple)):
        member = shape.get_list_member()
        return [_map_attribute_values(member, v, fn) for v in value]
    if t == _T.MAP and isinstance(value, dict):
        vshape = shape.get_map_value()
        return {k: _map_attribute_values(vshape, v, fn) for k, v in value.items()}
    return value


def _attribute_values_in(shape, params):
    """A DynamoDB resource's parameters as the model takes them: conditions
    built into expressions, then plain values as AttributeValue dicts."""
    params = _condition_expressions_in(shape, params)
    return _map_attribute_values(shape, params, serialize_attribute_value)


def _attribute_values_out(shape, result):
    return _map_attribute_values(shape, result, deserialize_attribute_value)


# ---------------------------------------------------------------------------
# DynamoDB conditions (boto3.dynamodb.conditions): Key('pk').eq(1) &
# Attr('n').gt(2) as KeyConditionExpression, FilterExpression or
# ConditionExpression of a DynamoDB resource's calls, turned into an
# expression with #n/:v placeholders that are merged into
# ExpressionAttributeNames and ExpressionAttributeValues.

class DynamoDBOperationNotSupportedError(Exception):
    """&, | or ~ applied to something that is not a condition."""

    def __init__(self, operation, value):
        Exception.__init__(
            self, '%s operation cannot be applied to value %r of type %s directly. '
            'Must use AttributeBase object methods (i.e. Attr().eq()). to '
            'generate ConditionBase instances first.' % (operation, value, type(value)))


class DynamoDBNeedsConditionError(Exception):
    """A condition expression member given something that is not a
    condition built with Key or Attr."""

    def __init__(self, value):
        Exception.__init__(
            self, 'Expecting a ConditionBase object. Got %r of type %s. Use '
            'AttributeBase object methods (i.e. Attr().eq()). to generate '
            'ConditionBase instances.' % (value, type(value)))


class DynamoDBNeedsKeyConditionError(Exception):
    """A KeyConditionExpression that names an Attr rather than a Key."""


class ConditionBase:
    """A condition: an expression template, its operator and its operands
    (attributes, values or other conditions)."""
    expression_format = ''
    expression_operator = ''
    has_grouped_values = False

    def __init__(self, *values):
        self._values = values

    def __and__(self, other):
        if not isinstance(other, ConditionBase):
            raise DynamoDBOperationNotSupportedError('AND', other)
        return And(self, other)

    def __or__(self, other):
        if not isinstance(other, ConditionBase):
            raise DynamoDBOperationNotSupportedError('OR', other)
        return Or(self, other)

    def __invert__(self):
        return Not(self)

    def get_expression(self):
        return {'format': self.expression_format,
                'operator': self.expression_operator,
                'values': self._values}

    def __eq__(self, other):
        return type(self) is type(other) and self._values == other._values

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


class AttributeBase:
    """An attribute named in a condition; its methods make conditions."""

    def __init__(self, name):
        self.name = name

    def __and__(self, value):
        raise DynamoDBOperationNotSupportedError('AND', self)

    def __or__(self, value):
        raise DynamoDBOperationNotSupportedError('OR', self)

    def __invert__(self):
        raise DynamoDBOperationNotSupportedError('NOT', self)

    def eq(self, value):
        return Equals(self, value)

    def lt(self, value):
        return LessThan(self, value)

    def lte(self, value):
        return LessThanEquals(self, value)

    def gt(self, value):
        return GreaterThan(self, value)

    def gte(self, value):
        return GreaterThanEquals(self, value)

    def begins_with(self, value):
        return BeginsWith(self, value)

    def between(self, low_value, high_value):
        return Between(self, low_value, high_value)

    def __eq__(self, other):
        return type(self) is type(other) and self.name == other.name

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


class ConditionAttributeBase(ConditionBase, AttributeBase):
    """A condition that can be compared like an attribute (size(a) > 3)."""

    def __init__(self, *values):
        ConditionBase.__init__(self, *values)
        AttributeBase.__init__(self, values[0].name)

    # ConditionBase's operators and equality, AttributeBase's methods.
    __and__ = ConditionBase.__and__
    __or__ = ConditionBase.__or__
    __invert__ = ConditionBase.__invert__

    def __eq__(self, other):
        return ConditionBase.__eq__(self, other) and AttributeBase.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


def _condition_class(class_name, operator, template, base=ConditionBase, grouped=False):
    return type(class_name, (base,), {'expression_operator': operator,
                                      'expression_format': template,
                                      'has_grouped_values': grouped,
                                      '__module__': __name__})


_COMPARISON = '{0} {operator} {1}'
_FUNCTION1 = '{operator}({0})'
_FUNCTION2 = '{operator}({0}, {1})'
Equals = _condition_class('Equals', '=', _COMPARISON)
NotEquals = _condition_class('NotEquals', '<>', _COMPARISON)
LessThan = _condition_class('LessThan', '<', _COMPARISON)
LessThanEquals = _condition_class('LessThanEquals', '<=', _COMPARISON)
GreaterThan = _condition_class('GreaterThan', '>', _COMPARISON)
GreaterThanEquals = _condition_class('GreaterThanEquals', '>=', _COMPARISON)
In = _condition_class('In', 'IN', _COMPARISON, grouped=True)
Between = _condition_class('Between', 'BETWEEN', '{0} {operator} {1} AND {2}')
BeginsWith = _condition_class('BeginsWith', 'begins_with', _FUNCTION2)
Contains = _condition_class('Contains', 'contains', _FUNCTION2)
Size = _condition_class('Size', 'size', _FUNCTION1, base=ConditionAttributeBase)
AttributeType = _condition_class('AttributeType', 'attribute_type', _FUNCTION2)
AttributeExists = _condition_class('AttributeExists', 'attribute_exists', _FUNCTION1)
AttributeNotExists = _condition_class('AttributeNotExists', 'attribute_not_exists', _FUNCTION1)
And = _condition_class('And', 'AND', '({0} {operator} {1})')
Or = _condition_class('Or', 'OR', '({0} {operator} {1})')
Not = _condition_class('Not', 'NOT', '({operator} {0})')


class Key(AttributeBase):
    """A key attribute, the only kind a KeyConditionExpression takes."""


class Attr(AttributeBase):
    """Any attribute of an item, for filters and conditions."""

    def ne(self, value):
        return NotEquals(self, value)

    def is_in(self, value):
        return In(self, value)

    def exists(self):
        return AttributeExists(self)

    def not_exists(self):
        return AttributeNotExists(self)

    def contains(self, value):
        return Contains(self, value)

    def size(self):
        return Size(self)

    def attribute_type(self, value):
        return AttributeType(self, value)


class BuiltConditionExpression(tuple):
    """(condition_expression, attribute_name_placeholders,
    attribute_value_placeholders), as boto3's named tuple."""
    __slots__ = ()

    def __new__(cls, condition_expression, attribute_name_placeholders,
                attribute_value_placeholders):
        return tuple.__new__(cls, (condition_expression, attribute_name_placeholders,
                                   attribute_value_placeholders))

    condition_expression = property(lambda self: self[0])
    attribute_name_placeholders = property(lambda self: self[1])
    attribute_value_placeholders = property(lambda self: self[2])


# The parts of a document path that are names: not the dots, and not the
# list indexes in brackets ("a.b[2].c" has a, b and c).
_NAME_PART = None


class ConditionExpressionBuilder:
    """Turns conditions into expression strings: every name part becomes
    #n<i> and every value :v<i>, counted across one request until reset()."""

    def __init__(self):
        self._names = 0
        self._values = 0

    def reset(self):
        self._names = 0
        self._values = 0

    def build_expression(self, condition, is_key_condition=False):
        if not isinstance(condition, ConditionBase):
            raise DynamoDBNeedsConditionError(condition)
        names, values = {}, {}
        text = self._condition(condition, names, values, is_key_condition)
        return BuiltConditionExpression(text, names, values)

    def _condition(self, condition, names, values, is_key_condition):
        spec = condition.get_expression()
        operands = [self._operand(v, names, values, condition.has_grouped_values, is_key_condition)
                    for v in spec['values']]
        return spec['format'].format(*operands, operator=spec['operator'])

    def _operand(self, value, names, values, grouped, is_key_condition):
        if isinstance(value, ConditionBase):
            return self._condition(value, names, values, is_key_condition)
        if isinstance(value, AttributeBase):
            if is_key_condition and not isinstance(value, Key):
                raise DynamoDBNeedsKeyConditionError(
                    'Attribute object %s is of type %s. KeyConditionExpression only '
                    'supports Attribute objects of type Key' % (value.name, type(value)))
            return self._name(value.name, names)
        if grouped:
            return '(%s)' % ', '.join(self._value(v, values) for v in value)
        return self._value(value, values)

    def _name(self, path, names):
        global _NAME_PART
        if _NAME_PART is None:
            import re
            _NAME_PART = re.compile(r'[^.\[\]]+(?![^\[]*\])')

        def placeholder(match):
            key = '#n%d' % self._names
            self._names += 1
            names[key] = match.group(0)
            return key
        return _NAME_PART.sub(placeholder, path)

    def _value(self, value, values):
        key = ':v%d' % self._values
        self._values += 1
        values[key] = value
        return key


__all__ += ['Key', 'Attr', 'ConditionBase', 'AttributeBase', 'ConditionAttributeBase',
            'ConditionExpressionBuilder', 'BuiltConditionExpression',
            'DynamoDBOperationNotSupportedError', 'DynamoDBNeedsConditionError',
            'DynamoDBNeedsKeyConditionError']


def _map_shape_named(shape, value, target, fn, depth=0):
    """@value with @fn applied to the values whose shape is named @target,
    walking the parameters in their order (as boto3's transformer does).
    New containers are built; the caller's are left alone."""
    if shape is None or value is None or depth > 32:
        return value
    t = shape.get_shape_type()
    if t == _T.STRUCTURE and isinstance(value, dict):
        out = {}
        for k, v in value.items():
            member = shape.get_member(k) if isinstance(k, str) else None
            if member is None:
                out[k] = v
            elif member.get_name() == target:
                out[k] = fn(v)
            else:
                out[k] = _map_shape_named(member, v, target, fn, depth + 1)
        return out
    if t == _T.LIST and isinstance(value, list):
        member = shape.get_list_member()
        if member.get_name() == target:
            return [fn(v) for v in value]
        return [_map_shape_named(member, v, target, fn, depth + 1) for v in value]
    if t == _T.MAP and isinstance(value, dict):
        vshape = shape.get_map_value()
        if vshape.get_name() == target:
            return {k: fn(v) for k, v in value.items()}
        return {k: _map_shape_named(vshape, v, target, fn, depth + 1) for k, v in value.items()}
    return value


def _condition_expressions_in(shape, params):
    """boto3's condition injection of a DynamoDB resource's calls: every
    ConditionExpression (conditions and filters) and then every
    KeyExpression given as a condition becomes its text; the placeholders
    are added to ExpressionAttributeNames/Values (the caller's entries stay)."""
    if shape is None or not isinstance(params, dict):
        return params
    builder = ConditionExpressionBuilder()
    names, values = {}, {}

    def transform(is_key_condition):
        def build(value):
            if not isinstance(value, ConditionBase):
                return value
            built = builder.build_expression(value, is_key_condition)
            names.update(built.attribute_name_placeholders)
            values.update(built.attribute_value_placeholders)
            return built.condition_expression
        return build

    params = _map_shape_named(shape, params, 'ConditionExpression', transform(False))
    params = _map_shape_named(shape, params, 'KeyExpression', transform(True))
    for member, generated in (('ExpressionAttributeNames', names),
                              ('ExpressionAttributeValues', values)):
        if not generated:
            continue
        merged = dict(params.get(member) or {})
        merged.update(generated)
        params[member] = merged
    return params


# ---------------------------------------------------------------------------
# Config

@override
class Config(Boto.Config):
    """botocore's ``Config``: ``Boto.Config(region_name='eu-west-1',
    retries={'max_attempts': 3})``."""

    def __new__(cls, options=None, **kwargs):
        if options is not None and not isinstance(options, dict):
            raise TypeError('Config() takes keyword arguments, or one dict of options')
        opts = dict(options or {}, **kwargs)
        try:
            return Boto.Config.new(GLib.Variant('a{sv}', {
                str(k): _guess_variant(v, k) for k, v in opts.items() if v is not None}))
        except GLib.Error as e:
            raise _translate_gerror(e) from None

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        value = self.lookup(name)
        if value is None:
            return None
        return from_variant(None, value)

    def merge(self, other_config):
        return Boto.Config.merge(self, other_config)

    def to_dict(self):
        return from_variant(None, self.get_options())


__all__.append('Config')


def _as_config(config):
    if config is None or isinstance(config, Boto.Config):
        return config
    if isinstance(config, dict):
        return Config(config)
    # botocore.config.Config: its user-given options
    options = getattr(config, '_user_provided_options', None)
    if isinstance(options, dict):
        return Config(options)
    raise TypeError('config must be a Boto.Config or a dict, not %r' % type(config).__name__)


# ---------------------------------------------------------------------------
# asyncio: the library's async calls run on a private GLib main context in
# one worker thread (a client's async call may start in any thread with a
# thread-default main context); their results reach the asyncio loop with
# call_soon_threadsafe.  Cancelling the awaiting task cancels the call.

class _AsyncBridge:
    _lock = _threading.Lock()
    _instance = None

    def __init__(self):
        self.context = GLib.MainContext.new()
        self._loop = GLib.MainLoop.new(self.context, False)
        ready = _threading.Event()

        def run():
            self.context.push_thread_default()
            ready.set()
            self._loop.run()

        _threading.Thread(target=run, name='boto-glib-asyncio', daemon=True).start()
        ready.wait()

    @classmethod
    def get(cls):
        with cls._lock:
            if cls._instance is None:
                cls._instance = _AsyncBridge()
            return cls._instance

    def submit(self, fn):
        def once(*_args):
            fn()
            return GLib.SOURCE_REMOVE

        source = GLib.idle_source_new()
        source.set_callback(once)
        source.attach(self.context)


def _settle(fut, value=None, error=None):
    if fut.done():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(value)


def _bridge(start, finish):
    """An asyncio future for one async call: start(cancellable, callback)
    begins it on the worker's context, finish(source, result) gives the
    value or raises."""
    import asyncio
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    cancellable = Gio.Cancellable()

    def done(source, result):
        try:
            value = finish(source, result)
        except BaseException as e:  # noqa: B902 - handed to the awaiting task
            loop.call_soon_threadsafe(_settle, fut, None, e)
        else:
            loop.call_soon_threadsafe(_settle, fut, value)

    def begin():
        try:
            start(cancellable, done)
        except BaseException as e:  # noqa: B902
            loop.call_soon_threadsafe(_settle, fut, None, e)

    fut.add_done_callback(lambda f: cancellable.cancel() if f.cancelled() else None)
    _AsyncBridge.get().submit(begin)
    return fut


class _AioOperations:
    """``client.aio``: every operation as a coroutine function,
    ``await s3.aio.list_objects_v2(Bucket='b')``, and ``call()``."""

    def __init__(self, client):
        self._client = client

    def call(self, operation_name, **kwargs):
        client = self._client
        op = client._operation(operation_name)
        params = client._params(op, kwargs)

        def start(cancellable, done):
            client._gclient.call_full_async(op.get_name(), params, cancellable, done)

        def finish(gclient, res):
            try:
                result, is_error = gclient.call_full_finish(res)
            except GLib.Error as e:
                raise _translate_gerror(e) from None
            return client._finish_call(op, result, is_error)

        return _bridge(start, finish)

    def __getattr__(self, name):
        if name.startswith('_') or name not in type(self._client)._PY_TO_OP:
            raise AttributeError(name)

        async def operation(**kwargs):
            return await self.call(name, **kwargs)

        operation.__name__ = name
        return operation

    def __dir__(self):
        return sorted(type(self._client)._PY_TO_OP)


# ---------------------------------------------------------------------------
# Clients

class _ExceptionsCache:
    lock = _threading.Lock()
    by_model = {}


class ClientExceptions:
    """``client.exceptions``: one ClientError subclass per error shape of the
    service's model, as botocore generates them, plus ``ClientError``."""

    ClientError = ClientError

    def __init__(self, code_to_class):
        self._code_to_class = code_to_class
        for cls in code_to_class.values():
            setattr(self, cls.__name__, cls)

    def from_code(self, error_code):
        return self._code_to_class.get(error_code, ClientError)

    def __repr__(self):
        return '<ClientExceptions: %s>' % ', '.join(sorted(c.__name__ for c in self._code_to_class.values()))


def _exceptions_for(model):
    key = (model.get_service_name(), model.get_api_version())
    with _ExceptionsCache.lock:
        found = _ExceptionsCache.by_model.get(key)
    if found is not None:
        return found
    code_to_class = {}
    for name in model.get_shape_names():
        shape = model.get_shape(name)
        if not shape.get_boolean_trait('exception'):
            continue
        code = name
        error = shape.get_definition().lookup_value('error', None)
        if error is not None:
            error = from_variant(None, error)
            if isinstance(error, dict) and isinstance(error.get('code'), str):
                code = error['code']
        code_to_class[code] = type(str(name), (ClientError,), {})
    found = ClientExceptions(code_to_class)
    with _ExceptionsCache.lock:
        found = _ExceptionsCache.by_model.setdefault(key, found)
    return found


class ClientMeta:
    """``client.meta``: the service model, region, endpoint and config."""

    def __init__(self, gclient):
        self.boto_client = gclient
        self.service_model = gclient.get_service_model()
        self.region_name = gclient.get_region_name()
        self.endpoint_url = gclient.get_endpoint_url()
        self.service_name = gclient.get_service_name()
        self.method_to_api_mapping = {}

    @property
    def config(self):
        cfg = self.boto_client.get_config()
        return from_variant(None, cfg) if cfg is not None else {}


class BaseClient:
    """The base of the generated client classes (botocore's ``BaseClient``).

    Every operation of the model is a method under its snake-case name that
    takes keyword arguments only and returns the response as a dict."""

    def __init__(self, gclient, attribute_values=False):
        self.meta = ClientMeta(gclient)
        self.meta.method_to_api_mapping = dict(type(self)._PY_TO_OP)
        self._gclient = gclient
        self._exceptions = None
        # DynamoDB resources' clients take and give plain Python values
        # for AttributeValue structures, as boto3's do.
        self._attribute_values = attribute_values

    def _params(self, op, kwargs):
        shape = op.get_input_shape()
        if self._attribute_values:
            kwargs = _attribute_values_in(shape, kwargs)
        return params_variant(shape, kwargs)

    def __repr__(self):
        return '<Boto.%s client for %s>' % (type(self).__name__, self.meta.region_name)

    @property
    def aio(self):
        """The operations as coroutine functions, for asyncio."""
        return _AioOperations(self)

    @property
    def exceptions(self):
        if self._exceptions is None:
            self._exceptions = _exceptions_for(self.meta.service_model)
        return self._exceptions

    def _operation(self, operation_name):
        name = type(self)._PY_TO_OP.get(operation_name, operation_name)
        try:
            return self.meta.service_model.get_operation(name)
        except GLib.Error as e:
            raise _translate_gerror(e) from None

    def _make_api_call(self, operation_name, api_params):
        op = self._operation(operation_name)
        name = op.get_name()
        params = self._params(op, api_params)
        payload = _streaming_payload(op.get_output_shape())
        if payload is not None:
            # The payload is read as the caller reads Body, never buffered
            # whole (boto_client_call_streaming).
            try:
                result, stream = self._gclient.call_streaming(name, params, None)
            except GLib.Error as e:
                if e.domain != GLib.quark_to_string(Boto.service_error_quark()):
                    raise _translate_gerror(e, self) from None
                # Bindings cannot read a service error's details from the
                # GError: ask again without streaming, which returns the
                # error response itself (an error has no large body).
                result, is_error = self._gclient.call_full(name, params, None)
                return self._finish_call(op, result, is_error)
            response = from_variant(op.get_output_shape(), result)
            response[payload] = StreamingBody(stream)
            return response
        try:
            result, is_error = self._gclient.call_full(name, params, None)
        except GLib.Error as e:
            raise _translate_gerror(e) from None
        return self._finish_call(op, result, is_error)

    def _finish_call(self, op, result, is_error):
        name = op.get_name()
        if is_error:
            response = from_variant(None, result)
            raise self.exceptions.from_code(self._error_code(response))(response, name)
        if self._attribute_values:
            shape = op.get_output_shape()
            return _attribute_values_out(shape, from_variant(shape, result))
        return from_variant(op.get_output_shape(), result)

    def _error_code(self, response):
        error = response.get('Error', {})
        # SQS's modeled errors are found by their query-protocol code (as
        # botocore's SQS handler does).
        if self.meta.service_name == 'sqs' and error.get('QueryErrorCode'):
            return error['QueryErrorCode']
        return error.get('Code')

    def call(self, operation_name, **kwargs):
        """Calls an operation named as in the model or in snake case."""
        return self._make_api_call(operation_name, kwargs)

    def call_async(self, operation_name, callback, **kwargs):
        """Calls an operation on the GLib main loop; @callback gets
        ``(result, exception)``, one of them None."""
        op = self._operation(operation_name)
        params = self._params(op, kwargs)

        def done(gclient, res):
            try:
                result, is_error = gclient.call_full_finish(res)
                value = self._finish_call(op, result, is_error)
            except GLib.Error as e:
                callback(None, _translate_gerror(e))
            except ClientError as e:
                callback(None, e)
            else:
                callback(value, None)

        self._gclient.call_full_async(op.get_name(), params, None, done)

    def generate_presigned_url(self, ClientMethod, Params=None, ExpiresIn=3600, HttpMethod=None):
        """A URL that makes one call without credentials until it expires,
        as boto3's: ``generate_presigned_url('get_object', Params={...})``;
        ``HttpMethod`` signs it for another method than the operation's."""
        op = self._operation(ClientMethod)
        params = self._params(op, Params or {})
        try:
            return self._gclient.generate_presigned_url_full(op.get_name(), params, ExpiresIn, HttpMethod)
        except GLib.Error as e:
            raise _translate_gerror(e) from None

    def can_paginate(self, operation_name):
        """Whether the operation (snake-case or model name) has a
        paginator."""
        return bool(self._gclient.can_paginate(operation_name))

    def get_paginator(self, operation_name):
        """A ``Paginator`` for the operation, as boto3's."""
        try:
            gpaginator = self._gclient.get_paginator(operation_name)
        except GLib.Error as e:
            if e.matches(Boto.client_error_quark(), Boto.ClientError.UNKNOWN_OPERATION):
                raise OperationNotPageableError(operation_name=operation_name, gerror=e) from None
            raise _translate_gerror(e) from None
        return _Paginator(self, gpaginator)

    @property
    def waiter_names(self):
        """The service's waiters, in snake case."""
        return list(self._gclient.dup_waiter_names())

    def get_waiter(self, waiter_name):
        """A ``Waiter``, as boto3's: ``get_waiter('instance_running')``."""
        if waiter_name not in self.waiter_names:
            raise ValueError('Waiter does not exist: %s' % waiter_name)
        try:
            return _Waiter(self, self._gclient.get_waiter(waiter_name))
        except GLib.Error as e:
            raise _translate_gerror(e) from None

    def close(self):
        """Nothing to release early: the connection pool goes with the
        client."""


class _Paginator:
    """boto3's ``Paginator``: ``paginate(**params)`` with an optional
    ``PaginationConfig`` (``MaxItems``, ``PageSize``, ``StartingToken``)."""

    def __init__(self, client, gpaginator):
        self._client = client
        self.boto_paginator = gpaginator
        self._op = client._operation(gpaginator.get_operation_name())

    @property
    def operation_name(self):
        return self._op.get_name()

    def paginate(self, **kwargs):
        config = kwargs.pop('PaginationConfig', None)
        params = params_variant(self._op.get_input_shape(), kwargs)
        gconfig = None
        if config:
            gconfig = GLib.Variant('a{sv}', {str(k): _guess_variant(v, 'PaginationConfig.' + k)
                                             for k, v in config.items() if v is not None})
        return _PageIterator(self._client, self._op, self.boto_paginator.paginate(params, gconfig))


class _PageIterator:
    """The pages of one pagination: iterable once, as boto3's
    ``PageIterator``, each page a dict; ``search()``,
    ``build_full_result()`` and ``resume_token``."""

    def __init__(self, client, op, giterator):
        self._client = client
        self._op = op
        self.boto_page_iterator = giterator

    def _unpack(self, v):
        return from_variant(self._op.get_output_shape(), v)

    def __iter__(self):
        while True:
            try:
                page = self.boto_page_iterator.next(None)
            except GLib.Error as e:
                raise _translate_gerror(e, self._client) from None
            if page is None:
                return
            yield self._unpack(page)

    def __aiter__(self):
        return self

    async def __anext__(self):
        giter = self.boto_page_iterator

        def start(cancellable, done):
            giter.next_async(cancellable, done)

        def finish(source, res):
            try:
                return source.next_finish(res)
            except GLib.Error as e:
                raise _translate_gerror(e, self._client) from None

        page = await _bridge(start, finish)
        if page is None:
            raise StopAsyncIteration
        return self._unpack(page)

    @property
    def resume_token(self):
        return self.boto_page_iterator.get_resume_token()

    def build_full_result(self):
        try:
            return self._unpack(self.boto_page_iterator.build_full_result(None))
        except GLib.Error as e:
            raise _translate_gerror(e, self._client) from None

    def search(self, expression):
        """Every match of a JMESPath expression over the pages: the
        elements of list results, other results as they are."""
        try:
            found = self.boto_page_iterator.search(expression, None)
        except GLib.Error as e:
            raise _translate_gerror(e, self._client) from None
        for i in range(found.n_children()):
            yield from_variant(None, found.get_child_value(i))


class _Waiter:
    """boto3's ``Waiter``: ``wait(**params)`` with an optional
    ``WaiterConfig`` (``Delay``, ``MaxAttempts``); raises WaiterError."""

    def __init__(self, client, gwaiter):
        self._client = client
        self.boto_waiter = gwaiter
        self.name = gwaiter.get_name()
        self._op = client._operation(gwaiter.get_operation_name())

    @property
    def config(self):
        return from_variant(None, self.boto_waiter.get_config())

    def wait(self, **kwargs):
        try:
            self.boto_waiter.wait(self._params(kwargs), None)
        except GLib.Error as e:
            raise self._error(e) from None

    async def wait_async(self, **kwargs):
        """wait() for asyncio."""
        params = self._params(kwargs)
        gwaiter = self.boto_waiter

        def start(cancellable, done):
            gwaiter.wait_async(params, cancellable, done)

        def finish(source, res):
            try:
                source.wait_finish(res)
            except GLib.Error as e:
                raise self._error(e) from None

        await _bridge(start, finish)

    def _error(self, e):
        err = _translate_gerror(e, self._client)
        if isinstance(err, ClientError):
            err = WaiterError(name=self.name, reason=str(err), last_response=err.response,
                              gerror=e)
        return err

    def _params(self, kwargs):
        kwargs = dict(kwargs)
        config = kwargs.pop('WaiterConfig', None)
        params = params_variant(self._op.get_input_shape(), kwargs)
        if config:
            merged = {k: params.lookup_value(k, None) for k in kwargs}
            merged['WaiterConfig'] = GLib.Variant('a{sv}', {
                str(k): _guess_variant(v, 'WaiterConfig.' + k) for k, v in config.items()
                if v is not None})
            params = GLib.Variant('a{sv}', merged)
        return params


# Paginator, PageIterator and Waiter stay out of __all__: those names are
# the library's own classes in the Boto namespace.
__all__ += ['BaseClient', 'ClientMeta', 'ClientExceptions']

_client_classes = {}
_client_classes_lock = _threading.Lock()


def _make_operation_method(py_name, op_name):
    def _api_call(self, *args, **kwargs):
        if args:
            raise TypeError('%s() only accepts keyword arguments.' % py_name)
        return self._make_api_call(op_name, kwargs)

    _api_call.__name__ = py_name
    _api_call.__qualname__ = py_name
    _api_call.__doc__ = 'Calls %s; keyword arguments as the model names them.' % op_name
    return _api_call


def _rds_generate_db_auth_token(self, DBHostname, Port, DBUsername, Region=None):
    """The password of an IAM database login, as boto3's RDS client's."""
    try:
        return self._gclient.generate_db_auth_token(DBHostname, Port, DBUsername, Region)
    except GLib.Error as e:
        raise _translate_gerror(e) from None


def _dsql_generate_db_connect_auth_token(self, Hostname, Region=None, ExpiresIn=900):
    """The password of a DbConnect login, as boto3's DSQL client's."""
    try:
        return self._gclient.generate_db_connect_auth_token(Hostname, Region, ExpiresIn)
    except GLib.Error as e:
        raise _translate_gerror(e) from None


def _dsql_generate_db_connect_admin_auth_token(self, Hostname, Region=None, ExpiresIn=900):
    """The password of a DbConnectAdmin login, as boto3's DSQL client's."""
    try:
        return self._gclient.generate_db_connect_admin_auth_token(Hostname, Region, ExpiresIn)
    except GLib.Error as e:
        raise _translate_gerror(e) from None


def _s3_generate_presigned_post(self, Bucket, Key, Fields=None, Conditions=None, ExpiresIn=3600):
    """The URL and form fields of a browser upload, as boto3's S3
    client's: ``{'url': ..., 'fields': {...}}``."""
    fields = GLib.Variant('a{sv}', {str(k): _guess_variant(v, 'Fields.' + k)
                                    for k, v in (Fields or {}).items()})
    conditions = _array([_guess_variant(c, 'Conditions[%d]' % i)
                         for i, c in enumerate(Conditions or [])], 'v')
    try:
        post = self._gclient.generate_presigned_post(Bucket, Key, fields, conditions, ExpiresIn)
    except GLib.Error as e:
        raise _translate_gerror(e) from None
    post = post.unpack()
    return {'url': post['url'], 'fields': post['fields']}


_TRANSFER_CHUNK = 8 * 1024 * 1024   # s3transfer's multipart threshold and part size
_MIN_PART = 5 * 1024 * 1024          # S3's smallest part but the last
_MAX_PART = 5 * 1024 * 1024 * 1024   # and its largest
# Checksum values of a whole object that make an upload FULL_OBJECT.
_FULL_OBJECT_CHECKSUMS = ('ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumMD5',
                          'ChecksumSHA1', 'ChecksumSHA256', 'ChecksumSHA512', 'ChecksumXXHASH3')


class TransferConfig:
    """The settings of ``upload_fileobj`` and ``download_fileobj`` (and of
    ``upload_file``/``download_file`` given a Config), as boto3's
    ``boto3.s3.transfer.TransferConfig`` names them; boto3's own class is
    accepted as well. An object smaller than ``multipart_threshold`` moves
    in one request, a larger one in parts (uploads: within S3's 5 MiB to
    5 GiB) or ranges of ``multipart_chunksize``, ``max_concurrency`` at
    once (one, in the caller's thread, without ``use_threads``). The other
    settings are kept for boto3's callers and not used."""

    def __init__(self, multipart_threshold=_TRANSFER_CHUNK, max_concurrency=10,
                 multipart_chunksize=_TRANSFER_CHUNK, num_download_attempts=5, max_io_queue=100,
                 io_chunksize=256 * 1024, use_threads=True, max_bandwidth=None,
                 preferred_transfer_client='auto'):
        self.multipart_threshold = multipart_threshold
        self.max_concurrency = max_concurrency
        self.multipart_chunksize = multipart_chunksize
        self.num_download_attempts = num_download_attempts
        self.max_io_queue = max_io_queue
        self.io_chunksize = io_chunksize
        self.use_threads = use_threads
        self.max_bandwidth = max_bandwidth
        self.preferred_transfer_client = preferred_transfer_client


__all__.append('TransferConfig')


def _transfer_setting(config, name, default):
    value = getattr(config, name, None) if config is not None else None
    return default if value is None else value


def _extra_args(client, operation, extra):
    """ExtraArgs as the operation's parameters (shape-directed)."""
    if not extra:
        return None
    return _to_variant(client._operation(operation).get_input_shape(), dict(extra), '')


def _s3_upload_file(self, Filename, Bucket, Key, ExtraArgs=None, Callback=None, Config=None):
    """boto3's ``upload_file``: multipart from 8 MiB, never the whole file
    in memory (Boto.Client.upload_file); with a Callback or a Config,
    through ``upload_fileobj``, which hears of every part and follows the
    Config."""
    if Callback is not None or Config is not None:
        with open(Filename, 'rb') as f:
            return _s3_upload_fileobj(self, f, Bucket, Key, ExtraArgs, Callback, Config)
    try:
        self._gclient.upload_file(str(Filename), Bucket, Key, _extra_args(self, 'PutObject', ExtraArgs), None)
    except GLib.Error as e:
        raise _translate_gerror(e, self) from None


def _s3_download_file(self, Bucket, Key, Filename, ExtraArgs=None, Callback=None, Config=None):
    """boto3's ``download_file``: written to a file beside Filename, which
    is replaced only once complete (Boto.Client.download_file); with a
    Callback or a Config, through ``download_fileobj``, which hears of
    every part and follows the Config."""
    if Callback is not None or Config is not None:
        directory, base = _os.path.split(_os.path.abspath(Filename))
        fd, temp = _tempfile.mkstemp(prefix='.%s.' % base, dir=directory)
        try:
            with _os.fdopen(fd, 'wb') as f:
                _s3_download_fileobj(self, Bucket, Key, f, ExtraArgs, Callback, Config)
            _os.replace(temp, Filename)
        except BaseException:
            _os.unlink(temp)
            raise
        return
    try:
        self._gclient.download_file(Bucket, Key, str(Filename), _extra_args(self, 'GetObject', ExtraArgs), None)
    except GLib.Error as e:
        raise _translate_gerror(e, self) from None


def _read_full(fileobj, size):
    """Up to @size bytes, fewer only at the end of @fileobj."""
    chunks, total = [], 0
    while total < size:
        data = fileobj.read(size - total)
        if not data:
            break
        if isinstance(data, str):
            data = data.encode('utf-8')
        chunks.append(data)
        total += len(data)
    return b''.join(chunks)


def _in_turn(items, work, workers, consume):
    """consume(work(number, item)) for each item, numbered from 1 and
    consumed in order, up to @workers works at once (with one, all in the
    caller's thread, as s3transfer's use_threads=False). At most @workers
    items are read and not yet consumed, so memory stays bounded. The
    first failure is raised once the works in flight are over, and no item
    is read after it."""
    if workers == 1:
        for number, item in enumerate(items, 1):
            consume(work(number, item))
        return
    window = _collections.deque()
    with _futures.ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for number, item in enumerate(items, 1):
                if len(window) >= workers:
                    consume(window.popleft().result())
                window.append(pool.submit(work, number, item))
            while window:
                consume(window.popleft().result())
        finally:
            for future in window:
                future.cancel()


def _transfer_workers(config):
    if not _transfer_setting(config, 'use_threads', True):
        return 1
    return max(_transfer_setting(config, 'max_concurrency', 10), 1)


def _s3_upload_fileobj(self, Fileobj, Bucket, Key, ExtraArgs=None, Callback=None, Config=None):
    """boto3's ``upload_fileobj``: one PutObject below the Config's
    multipart_threshold (8 MiB), else a multipart upload whose parts are
    read in order and sent up to max_concurrency (10) at once, as
    s3transfer does; a failed part stops the reading, the parts in flight
    finish, and the upload is aborted. s3transfer's default CRC32
    checksums. Callback hears of each part once it is sent, from the
    thread that sent it."""
    extra = dict(ExtraArgs or {})
    threshold = _transfer_setting(Config, 'multipart_threshold', _TRANSFER_CHUNK)
    chunk = min(max(_transfer_setting(Config, 'multipart_chunksize', _TRANSFER_CHUNK), _MIN_PART), _MAX_PART)
    workers = _transfer_workers(Config)
    # As s3transfer (and Boto.Client.upload_file): a checksum value given
    # for the whole object makes the upload FULL_OBJECT with its algorithm;
    # else CRC32 unless the configuration asks only when required.
    for name in _FULL_OBJECT_CHECKSUMS:
        if name in extra:
            extra['ChecksumType'] = 'FULL_OBJECT'
            extra['ChecksumAlgorithm'] = name[len('Checksum'):]
    if (self.meta.config.get('request_checksum_calculation') or 'when_supported') == 'when_supported' \
            and 'ChecksumAlgorithm' not in extra:
        extra['ChecksumAlgorithm'] = 'CRC32'
    first = _read_full(Fileobj, threshold)
    if len(first) < threshold:
        self.put_object(Bucket=Bucket, Key=Key, Body=first,
                        **{k: v for k, v in extra.items() if k not in ('ChecksumType', 'MpuObjectSize')})
        if Callback is not None:
            Callback(len(first))
        return
    part_args = {k: v for k, v in extra.items() if k in (
        'ChecksumAlgorithm', 'SSECustomerKey', 'SSECustomerAlgorithm', 'SSECustomerKeyMD5',
        'RequestPayer', 'ExpectedBucketOwner')}
    create_args = {k: v for k, v in extra.items() if k not in _FULL_OBJECT_CHECKSUMS and k != 'MpuObjectSize'}
    upload_id = self.create_multipart_upload(Bucket=Bucket, Key=Key, **create_args)['UploadId']
    checksum_member = 'Checksum' + extra['ChecksumAlgorithm'].upper() if 'ChecksumAlgorithm' in extra else None

    def send(number, data):
        response = self.upload_part(Bucket=Bucket, Key=Key, UploadId=upload_id, PartNumber=number,
                                    Body=data, **part_args)
        part = {'ETag': response['ETag'], 'PartNumber': number}
        if checksum_member in response:
            part[checksum_member] = response[checksum_member]
        if Callback is not None:
            Callback(len(data))
        return part

    def parts_of(data):
        """The parts in order: what the threshold read held, then the rest
        of Fileobj, a part read only when one is to be sent."""
        for offset in range(0, len(data), chunk):
            piece = data[offset:offset + chunk]
            if len(piece) == chunk:
                yield piece
            else:
                # The threshold's tail starts the next part.
                rest = _read_full(Fileobj, chunk - len(piece))
                yield piece + rest
                if len(rest) < chunk - len(piece):
                    return
        while True:
            piece = _read_full(Fileobj, chunk)
            if not piece:
                return
            yield piece
            if len(piece) < chunk:
                return

    try:
        parts = []
        _in_turn(parts_of(first), send, workers, parts.append)
        complete_args = {k: v for k, v in extra.items() if k in (
            'SSECustomerKey', 'SSECustomerAlgorithm', 'SSECustomerKeyMD5', 'RequestPayer',
            'ExpectedBucketOwner', 'ChecksumType', 'MpuObjectSize') or k in _FULL_OBJECT_CHECKSUMS}
        self.complete_multipart_upload(Bucket=Bucket, Key=Key, UploadId=upload_id,
                                       MultipartUpload={'Parts': parts}, **complete_args)
    except BaseException:
        self.abort_multipart_upload(Bucket=Bucket, Key=Key, UploadId=upload_id)
        raise


# The HeadObject arguments of a download (s3transfer's allowed download
# arguments), as Boto.Client.download_file takes them.
_HEAD_ARGS = ('ChecksumMode', 'VersionId', 'SSECustomerAlgorithm', 'SSECustomerKey', 'SSECustomerKeyMD5',
              'RequestPayer', 'ExpectedBucketOwner')


def _s3_download_fileobj(self, Bucket, Key, Fileobj, ExtraArgs=None, Callback=None, Config=None):
    """boto3's ``download_fileobj``, as s3transfer does it: HeadObject
    first; an object below the Config's multipart_threshold (8 MiB), or a
    Range or PartNumber download, comes in one GetObject streamed into
    Fileobj; a larger one in ranged GETs of multipart_chunksize (8 MiB),
    up to max_concurrency (10) at once, each asking for the ETag the
    HeadObject saw (IfMatch), and written in order. A range or an object
    that arrives short raises instead of leaving a truncated copy
    unnoticed."""
    extra = dict(ExtraArgs or {})
    threshold = _transfer_setting(Config, 'multipart_threshold', _TRANSFER_CHUNK)
    chunk = max(_transfer_setting(Config, 'multipart_chunksize', _TRANSFER_CHUNK), 1)
    head = self.head_object(Bucket=Bucket, Key=Key, **{k: v for k, v in extra.items() if k in _HEAD_ARGS})
    size = head.get('ContentLength', 0)
    if size < threshold or 'Range' in extra or 'PartNumber' in extra:
        response = self.get_object(Bucket=Bucket, Key=Key, **extra)
        body, total = response['Body'], 0
        for piece in body.iter_chunks(1024 * 1024):
            Fileobj.write(piece)
            total += len(piece)
            if Callback is not None:
                Callback(len(piece))
        expected = response.get('ContentLength')
        if expected is not None and total != expected:
            raise IOError('s3://%s/%s: %d of its %d bytes arrived' % (Bucket, Key, total, expected))
        return

    def fetch(number, start):
        end = min(start + chunk, size) - 1
        params = dict(extra, Range='bytes=%d-%d' % (start, end))
        if 'ETag' in head:
            params.setdefault('IfMatch', head['ETag'])
        response = self.get_object(Bucket=Bucket, Key=Key, **params)
        data = response['Body'].read()
        if len(data) != end - start + 1:
            raise IOError('s3://%s/%s: %d of the %d bytes from %d arrived'
                          % (Bucket, Key, len(data), end - start + 1, start))
        return data

    def write(data):
        Fileobj.write(data)
        if Callback is not None:
            Callback(len(data))

    _in_turn(range(0, size, chunk), fetch, _transfer_workers(Config), write)


# Methods boto3 adds to one service's client class.
_SERVICE_METHODS = {
    's3': {'generate_presigned_post': _s3_generate_presigned_post,
           'upload_file': _s3_upload_file, 'download_file': _s3_download_file,
           'upload_fileobj': _s3_upload_fileobj, 'download_fileobj': _s3_download_fileobj},
    'rds': {'generate_db_auth_token': _rds_generate_db_auth_token},
    'dsql': {'generate_db_connect_auth_token': _dsql_generate_db_connect_auth_token,
             'generate_db_connect_admin_auth_token': _dsql_generate_db_connect_admin_auth_token},
}


def _client_class(model):
    key = (model.get_service_name(), model.get_api_version())
    with _client_classes_lock:
        cls = _client_classes.get(key)
    if cls is not None:
        return cls
    py_to_op = {}
    attrs = {}
    for op_name in model.get_operation_names():
        py_name = xform_name(op_name)
        py_to_op[py_name] = op_name
        if not hasattr(BaseClient, py_name):
            attrs[py_name] = _make_operation_method(py_name, op_name)
    attrs['_PY_TO_OP'] = py_to_op
    attrs.update(_SERVICE_METHODS.get(model.get_service_name(), {}))
    class_name = (model.get_service_id() or model.get_service_name()).replace(' ', '').replace('-', '')
    cls = type(str(class_name), (BaseClient,), attrs)
    with _client_classes_lock:
        cls = _client_classes.setdefault(key, cls)
    return cls


def wrap_client(gclient, attribute_values=False):
    """The boto3-style client over a Boto.Client; with @attribute_values,
    DynamoDB AttributeValue structures are plain Python values in
    parameters and results (as on a boto3 DynamoDB resource's client)."""
    return _client_class(gclient.get_service_model())(gclient, attribute_values)


__all__.append('wrap_client')


# ---------------------------------------------------------------------------
# Resources (boto3.resources): Python objects over Boto.Resource with
# identifiers, attributes, references and collections as attributes, and
# actions, sub-resources and waiters as methods.

def _resource_params(shape, params):
    """Action or collection parameters: shape-directed when the operation is
    known, else guessed with every dict a structure."""
    if shape is not None:
        return _to_variant(shape, dict(params), '')
    return GLib.Variant('a{sv}', {str(k): _guess_struct_variant(v, k) for k, v in params.items()})


def _guess_struct_variant(value, path):
    if isinstance(value, dict):
        return GLib.Variant('a{sv}', {str(k): _guess_struct_variant(v, '%s.%s' % (path, k))
                                      for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return _array([_guess_struct_variant(v, '%s[%d]' % (path, i))
                       for i, v in enumerate(value)], None)
    return _guess_variant(value, path)


def _identifiers_variant(args, kwargs):
    if kwargs:
        if args:
            raise TypeError('identifiers are given by position or by name, not both')
        return GLib.Variant('a{sv}', {k: _guess_variant(v, k) for k, v in kwargs.items()})
    if not args:
        return None
    if len(args) == 1 and isinstance(args[0], str):
        return GLib.Variant('s', args[0])
    if all(isinstance(a, str) for a in args):
        return GLib.Variant('as', list(args))
    # (identifiers of other types, such as a part number: av)
    return GLib.Variant('av', [_guess_variant(a, 'identifier') for a in args])


class ResourceMeta:
    """``resource.meta``: service name, identifiers, data, the client and
    the underlying Boto.Resource."""

    def __init__(self, resource):
        self._resource = resource
        self.boto_resource = resource._gres
        self.service_name = resource._gres.get_service_name()
        self.resource_name = resource._gres.get_resource_name()
        self.identifiers = list(resource._gres.dup_identifier_names())
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = wrap_client(self.boto_resource.get_client(),
                                       attribute_values=self.service_name == 'dynamodb')
        return self._client

    @property
    def data(self):
        data = self.boto_resource.get_data()
        if data is None:
            return None
        return from_variant(self._resource._data_shape(), data)

    @property
    def resource_model(self):
        return from_variant(None, self.boto_resource.get_model())


class _ResourceBase:
    """The base of the generated resource classes (boto3's
    ``ServiceResource``)."""

    def __init__(self, gres):
        self._gres = gres
        self.meta = ResourceMeta(self)

    def __repr__(self):
        return self._gres.to_string()

    def __getattr__(self, name):
        # The library's own methods (get_sub_resource, call_action_full …)
        # stay reachable on the wrapper.
        if name.startswith('__') or name == '_gres':
            raise AttributeError(name)
        return getattr(self._gres, name)

    def __eq__(self, other):
        return isinstance(other, _ResourceBase) and Boto.Resource.equal(self._gres, other._gres)

    def __hash__(self):
        return self._gres.hash()

    # shapes and operations of the model, for conversions
    def _model(self):
        return self._gres.get_client().get_service_model()

    def _data_shape(self):
        name = self._gres.get_model().lookup_value('shape', None)
        if name is None:
            return None
        try:
            return self._model().get_shape(name.get_string())
        except GLib.Error:
            return None

    def _definition(self, section, snake_name):
        defs = self._gres.get_model().lookup_value(section, None)
        if defs is None:
            return None
        for i in range(defs.n_children()):
            entry = defs.get_child_value(i)
            key = entry.get_child_value(0).get_string()
            if key == snake_name or xform_name(key) == snake_name:
                return from_variant(None, entry.get_child_value(1))
        return None

    def _input_shape(self, definition):
        op = (definition or {}).get('request', {}).get('operation')
        if not op:
            return None, None
        try:
            model = self._model().get_operation(op)
        except GLib.Error:
            return None, None
        return model.get_input_shape(), model.get_output_shape()

    def _raise(self, e):
        raise _translate_gerror(e, self.meta.client) from None

    def _attribute(self, name):
        try:
            value = self._gres.get_attribute(name)
        except GLib.Error as e:
            self._raise(e)
        if value is None:
            return None
        shape = self._data_shape()
        return from_variant(self._attribute_shape(shape, name), value)

    @staticmethod
    def _attribute_shape(shape, name):
        """The member shape of the attribute @name: its member's snake-case
        name, or that name with `_attribute` added when it collides with a
        reference, collection or action of the resource (as boto3 names
        it)."""
        if shape is None or shape.get_shape_type() != _T.STRUCTURE:
            return None
        candidates = [name]
        if name.endswith('_attribute'):
            candidates.append(name[:-len('_attribute')])
        members = shape.get_member_names()
        for candidate in candidates:
            for m in members:
                if xform_name(m) == candidate or m == candidate:
                    return shape.get_member(m)
        return None

    def _action(self, name, kwargs):
        in_shape, out_shape = self._input_shape(self._definition('actions', name))
        attribute_values = self.meta.service_name == 'dynamodb'
        if attribute_values and kwargs:
            kwargs = _attribute_values_in(in_shape, kwargs)
        params = _resource_params(in_shape, kwargs) if kwargs else None
        try:
            result = self._gres.call_action_full(name, params, None)
        except GLib.Error as e:
            self._raise(e)
        if result.has_resources():
            if result.is_list():
                return [wrap_resource(r) for r in result.get_resources()]
            return wrap_resource(result.get_resource())
        response = from_variant(out_shape, result.get_response())
        if attribute_values:
            response = _attribute_values_out(out_shape, response)
        return response

    def _reference(self, name):
        try:
            definition = self._definition('has', name) or {}
            if definition.get('resource', {}).get('path', '').endswith('[]'):
                return [wrap_resource(r) for r in self._gres.get_reference_list(name, None)]
            ref = self._gres.get_reference(name, None)
        except GLib.Error as e:
            self._raise(e)
        return wrap_resource(ref) if ref is not None else None

    def _sub_resource(self, name, args, kwargs):
        identifiers = _identifiers_variant(args, kwargs)
        try:
            if isinstance(self._gres, Boto.ServiceResource):
                sub = self._gres.get_sub_resource(name, identifiers)
            else:
                sub = Boto.Resource.get_sub_resource(self._gres, name, identifiers)
        except GLib.Error as e:
            if e.matches(Boto.client_error_quark(), Boto.ClientError.INVALID_IDENTIFIERS):
                raise ValueError(e.message) from None
            self._raise(e)
        return wrap_resource(sub)

    def _wait(self, name, kwargs):
        params = _resource_params(None, kwargs) if kwargs else None
        try:
            self._gres.wait(name, params, None)
        except GLib.Error as e:
            err = _translate_gerror(e, self.meta.client)
            if isinstance(err, ClientError):
                err = WaiterError(name=name, reason=str(err), last_response=err.response, gerror=e)
            raise err from None

    def load(self):
        try:
            self._gres.load(None)
        except GLib.Error as e:
            self._raise(e)

    def reload(self):
        try:
            self._gres.reload(None)
        except GLib.Error as e:
            self._raise(e)

    def get_available_subresources(self):
        return sorted(self._gres.dup_sub_resource_names())


class _S3Transfers:
    """boto3's S3 customizations on Bucket and Object."""

    def _bucket_key(self, Key):
        if self.meta.resource_name == 'Bucket':
            return self.name, Key
        return self.bucket_name, self.key

    def upload_fileobj(self, Fileobj, Key=None, ExtraArgs=None, Callback=None, Config=None):
        if self.meta.resource_name != 'Bucket':
            Key = None
        bucket, key = self._bucket_key(Key)
        _s3_upload_fileobj(self.meta.client, Fileobj, bucket, key, ExtraArgs, Callback, Config)

    def download_fileobj(self, Key=None, Fileobj=None, ExtraArgs=None, Callback=None, Config=None):
        if self.meta.resource_name != 'Bucket' and Fileobj is None:
            Key, Fileobj = None, Key
        bucket, key = self._bucket_key(Key)
        _s3_download_fileobj(self.meta.client, bucket, key, Fileobj, ExtraArgs, Callback, Config)

    def upload_file(self, Filename, Key=None, ExtraArgs=None, Callback=None, Config=None):
        extra = _resource_params(None, ExtraArgs) if ExtraArgs else None
        try:
            self._gres.upload_file(Filename, Key, extra, None)
        except GLib.Error as e:
            self._raise(e)

    def download_file(self, Key=None, Filename=None, ExtraArgs=None, Callback=None, Config=None):
        if self.meta.resource_name == 'Object' and Filename is None:
            Key, Filename = None, Key
        extra = _resource_params(None, ExtraArgs) if ExtraArgs else None
        try:
            self._gres.download_file(Key, Filename, extra, None)
        except GLib.Error as e:
            self._raise(e)


class BatchWriter:
    """``table.batch_writer()``, as boto3's: a context manager that buffers
    ``put_item``/``delete_item`` requests and sends them with
    BatchWriteItem, 25 at a time, sending again what comes back
    unprocessed, and the rest on exit.  With ``overwrite_by_pkeys`` a
    request replaces a buffered one for the same key."""

    def __init__(self, table_name, client, flush_amount=25, overwrite_by_pkeys=None):
        self._table_name = table_name
        self._client = client
        self._buffer = []
        self._flush_amount = flush_amount
        self._overwrite_by_pkeys = overwrite_by_pkeys

    def put_item(self, Item):
        self._add({'PutRequest': {'Item': Item}})

    def delete_item(self, Key):
        self._add({'DeleteRequest': {'Key': Key}})

    def _key_of(self, request):
        body = request.get('PutRequest', {}).get('Item') or request.get('DeleteRequest', {}).get('Key')
        return tuple(body.get(k) for k in self._overwrite_by_pkeys)

    def _add(self, request):
        if self._overwrite_by_pkeys:
            key = self._key_of(request)
            self._buffer = [r for r in self._buffer if self._key_of(r) != key]
        self._buffer.append(request)
        if len(self._buffer) >= self._flush_amount:
            self._flush()

    def _flush(self):
        batch, self._buffer = self._buffer[:self._flush_amount], self._buffer[self._flush_amount:]
        response = self._client.batch_write_item(RequestItems={self._table_name: batch})
        unprocessed = response.get('UnprocessedItems') or {}
        self._buffer.extend(unprocessed.get(self._table_name, []))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        while self._buffer:
            self._flush()


class _DynamoDBTable:
    """boto3's customization of DynamoDB's Table."""

    def batch_writer(self, overwrite_by_pkeys=None):
        return BatchWriter(self.name, self.meta.client, overwrite_by_pkeys=overwrite_by_pkeys)


__all__.append('BatchWriter')


class ResourceCollection:
    """A lazy collection (boto3's ``CollectionManager`` and
    ``ResourceCollection``): iterate it, or ``all()``, ``filter(**params)``,
    ``limit(n)``, ``page_size(n)``, ``pages()`` and batch actions."""

    def __init__(self, parent, gcollection):
        self._parent = parent
        self.boto_collection = gcollection
        for name in gcollection.dup_batch_action_names():
            if not hasattr(type(self), name):
                setattr(self, name, self._batch_method(name))

    def __repr__(self):
        return '%s.%sCollection(%r)' % (self._parent.meta.service_name,
                                        self.boto_collection.get_resource_name(), self._parent)

    def _derive(self, gcollection):
        return ResourceCollection(self._parent, gcollection)

    def all(self):
        return self._derive(self.boto_collection.all())

    def filter(self, **params):
        return self._derive(self.boto_collection.filter(_resource_params(None, params)))

    def limit(self, count):
        return self._derive(self.boto_collection.limit(count))

    def page_size(self, count):
        return self._derive(self.boto_collection.page_size(count))

    def __iter__(self):
        iterator = self.boto_collection.all()
        while True:
            try:
                item = iterator.next(None)
            except GLib.Error as e:
                raise _translate_gerror(e, self._parent.meta.client) from None
            if item is None:
                return
            yield wrap_resource(item)

    def pages(self):
        """The resources page by page, as lists.  PyGObject turns the end
        (a NULL array) into an empty list, so an empty page after the first
        ends the iteration."""
        iterator = self.boto_collection.all()
        first = True
        while True:
            try:
                page = iterator.next_page(None)
            except GLib.Error as e:
                raise _translate_gerror(e, self._parent.meta.client) from None
            if page is None or (not page and not first):
                return
            first = False
            yield [wrap_resource(r) for r in page]

    def _batch_method(self, name):
        def batch(**params):
            try:
                result = self.boto_collection.call_batch_action(
                    name, _resource_params(None, params) if params else None, None)
            except GLib.Error as e:
                raise _translate_gerror(e, self._parent.meta.client) from None
            return from_variant(None, result) if result is not None else []

        batch.__name__ = name
        return batch


_resource_classes = {}
_resource_classes_lock = _threading.Lock()


def _resource_class(gres):
    service = gres.get_service_name()
    name = gres.get_resource_name()
    is_service = isinstance(gres, Boto.ServiceResource)
    key = (service, name, is_service)
    with _resource_classes_lock:
        cls = _resource_classes.get(key)
    if cls is not None:
        return cls

    attrs = {}

    def prop(fn, doc):
        return property(fn, doc=doc)

    for ident in gres.dup_identifier_names():
        attrs[ident] = prop(lambda self, n=ident: from_variant(None, self._gres.get_identifier(n)),
                            'identifier %s' % ident)
    for attr in gres.dup_attribute_names():
        if attr not in attrs:
            attrs[attr] = prop(lambda self, n=attr: self._attribute(n), 'attribute %s' % attr)
    for ref in gres.dup_reference_names():
        attrs[ref] = prop(lambda self, n=ref: self._reference(n), 'reference %s' % ref)
    for coll in gres.dup_collection_names():
        def collection(self, n=coll):
            try:
                return ResourceCollection(self, self._gres.get_collection(n))
            except GLib.Error as e:
                self._raise(e)
        attrs[coll] = prop(collection, 'collection %s' % coll)
    for action in gres.dup_action_names():
        def act(self, *args, _n=action, **kwargs):
            if args:
                raise TypeError('%s() only accepts keyword arguments.' % _n)
            return self._action(_n, kwargs)
        act.__name__ = action
        attrs[action] = act
    for sub in gres.dup_sub_resource_names():
        def make(self, *args, _n=sub, **kwargs):
            return self._sub_resource(_n, args, kwargs)
        make.__name__ = sub
        attrs[sub] = make
    for waiter in gres.dup_waiter_names():
        def wait(self, _n=waiter, **kwargs):
            return self._wait(_n, kwargs)
        wait.__name__ = waiter
        attrs[waiter] = wait

    bases = (_ResourceBase,)
    if service == 's3' and name in ('Bucket', 'Object'):
        bases = (_S3Transfers, _ResourceBase)
    elif service == 'dynamodb' and name == 'Table' and not is_service:
        bases = (_DynamoDBTable, _ResourceBase)
    class_name = '%s.%s' % (service, 'ServiceResource' if is_service else name)
    cls = type(str(class_name), bases, attrs)
    with _resource_classes_lock:
        cls = _resource_classes.setdefault(key, cls)
    return cls


def wrap_resource(gres):
    """The boto3-style resource over a Boto.Resource."""
    if gres is None:
        return None
    return _resource_class(gres)(gres)


# (the base class stays out of __all__: Boto.ServiceResource is the library's)
__all__ += ['ResourceMeta', 'ResourceCollection', 'wrap_resource']


# ---------------------------------------------------------------------------
# Sessions

@override
class Session(Boto.Session):
    """boto3's ``Session``: ``Boto.Session(region_name=…, profile_name=…,
    aws_access_key_id=…, aws_secret_access_key=…, aws_session_token=…)``."""

    def __init__(self, aws_access_key_id=None, aws_secret_access_key=None,
                 aws_session_token=None, region_name=None, botocore_session=None,
                 profile_name=None, **kwargs):
        props = dict(kwargs)
        for name, value in (('aws_access_key_id', aws_access_key_id),
                            ('aws_secret_access_key', aws_secret_access_key),
                            ('aws_session_token', aws_session_token),
                            ('region_name', region_name),
                            ('profile_name', profile_name)):
            if value is not None:
                props[name] = value
        Boto.Session.__init__(self, **props)

    @property
    def region_name(self):
        return self.get_region_name()

    @property
    def profile_name(self):
        return self.get_profile_name() or 'default'

    @property
    def available_profiles(self):
        return list(self.get_available_profiles())

    def client(self, service_name, region_name=None, api_version=None, use_ssl=True,
               verify=None, endpoint_url=None, aws_access_key_id=None,
               aws_secret_access_key=None, aws_session_token=None, config=None,
               aws_account_id=None):
        """A client for @service_name, as boto3's ``Session.client``."""
        session = self
        if aws_access_key_id is not None or aws_secret_access_key is not None or \
                aws_session_token is not None:
            session = Session(aws_access_key_id=aws_access_key_id,
                              aws_secret_access_key=aws_secret_access_key,
                              aws_session_token=aws_session_token,
                              region_name=self.get_region_name(),
                              profile_name=self.get_profile_name())
        cfg = _as_config(config)
        if region_name is not None:
            region_cfg = Config(region_name=region_name)
            cfg = region_cfg if cfg is None else cfg.merge(region_cfg)
        try:
            gclient = Boto.Session.create_client(session, service_name, endpoint_url, cfg)
        except GLib.Error as e:
            raise _translate_gerror(e) from None
        return wrap_client(gclient)


__all__.append('Session')


def _session_resource(self, service_name, region_name=None, api_version=None, use_ssl=True,
                      verify=None, endpoint_url=None, aws_access_key_id=None,
                      aws_secret_access_key=None, aws_session_token=None, config=None):
    """A service resource, as boto3's ``Session.resource``."""
    if isinstance(region_name, Boto.Config):
        # the library's own resource(service_name, config) spelling
        region_name, config = None, region_name
    client = self.client(service_name, region_name=region_name, endpoint_url=endpoint_url,
                         aws_access_key_id=aws_access_key_id,
                         aws_secret_access_key=aws_secret_access_key,
                         aws_session_token=aws_session_token, config=config)
    try:
        gres = Boto.ServiceResource.new_for_client(client.meta.boto_client)
    except GLib.Error as e:
        if e.matches(Boto.client_error_quark(), Boto.ClientError.UNKNOWN_RESOURCE):
            raise ResourceNotExistsError(message=e.message, gerror=e) from None
        raise _translate_gerror(e) from None
    return wrap_resource(gres)


Session.resource = _session_resource


class ResourceNotExistsError(BotoCoreError):
    fmt = '{message}'


exceptions.ResourceNotExistsError = ResourceNotExistsError
__all__.append('ResourceNotExistsError')

_default_session = None
_default_lock = _threading.Lock()


def setup_default_session(**kwargs):
    """Replaces the default session with one made from @kwargs."""
    global _default_session
    with _default_lock:
        _default_session = Session(**kwargs)


def _get_default_session():
    global _default_session
    with _default_lock:
        if _default_session is None:
            _default_session = Session()
        return _default_session


def client(*args, **kwargs):
    """A client on the default session, as ``boto3.client``."""
    return _get_default_session().client(*args, **kwargs)


def resource(*args, **kwargs):
    """A service resource on the default session, as ``boto3.resource``."""
    return _get_default_session().resource(*args, **kwargs)


__all__ += ['setup_default_session', 'client', 'resource']
