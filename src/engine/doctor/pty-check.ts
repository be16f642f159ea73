import { EngineError } from '../errors.js';
import { answerPrompts } from '../openssh/conversation.js';
import { runInPty } from '../openssh/pty-session.js';
import type { DoctorCheckDto } from '../../shared/contract/connect.js';
import { failedCheck, why } from './finding.js';

/**
 * "Can this computer start OpenSSH in a terminal?" Runs `ssh -V` through the same
 * pseudo-terminal path that creates keys and logs in (runInPty: node-pty loaded the way the
 * app loads it, the macOS spawn-helper check, the filtered environment). When this fails,
 * every step that asks a passphrase or a code would fail too, so the doctor says it first,
 * with the plain reason and the fix (never node-pty's bare "posix_spawnp failed").
 */
export async function checkPty(timeoutMs = 15_000): Promise<DoctorCheckDto> {
  const next = 'Reinstall Mila Onboard. If it still fails, contact IT support with this message.';
  try {
    const r = await runInPty({
      program: 'ssh',
      args: ['-V'],
      timeoutMs,
      onPrompt: answerPrompts('ssh', { job: 'no-questions' }),
    });
    // `ssh -V` prints its version ("OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.17 …") on stderr, which the terminal shows.
    const version = /OpenSSH[_\w.\-+ ]*?(?=,|\s*$)/m.exec(r.output)?.[0]?.trim();
    if (r.exitCode === 0 && version) return { id: 'pty', status: 'ok', message: `This computer can start OpenSSH in a terminal (${version}).`, next: '', reason: why('pty-ok', { version }) };
    const said = r.output.trim().split('\n').slice(-3).join(' ').slice(0, 300);
    return {
      id: 'pty',
      status: 'fail',
      message: `OpenSSH started in a terminal but did not report its version (exit code ${r.exitCode}${said ? `: ${said}` : ''}).`,
      next,
      reason: why('pty-no-version', { exitCode: r.exitCode }),
      ...(said ? { openssh: r.output.trim().split('\n').slice(-3).join('\n') } : {}),
    };
  } catch (err) {
    if (err instanceof EngineError) return { ...failedCheck('pty', err), next: err.hint ?? next };
    const failed = failedCheck('pty', err);
    return { ...failed, message: `This computer could not start OpenSSH in a terminal: ${(err as Error)?.message ?? String(err)}`, next };
  }
}
