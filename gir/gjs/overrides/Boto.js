// SPDX-License-Identifier: Apache-2.0
// GJS override for boto-glib: plain objects in and out.
//
//   import Boto from 'gi://Boto?version=1.0';
//
//   const s3 = Boto.client('s3');
//   const listed = s3.listObjectsV2({Bucket: 'my-bucket'});        // blocking
//   const same = await s3.listObjectsV2Async({Bucket: 'my-bucket'}); // a Promise
//
// GJS applies this file when the Boto namespace is first imported (it is
// found as overrides/Boto.js on GJS's search path: $datadir/gjs-1.0 when
// installed, GJS_PATH in the tests).  Parameters become GVariants as the
// operation's input shape directs; results come back as plain objects with
// Date for timestamps and Uint8Array for blobs.  Operations are methods
// under their camelCase and snake_case names; service errors are thrown as
// Boto.ServiceException (Boto.ClientError is the library's error enum).

const {GLib} = imports.gi;

let Boto;

// -------------------------------------------------------------------------
// Names

// botocore's xform_name, from the library (Boto.xform_name), which also
// knows the operation names botocore spells by hand (ExecutePartiQLStatement
// is execute_partiql_statement).
const xformCache = new Map();

function xformName(name) {
    let snake = xformCache.get(name);
    if (snake === undefined) {
        snake = Boto.xform_name(name);
        xformCache.set(name, snake);
    }
    return snake;
}

function camelName(snake) {
    return snake.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase());
}

// -------------------------------------------------------------------------
// Errors

class ServiceException extends Error {
    constructor(response, operationName) {
        const error = response.Error ?? {};
        const code = error.Code ?? 'Unknown';
        super(`An error occurred (${code}) when calling the ${operationName} operation: ` +
              `${error.Message ?? 'Unknown'}`);
        this.name = code;
        this.code = code;
        this.response = response;
        this.operationName = operationName;
        this.$metadata = response.ResponseMetadata ?? {};
    }
}

class ParamValidationError extends Error {
    constructor(report, gerror = null) {
        super(`Parameter validation failed:\n${report}`);
        this.name = 'ParamValidationError';
        this.report = report;
        this.gerror = gerror;
    }
}

class WaiterError extends Error {
    constructor(message, gerror = null) {
        super(message);
        this.name = 'WaiterError';
        const m = /^Waiter (\S+) failed: ([^]*)$/.exec(message);
        this.waiterName = m ? m[1] : null;
        this.reason = m ? m[2] : message;
        this.gerror = gerror;
    }
}

function translateError(e) {
    if (e instanceof GLib.Error &&
        e.matches(Boto.client_error_quark(), Boto.ClientError.WAITER))
        return new WaiterError(e.message, e);
    if (e instanceof GLib.Error &&
        e.matches(Boto.client_error_quark(), Boto.ClientError.PARAM_VALIDATION)) {
        const prefix = 'Parameter validation failed:\n';
        const report = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
        return new ParamValidationError(report, e);
    }
    return e;
}

// -------------------------------------------------------------------------
// JS → GVariant, directed by a shape

const T = () => Boto.ShapeType;
const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;

function signature(shape, depth = 0) {
    if (!shape || depth > 32)
        return 'v';
    const t = shape.get_shape_type();
    switch (t) {
    case T().STRUCTURE: return 'a{sv}';
    case T().LIST: return `a${signature(shape.get_list_member(), depth + 1)}`;
    case T().MAP: return `a{s${signature(shape.get_map_value(), depth + 1)}}`;
    case T().STRING: case T().CHARACTER: return 's';
    case T().INTEGER: case T().SHORT: case T().BYTE: return 'i';
    case T().LONG: case T().TIMESTAMP: return 'x';
    case T().FLOAT: case T().DOUBLE: return 'd';
    case T().BOOLEAN: return 'b';
    case T().BLOB: return 'ay';
    default: return 'v';
    }
}

function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) &&
        !(v instanceof Uint8Array) && !(v instanceof Date) && !(v instanceof GLib.Variant) &&
        !(v instanceof GLib.Bytes);
}

function bytesVariant(value) {
    if (typeof value === 'string')
        value = new TextEncoder().encode(value);
    else if (value instanceof GLib.Bytes)
        value = value.toArray();
    return GLib.Variant.new_from_bytes(new GLib.VariantType('ay'), new GLib.Bytes(value), true);
}

function intVariant(value, sig) {
    if (typeof value === 'bigint')
        return new GLib.Variant('x', Number(value));
    if (sig === 'i' && value >= INT32_MIN && value <= INT32_MAX)
        return new GLib.Variant('i', value);
    return new GLib.Variant('x', value);
}

