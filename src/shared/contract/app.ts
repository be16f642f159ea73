import { z } from 'zod';
import { Empty, channel } from './common.js';

export const AppInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  sshDir: z.string(),
  profile: z.object({ id: z.string(), name: z.string(), alias: z.string(), docs: z.string(), support: z.string(), onboardingTraining: z.string().optional() }),
  /** Which front is serving the renderer: the desktop window or the loopback web host. */
  front: z.enum(['desktop', 'web']),
});

export const appChannels = {
  'app.info': channel(Empty, AppInfoSchema),
};
