#!/usr/bin/env node
// Nimbus runtime client for Node.js (20+). Speaks the AWS Lambda Runtime API 2018-06-01 over loopback HTTP,
// so handlers written for Lambda's nodejs runtime run unchanged. Standard library only.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL } = require('node:url');
const { AsyncLocalStorage } = require('node:async_hooks');

const API = process.env.AWS_LAMBDA_RUNTIME_API;
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const HANDLER = process.env._HANDLER || '';
const BASE = '/2018-06-01/runtime';

// How many invocations this process serves at once (the function's concurrencyPerInstance; the variable Lambda
// Managed Instances uses). Each takes its own loop of next/handle/respond.
const MAX_CONCURRENCY = Math.min(64, Math.max(1, Number.parseInt(process.env.AWS_LAMBDA_MAX_CONCURRENCY || '1', 10) || 1));

// One connection per loop, reused: the platform measures invoke latency and a new TCP connection per call is wasted time.
const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_CONCURRENCY });
const [apiHost, apiPort] = splitHostPort(API || '');

// The request id the current log lines belong to; Lambda prints "undefined" outside an invocation. With several
// invocations at once, each one's async context carries its own, so every line names the invocation that wrote it.
let currentRequestId;
const requestScope = MAX_CONCURRENCY > 1 ? new AsyncLocalStorage() : null;
const requestIdNow = requestScope ? () => requestScope.getStore() : () => currentRequestId;
// The invocations running now, so an uncaught error can still be reported against them.
const runningInvocations = new Set();

function splitHostPort(value) {
  const i = value.lastIndexOf(':');
  return i < 0 ? [value, 80] : [value.slice(0, i), Number(value.slice(i + 1))];
}

// ---------------------------------------------------------------- logging

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      let message = util.format(...args);
      if (method === 'trace') {
        // console.trace prints a stack; keep that, minus this frame.
        const stack = new Error().stack.split('\n').slice(2).join('\n');
        message = `Trace: ${message}\n${stack}`;
      }
      writeLogLine(level, message);
    };
  }
}

function writeLogLine(level, message) {
  // One record per line: the platform reads stdout line by line and attributes each line to a request.
  const line = `${new Date().toISOString()}\t${requestIdNow()}\t${level}\t${message.replace(/\r?\n/g, '\r')}\n`;
  process.stdout.write(line);
}

// ---------------------------------------------------------------- runtime API client

function request(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: apiHost, port: apiPort, method, path: BASE + urlPath, agent, headers: headers || {} },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
    req.on('error', reject);
    if (body !== undefined) {
      req.setHeader('Content-Length', Buffer.byteLength(body));
      req.end(body);
    } else {
      req.end();
    }
  });
}

// When the runtime API is gone the platform is gone: nobody is left to serve, so leave quietly.
function platformGone(err) {
  process.stderr.write(`nimbus node runtime: runtime API unreachable (${err && err.message}); exiting\n`);
  process.exit(0);
}

async function post(urlPath, body, headers) {
  try {
    return await request('POST', urlPath, body, headers);
  } catch (err) {
    platformGone(err);
  }
}

function errorBody(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message,
      stackTrace: typeof err.stack === 'string' ? err.stack.split('\n').slice(1).map((s) => s.trim()) : [],
    };
  }
  return { errorType: 'Error', errorMessage: typeof err === 'string' ? err : safeStringify(err), stackTrace: [] };
}

function safeStringify(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function postError(urlPath, err, typeOverride) {
  const body = errorBody(err);
  if (typeOverride) body.errorType = typeOverride;
  return post(urlPath, JSON.stringify(body), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': body.errorType,
  });
}

// ---------------------------------------------------------------- handler loading