function makeArray(children, sig) {
    if (sig === null && children.length > 0) {
        const first = children[0].get_type_string();
        if (children.every(c => c.get_type_string() === first))
            sig = first;
    }
    if (sig !== null && children.every(c => c.get_type_string() === sig))
        return GLib.Variant.new_array(new GLib.VariantType(sig), children);
    return GLib.Variant.new_array(new GLib.VariantType('v'),
        children.map(c => GLib.Variant.new_variant(c)));
}

function guessVariant(value) {
    if (value instanceof GLib.Variant)
        return value;
    if (value === null || value === undefined)
        return GLib.Variant.new_maybe(new GLib.VariantType('v'), null);
    switch (typeof value) {
    case 'boolean': return new GLib.Variant('b', value);
    case 'bigint': return new GLib.Variant('x', Number(value));
    case 'number': return Number.isInteger(value) ? new GLib.Variant('x', value)
        : new GLib.Variant('d', value);
    case 'string': return new GLib.Variant('s', value);
    }
    if (value instanceof Uint8Array || value instanceof GLib.Bytes)
        return bytesVariant(value);
    if (value instanceof Date)
        return new GLib.Variant('x', value.getTime() * 1000);
    if (Array.isArray(value))
        return makeArray(value.map(guessVariant), null);
    const dict = {};
    for (const [k, v] of Object.entries(value)) {
        if (v !== undefined)
            dict[k] = guessVariant(v);
    }
    return new GLib.Variant('a{sv}', dict);
}

function toVariant(shape, value) {
    if (value instanceof GLib.Variant)
        return value;
    if (!shape)
        return guessVariant(value);
    switch (shape.get_shape_type()) {
    case T().STRUCTURE: {
        if (!isPlainObject(value))
            break;
        const dict = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined)
                dict[k] = toVariant(shape.get_member(k), v);
        }
        return new GLib.Variant('a{sv}', dict);
    }
    case T().LIST: {
        if (!Array.isArray(value))
            break;
        const member = shape.get_list_member();
        return makeArray(value.map(v => toVariant(member, v)), signature(member));
    }
    case T().MAP: {
        if (!isPlainObject(value))
            break;
        const vshape = shape.get_map_value();
        const sig = signature(vshape);
        const entries = Object.entries(value).filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, toVariant(vshape, v)]);
        if (entries.every(([, v]) => v.get_type_string() === sig)) {
            return GLib.Variant.new_array(new GLib.VariantType(`{s${sig}}`),
                entries.map(([k, v]) => GLib.Variant.new_dict_entry(new GLib.Variant('s', k), v)));
        }
        return new GLib.Variant('a{sv}', Object.fromEntries(entries));
    }
    case T().STRING: case T().CHARACTER:
        if (typeof value === 'string')
            return new GLib.Variant('s', value);
        break;
    case T().INTEGER: case T().SHORT: case T().BYTE: case T().LONG:
        if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint')
            return intVariant(value, signature(shape));
        break;
    case T().FLOAT: case T().DOUBLE:
        if (typeof value === 'number')
            return new GLib.Variant('d', value);
        break;
    case T().BOOLEAN:
        if (typeof value === 'boolean')
            return new GLib.Variant('b', value);
        break;
    case T().BLOB:
        if (typeof value === 'string' || value instanceof Uint8Array || value instanceof GLib.Bytes)
            return bytesVariant(value);
        break;
    case T().TIMESTAMP:
        if (value instanceof Date)
            return new GLib.Variant('x', value.getTime() * 1000);
        if (typeof value === 'number')
            return new GLib.Variant('d', value);
        if (typeof value === 'string')
            return new GLib.Variant('s', value);
        break;
    case T().DOCUMENT:
        return GLib.Variant.new_variant(guessVariant(value));
    }
    return guessVariant(value);
}

// -------------------------------------------------------------------------
// GVariant → JS, directed by a shape

