/** What the figures were measured on: they mean nothing without it. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]} (${os.type()} ${os.release()}, ${os.arch()})`;
  } catch {
    // not Linux
  }
  return `${os.type()} ${os.release()} (${os.arch()})`;
}

/** A program's version line; OpenSSH prints it on stderr. */
function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return ((r.stdout ?? '') + (r.stderr ?? '')).trim().split('\n')[0] || 'unknown';
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  openssh: string;
  chromium: string;
  date: string;
}

export function describeMachine(extra: Record<string, string> = {}): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: osName(),
    node: process.version,
    openssh: versionOf('ssh', ['-V']),
    chromium: extra.chromium ?? 'not measured in this run',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
