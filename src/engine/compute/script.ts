/**
 * The one remote shell script behind the compute-node check and fix. Pure: text in,
 * text out, so the quoting is unit-tested without a cluster.
 *
 * How it travels: the script and every value are base64 (only [A-Za-z0-9+/=], harmless
 * unquoted in sh, bash, zsh, csh/tcsh and fish), so the remote command is
 *   echo <script as base64> | base64 -d | sh -s -- <mode> <key as base64> <folder as base64>
 * whatever the user's login shell is. The script decodes the values itself and only ever
 * uses them inside double quotes; the key is appended with printf '%s\n', never evaluated.
 */

export const BEGIN = '@@mila-onboard-begin';
export const END = '@@mila-onboard-end';

export type ScriptMode = 'check' | 'fix';

export const COMPUTE_SCRIPT = `set -u
mode=$1
key=$(printf '%s' "$2" | base64 -d) || exit 3
spec=$(printf '%s' "$3" | base64 -d) || exit 3
case $spec in
  '~/'*) sshdir=$HOME/\${spec#'~/'} ;;
  /*) sshdir=$spec ;;
  *) echo "${BEGIN}"; echo "@@error=bad-folder"; echo "${END}"; exit 3 ;;
esac
sshdir=\${sshdir%/}
home=$(dirname -- "$sshdir")
ak=$sshdir/authorized_keys
blob=$(printf '%s\\n' "$key" | awk 'NR==1 {print $2}')
modeof() { stat -L -c %a -- "$1" 2>/dev/null || stat -L -f %Lp -- "$1" 2>/dev/null; }
loose() { [ -n "$1" ] && [ $(( 0$1 & $2 )) -ne 0 ]; }
haskey() { [ -n "$blob" ] && [ -f "$ak" ] && grep -q -F -e "$blob" -- "$ak"; }
report() {
  echo "@@home=$home"
  echo "@@home_mode=$(modeof "$home")"
  echo "@@ssh_dir=$sshdir"
  if [ -d "$sshdir" ]; then echo "@@ssh_exists=1"; echo "@@ssh_mode=$(modeof "$sshdir")"; else echo "@@ssh_exists=0"; fi
  echo "@@ak=$ak"
  if [ -f "$ak" ]; then echo "@@ak_exists=1"; echo "@@ak_mode=$(modeof "$ak")"; else echo "@@ak_exists=0"; fi
  if haskey; then echo "@@has_key=1"; else echo "@@has_key=0"; fi
}
echo "${BEGIN}"
if [ "$mode" = fix ]; then
  umask 077
  if loose "$(modeof "$home")" 022; then chmod go-w -- "$home" && echo "@@did=home-mode"; fi
  if [ ! -d "$sshdir" ]; then mkdir -p -m 700 -- "$sshdir" && echo "@@did=mkdir"; fi
  if loose "$(modeof "$sshdir")" 077; then chmod 700 -- "$sshdir" && echo "@@did=ssh-mode"; fi
  if [ ! -e "$ak" ]; then : > "$ak" && echo "@@did=create-ak"; fi
  if ! haskey; then
    if [ -s "$ak" ] && [ -n "$(tail -c 1 -- "$ak")" ]; then printf '\\n' >> "$ak"; fi
    printf '%s\\n' "$key" >> "$ak" && echo "@@did=add-key"
  fi
  if loose "$(modeof "$ak")" 077; then chmod 600 -- "$ak" && echo "@@did=ak-mode"; fi
fi
report
echo "${END}"
`;

const SAFE_ARG = /^[A-Za-z0-9+/=._:-]+$/;

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** `echo <b64 script> | base64 -d | sh -s -- args...`: arguments must be shell-inert (base64, numbers, host names). */
export function shPipeline(script: string, args: readonly string[]): string {
  for (const a of args) if (!SAFE_ARG.test(a)) throw new Error(`unsafe remote argument: ${JSON.stringify(a)}`);
  return `echo ${b64(script)} | base64 -d | sh -s -- ${args.join(' ')}`;
}

/** The remote command for a check or a fix. The key line and folder travel as base64 data. */
export function computeCommand(mode: ScriptMode, publicKeyLine: string, remoteSshDir: string): string {
  if (/[\r\n]/.test(publicKeyLine)) throw new Error('a public key is one line');
  return shPipeline(COMPUTE_SCRIPT, [mode, b64(publicKeyLine), b64(remoteSshDir)]);
}

