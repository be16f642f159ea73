import type { Ref } from 'react';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * What a panel's last action came to (writing the settings, recording host keys, an undo):
 * its refusal, or its success in one sentence. Each takes a ref, so the panel can move focus
 * to whichever appeared and a screen reader reads the result, not the button that vanished.
 */
export function ActionOutcome({
  error,
  errorRef,
  message,
  messageRef,
}: {
  error: unknown;
  errorRef: Ref<HTMLDivElement>;
  message: string | null;
  messageRef: Ref<HTMLParagraphElement>;
}) {
  return (
    <>
      {error !== null && <ErrorNotice error={error} ref={errorRef} />}
      {message && (
        <p className="notice notice-ok" role="status" ref={messageRef}>
          {message}
        </p>
      )}
    </>
  );
}
