/**
 * Entry of the schema worker thread (bundled on its own as dist/schemaWorker.js): compiles tool input schemas
 * with ajv and validates arguments against them, one request at a time, so that the extension host can wait a
 * bounded time and stop the thread when a server's schema makes ajv run for seconds (see schemaChecker.ts).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { compileSchema, validateCompiled, type Compiled } from './ajvValidate';
import { SLOT_BUSY, SLOT_REPLIES, type CheckReply, type CheckRequest } from './schemaProtocol';

/** Compiled schemas kept (oldest dropped first): tools come and go. */
const MAX_COMPILED = 64;

const { port, shared: buffer } = workerData as { port: MessagePort; shared: SharedArrayBuffer };
const shared = new Int32Array(buffer);
const compiled = new Map<number, Compiled>();

function reply(message: CheckReply): void {
  port.postMessage(message);
  Atomics.store(shared, SLOT_BUSY, 0);
  // The host may be blocked in Atomics.wait on this counter (a synchronous check): wake it.
  Atomics.add(shared, SLOT_REPLIES, 1);
  Atomics.notify(shared, SLOT_REPLIES);
}

port.on('message', (request: CheckRequest) => {
  Atomics.store(shared, SLOT_BUSY, request.id);
  if (request.type === 'compile') {
    const entry = compileSchema(request.schema);
    compiled.set(request.schemaId, entry);
    if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value as number);
    reply('schemaError' in entry ? { id: request.id, schemaError: entry.schemaError } : { id: request.id, skippedPatterns: entry.skippedPatterns });
    return;
  }
  const entry = compiled.get(request.schemaId);
  reply(entry ? { id: request.id, result: validateCompiled(entry, request.value) } : { id: request.id, missing: true });
});