function fromVariant(shape, v) {
    const ts = v.get_type_string();
    const c = ts[0];
    if (c === 'v')
        return fromVariant(shape, v.get_variant());
    if (c === 'm') {
        const inner = v.get_maybe();
        return inner === null ? null : fromVariant(shape, inner);
    }
    if (c === 'a') {
        if (ts === 'ay')
            return v.get_data_as_bytes().toArray();
        const n = v.n_children();
        const t = shape ? shape.get_shape_type() : null;
        if (ts[1] === '{') {
            const out = {};
            for (let i = 0; i < n; i++) {
                const entry = v.get_child_value(i);
                const key = entry.get_child_value(0).unpack();
                let sub = null;
                if (t === T().STRUCTURE)
                    sub = shape.get_member(key);
                else if (t === T().MAP)
                    sub = shape.get_map_value();
                out[key] = fromVariant(sub, entry.get_child_value(1));
            }
            return out;
        }
        const sub = t === T().LIST ? shape.get_list_member() : null;
        const out = new Array(n);
        for (let i = 0; i < n; i++)
            out[i] = fromVariant(sub, v.get_child_value(i));
        return out;
    }
    if (c === 'x' && shape && shape.get_shape_type() === T().TIMESTAMP)
        return new Date(v.get_int64() / 1000);
    if (c === '(') {
        const out = [];
        for (let i = 0; i < v.n_children(); i++)
            out.push(fromVariant(null, v.get_child_value(i)));
        return out;
    }
    return v.unpack();
}

// -------------------------------------------------------------------------
// Clients

const exceptionsByModel = new Map();

function exceptionsFor(model) {
    const key = `${model.get_service_name()}/${model.get_api_version()}`;
    let found = exceptionsByModel.get(key);
    if (found)
        return found;
    const byCode = new Map();
    const namespace = {ServiceException, ClientError: ServiceException};
    for (const name of model.get_shape_names()) {
        const shape = model.get_shape(name);
        if (!shape.get_boolean_trait('exception'))
            continue;
        let code = name;
        const error = shape.get_definition().lookup_value('error', null);
        if (error) {
            const e = fromVariant(null, error);
            if (typeof e.code === 'string')
                code = e.code;
        }
        const cls = {[name]: class extends ServiceException {}}[name];
        byCode.set(code, cls);
        namespace[name] = cls;
    }
    namespace.fromCode = c => byCode.get(c) ?? ServiceException;
    found = Object.freeze(namespace);
    exceptionsByModel.set(key, found);
    return found;
}

const clientClasses = new Map();

class BaseClient {
    constructor(gclient) {
        this.gclient = gclient;
        const model = gclient.get_service_model();
        this.meta = {
            serviceName: gclient.get_service_name(),
            regionName: gclient.get_region_name(),
            endpointUrl: gclient.get_endpoint_url(),
            serviceModel: model,
            get config() {
                const c = gclient.get_config();
                return c ? fromVariant(null, c) : {};
            },
        };
        this.meta.region_name = this.meta.regionName;
        this.meta.service_model = model;
        this._exceptions = null;
    }

    get exceptions() {
        if (!this._exceptions)
            this._exceptions = exceptionsFor(this.meta.serviceModel);
        return this._exceptions;
    }

    _operation(name) {
        const op = this.constructor._names.get(name) ?? name;
        return this.meta.serviceModel.get_operation(op);
    }

    _finish(op, result, isError) {
        if (isError) {
            const response = fromVariant(null, result);
            const Cls = this.exceptions.fromCode(this._errorCode(response));
            throw new Cls(response, op.get_name());
        }
        return fromVariant(op.get_output_shape(), result);
    }

    /** Calls an operation (model or snake_case name) and returns the response. */
    call(operationName, params = {}) {
        const op = this._operation(operationName);
        let result, isError;
        try {
            [result, isError] = this.gclient.call_full(op.get_name(),
                toVariant(op.get_input_shape(), params), null);
        } catch (e) {
            throw translateError(e);
        }
        return this._finish(op, result, isError);
    }

    /** The same on the main loop: a Promise of the response. */
    callAsync(operationName, params = {}, cancellable = null) {
        return new Promise((resolve, reject) => {
            let op;
            try {
                op = this._operation(operationName);
                this.gclient.call_full_async(op.get_name(),
                    toVariant(op.get_input_shape(), params), cancellable, (obj, res) => {
                        try {
                            const [result, isError] = obj.call_full_finish(res);
                            resolve(this._finish(op, result, isError));
                        } catch (e) {
                            reject(translateError(e));
                        }
                    });
            } catch (e) {
                reject(translateError(e));
            }
        });
    }

    _errorCode(response) {
        let code = response.Error?.Code;
        // SQS's modeled errors are found by their query-protocol code.
        if (this.meta.serviceName === 'sqs' && response.Error?.QueryErrorCode)
            code = response.Error.QueryErrorCode;
        return code;
    }

