import type { ComponentType } from 'react';
import { ComputeStep } from './ComputeStep.js';
import { ConfigStep } from './ConfigStep.js';
import { CreateKeyStep } from './CreateKeyStep.js';
import { DoneStep } from './DoneStep.js';
import { ExplainStep } from './ExplainStep.js';
import { KeysStep } from './KeysStep.js';
import { LoginStep } from './LoginStep.js';
import { PublicKeyStep } from './PublicKeyStep.js';
import { RulesStep } from './RulesStep.js';
import { TrustStep } from './TrustStep.js';
import type { AppInfo } from './types.js';
import { WelcomeStep } from './WelcomeStep.js';

export interface StepProps {
  info: AppInfo;
  goNext(): void;
  goTo(stepId: string): void;
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
  { id: 'explain', titleKey: 'steps.explain', Component: ExplainStep },
  { id: 'keys', titleKey: 'steps.keys', Component: KeysStep },
  { id: 'create', titleKey: 'steps.create', Component: CreateKeyStep },
  { id: 'public', titleKey: 'steps.public', Component: PublicKeyStep },
  { id: 'config', titleKey: 'steps.config', Component: ConfigStep },
  { id: 'trust', titleKey: 'steps.trust', Component: TrustStep },
  { id: 'login', titleKey: 'steps.login', Component: LoginStep },
  { id: 'compute', titleKey: 'steps.compute', Component: ComputeStep },
  { id: 'rules', titleKey: 'steps.rules', Component: RulesStep },
  { id: 'done', titleKey: 'steps.done', Component: DoneStep },
];
