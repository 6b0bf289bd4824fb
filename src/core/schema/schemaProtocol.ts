/** Messages between the extension host and the schema worker (schemaChecker.ts <-> schemaWorker.ts). */
import type { ArgumentValidation } from './validate';

export type CheckRequest =
  | { readonly type: 'compile'; readonly id: number; readonly schemaId: number; readonly schema: object }
  | { readonly type: 'validate'; readonly id: number; readonly schemaId: number; readonly value: unknown };

export type CheckReply =
  | { readonly id: number; readonly schemaError: string }
  | { readonly id: number; readonly skippedPatterns: string[] }
  | { readonly id: number; readonly result: ArgumentValidation }
  /** The worker no longer has the schema (it keeps a bounded number): compile it again. */
  | { readonly id: number; readonly missing: true };

/** Int32 slots of the shared buffer: replies sent so far (the host waits on it), request being run (0 = idle). */
export const SLOT_REPLIES = 0;
export const SLOT_BUSY = 1;
export const SHARED_SLOTS = 2;

/** At most this many errors are reported. */
export const MAX_ERRORS = 50;