class InitError extends Error {
  constructor(type, message, cause) {
    super(message);
    this.name = type;
    if (cause && cause.stack) this.stack = `${type}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  }
}

function isEsmPackage(dir) {
  // Node decides .js module type by the nearest package.json "type"; mirror that so ESM goes straight to import().
  for (let d = dir; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (d === path.dirname(d) || d === path.dirname(TASK_ROOT)) return false;
  }
}

async function loadModule(modulePath) {
  const base = path.resolve(TASK_ROOT, modulePath);
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => base + ext);
  const file = candidates.find((f) => fs.existsSync(f));
  if (file && (file.endsWith('.mjs') || (file.endsWith('.js') && isEsmPackage(path.dirname(file))))) {
    return import(pathToFileURL(file).href);
  }
  try {
    return require(file || base);
  } catch (err) {
    if (err && (err.code === 'ERR_REQUIRE_ESM' || err.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
      return import(pathToFileURL(file || base).href);
    }
    throw err;
  }
}

async function loadHandler() {
  // "dir/sub/file.export.nested": the module is everything up to the first dot after the last slash.
  const slash = HANDLER.lastIndexOf('/');
  const dot = HANDLER.indexOf('.', slash + 1);
  if (!HANDLER || dot < 0) {
    throw new InitError('Runtime.MalformedHandlerName', `Bad handler '${HANDLER}': expected 'file.export'`);
  }
  const modulePath = HANDLER.slice(0, dot);
  const exportPath = HANDLER.slice(dot + 1).split('.');

  let mod;
  try {
    mod = await loadModule(modulePath);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' || err && err.code === 'ERR_MODULE_NOT_FOUND') {
      throw new InitError('Runtime.ImportModuleError', `Error: ${err.message.split('\n')[0]}`, err);
    }
    if (err instanceof SyntaxError) {
      throw new InitError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`, err);
    }
    throw err;
  }

  let fn = resolveExport(mod, exportPath);
  if (fn === undefined && mod && mod.default) fn = resolveExport(mod.default, exportPath);
  if (fn === undefined) {
    throw new InitError('Runtime.HandlerNotFound', `${HANDLER} is undefined or not exported`);
  }
  if (typeof fn !== 'function') {
    throw new InitError('Runtime.HandlerNotFound', `${HANDLER} is not a function`);
  }
  return fn;
}

function resolveExport(obj, names) {
  let value = obj;
  for (const name of names) {
    if (value === null || value === undefined) return undefined;
    value = value[name];
  }
  return value;
}

// ---------------------------------------------------------------- invocation

function makeContext(headers, requestId, settle) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']) || Date.now() + 3000;
  const context = {
    awsRequestId: requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    traceparent: headers['traceparent'],
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // Lambda's pre-callback API, still used by old handlers.
    done: (err, result) => settle(err, result, true),
    succeed: (result) => settle(null, result, true),
    fail: (err) => settle(err === undefined || err === null ? new Error('handled') : err, undefined, true),
  };
  const clientContext = headers['lambda-runtime-client-context'];
  if (clientContext) context.clientContext = parseOrRaw(clientContext);
  const identity = headers['lambda-runtime-cognito-identity'];
  if (identity) context.identity = parseOrRaw(identity);
  return context;
}