    // A thrown BOTO_SERVICE_ERROR (pages, waits): GJS sees only its
    // message, in botocore's wording, so the exception is rebuilt from it.
    _translate(e) {
        if (e instanceof GLib.Error && e.domain === Boto.service_error_quark()) {
            const m = /An error occurred \(([^)]*)\) when calling the (\S+) operation(?: \(reached max retries: \d+\))?: ([^]*)/
                .exec(e.message);
            if (m) {
                const response = {Error: {Code: m[1], Message: m[3]}, ResponseMetadata: {}};
                const Cls = this.exceptions.fromCode(this._errorCode(response));
                const err = new Cls(response, m[2]);
                err.gerror = e;
                return err;
            }
        }
        return translateError(e);
    }

    /** A URL that makes one call without credentials until it expires,
     * as boto3's: `generatePresignedUrl('get_object', {Params: {...}, ExpiresIn: 60})`;
     * `HttpMethod` signs it for another method than the operation's. */
    generatePresignedUrl(clientMethod, {Params = {}, ExpiresIn = 3600, HttpMethod = null} = {}) {
        try {
            const op = this._operation(clientMethod);
            return this.gclient.generate_presigned_url_full(op.get_name(),
                toVariant(op.get_input_shape(), Params), ExpiresIn, HttpMethod);
        } catch (e) {
            throw translateError(e);
        }
    }

    canPaginate(operationName) {
        return this.gclient.can_paginate(operationName);
    }

    getPaginator(operationName) {
        return new Paginator(this, this.gclient.get_paginator(operationName));
    }

    get waiterNames() {
        return this.gclient.dup_waiter_names();
    }

    getWaiter(waiterName) {
        return new Waiter(this, this.gclient.get_waiter(waiterName));
    }
}
BaseClient.prototype.generate_presigned_url = BaseClient.prototype.generatePresignedUrl;
BaseClient.prototype.can_paginate = BaseClient.prototype.canPaginate;
BaseClient.prototype.call_async = BaseClient.prototype.callAsync;
BaseClient.prototype.get_paginator = BaseClient.prototype.getPaginator;
BaseClient.prototype.get_waiter = BaseClient.prototype.getWaiter;
Object.defineProperty(BaseClient.prototype, 'waiter_names',
    Object.getOwnPropertyDescriptor(BaseClient.prototype, 'waiterNames'));

function optionsVariant(options) {
    const dict = {};
    for (const [k, v] of Object.entries(options ?? {})) {
        if (v !== undefined && v !== null)
            dict[k] = guessVariant(v);
    }
    return new GLib.Variant('a{sv}', dict);
}

// client.getPaginator('list_objects_v2').paginate({Bucket, PaginationConfig})
class Paginator {
    constructor(client, gpaginator) {
        this.client = client;
        this.gpaginator = gpaginator;
        this.operation = client._operation(gpaginator.get_operation_name());
    }

    paginate(params = {}) {
        const {PaginationConfig: config, ...rest} = params;
        const gparams = toVariant(this.operation.get_input_shape(), rest);
        return new PageIterator(this.client, this.operation,
            this.gpaginator.paginate(gparams, config ? optionsVariant(config) : null));
    }
}

// Pages as plain objects: `for (const page of pages)` fetches page by page
// blocking, `for await (const page of pages)` on the main loop.
class PageIterator {
    constructor(client, operation, giterator) {
        this.client = client;
        this.operation = operation;
        this.giterator = giterator;
    }

    _unpack(v) {
        return fromVariant(this.operation.get_output_shape(), v);
    }

    * [Symbol.iterator]() {
        for (;;) {
            let page;
            try {
                page = this.giterator.next(null);
            } catch (e) {
                throw this.client._translate(e);
            }
            if (page === null)
                return;
            yield this._unpack(page);
        }
    }

    nextAsync(cancellable = null) {
        return new Promise((resolve, reject) => {
            this.giterator.next_async(cancellable, (obj, res) => {
                try {
                    const page = obj.next_finish(res);
                    resolve(page === null ? null : this._unpack(page));
                } catch (e) {
                    reject(this.client._translate(e));
                }
            });
        });
    }

    async* [Symbol.asyncIterator]() {
        for (;;) {
            // eslint-disable-next-line no-await-in-loop
            const page = await this.nextAsync();
            if (page === null)
                return;
            yield page;
        }
    }

    get resumeToken() {
        return this.giterator.get_resume_token();
    }

    buildFullResult() {
        try {
            return this._unpack(this.giterator.build_full_result(null));
        } catch (e) {
            throw this.client._translate(e);
        }
    }

