import { readProgress, writeProgress } from '../../engine/progress/store.js';
import { undoAll } from '../../engine/undo.js';
import type { appChannels } from '../../shared/contract/app.js';
import { APP_VERSION } from '../../shared/version.js';
import { clusterInfo } from '../clusters.js';
import type { HandlersFor } from './scope.js';

export const appHandlers: HandlersFor<typeof appChannels> = {
  'app.info': async (_input, { ctx, front, clusters }) => ({
    version: APP_VERSION,
    platform: ctx.platform,
    sshDir: ctx.sshDir,
    profile: {
      id: ctx.profile.id,
      name: ctx.profile.name,
      alias: ctx.profile.alias,
      docs: ctx.profile.links.docs,
      support: ctx.profile.links.support,
      onboardingTraining: ctx.profile.links.onboardingTraining,
      mfaKind: ctx.profile.mfa.kind,
      fingerprintsPublished: ctx.profile.login.fingerprintsPublished,
      keyRegistration: ctx.profile.keys.registration,
    },
    front,
    clusters: (clusters ?? [ctx]).map((c, i) => clusterInfo(c, i === 0)),
  }),
  'changes.undoAll': async (_input, { ctx }) => undoAll(ctx),
  'progress.get': async (_input, { ctx }) => ({ progress: await readProgress(ctx) }),
  'progress.set': async (input, { ctx }) => {
    await writeProgress(ctx, input.progress);
    return { saved: true };
  },
};
