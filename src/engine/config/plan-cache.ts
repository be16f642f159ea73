import type { EngineContext } from '../context.js';
import type { ParsedInput, PlanInternals } from './plan.js';
import type { Deps } from './state.js';

/**
 * The last plan, kept by whoever shows plans and then writes them (the host, the CLI's
 * `config apply`), so that apply right after plan (the user saw the diff, then pressed
 * Write) does not redo the work, ssh -G runs included. The caller creates it and passes it
 * in ConfigDeps.plans; without one, every call works from scratch and nothing is shared.
 *
 * A plan is reused only for the very same bytes, inputs, profile and dependencies, and
 * briefly. Safe by construction: apply re-reads and re-hashes the file under its lock, and
 * verifies the written file with ssh -G anyway.
 */
export class PlanCache {
  private last: { key: string; at: number; internals: PlanInternals; fs: unknown; runSsh: unknown } | null = null;

  constructor(
    /** How long a plan stays usable. */
    private readonly maxAgeMs = 10 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(ctx: EngineContext, input: ParsedInput, d: Deps, internals: PlanInternals): void {
    this.last = { key: planKey(ctx, input, internals.plan.hash, d), at: this.now(), internals, fs: d.fs, runSsh: d.runSsh };
  }

  /** The plan remembered for exactly these bytes (by hash) and inputs, if it is recent; else null. */
  recall(ctx: EngineContext, input: ParsedInput, hash: string, d: Deps): PlanInternals | null {
    const last = this.last;
    if (!last || last.fs !== d.fs || last.runSsh !== d.runSsh) return null;
    if (this.now() - last.at > this.maxAgeMs || last.key !== planKey(ctx, input, hash, d)) return null;
    return last.internals;
  }
}

function planKey(ctx: EngineContext, input: ParsedInput, hash: string, d: Deps): string {
  // Only the plan's own inputs: apply's expectedHash is the `hash` here.
  const { user, identity, variant, onConflict, removeBom } = input;
  return JSON.stringify([ctx.sshDir, ctx.platform, ctx.profile, { user, identity, variant, onConflict, removeBom }, hash, d.home, d.controlDir]);
}
