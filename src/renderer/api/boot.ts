// Imported first by main.tsx, so this runs before React's own modules are evaluated.
import { startBoot } from './prefetch.js';

void startBoot();