function parseOrRaw(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Runs the handler; resolves with {error} or {result}. Callback-style handlers, like on Lambda, answer only once
// the event loop is empty unless context.callbackWaitsForEmptyEventLoop was set to false.
function runHandler(handler, event, headers, requestId) {
  return new Promise((resolve) => {
    let settled = false;
    let context;
    let onEmptyLoop = null;
    const waitForEmptyLoop = (outcome) => {
      // beforeExit fires once nothing but our own (unref'd) keep-alive socket is left.
      onEmptyLoop = () => {
        settled = true;
        resolve(outcome);
      };
      process.once('beforeExit', onEmptyLoop);
    };
    const settle = (err, result, fromCallback) => {
      if (settled) return;
      settled = true;
      if (onEmptyLoop) process.removeListener('beforeExit', onEmptyLoop);
      const outcome = err !== undefined && err !== null ? { error: err } : { result };
      // With several invocations at once the loop is never empty (the others wait on `next`): answer at once.
      if (fromCallback && context.callbackWaitsForEmptyEventLoop && MAX_CONCURRENCY === 1) waitForEmptyLoop(outcome);
      else resolve(outcome);
    };
    context = makeContext(headers, requestId, settle);
    try {
      const returned = handler(event, context, (err, result) => settle(err, result, true));
      if (returned && typeof returned.then === 'function') {
        returned.then(
          (result) => settle(null, result, false),
          (err) => settle(err ?? new Error('Promise rejected'), undefined, false));
      } else if (!settled) {
        if (handler.length < 3 && returned !== undefined) {
          // A synchronous handler without a callback parameter: its return value is the result.
          settle(null, returned, false);
        } else if (MAX_CONCURRENCY > 1) {
          settle(null, undefined, false);
        } else {
          // Lambda answers null for a handler that neither returns a promise nor calls back, once the loop is idle.
          waitForEmptyLoop({ result: undefined });
        }
      }
    } catch (err) {
      settle(err, undefined, false);
    }
  });
}

function invoke(handler, res) {
  const requestId = res.headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  return requestScope ? requestScope.run(requestId, () => invokeInScope(handler, res, requestId)) : invokeInScope(handler, res, requestId);
}

async function invokeInScope(handler, res, requestId) {
  const headers = res.headers;
  // Process-wide, so with several invocations at once it holds the latest one's; context.traceparent is per invocation.
  if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;
  const urlBase = `/invocation/${requestId}`;
  runningInvocations.add(urlBase);
  try {
    await serve(handler, res, headers, requestId, urlBase);
  } finally {
    runningInvocations.delete(urlBase);
  }
}

async function serve(handler, res, headers, requestId, urlBase) {

  let event;
  try {
    event = res.body.length === 0 ? {} : JSON.parse(res.body.toString('utf8'));
  } catch (err) {
    await postError(`${urlBase}/error`, err, 'Runtime.UnmarshalError');
    return;
  }

  const outcome = await runHandler(handler, event, headers, requestId);
  if ('error' in outcome) {
    writeLogLine('ERROR', `Invoke Error \t${JSON.stringify(errorBody(outcome.error))}`);
    await postError(`${urlBase}/error`, outcome.error);
  } else {
    let body;
    try {
      body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
      if (body === undefined) body = 'null'; // functions and symbols stringify to undefined
    } catch (err) {
      await postError(`${urlBase}/error`, err, 'Runtime.MalformedResponse');
      return;
    }
    await post(`${urlBase}/response`, body, { 'Content-Type': 'application/json' });
  }
}

async function main() {
  if (!API) {
    process.stderr.write('nimbus node runtime: AWS_LAMBDA_RUNTIME_API is not set\n');
    process.exit(1);
  }
  patchConsole();
  process.chdir(TASK_ROOT);

  process.on('uncaughtException', (err) => onUncaught(err));
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? reason : new Error(`Unhandled promise rejection: ${safeStringify(reason)}`);
    onUncaught(err, 'Runtime.UnhandledPromiseRejection');
  });

  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const body = errorBody(err);
    writeLogLine('ERROR', `Init failed: ${body.errorType}: ${body.errorMessage}`);
    await postError('/init/error', err);
    process.exit(1);
  }

  const loops = [];
  for (let i = 0; i < MAX_CONCURRENCY; i++) loops.push(serveLoop(handler));
  await Promise.all(loops);
  process.exit(0);
}

async function serveLoop(handler) {
  for (;;) {
    let res;
    try {
      res = await request('GET', '/invocation/next');
    } catch (err) {
      platformGone(err);
    }
    if (res.status === 410 && MAX_CONCURRENCY > 1) {
      return; // the instance is stopping: this loop takes no more work, the others finish theirs
    }
    if (res.status !== 200) {
      process.stderr.write(`nimbus node runtime: next invocation answered ${res.status}; exiting\n`);
      process.exit(1);
    }
    await invoke(handler, res);
  }
}

let dying = false;
async function onUncaught(err, typeOverride) {
  // The process state is unknown after an uncaught error, so report it against the running invocations (with
  // several at once, which one threw cannot be known: each gets it) and die; the platform replaces the instance.
  if (dying) return;
  dying = true;
  const body = errorBody(err);
  writeLogLine('ERROR', `Uncaught ${typeOverride || body.errorType}: ${body.errorMessage}`);
  await Promise.all([...runningInvocations].map((urlBase) => postError(`${urlBase}/error`, err, typeOverride)));
  process.exit(1);
}

main();
