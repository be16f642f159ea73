import type { ErrorPayloadDto, ErrorReasonDto } from '../shared/contract/common.js';
import type { EngineErrorCode } from '../shared/contract/errors.js';

/**
 * Every failure the engine reports to a front is an EngineError: a stable code the
 * renderer translates, a plain English message the CLI prints, and whether anything
 * on disk was changed (the user always needs to know that). The codes are listed once, in
 * the contract (src/shared/contract/errors.ts), which every front reads too.
 */
export type ErrorCode = EngineErrorCode;

export class EngineError extends Error {
  readonly code: ErrorCode;
  /** What the user can do next, in plain words. */
  readonly hint: string | undefined;
  /** The message as a code and values, for fronts that speak another language than English. */
  readonly reason: ErrorReasonDto | undefined;
  /** True when nothing on disk was changed by the failed operation. */
  readonly nothingChanged: boolean;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; reason?: ErrorReasonDto; nothingChanged?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'EngineError';
    this.code = code;
    this.hint = opts.hint;
    this.reason = opts.reason;
    this.nothingChanged = opts.nothingChanged ?? true;
  }
}

/** A reason (code and values) for EngineError's `reason`. */
export function reason(code: ErrorReasonDto['code'], params: Record<string, string> = {}, openssh?: string): ErrorReasonDto {
  return openssh ? { code, params, openssh } : { code, params };
}

/**
 * Maps Node's filesystem error codes to what a user can act on. `file` is the file or folder
 * the wizard names (default: the one Node's error names); `what` is the English context.
 */
export function fromFsError(err: unknown, what: string, file?: string): EngineError {
  const e = err as NodeJS.ErrnoException | undefined;
  const params = { path: file ?? e?.path ?? '' };
  switch (e?.code) {
    case 'ENOENT':
      return new EngineError('not-found', `${what}: the file or folder does not exist.`, { reason: reason('fs-not-found', params), cause: err });
    case 'EACCES':
    case 'EPERM':
      return new EngineError('permission-denied', `${what}: permission denied.`, {
        hint: 'Check that your user account owns this file and folder.',
        reason: reason('fs-permission-denied', params),
        cause: err,
      });
    case 'ENOSPC':
      return new EngineError('disk-full', `${what}: the disk is full.`, { hint: 'Free some space, then try again.', reason: reason('fs-disk-full', params), cause: err });
    case 'EROFS':
      return new EngineError('read-only', `${what}: the disk is read-only.`, { reason: reason('fs-read-only', params), cause: err });
    default:
      // Truly unexpected: the wizard shows its English detail as such.
      return new EngineError('internal', `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** The serialisable form sent across the contract (ErrorPayloadSchema). Never includes a stack. */
export function toErrorPayload(err: unknown): ErrorPayloadDto {
  if (err instanceof EngineError) {
    return { code: err.code, message: err.message, hint: err.hint, ...(err.reason ? { reason: err.reason } : {}), nothingChanged: err.nothingChanged };
  }
  // Unknown failures are reported without internals: a stack trace helps nobody here.
  return { code: 'internal', message: 'Something unexpected went wrong.', hint: 'Try again. If it keeps happening, contact IT support.', nothingChanged: true };
}
