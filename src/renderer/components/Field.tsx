import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';

/**
 * A labelled form control with optional help text: the label names the control and the
 * help describes it (aria-describedby), so screen readers read both, separately.
 */
export function Field({ label, help, children }: { label: string; help?: ReactNode; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, ...(help ? { 'aria-describedby': helpId } : {}) })}
      {help && (
        <small id={helpId} className="muted" aria-live="polite">
          {help}
        </small>
      )}
    </div>
  );
}
