import type { ComponentType } from 'react';
import type { AppInfo } from './types.js';
import { KeysStep } from './KeysStep.js';
import { WelcomeStep } from './WelcomeStep.js';

export interface StepProps {
  info: AppInfo;
  goNext(): void;
}

export interface StepDef {
  id: string;
  /** i18n key of the step's name in the side list. */
  titleKey: string;
  Component: ComponentType<StepProps>;
}

/** The wizard's path, in the order the seed page walks it. */
export const STEPS: readonly StepDef[] = [
  { id: 'welcome', titleKey: 'steps.welcome', Component: WelcomeStep },
  { id: 'keys', titleKey: 'steps.keys', Component: KeysStep },
];