    /** Every match of a JMESPath expression over the remaining pages. */
    search(expression) {
        let found;
        try {
            found = this.giterator.search(expression, null);
        } catch (e) {
            throw this.client._translate(e);
        }
        const out = [];
        for (let i = 0; i < found.n_children(); i++)
            out.push(fromVariant(null, found.get_child_value(i)));
        return out;
    }
}
PageIterator.prototype.build_full_result = PageIterator.prototype.buildFullResult;
Object.defineProperty(PageIterator.prototype, 'resume_token',
    Object.getOwnPropertyDescriptor(PageIterator.prototype, 'resumeToken'));

// client.getWaiter('instance_running').wait({InstanceIds, WaiterConfig})
class Waiter {
    constructor(client, gwaiter) {
        this.client = client;
        this.gwaiter = gwaiter;
        this.name = gwaiter.get_name();
        this.operation = client._operation(gwaiter.get_operation_name());
    }

    _params(params) {
        const {WaiterConfig: config, ...rest} = params;
        const v = toVariant(this.operation.get_input_shape(), rest);
        if (!config)
            return v;
        const dict = {};
        for (let i = 0; i < v.n_children(); i++) {
            const entry = v.get_child_value(i);
            dict[entry.get_child_value(0).unpack()] = entry.get_child_value(1).get_variant();
        }
        dict.WaiterConfig = optionsVariant(config);
        return new GLib.Variant('a{sv}', dict);
    }

    wait(params = {}) {
        try {
            this.gwaiter.wait(this._params(params), null);
        } catch (e) {
            throw this.client._translate(e);
        }
    }

    waitAsync(params = {}, cancellable = null) {
        return new Promise((resolve, reject) => {
            try {
                this.gwaiter.wait_async(this._params(params), cancellable, (obj, res) => {
                    try {
                        obj.wait_finish(res);
                        resolve();
                    } catch (e) {
                        reject(this.client._translate(e));
                    }
                });
            } catch (e) {
                reject(this.client._translate(e));
            }
        });
    }
}
Waiter.prototype.wait_async = Waiter.prototype.waitAsync;

// Methods boto3 adds to one service's client class (camelCase and snake_case).
const serviceMethods = {
    s3: {
        generatePresignedPost({Bucket, Key, Fields = {}, Conditions = [], ExpiresIn = 3600}) {
            try {
                const fields = {};
                for (const [k, v] of Object.entries(Fields))
                    fields[k] = guessVariant(v);
                const post = this.gclient.generate_presigned_post(Bucket, Key,
                    new GLib.Variant('a{sv}', fields), makeArray(Conditions.map(guessVariant), 'v'),
                    ExpiresIn);
                return post.recursiveUnpack();
            } catch (e) {
                throw translateError(e);
            }
        },
    },
    rds: {
        generateDbAuthToken({DBHostname, Port, DBUsername, Region = null}) {
            try {
                return this.gclient.generate_db_auth_token(DBHostname, Port, DBUsername, Region);
            } catch (e) {
                throw translateError(e);
            }
        },
    },
    dsql: {
        generateDbConnectAuthToken({Hostname, Region = null, ExpiresIn = 900}) {
            try {
                return this.gclient.generate_db_connect_auth_token(Hostname, Region, ExpiresIn);
            } catch (e) {
                throw translateError(e);
            }
        },
        generateDbConnectAdminAuthToken({Hostname, Region = null, ExpiresIn = 900}) {
            try {
                return this.gclient.generate_db_connect_admin_auth_token(Hostname, Region, ExpiresIn);
            } catch (e) {
                throw translateError(e);
            }
        },
    },
};

function clientClass(model) {
    const key = `${model.get_service_name()}/${model.get_api_version()}`;
    let cls = clientClasses.get(key);
    if (cls)
        return cls;
    cls = class extends BaseClient {};
    const names = new Map();
    for (const op of model.get_operation_names()) {
        const snake = xformName(op);
        const camel = camelName(snake);
        for (const n of [op, snake, camel])
            names.set(n, op);
        for (const [n, suffix] of [[snake, '_async'], [camel, 'Async']]) {
            if (!(n in BaseClient.prototype)) {
                cls.prototype[n] = function (params = {}) {
                    return this.call(op, params);
                };
            }
            if (!(n + suffix in BaseClient.prototype)) {
                cls.prototype[n + suffix] = function (params = {}, cancellable = null) {
                    return this.callAsync(op, params, cancellable);
                };
            }
        }
    }
    for (const [camel, fn] of Object.entries(serviceMethods[model.get_service_name()] ?? {})) {
        cls.prototype[camel] = fn;
        cls.prototype[xformName(camel.replace(/^./, c => c.toUpperCase()))] = fn;
    }
    cls._names = names;
    Object.defineProperty(cls, 'name', {value: (model.get_service_id() ?? model.get_service_name())
        .replace(/[\s-]/g, '')});
    clientClasses.set(key, cls);
    return cls;
}

