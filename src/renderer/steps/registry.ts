import { lazy, type ComponentType } from 'react';
import type { AppInfo } from './types.js';
import { WelcomeStep } from './WelcomeStep.js';

// Every step but the first is loaded when first shown: the first screen needs none of their code.
const ComputeStep = lazy(() => import('./ComputeStep.js').then((m) => ({ default: m.ComputeStep })));
const ConfigStep = lazy(() => import('./ConfigStep.js').then((m) => ({ default: m.ConfigStep })));
const CreateKeyStep = lazy(() => import('./CreateKeyStep.js').then((m) => ({ default: m.CreateKeyStep })));
const DoneStep = lazy(() => import('./DoneStep.js').then((m) => ({ default: m.DoneStep })));
const ExplainStep = lazy(() => import('./ExplainStep.js').then((m) => ({ default: m.ExplainStep })));
const KeysStep = lazy(() => import('./KeysStep.js').then((m) => ({ default: m.KeysStep })));
const LoginStep = lazy(() => import('./LoginStep.js').then((m) => ({ default: m.LoginStep })));
const PublicKeyStep = lazy(() => import('./PublicKeyStep.js').then((m) => ({ default: m.PublicKeyStep })));
const RulesStep = lazy(() => import('./RulesStep.js').then((m) => ({ default: m.RulesStep })));
const TrustStep = lazy(() => import('./TrustStep.js').then((m) => ({ default: m.TrustStep })));

export interface StepProps {
  info: AppInfo;
  goNext(): void;
  goTo(stepId: StepId): void;
}

export interface StepDef {
  id: string;
  /** i18n key of the step's name in the side list (`as const` below keeps it literal, so t() checks it). */
  titleKey: `steps.${string}`;
  Component: ComponentType<StepProps>;
}

/** The wizard's path, in the order the seed page walks it. Its ids are the only ones goTo and markDone take. */
export const STEPS = [
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
] as const satisfies readonly StepDef[];
/** A step of the wizard, by its id: a typo in goTo('…') or markDone('…') does not compile. */
export type StepId = (typeof STEPS)[number]['id'];
