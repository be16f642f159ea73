import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** The cluster's name, from its profile: "Mila". */
  clusterName: string;
  /** Opens the cluster's documentation in the system browser (through the allow-list). */
  openDocs(): void;
}

/**
 * A deliberately small application menu. The Edit menu is there so copy and paste work
 * in text fields on macOS; there is no View menu, so no reload or developer tools
 * shortcut in a packaged build.
 */
export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (opts.platform === 'darwin') template.push({ role: 'appMenu' });
  template.push({ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [{ label: `${opts.clusterName} documentation`, click: () => opts.openDocs() }],
  });
  return template;
}
