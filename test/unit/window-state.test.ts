/**
 * Window size and position remembered between runs (src/main/window-state.ts): what a
 * valid saved file is, where the window goes on today's displays, and the file round trip.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { menuTemplate } from '../../src/main/menu.js';
import { windowOptions } from '../../src/main/security.js';
import { parseWindowState, placeWindow, readWindowState, writeWindowState, type Rect, type WindowState } from '../../src/main/window-state.js';

const opts = { defaultSize: { width: 1100, height: 760 }, minSize: { width: 900, height: 600 } };
const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 }; // a 1080p work area under a taskbar
const rightMonitor: Rect = { x: 1920, y: -200, width: 2560, height: 1400 };
const state = (x: number, y: number, width = 1000, height = 700, maximized = false): WindowState => ({ bounds: { x, y, width, height }, maximized });

describe('parseWindowState', () => {
  it('accepts exactly what writeWindowState writes', () => {
    expect(parseWindowState({ version: 1, bounds: { x: -10, y: 20, width: 1000, height: 700 }, maximized: true })).toEqual(state(-10, 20, 1000, 700, true));
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['no version', { bounds: { x: 0, y: 0, width: 1, height: 1 }, maximized: false }],
    ['a future version', { version: 2, bounds: { x: 0, y: 0, width: 1, height: 1 }, maximized: false }],
    ['no bounds', { version: 1, maximized: false }],
    ['a string coordinate', { version: 1, bounds: { x: '0', y: 0, width: 800, height: 600 }, maximized: false }],
    ['a fractional size', { version: 1, bounds: { x: 0, y: 0, width: 800.5, height: 600 }, maximized: false }],
    ['a zero width', { version: 1, bounds: { x: 0, y: 0, width: 0, height: 600 }, maximized: false }],
    ['a negative height', { version: 1, bounds: { x: 0, y: 0, width: 800, height: -600 }, maximized: false }],
    ['an absurd coordinate', { version: 1, bounds: { x: 1e9, y: 0, width: 800, height: 600 }, maximized: false }],
    ['NaN', { version: 1, bounds: { x: Number.NaN, y: 0, width: 800, height: 600 }, maximized: false }],
    ['maximized as a string', { version: 1, bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: 'yes' }],
  ])('refuses %s', (_name, data) => {
    expect(parseWindowState(data)).toBeNull();
  });
});

describe('placeWindow', () => {
  it('without a saved state: the default size, centred by the OS (no x/y)', () => {
    expect(placeWindow(null, [laptop], opts)).toEqual({ width: 1100, height: 760, maximized: false });
  });

  it('without display information: the defaults too', () => {
    expect(placeWindow(state(100, 100), [], opts)).toEqual({ width: 1100, height: 760, maximized: false });
  });

  it('keeps a window that fits where it was', () => {
    expect(placeWindow(state(100, 80, 1000, 700, true), [laptop], opts)).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
  });

  it('keeps a window on a second monitor, even at negative coordinates', () => {
    expect(placeWindow(state(2000, -150), [laptop, rightMonitor], opts)).toEqual({ x: 2000, y: -150, width: 1000, height: 700, maximized: false });
  });

  it('moves a window that hangs off the edge back inside the display it mostly covers', () => {
    expect(placeWindow(state(1500, 900), [laptop], opts)).toEqual({ x: 920, y: 350, width: 1000, height: 700, maximized: false });
  });

  it('brings back a window left on a monitor that is gone, centred on the primary display', () => {
    expect(placeWindow(state(2500, 100), [laptop], opts)).toEqual({ x: 460, y: 175, width: 1000, height: 700, maximized: false });
  });

  it('shrinks a window larger than today\'s display, and grows one below the minimum size', () => {
    expect(placeWindow(state(0, 0, 3000, 2000), [laptop], opts)).toEqual({ x: 0, y: 0, width: 1920, height: 1050, maximized: false });
    expect(placeWindow(state(10, 10, 300, 200), [laptop], opts)).toEqual({ x: 10, y: 10, width: 900, height: 600, maximized: false });
  });

  it('on a display smaller than the minimum size, the display wins', () => {
    const tiny: Rect = { x: 0, y: 0, width: 800, height: 560 };
    expect(placeWindow(state(0, 0), [tiny], opts)).toEqual({ x: 0, y: 0, width: 800, height: 560, maximized: false });
  });

  it('picks the display the window overlaps most', () => {
    // 1000 wide at x=1500: 420 px on the laptop, 580 on the right monitor.
    expect(placeWindow(state(1500, 100), [laptop, rightMonitor], opts)).toMatchObject({ x: 1920, y: 100 });
  });

  it('ignores display entries that make no sense', () => {
    expect(placeWindow(state(100, 100), [{ x: 0, y: 0, width: 0, height: 0 }], opts)).toEqual({ width: 1100, height: 760, maximized: false });
  });

  it('always returns a window wholly inside one of the displays (property)', () => {
    const rect = fc.record({
      x: fc.integer({ min: -5000, max: 5000 }),
      y: fc.integer({ min: -5000, max: 5000 }),
      width: fc.integer({ min: 640, max: 5000 }),
      height: fc.integer({ min: 480, max: 3000 }),
    });
    fc.assert(
      fc.property(rect, fc.array(rect, { minLength: 1, maxLength: 3 }), fc.boolean(), (bounds, displays, maximized) => {
        const p = placeWindow({ bounds, maximized }, displays, opts);
        expect(p.maximized).toBe(maximized);
        expect(p.x).toBeDefined();
        const inside = displays.some((d) => p.x! >= d.x && p.y! >= d.y && p.x! + p.width <= d.x + d.width && p.y! + p.height <= d.y + d.height);
        expect(inside).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the state file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mila-window-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, leaving no temporary file behind', () => {
    const file = path.join(dir, 'window-state.json');
    expect(writeWindowState(file, state(12, 34, 1000, 700, true))).toBe(true);
    expect(readWindowState(file)).toEqual(state(12, 34, 1000, 700, true));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, bounds: { x: 12, y: 34, width: 1000, height: 700 }, maximized: true });
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('reads a missing, empty or corrupt file as "no state"', () => {
    expect(readWindowState(path.join(dir, 'missing.json'))).toBeNull();
    writeFileSync(path.join(dir, 'empty.json'), '');
    expect(readWindowState(path.join(dir, 'empty.json'))).toBeNull();
    writeFileSync(path.join(dir, 'bad.json'), '{"version":1,"bounds":');
    expect(readWindowState(path.join(dir, 'bad.json'))).toBeNull();
  });

  it('refuses to write nonsense, and reports a folder it cannot write to instead of throwing', () => {
    expect(writeWindowState(path.join(dir, 'odd.json'), state(0, 0, Number.NaN, 10))).toBe(false);
    expect(writeWindowState(path.join(dir, 'no', 'such', 'folder', 'w.json'), state(0, 0))).toBe(false);
  });
});

describe('window options and menu', () => {
  it('windowOptions places the window where window-state says, and keeps the defaults otherwise', () => {
    expect(windowOptions('/p.cjs', { bounds: { x: 5, y: 6, width: 1000, height: 700 } })).toMatchObject({ x: 5, y: 6, width: 1000, height: 700, minWidth: 900 });
    const centred = windowOptions('/p.cjs', { bounds: { width: 1000, height: 700 } });
    expect(centred).not.toHaveProperty('x');
    expect(windowOptions('/p.cjs')).toMatchObject({ width: 1100, height: 760 });
    expect(windowOptions('/p.cjs')).not.toHaveProperty('x');
  });

  it('the Help menu has "IT support" and "Report a problem…", both opening the support link', () => {
    const opened: string[] = [];
    const template = menuTemplate({ platform: 'linux', clusterName: 'Mila', openDocs: () => opened.push('docs'), openSupport: () => opened.push('support') });
    const help = template.find((m) => m.role === 'help')!.submenu as Array<{ label?: string; type?: string; click?: () => void }>;
    expect(help.map((i) => i.label ?? i.type)).toEqual(['Mila documentation', 'separator', 'IT support', 'Report a problem…']);
    for (const item of help) item.click?.();
    expect(opened).toEqual(['docs', 'support', 'support']);
  });
});
