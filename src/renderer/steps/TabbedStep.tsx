import { useState, type ReactNode } from 'react';
import { ClusterTabs, focusTab } from '../components/ClusterTabs.js';
import { nextUndone } from './next-undone.js';

/**
 * A step done once per cluster (or per account): its heading, then one keyboard-accessible tab
 * per item (ClusterTabs; no tab row for a single item), and what "Continue" on a tab means:
 * the next tab not done yet is selected and focused, and when none is left the wizard goes on.
 * The public-key step (per account) and the settings, trust and login steps (per cluster,
 * through ClusterStepFrame) all use it, so they move between tabs the same way.
 */
export function TabbedStep<T extends { id: string; name: string }>({
  id,
  heading,
  tabsLabel,
  items,
  isDone,
  goNext,
  above,
  children,
}: {
  /** The step's id: the heading is `${id}-heading`, the tabs `${id}-tab-…` (tests and focusTab find them so). */
  id: string;
  heading: string;
  tabsLabel: string;
  items: readonly T[];
  isDone(item: T): boolean;
  goNext(): void;
  /** What stands between the heading and the tabs (the login step's notice of an interrupted login). */
  above?: ReactNode;
  /** One item's panel; `next(item)` is its "Continue". */
  children(item: T, next: (from: T) => void): ReactNode;
}) {
  const [selected, setSelected] = useState(items[0]!.id);
  function next(from: T) {
    const other = nextUndone(items, from, isDone);
    if (!other) return goNext();
    setSelected(other.id);
    focusTab(id, other.id);
  }
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {above}
      <ClusterTabs label={tabsLabel} idPrefix={id} items={items.map((item) => ({ id: item.id, label: item.name, done: isDone(item) }))} selected={selected} onSelect={setSelected}>
        {(itemId) => children(items.find((item) => item.id === itemId)!, next)}
      </ClusterTabs>
    </section>
  );
}
