import { readFile } from 'node:fs/promises';
import milaJson from '../../../profiles/mila.json' with { type: 'json' };
import { EngineError } from '../errors.js';
import { ClusterProfileSchema, type ClusterProfile } from './schema.js';

export const BUILT_IN_PROFILES: Readonly<Record<string, unknown>> = { mila: milaJson };

export function parseProfile(data: unknown, source: string): ClusterProfile {
  const result = ClusterProfileSchema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first ? first.path.join('.') : '';
    throw new EngineError('invalid-input', `The cluster profile ${source} is not valid${where ? ` at "${where}"` : ''}: ${first?.message ?? 'unknown problem'}.`);
  }
  return result.data;
}

/** A built-in profile name (`mila`) or the path of a profile file. */
export async function loadProfile(nameOrFile: string = 'mila'): Promise<ClusterProfile> {
  const builtIn = BUILT_IN_PROFILES[nameOrFile];
  if (builtIn) return parseProfile(builtIn, `"${nameOrFile}"`);
  let text: string;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch {
    throw new EngineError('not-found', `No built-in profile is named "${nameOrFile}", and no file by that name could be read.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new EngineError('invalid-input', `The cluster profile ${nameOrFile} is not valid JSON.`);
  }
  return parseProfile(data, nameOrFile);
}

export function builtInProfile(name = 'mila'): ClusterProfile {
  return parseProfile(BUILT_IN_PROFILES[name], `"${name}"`);
}