export interface ScriptReport {
  home: string;
  homeMode: string | null;
  sshDir: string;
  sshExists: boolean;
  sshMode: string | null;
  ak: string;
  akExists: boolean;
  akMode: string | null;
  hasKey: boolean;
  did: string[];
  error: string | null;
}

/** The `@@name=value` lines between the markers (null when the markers are missing: the script did not run). */
export function parseScriptOutput(output: string): ScriptReport | null {
  const lines = output.split('\n').map((l) => l.replace(/\r$/, ''));
  const b = lines.indexOf(BEGIN);
  const e = lines.indexOf(END, b + 1);
  if (b < 0 || e < 0) return null;
  const values = new Map<string, string>();
  const did: string[] = [];
  for (const l of lines.slice(b + 1, e)) {
    const m = /^@@([a-z_]+)=(.*)$/.exec(l);
    if (!m) continue;
    if (m[1] === 'did') did.push(m[2]!);
    else values.set(m[1]!, m[2]!);
  }
  const mode = (k: string) => {
    const v = values.get(k);
    return v && /^[0-7]{3,4}$/.test(v) ? v : null;
  };
  return {
    home: values.get('home') ?? '',
    homeMode: mode('home_mode'),
    sshDir: values.get('ssh_dir') ?? '',
    sshExists: values.get('ssh_exists') === '1',
    sshMode: mode('ssh_mode'),
    ak: values.get('ak') ?? '',
    akExists: values.get('ak_exists') === '1',
    akMode: mode('ak_mode'),
    hasKey: values.get('has_key') === '1',
    did,
    error: values.get('error') ?? null,
  };
}

/** A word for a POSIX shell: single-quoted unless plainly safe. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function loose(mode: string | null, mask: number): boolean {
  return mode !== null && (parseInt(mode, 8) & mask) !== 0;
}

export interface Assessment {
  homeWritableByOthers: boolean;
  sshOk: boolean;
  akOk: boolean;
  ok: boolean;
  problems: string[];
  /** What the fix runs, in order, as a person would type it. */
  commands: string[];
}

/** What is wrong and the exact commands the fix script runs for it (same conditions as the script). */
export function assess(r: ScriptReport, publicKeyLine: string): Assessment {
  const problems: string[] = [];
  const commands: string[] = [];
  const homeWritableByOthers = loose(r.homeMode, 0o022);
  if (homeWritableByOthers) {
    problems.push(`Your cluster home ${r.home} can be changed by other users (mode ${r.homeMode}), so OpenSSH on the compute nodes ignores your keys.`);
    commands.push(`chmod go-w ${shellQuote(r.home)}`);
  }
  if (!r.sshExists) {
    problems.push(`${r.sshDir} does not exist on the cluster.`);
    commands.push(`mkdir -p -m 700 ${shellQuote(r.sshDir)}`);
  } else if (loose(r.sshMode, 0o077)) {
    problems.push(`${r.sshDir} is open to other users (mode ${r.sshMode}); it should be 700.`);
    commands.push(`chmod 700 ${shellQuote(r.sshDir)}`);
  }
  if (!r.akExists) {
    problems.push(`${r.ak} does not exist.`);
    commands.push(`(umask 077 && : > ${shellQuote(r.ak)})`);
  }
  if (!r.hasKey) {
    if (r.akExists) problems.push(`${r.ak} does not hold your public key.`);
    commands.push(`printf '%s\\n' ${shellQuote(publicKeyLine)} >> ${shellQuote(r.ak)}`);
  }
  if (r.akExists && loose(r.akMode, 0o077)) {
    problems.push(`${r.ak} is open to other users (mode ${r.akMode}); it should be 600.`);
    commands.push(`chmod 600 ${shellQuote(r.ak)}`);
  }
  const sshOk = r.sshExists && !loose(r.sshMode, 0o077);
  const akOk = r.akExists && r.hasKey && !loose(r.akMode, 0o077);
  return { homeWritableByOthers, sshOk, akOk, ok: problems.length === 0, problems, commands };
}