function wrapClient(gclient) {
    const Cls = clientClass(gclient.get_service_model());
    return new Cls(gclient);
}

// -------------------------------------------------------------------------
// Resources: identifiers, attributes, references and collections as
// properties; actions, sub-resources and waiters as methods (snake_case and
// camelCase; actions and waiters also as promise-returning …Async).

function guessStructVariant(value) {
    if (isPlainObject(value)) {
        const dict = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined)
                dict[k] = guessStructVariant(v);
        }
        return new GLib.Variant('a{sv}', dict);
    }
    if (Array.isArray(value))
        return makeArray(value.map(guessStructVariant), null);
    return guessVariant(value);
}

function resourceParams(shape, params) {
    if (!params || Object.keys(params).length === 0)
        return null;
    return shape ? toVariant(shape, params) : guessStructVariant(params);
}

class ResourceBase {
    constructor(gres) {
        this.gres = gres;
        const self = this;
        this.meta = {
            serviceName: gres.get_service_name(),
            resourceName: gres.get_resource_name(),
            identifiers: gres.dup_identifier_names(),
            get client() {
                return wrapClient(gres.get_client());
            },
            get data() {
                const d = gres.get_data();
                return d ? fromVariant(self._dataShape(), d) : null;
            },
        };
    }

    toString() {
        return this.gres.to_string();
    }

    equals(other) {
        return other instanceof ResourceBase && this.gres.equal(other.gres);
    }

    _model() {
        return this.gres.get_client().get_service_model();
    }

    _dataShape() {
        const name = this.gres.get_model()?.lookup_value('shape', null);
        if (!name)
            return null;
        try {
            return this._model().get_shape(name.get_string()[0]);
        } catch (e) {
            return null;
        }
    }

    _definition(section, snake) {
        const defs = this.gres.get_model()?.lookup_value(section, null);
        if (!defs)
            return null;
        for (let i = 0; i < defs.n_children(); i++) {
            const entry = defs.get_child_value(i);
            const key = entry.get_child_value(0).unpack();
            if (key === snake || xformName(key) === snake)
                return fromVariant(null, entry.get_child_value(1));
        }
        return null;
    }

    _shapes(definition) {
        const op = definition?.request?.operation;
        if (!op)
            return [null, null];
        try {
            const model = this._model().get_operation(op);
            return [model.get_input_shape(), model.get_output_shape()];
        } catch (e) {
            return [null, null];
        }
    }

    _translate(e) {
        return this.meta.client._translate(e);
    }

    _attribute(name) {
        let value;
        try {
            value = this.gres.get_attribute(name);
        } catch (e) {
            throw this._translate(e);
        }
        if (value === null)
            return null;
        const shape = this._dataShape();
        let member = null;
        if (shape && shape.get_shape_type() === T().STRUCTURE) {
            for (const m of shape.get_member_names()) {
                if (m === name || xformName(m) === name) {
                    member = shape.get_member(m);
                    break;
                }
            }
        }
        return fromVariant(member, value);
    }

    _actionResult(result, outShape) {
        if (result.has_resources()) {
            if (result.is_list())
                return result.get_resources().map(wrapResource);
            return wrapResource(result.get_resource());
        }
        return fromVariant(outShape, result.get_response());
    }

    _action(name, params) {
        const [inShape, outShape] = this._shapes(this._definition('actions', name));
        let result;
        try {
            result = this.gres.call_action_full(name, resourceParams(inShape, params), null);
        } catch (e) {
            throw this._translate(e);
        }
        return this._actionResult(result, outShape);
    }

    _actionAsync(name, params, cancellable) {
        return new Promise((resolve, reject) => {
            try {
                const [inShape, outShape] = this._shapes(this._definition('actions', name));
                this.gres.call_action_full_async(name, resourceParams(inShape, params), cancellable,
                    (obj, res) => {
                        try {
                            resolve(this._actionResult(obj.call_action_full_finish(res), outShape));
                        } catch (e) {
                            reject(this._translate(e));
                        }
                    });
            } catch (e) {
                reject(this._translate(e));
            }
        });
    }

    _reference(name) {
        try {
            const def = this._definition('has', name);
            if (def?.resource?.path?.endsWith('[]'))
                return this.gres.get_reference_list(name, null).map(wrapResource);
            const ref = this.gres.get_reference(name, null);
            return ref ? wrapResource(ref) : null;
        } catch (e) {
            throw this._translate(e);
        }
    }

