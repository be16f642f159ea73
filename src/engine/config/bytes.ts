/**
 * The config file is handled as a "binary string": one character per byte (latin1).
 * That is lossless for any content (invalid UTF-8, a BOM, CR bytes), so splicing text
 * never re-encodes a byte the user wrote. Only what is shown to people is decoded as UTF-8.
 */
export type Bin = string;

export const BOM_BIN: Bin = '\xEF\xBB\xBF';

export function toBin(buf: Buffer): Bin {
  return buf.toString('latin1');
}

export function fromBin(bin: Bin): Buffer {
  return Buffer.from(bin, 'latin1');
}

/** UTF-8 text (the block we generate, a path typed by the user) as a binary string. */
export function utf8ToBin(text: string): Bin {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** For display only: invalid UTF-8 shows as U+FFFD. */
export function binToDisplay(bin: Bin): string {
  return fromBin(bin).toString('utf8');
}

/** Shared with known_hosts: see src/engine/files/hash.ts. */
export { ABSENT_HASH, hashBytes } from '../files/hash.js';
