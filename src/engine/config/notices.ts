import type { ConfigNotice } from '../../shared/contract/config.js';

/**
 * What the plan tells the user without refusing, as codes: each made in one place with its
 * values (what the wizard says in the user's language) and its English sentence (what the CLI
 * prints and `plan.warnings` holds, in the same order).
 */
export const notice = {
  useKeychainOmitted: (): ConfigNotice => ({
    code: 'use-keychain-omitted',
    params: {},
    text: '"UseKeychain yes" was left out: the ssh on this computer does not know that option (only Apple\'s does).',
  }),
  aliasesCapped: (count: number, max: number): ConfigNotice => ({
    code: 'aliases-capped',
    params: { count: String(count), max: String(max) },
    text: `Your config defines ${count} host aliases; the first ${max} were checked with ssh -G.`,
  }),
  bomRemoved: (): ConfigNotice => ({ code: 'bom-removed', params: {}, text: 'The byte-order mark at the start of the file will be removed (the only change outside the block).' }),
  symlink: (link: string, target: string): ConfigNotice => ({
    code: 'symlink',
    params: { link, target },
    text: `${link} is a link to ${target}; that file is changed and the link stays.`,
  }),
  hardLinks: (file: string): ConfigNotice => ({ code: 'hard-links', params: { file }, text: `${file} has other hard links; they will keep the old content.` }),
  keyMissing: (file: string): ConfigNotice => ({ code: 'key-missing', params: { file }, text: `The key ${file} does not exist yet; create it before connecting.` }),
  folderCreated: (dir: string): ConfigNotice => ({
    code: 'folder-created',
    params: { dir },
    text: `The folder ${dir} does not exist; it will be created (only you can open it).`,
  }),
  keepOwnAlias: (alias: string): ConfigNotice => ({
    code: 'keep-own-alias',
    params: { alias },
    text: `You keep your own "${alias}" entry: the other entries of the block connect through it, and mila-onboard does not check its settings.`,
  }),
  controlDirCreated: (dir: string): ConfigNotice => ({
    code: 'control-dir-created',
    params: { dir },
    text: `Connection sharing needs the folder ${dir}; it will be created (only you can open it).`,
  }),
  /** Why ssh -G could not check (OpenSSH missing): OpenSSH's situation in English, no code. */
  unchecked: (reason: string): ConfigNotice => ({ code: null, params: {}, text: reason }),
};
