import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every EngineError the engine (or the host) makes carries a `reason` (a code and values the
 * wizard says in the user's language), unless its code is 'internal' (a failure nobody
 * foresaw: its English detail is all there is) or it is listed below with why a person in the
 * wizard cannot meet it. A new refusal without a reason fails here, before a French user sees
 * it in English.
 */
const UNREACHABLE_FROM_THE_WIZARD: Array<{ file: string; says: string; why: string }> = [
  { file: 'src/host/clusters.ts', says: 'No cluster profile was given.', why: 'a host refuses to start without one; no window exists yet' },
  { file: 'src/host/clusters.ts', says: 'Two cluster profiles have the id', why: 'a host refuses to start with them; no window exists yet' },
  { file: 'src/host/clusters.ts', says: 'Unknown cluster', why: 'the wizard sends only ids app.info listed; a forged call gets the English refusal' },
  { file: 'src/engine/compute/access.ts', says: 'This is not a public key line.', why: 'only the CLI passes a key line' },
  { file: 'src/engine/config/plan.ts', says: 'Invalid request', why: 'the host validated the same schema first (host/dispatch.ts answers request-invalid); apply checks through the same function' },
  { file: 'src/engine/config/template.ts', says: 'The cluster profile cannot be written', why: 'a bad profile is refused when the app starts' },
  { file: 'src/engine/keys/create.ts', says: 'The key type must be', why: 'the contract allows ed25519 and rsa only' },
  { file: 'src/engine/keys/create.ts', says: 'Ed25519 keys have one fixed size', why: 'the contract allows 3072 and 4096 only' },
  { file: 'src/engine/keys/create.ts', says: 'RSA keys are made with 3072 bits', why: 'the contract allows 3072 and 4096 only' },
  { file: 'src/engine/keys/create.ts', says: 'The comment must be text.', why: 'the contract makes it a string' },
  { file: 'src/engine/keys/passphrase.ts', says: 'is missing.', why: 'the contract makes it a string' },
  { file: 'src/engine/profile/load.ts', says: 'The cluster profile', why: 'profiles are loaded when the app starts (--profile), before any window' },
  { file: 'src/engine/profile/load.ts', says: 'No built-in profile is named', why: 'profiles are loaded when the app starts' },
  { file: 'src/host/tasks.ts', says: 'A task with this id is already running.', why: 'the renderer makes a new UUID for every task' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

/** Each `new EngineError(...)` call in `source`: its whole text (parentheses matched) and line. */
export function engineErrorCalls(source: string): Array<{ text: string; line: number }> {
  const calls: Array<{ text: string; line: number }> = [];
  for (const m of source.matchAll(/new EngineError\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    let quote: string | null = null;
    for (; i < source.length && depth > 0; i++) {
      const c = source[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
    }
    calls.push({ text: source.slice(m.index, i), line: source.slice(0, m.index).split('\n').length });
  }
  return calls;
}

/** The calls that lack a reason and are neither 'internal' nor listed as unreachable. */
export function refusalsWithoutReason(files: Array<{ file: string; source: string }>): string[] {
  const out: string[] = [];
  for (const { file, source } of files) {
    for (const call of engineErrorCalls(source)) {
      if (/\breason\b/.test(call.text) || /^new EngineError\(\s*'internal'/.test(call.text)) continue;
      if (UNREACHABLE_FROM_THE_WIZARD.some((u) => u.file === file && call.text.includes(u.says))) continue;
      out.push(`${file}:${call.line} ${call.text.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
  }
  return out;
}

const engineFiles = [...sourceFiles('src/engine'), ...sourceFiles('src/host')].map((file) => ({ file: file.split(path.sep).join('/'), source: readFileSync(file, 'utf8') }));

describe('engine refusals a person can meet', () => {
  it('the rule notices a refusal without a reason (it can fail)', () => {
    const source = [
      "throw new EngineError('busy', `Another one (${pid}) runs.`, { hint: 'Wait.' });",
      "throw new EngineError('busy', 'Locked.', { reason: reason('busy-lock', { lock }) });",
      "throw new EngineError('internal', 'Odd.');",
    ].join('\n');
    expect(refusalsWithoutReason([{ file: 'src/engine/x.ts', source }])).toEqual(["src/engine/x.ts:1 new EngineError('busy', `Another one (${pid}) runs.`, { hint: 'Wait.' })"]);
  });

  it('each carries a reason (the unreachable ones are listed with why)', () => {
    expect(engineFiles.reduce((n, f) => n + engineErrorCalls(f.source).length, 0)).toBeGreaterThan(100);
    expect(refusalsWithoutReason(engineFiles)).toEqual([]);
  });

  it('the list of unreachable ones names only refusals that still exist', () => {
    for (const u of UNREACHABLE_FROM_THE_WIZARD) {
      const f = engineFiles.find((e) => e.file === u.file);
      expect(f && engineErrorCalls(f.source).some((c) => c.text.includes(u.says)), `${u.file}: ${u.says}`).toBe(true);
    }
  });
});
