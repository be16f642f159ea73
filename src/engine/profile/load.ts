import { readFile } from 'node:fs/promises';
import fir from '../../../profiles/fir.json' with { type: 'json' };
import killarney from '../../../profiles/killarney.json' with { type: 'json' };
import mila from '../../../profiles/mila.json' with { type: 'json' };
import narval from '../../../profiles/narval.json' with { type: 'json' };
import nibi from '../../../profiles/nibi.json' with { type: 'json' };
import rorqual from '../../../profiles/rorqual.json' with { type: 'json' };
import tamia from '../../../profiles/tamia.json' with { type: 'json' };
import trilliumGpu from '../../../profiles/trillium-gpu.json' with { type: 'json' };
import trillium from '../../../profiles/trillium.json' with { type: 'json' };
import vulcan from '../../../profiles/vulcan.json' with { type: 'json' };
import { EngineError } from '../errors.js';
import { ClusterProfileSchema, type ClusterProfile } from './schema.js';

/**
 * Shipped with the app (bundled into the build by these imports, and copied as files by
 * electron-builder's `profiles/**`). Mila first: it is the default. The Alliance's clusters
 * share one account (CCDB) and publish no host-key fingerprints.
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, unknown>> = {
  mila,
  narval,
  rorqual,
  fir,
  nibi,
  trillium,
  'trillium-gpu': trilliumGpu,
  tamia,
  killarney,
  vulcan,
};

export function parseProfile(data: unknown, source: string): ClusterProfile {
  const result = ClusterProfileSchema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first ? first.path.join('.') : '';
    // One line per problem (at most 5): a new institution's file often has several.
    const more = result.error.issues.slice(1, 5).map((i) => `"${i.path.join('.')}": ${i.message}`);
    throw new EngineError(
      'invalid-input',
      `The cluster profile ${source} is not valid${where ? ` at "${where}"` : ''}: ${first?.message ?? 'unknown problem'}.${more.length ? ` Also: ${more.join('; ')}.` : ''}`,
      { hint: 'Start from a valid profile: mila-onboard profile show narval --json > my.json (docs/profile.md lists every field).' },
    );
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
