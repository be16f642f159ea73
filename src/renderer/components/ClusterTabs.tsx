import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from '../i18n/use-translation.js';

export interface TabItem {
  id: string;
  label: string;
  /** This cluster's (or account's) part of the step is done: a check mark, and "(done)" for screen readers. */
  done: boolean;
}

/**
 * One panel per cluster (or per account) inside a step, picked with a row of tabs (the WAI-ARIA
 * tabs pattern: one tab stop, arrows, Home and End move between tabs). Every panel stays
 * mounted and the others are hidden, so a login waiting for its code in one tab is still there
 * after a look at another. With one item there is no row of tabs: the step reads as it does
 * for a single cluster.
 */
export function ClusterTabs({
  label,
  items,
  selected,
  onSelect,
  idPrefix,
  children,
}: {
  label: string;
  items: readonly TabItem[];
  selected: string;
  onSelect(id: string): void;
  idPrefix: string;
  children(id: string): ReactNode;
}) {
  const { t } = useTranslation();
  const tabs = useRef(new Map<string, HTMLButtonElement>());
  if (items.length === 1) return <>{children(items[0]!.id)}</>;
  const current = items.some((i) => i.id === selected) ? selected : items[0]!.id;

  function onKeyDown(e: KeyboardEvent, index: number) {
    const to = e.key === 'ArrowRight' ? index + 1 : e.key === 'ArrowLeft' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const item = items[(to + items.length) % items.length]!;
    onSelect(item.id);
    tabs.current.get(item.id)?.focus();
  }

  return (
    <div className="cluster-tabs">
      <div role="tablist" aria-label={label} className="tablist">
        {items.map((item, i) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${item.id}`}
            aria-selected={item.id === current}
            aria-controls={`${idPrefix}-panel-${item.id}`}
            tabIndex={item.id === current ? 0 : -1}
            onClick={() => onSelect(item.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
            ref={(el) => {
              if (el) tabs.current.set(item.id, el);
              else tabs.current.delete(item.id);
            }}
          >
            {item.label}
            {item.done && (
              <>
                <span aria-hidden="true" className="tab-done">
                  {' ✓'}
                </span>
                <span className="visually-hidden"> ({t('app.done')})</span>
              </>
            )}
          </button>
        ))}
      </div>
      {items.map((item) => (
        <div key={item.id} role="tabpanel" id={`${idPrefix}-panel-${item.id}`} aria-labelledby={`${idPrefix}-tab-${item.id}`} hidden={item.id !== current} className="tabpanel">
          {children(item.id)}
        </div>
      ))}
    </div>
  );
}

/** Moves focus to a tab (after "Continue" picked the next cluster). */
export function focusTab(idPrefix: string, id: string): void {
  requestAnimationFrame(() => document.getElementById(`${idPrefix}-tab-${id}`)?.focus());
}
