/**
 * The window's size and position, remembered between runs in a small JSON file in the
 * app's userData folder. Pure functions decide everything (what a valid saved state is,
 * where the window goes given today's displays); the two file helpers only read and
 * write. A missing, unreadable or odd file simply means "default size, centred".
 * No `electron` import: main.ts passes the displays' work areas in.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The window's normal (not maximized) bounds, in screen coordinates. */
  bounds: Rect;
  maximized: boolean;
}

/** Where and how big to open the window. No x/y means "let the OS centre it". */
export interface Placement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Size {
  width: number;
  height: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';
const FORMAT_VERSION = 1;
/** Larger than any real screen setup; anything beyond is a corrupt file, not a window. */
const MAX_COORD = 100_000;

const isCoord = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_COORD;
const isLength = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_COORD;

/** A saved state, or null when `data` is not exactly what writeWindowState writes. */
export function parseWindowState(data: unknown): WindowState | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.version !== FORMAT_VERSION) return null;
  const b = d.bounds as Record<string, unknown> | undefined;
  if (typeof b !== 'object' || b === null) return null;
  if (!isCoord(b.x) || !isCoord(b.y) || !isLength(b.width) || !isLength(b.height)) return null;
  if (typeof d.maximized !== 'boolean') return null;
  return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: d.maximized };
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/**
 * Where to open the window: the saved bounds, moved and shrunk as little as needed to lie
 * wholly inside the work area of the display it overlaps most (a monitor unplugged since,
 * a smaller resolution, a taskbar that moved). A window on no display at all goes to the
 * primary display (the first of `workAreas`). Without a saved state, or without any
 * display information, the default size, centred by the OS.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], opts: { defaultSize: Size; minSize: Size }): Placement {
  const areas = workAreas.filter((a) => isLength(a.width) && isLength(a.height) && isCoord(a.x) && isCoord(a.y));
  if (!saved || areas.length === 0) return { width: opts.defaultSize.width, height: opts.defaultSize.height, maximized: false };
  let best = areas[0]!;
  let bestOverlap = overlapArea(saved.bounds, best);
  for (const area of areas.slice(1)) {
    const o = overlapArea(saved.bounds, area);
    if (o > bestOverlap) {
      best = area;
      bestOverlap = o;
    }
  }
  // Never larger than the display; never smaller than the minimum unless the display is.
  const width = Math.min(Math.max(saved.bounds.width, opts.minSize.width), best.width);
  const height = Math.min(Math.max(saved.bounds.height, opts.minSize.height), best.height);
  if (bestOverlap === 0) {
    // Off every screen: centre it on the primary display.
    return {
      x: best.x + Math.floor((best.width - width) / 2),
      y: best.y + Math.floor((best.height - height) / 2),
      width,
      height,
      maximized: saved.maximized,
    };
  }
  return {
    x: clamp(saved.bounds.x, best.x, best.x + best.width - width),
    y: clamp(saved.bounds.y, best.y, best.y + best.height - height),
    width,
    height,
    maximized: saved.maximized,
  };
}

/** Reads the saved state; any problem (no file, bad JSON, odd values) gives null. */
export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Writes the state (write to a temporary file, then rename, so a crash never leaves half
 * a file). Returns false instead of throwing: losing the window position is never worth
 * an error message.
 */
export function writeWindowState(file: string, state: WindowState): boolean {
  const clean = parseWindowState({ version: FORMAT_VERSION, bounds: state.bounds, maximized: state.maximized });
  if (!clean) return false;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, `${JSON.stringify({ version: FORMAT_VERSION, ...clean }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
