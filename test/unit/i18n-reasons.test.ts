import { describe, expect, it } from 'vitest';
import { doctorText, refusalText } from '../../src/renderer/components/reason-text.js';
import { en } from '../../src/renderer/i18n/en.js';
import { fr } from '../../src/renderer/i18n/fr.js';
import { ErrorReasonSchema } from '../../src/shared/contract/common.js';
import type { DoctorCheckDto } from '../../src/shared/contract/connect.js';
import { AGENT_ADVICE_CODES, DOCTOR_CODES, DOCTOR_ITEM_CODES, ENGINE_REASON_CODES } from '../../src/shared/contract/reasons.js';
import { wizardTranslator } from '../fixtures/translator.js';

/**
 * Every code the engine can say to a person (refusals, doctor findings and their parts, the
 * agent's OS-specific advice) has a text in English and in French: the wizard never falls
 * back to the engine's English sentence for a code it was given.
 */

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}
const text = (tree: unknown, key: string): string | null => {
  const v = lookup(tree, key);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
};

/** The keys each code needs, and which of them `messages` lacks (a plural counts when both forms are there). */
export function missingTexts(messages: unknown): string[] {
  const missing: string[] = [];
  const need = (key: string, plural = false) => {
    if (text(messages, key)) return;
    if (plural && text(messages, `${key}_one`) && text(messages, `${key}_other`)) return;
    missing.push(key);
  };
  for (const code of ErrorReasonSchema.shape.code.options) need(`errors.reason.${code}`);
  for (const code of DOCTOR_CODES) need(`doctor.${code}.message`, true);
  for (const code of DOCTOR_ITEM_CODES) need(`doctor.item.${code}`);
  for (const code of AGENT_ADVICE_CODES) need(`agent.advice.${code}`);
  return missing;
}

describe('every code the engine gives has English and French words', () => {
  it('the rule notices a missing text (it can fail)', () => {
    const trimmed = structuredClone(fr) as unknown as { doctor: Record<string, unknown>; errors: { reason: Record<string, unknown> }; agent: { advice: Record<string, unknown> } };
    delete trimmed.doctor['reach-refused'];
    delete trimmed.errors.reason['host-key-mismatch'];
    delete trimmed.agent.advice['windows-stopped'];
    (trimmed.doctor['known-hosts-stale'] as Record<string, unknown>).message_other = '';
    expect(missingTexts(trimmed).sort()).toEqual(['agent.advice.windows-stopped', 'doctor.known-hosts-stale.message', 'doctor.reach-refused.message', 'errors.reason.host-key-mismatch']);
  });

  it('the engine-refusal codes are all reason codes the contract accepts', () => {
    for (const code of ENGINE_REASON_CODES) expect(ErrorReasonSchema.shape.code.options).toContain(code);
    expect(ENGINE_REASON_CODES.length).toBeGreaterThan(80);
    expect(DOCTOR_CODES.length).toBeGreaterThan(40);
  });

  it('English has them all', () => {
    expect(missingTexts(en)).toEqual([]);
  });

  it('French has them all', () => {
    expect(missingTexts(fr)).toEqual([]);
  });
});

describe('saying a doctor finding', () => {
  const check = (over: Partial<DoctorCheckDto> & Pick<DoctorCheckDto, 'reason'>): DoctorCheckDto => ({ id: 'known-hosts', status: 'fail', message: 'English', next: 'English next', ...over });

  it('counts in the language’s own plural forms, never “1 autres”', () => {
    const frT = wizardTranslator('fr').t;
    const base = { file: '/x/known_hosts', types: 'ED25519', names: '[127.0.0.1]:2222', profile: 'Mila' };
    const one = doctorText(check({ reason: { code: 'known-hosts-stale', params: { ...base, count: '1', lines: '3' } } }), frT);
    const two = doctorText(check({ reason: { code: 'known-hosts-stale', params: { ...base, count: '2', lines: '3, 4' } } }), frT);
    expect(one.message).toContain('une autre clé pour elle (ligne 3)');
    expect(two.message).toContain('2\u00a0autres clés pour elle (lignes 3, 4)');
    expect(`${one.message} ${two.message}`).not.toMatch(/\b1\s+autres\b|\{\{/);
    expect(one.next).toContain('Faire confiance à la grappe');
  });

  it('says a check that ended with an engine refusal through that refusal, and the agent’s advice through its code', () => {
    const frT = wizardTranslator('fr').t;
    const failed = doctorText(
      check({ id: 'config', reason: { code: 'check-error', params: {} }, error: { code: 'openssh-missing-linux', params: { program: 'ssh' } } }),
      frT,
    );
    expect(failed.message).toMatch(/^Cette vérification n’a pas pu être faite\. Le programme OpenSSH ssh n’est pas sur cet ordinateur/);
    expect(failed.detail).toBeNull();
    const agent = doctorText(check({ id: 'agent', status: 'warn', reason: { code: 'agent-unreachable', params: { advice: 'windows-disabled', command: 'Start-Service ssh-agent' } } }), frT);
    expect(agent.message).toContain('Le service de l’agent OpenSSH est désactivé');
    expect(agent.message).toContain('Start-Service ssh-agent');
  });

  it('lists a finding’s parts, and keeps the English detail only for a failure nobody foresaw', () => {
    const enT = wizardTranslator('en').t;
    const wrong = doctorText(
      check({
        id: 'config',
        reason: { code: 'config-wrong', params: { alias: 'mila' }, items: [{ code: 'setting-wrong', params: { option: 'Port', found: '22', expected: '2222' } }, { code: 'setting-unset', params: { option: 'User', expected: 'alice' } }] },
      }),
      enT,
    );
    expect(wrong.items).toEqual(['Port is 22, expected 2222', 'User is not set, expected alice']);
    expect(wrong.detail).toBeNull();
    const odd = doctorText(check({ reason: { code: 'check-failed', params: { detail: 'EMFILE: too many open files' } } }), wizardTranslator('fr').t);
    expect(odd.detail).toBe('EMFILE: too many open files');
    expect(odd.message).toContain('n’avait pas prévue');
  });

  it('says a refusal with its values, in each language', () => {
    const reason = { code: 'busy-lock' as const, params: { lock: '/home/a/.ssh/mila-onboard-backups/config.lock' } };
    expect(refusalText(reason, wizardTranslator('en').t)).toBe('Another copy of Mila Onboard is changing these files right now. Wait for it to finish, then try again. If none is running, delete /home/a/.ssh/mila-onboard-backups/config.lock.');
    expect(refusalText(reason, wizardTranslator('fr').t)).toContain('supprimez /home/a/.ssh/mila-onboard-backups/config.lock.');
  });
});
