import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** The cluster's name, from its profile: "Mila". */
  clusterName: string;
  /** Opens the cluster's documentation in the system browser (through the allow-list). */
  openDocs(): void;
  /**
   * Opens the cluster's IT support page (the profile's support link, through the
   * allow-list). Without it, the Help menu has no support items.
   */
  openSupport?(): void;
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
  const help: MenuItemConstructorOptions[] = [{ label: `${opts.clusterName} documentation`, click: () => opts.openDocs() }];
  const openSupport = opts.openSupport;
  if (openSupport) {
    // Both go to the support site: that is where IT takes questions and problem reports.
    help.push({ type: 'separator' }, { label: 'IT support', click: () => openSupport() }, { label: 'Report a problem…', click: () => openSupport() });
  }
  template.push({ role: 'help', submenu: help });
  return template;
}
