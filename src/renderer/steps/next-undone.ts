/**
 * Where "Continue" on one tab of a step goes: the next tab after it (wrapping round to the
 * first ones) whose part is not done yet, or null when every other tab is done and the wizard
 * moves on to the next step. The tab left is never the answer, done or not: its "Continue"
 * says the user is finished with it.
 */
export function nextUndone<T extends { id: string }>(items: readonly T[], from: Pick<T, 'id'>, isDone: (item: T) => boolean): T | null {
  const i = items.findIndex((x) => x.id === from.id);
  const after = i < 0 ? items : [...items.slice(i + 1), ...items.slice(0, i)];
  return after.find((x) => !isDone(x)) ?? null;
}
