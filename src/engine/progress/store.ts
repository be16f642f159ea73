import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProgressSchema, type ProgressDto } from '../../shared/contract/app.js';
import type { EngineContext } from '../context.js';
import { atomicReplace, ensurePrivateDir, nodeFs } from '../files/index.js';

/**
 * The wizard's progress (step, chosen key, username, variant, finished steps), kept in the
 * app's own state folder, one file per SSH folder. Never a secret: the schema has no room
 * for one, and it is validated both ways.
 */
function progressFile(ctx: EngineContext): string {
  const id = createHash('sha256').update(`${ctx.sshDir}\0${ctx.profile.id}`).digest('hex').slice(0, 16);
  return path.join(ctx.stateDir, `progress-${id}.json`);
}

export async function readProgress(ctx: EngineContext): Promise<ProgressDto | null> {
  try {
    const parsed = ProgressSchema.safeParse(JSON.parse(await readFile(progressFile(ctx), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // none yet, or unreadable: start from the beginning
  }
}

export async function writeProgress(ctx: EngineContext, progress: ProgressDto): Promise<void> {
  const data = ProgressSchema.parse(progress);
  await ensurePrivateDir(nodeFs, ctx.stateDir);
  await atomicReplace(nodeFs, progressFile(ctx), Buffer.from(JSON.stringify(data, null, 2) + '\n'), 0o600);
}