    _subResource(name, args) {
        let ids = null;
        if (args.length === 1 && isPlainObject(args[0]))
            ids = guessStructVariant(args[0]);
        else if (args.length === 1)
            ids = new GLib.Variant('s', String(args[0]));
        else if (args.length > 1)
            ids = new GLib.Variant('as', args.map(String));
        try {
            const sub = this.gres instanceof Boto.ServiceResource
                ? this.gres.get_sub_resource(name, ids)
                : Boto.Resource.prototype.get_sub_resource.call(this.gres, name, ids);
            return wrapResource(sub);
        } catch (e) {
            throw this._translate(e);
        }
    }

    _wait(name, params) {
        try {
            this.gres.wait(name, resourceParams(null, params), null);
        } catch (e) {
            throw this._translate(e);
        }
    }

    _waitAsync(name, params, cancellable) {
        return new Promise((resolve, reject) => {
            this.gres.wait_async(name, resourceParams(null, params), cancellable, (obj, res) => {
                try {
                    obj.wait_finish(res);
                    resolve();
                } catch (e) {
                    reject(this._translate(e));
                }
            });
        });
    }

    load() {
        try {
            this.gres.load(null);
        } catch (e) {
            throw this._translate(e);
        }
    }

    reload() {
        try {
            this.gres.reload(null);
        } catch (e) {
            throw this._translate(e);
        }
    }
}

// A lazy collection: iterable (blocking, or `for await` on the main loop),
// with all(), filter(), limit(), pageSize(), pages() and batch actions.
class ResourceCollection {
    constructor(parent, gcollection) {
        this.parent = parent;
        this.gcollection = gcollection;
        for (const name of gcollection.dup_batch_action_names()) {
            const fn = (params = {}) => {
                try {
                    const r = this.gcollection.call_batch_action(name,
                        resourceParams(null, params), null);
                    return r ? fromVariant(null, r) : [];
                } catch (e) {
                    throw this.parent._translate(e);
                }
            };
            this[name] = fn;
            this[camelName(name)] = fn;
        }
    }

    all() {
        return new ResourceCollection(this.parent, this.gcollection.all());
    }

    filter(params = {}) {
        return new ResourceCollection(this.parent,
            this.gcollection.filter(guessStructVariant(params)));
    }

    limit(count) {
        return new ResourceCollection(this.parent, this.gcollection.limit(count));
    }

    pageSize(count) {
        return new ResourceCollection(this.parent, this.gcollection.page_size(count));
    }

    * [Symbol.iterator]() {
        const it = this.gcollection.all();
        for (;;) {
            let item;
            try {
                item = it.next(null);
            } catch (e) {
                throw this.parent._translate(e);
            }
            if (item === null)
                return;
            yield wrapResource(item);
        }
    }

    async* [Symbol.asyncIterator]() {
        const it = this.gcollection.all();
        for (;;) {
            // eslint-disable-next-line no-await-in-loop
            const item = await new Promise((resolve, reject) => {
                it.next_async(null, (obj, res) => {
                    try {
                        resolve(obj.next_finish(res));
                    } catch (e) {
                        reject(this.parent._translate(e));
                    }
                });
            });
            if (item === null)
                return;
            yield wrapResource(item);
        }
    }

    // GJS gives an empty array for the NULL that ends the pages, so an
    // empty page after the first ends them.
    * pages() {
        const it = this.gcollection.all();
        for (let first = true; ; first = false) {
            let page;
            try {
                page = it.next_page(null);
            } catch (e) {
                throw this.parent._translate(e);
            }
            if (page === null || (page.length === 0 && !first))
                return;
            yield page.map(wrapResource);
        }
    }
}
ResourceCollection.prototype.page_size = ResourceCollection.prototype.pageSize;

const resourceClasses = new Map();

