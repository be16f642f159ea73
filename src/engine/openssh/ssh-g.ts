/** Parses `ssh -G` output (`key value` lines) into lowercase keys, each with every value given. */
export function parseSshG(stdout: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of stdout.split(/\r?\n/)) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const k = line.slice(0, sp).toLowerCase();
    const list = m.get(k) ?? [];
    list.push(line.slice(sp + 1));
    m.set(k, list);
  }
  return m;
}
