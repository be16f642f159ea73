/**
 * What the Done step's checks found (shared/contract/reasons.ts DOCTOR_CODES): for each code a
 * `message` and, when there is something to do, a `next`; `item` holds the parts a finding lists
 * one per line. Mounted as en.ts `doctor`; fr-doctor.ts says the same in French.
 */
export const enDoctor = {
  'pty-ok': {
    message: 'This computer can start OpenSSH in a terminal ({{version}}).',
  },
  'pty-no-version': {
    message: 'OpenSSH started in a terminal but did not report its version (exit code {{exitCode}}); what it printed is below.',
    next: 'Reinstall Mila Onboard. If it still fails, contact IT support with this message.',
  },
  'key-missing': {
    message: 'The key your connection uses does not exist ({{file}}).',
    next: 'Create a key (step “Create a key”), or choose your existing key, then write the connection settings again.',
  },
  'key-unreadable': {
    message: 'Your account cannot read {{file}}.',
    next: 'Check that your user account owns this file.',
  },
  'key-not-private': {
    message: '{{file}} is not an SSH private key.',
    next: 'Choose your private key (the file without .pub), then write the connection settings again.',
  },
  'key-putty': {
    message: '{{file}} is a PuTTY key, which OpenSSH cannot use.',
    next: 'Convert it: in PuTTYgen, Conversions → Export OpenSSH key.',
  },
  'key-too-open': {
    message: 'Other users of this computer can read {{file}} (mode {{mode}}), so OpenSSH refuses to use it.',
    next: 'Fix it in the “Your SSH keys” step, or run: chmod 600 {{file}}',
  },
  'key-public-missing': {
    message: '{{file}} is usable, but its public half ({{file}}.pub) is missing or unreadable.',
    next: 'Make it again from the private key (step “Your public key”).',
  },
  'key-public-mismatch': {
    message: '{{file}}.pub belongs to a different key than {{file}}.',
    next: 'Make the public key again from the private key (step “Your public key”).',
  },
  'key-unprotected': {
    message: '{{file}} ({{type}}, {{fingerprint}}) is usable, but not protected by a passphrase.',
    next: 'Add a passphrase (step “Your SSH keys”).',
  },
  'key-protected': {
    message: '{{file}} ({{type}}, {{fingerprint}}) is usable and protected by a passphrase.',
  },
  'key-usable': {
    message: '{{file}} ({{type}}, {{fingerprint}}) is usable.',
  },
  'config-missing': {
    message: 'There is no SSH settings file at {{file}}, so “ssh {{alias}}” does not know the cluster.',
    next: 'Write the connection settings (step “Connection settings”).',
  },
  'config-writable': {
    message: 'Other users of this computer can change {{file}} (mode {{mode}}), so OpenSSH refuses to read it.',
    next: 'Remove their write access with the button below, or run: chmod go-w {{file}}',
  },
  'config-unreadable': {
    message: 'OpenSSH cannot read {{file}} (exit code {{exitCode}}; its message is below).',
    next: 'Correct the line it names, or write the connection settings again.',
  },
  'config-wrong': {
    message: '“ssh {{alias}}” would not use the cluster’s settings:',
    next: 'Write the connection settings again (step “Connection settings”).',
  },
  'config-not-ours': {
    message: '“ssh {{alias}}” reaches {{host}} port {{port}} as user {{user}}, but these settings were not written by Mila Onboard.',
    next: 'Check that {{user}} is your cluster username, or let Mila Onboard write the settings.',
  },
  'config-partial': {
    message: '“ssh {{alias}}” reaches {{host}} port {{port}} as {{user}}, with {{key}}, checked on a copy of your settings that left out:',
    next: 'Check that the left-out lines do not change the cluster’s settings.',
  },
  'config-ok': {
    message: '“ssh {{alias}}” reaches {{host}} port {{port}} as {{user}}, with {{key}} (checked with OpenSSH).',
  },
  'permissions-ok': {
    message: 'Only you can change {{dir}}, your settings and known hosts.',
  },
  'permissions-unsafe': {
    message: 'Other users of this computer can change these files. OpenSSH refuses a settings file like that, and anyone who can write known_hosts can make this computer trust their server:',
    next: 'Remove their write access with the button below, or run: chmod go-w {{paths}}',
  },
  'permissions-unsafe-others': {
    message: 'Other users of this computer can change these files. OpenSSH refuses a settings file like that, and anyone who can write known_hosts can make this computer trust their server:',
    next: 'These belong to another user: {{others}}. Ask an administrator to fix them; the button below fixes the others.',
  },
  'known-hosts-none-confirmed': {
    message: '{{file}} records no key for {{names}}, so OpenSSH refuses to connect.',
    next: 'Look at the keys the server presents and confirm them (step “Trust the cluster”): {{profile}} publishes no fingerprints to verify them.',
  },
  'known-hosts-confirmed': {
    message: '{{file}} records the keys you confirmed ({{types}}) for {{names}}; {{profile}} publishes no fingerprints, so they could not be verified.',
  },
  'known-hosts-missing': {
    message: '{{file}} does not record the cluster’s verified host keys, so OpenSSH refuses to connect.',
    next: 'Verify and record them (step “Trust the cluster”).',
  },
  'known-hosts-stale': {
    message_one: '{{file}} records the cluster’s verified keys ({{types}}), but also one other key for it (line {{lines}}): OpenSSH would also accept a server presenting it, which is not the cluster.',
    message_other: '{{file}} records the cluster’s verified keys ({{types}}), but also {{count}} other keys for it (lines {{lines}}): OpenSSH would also accept a server presenting one of them, which is not the cluster.',
    next: 'Remove them in the step “Trust the cluster” (a backup is kept).',
  },
  'known-hosts-ok': {
    message: '{{file}} records the cluster’s verified host keys ({{types}}) for {{names}}.',
  },
  'compute-keys-missing': {
    message: 'The compute nodes’ host keys are not recorded yet ({{patterns}}): the first connection to a compute node will ask you to confirm its fingerprint.',
    next: 'Record them over a login (step “Compute nodes”).',
  },
  'compute-keys-missing-unpublished': {
    message: 'The compute nodes’ host keys are not recorded yet ({{patterns}}): the first connection to a compute node will ask you to confirm its fingerprint.',
    next: '{{profile}} publishes no compute-node fingerprints: the first connection to a compute node shows its fingerprint and asks; it cannot be verified.',
  },
  'compute-keys-missing-compare': {
    message: 'The compute nodes’ host keys are not recorded yet ({{patterns}}): the first connection to a compute node will ask you to confirm its fingerprint.',
    next: 'Compare the fingerprint shown with the published compute-node fingerprints ({{docs}}) before answering yes.',
  },
  'compute-keys-stale': {
    message_one: 'known_hosts holds one other key for the compute nodes (line {{lines}}).',
    message_other: 'known_hosts holds {{count}} other keys for the compute nodes (lines {{lines}}).',
    next: 'Check those lines; the command mila-onboard compute trust --remove-stale removes them (a backup is kept).',
  },
  'compute-keys-ok': {
    message: 'The compute nodes’ verified host keys ({{types}}) are recorded for {{patterns}}.',
  },
  'agent-unknown': {
    message: 'The SSH agent could not be asked.',
    next: 'OpenSSH will ask for your key’s passphrase at each connection.',
  },
  'agent-unreachable': {
    message: 'No SSH agent is reachable from Mila Onboard.',
    next: 'Without an agent, OpenSSH asks for your key’s passphrase at each connection.',
  },
  'agent-ok': {
    message: 'The SSH agent holds your key ({{fingerprint}}).',
  },
  'agent-without-key': {
    message: 'The SSH agent is running, but it does not hold your key ({{fingerprint}}).',
    next: 'Add your key below, so that its passphrase is asked once per session.',
  },
  'agent-running': {
    message: 'The SSH agent is running.',
    next: 'Add your key below, so that its passphrase is asked once per session.',
  },
  'reach-ok': {
    message: '{{host}} port {{port}} answers ({{banner}}).',
  },
  'reach-refused': {
    message: '{{host}} refused the connection on port {{port}}.',
    next: 'After several failed logins the cluster blocks your address for about an hour: wait, then try again. If it persists, contact IT support.',
  },
  'reach-timeout': {
    message: '{{host}} port {{port}} did not answer within {{seconds}} s.',
    next: 'Check your internet connection; some networks block SSH: try another network or a VPN.',
  },
  'reach-dns': {
    message: 'This computer could not find the address of {{host}}.',
    next: 'Check that you are connected to the internet.',
  },
  'reach-network': {
    message: 'This computer has no network route to {{host}} ({{detail}}).',
    next: 'Check your internet connection (Wi-Fi, VPN).',
  },
  'reach-not-ssh': {
    message: '{{host}} port {{port}} answered, but not as an SSH server.',
    next: 'A network filter may be in the way: try another network.',
  },
  'check-error': {
    message: 'This check could not be made.',
  },
  'check-failed': {
    message: 'This check failed in a way Mila Onboard did not foresee (details below).',
    next: 'Try again. If it keeps failing, contact IT support.',
  },
  item: {
    'setting-wrong': '{{option}} is {{found}}, expected {{expected}}',
    'setting-unset': '{{option}} is not set, expected {{expected}}',
    'identity-missing': 'IdentityFile does not name {{file}}',
    'left-out-exec': '“Match exec” at {{where}}, taken as not matching: Mila Onboard never runs commands from your settings',
    'left-out-include': '“{{line}}”, which could not be followed for certain',
    'writable-folder': 'your SSH folder {{path}} (mode {{mode}})',
    'writable-config': 'your SSH settings {{path}} (mode {{mode}})',
    'writable-known-hosts': 'your known hosts {{path}} (mode {{mode}})',
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type DoctorTexts = Widen<typeof enDoctor>;