function resourceClass(gres) {
    const isService = gres instanceof Boto.ServiceResource;
    const key = `${gres.get_service_name()}/${gres.get_resource_name()}/${isService}`;
    let cls = resourceClasses.get(key);
    if (cls)
        return cls;
    cls = class extends ResourceBase {};
    const proto = cls.prototype;
    const define = (names, get) => {
        for (const n of names) {
            for (const alias of new Set([n, camelName(n)])) {
                if (!(alias in proto))
                    Object.defineProperty(proto, alias, {get() {
                        return get.call(this, n);
                    }, configurable: true});
            }
        }
    };
    define(gres.dup_identifier_names(), function (n) {
        const v = this.gres.get_identifier(n);
        return v ? fromVariant(null, v) : null;
    });
    define(gres.dup_attribute_names(), function (n) {
        return this._attribute(n);
    });
    define(gres.dup_reference_names(), function (n) {
        return this._reference(n);
    });
    define(gres.dup_collection_names(), function (n) {
        try {
            return new ResourceCollection(this, this.gres.get_collection(n));
        } catch (e) {
            throw this._translate(e);
        }
    });
    for (const n of gres.dup_action_names()) {
        const run = function (params = {}) {
            return this._action(n, params);
        };
        const runAsync = function (params = {}, cancellable = null) {
            return this._actionAsync(n, params, cancellable);
        };
        proto[n] = proto[camelName(n)] = run;
        proto[`${n}_async`] = proto[`${camelName(n)}Async`] = runAsync;
    }
    for (const n of gres.dup_sub_resource_names()) {
        proto[n] = function (...args) {
            return this._subResource(n, args);
        };
    }
    for (const n of gres.dup_waiter_names()) {
        const wait = function (params = {}) {
            return this._wait(n, params);
        };
        const waitAsync = function (params = {}, cancellable = null) {
            return this._waitAsync(n, params, cancellable);
        };
        proto[n] = proto[camelName(n)] = wait;
        proto[`${n}_async`] = proto[`${camelName(n)}Async`] = waitAsync;
    }
    Object.defineProperty(cls, 'name', {value: isService ? 'ServiceResource' : gres.get_resource_name()});
    resourceClasses.set(key, cls);
    return cls;
}

function wrapResource(gres) {
    if (!gres)
        return null;
    const Cls = resourceClass(gres);
    return new Cls(gres);
}

function sessionResource(serviceName, options = {}) {
    // The library's own session.resource(name, config) spelling too.
    if (options instanceof Boto.Config)
        options = {config: options};
    const client = this.client(serviceName, options ?? {});
    return wrapResource(Boto.ServiceResource.new_for_client(client.gclient));
}

// session.client('s3', {endpointUrl, regionName, config}) (snake_case keys too)
function sessionClient(serviceName, options = {}) {
    options ??= {};
    const opt = (camel, snake) => options[camel] ?? options[snake] ?? null;
    let session = this;
    const keyId = opt('awsAccessKeyId', 'aws_access_key_id');
    const secret = opt('awsSecretAccessKey', 'aws_secret_access_key');
    const token = opt('awsSessionToken', 'aws_session_token');
    if (keyId || secret || token) {
        session = makeSession({
            regionName: this.get_region_name(), profileName: this.get_profile_name(),
            awsAccessKeyId: keyId, awsSecretAccessKey: secret, awsSessionToken: token,
        });
    }
    let config = opt('config', 'config');
    if (config && !(config instanceof Boto.Config))
        config = Boto.Config.new(guessConfig(config));
    const region = opt('regionName', 'region_name');
    if (region) {
        const rc = Boto.Config.new(guessConfig({region_name: region}));
        config = config ? config.merge(rc) : rc;
    }
    const gclient = Boto.Client.new(session, serviceName, opt('endpointUrl', 'endpoint_url'), config);
    return wrapClient(gclient);
}

function guessConfig(options) {
    const dict = {};
    for (const [k, v] of Object.entries(options)) {
        if (v !== undefined && v !== null)
            dict[xformName(k)] = guessVariant(v);
    }
    return new GLib.Variant('a{sv}', dict);
}

// new Boto.Session() takes GObject properties; this takes boto3's names
// in camelCase or snake_case.
function makeSession(options = {}) {
    const props = {};
    for (const [k, v] of Object.entries(options)) {
        if (v !== undefined && v !== null)
            props[xformName(k).replace(/_/g, '-')] = v;
    }
    return new Boto.Session(props);
}

let defaultSession = null;

function _init() {
    Boto = this;

    Boto.Session.prototype.client = sessionClient;
    Boto.Session.prototype.resource = sessionResource;

    Boto.ServiceException = ServiceException;
    Boto.ParamValidationError = ParamValidationError;
    Boto.WaiterError = WaiterError;
    Boto.xformName = xformName;
    Boto.toVariant = toVariant;
    Boto.fromVariant = fromVariant;
    Boto.wrapClient = wrapClient;
    Boto.BaseClient = BaseClient;
    Boto.session = makeSession;
    Boto.setupDefaultSession = options => {
        defaultSession = makeSession(options);
    };
    Boto.wrapResource = wrapResource;
    Boto.resource = (serviceName, options = {}) => {
        if (!defaultSession)
            defaultSession = new Boto.Session();
        return defaultSession.resource(serviceName, options);
    };
    Boto.client = (serviceName, options = {}) => {
        if (!defaultSession)
            defaultSession = new Boto.Session();
        return defaultSession.client(serviceName, options);
    };
}
