/** One line of the results table. */
export interface Row {
  /** The item number: "1", "3", "4"... */
  id: string;
  what: string;
  /** The measurement: a median with (min–max), a ratio, a size. */
  result: string;
  /** The target in words, or "" when the row is for information. */
  target: string;
  /** null: no target (information only). */
  ok: boolean | null;
}

/** What a part of the benchmark hands back: its rows and, for the document, details. */
export interface SectionResult {
  rows: Row[];
  /** Markdown paragraphs for docs/benchmarks.md (how it was measured, per-run figures). */
  notes: string[];
  /** Versions the part found (chromium...), for the machine line. */
  facts?: Record<string, string>;
}

/** Where the bench finds the project and its own scratch space. */
export interface BenchEnv {
  /** The repository root. */
  root: string;
  /** A private temp folder for this run (deleted at the end). */
  tmp: string;
  /** Fewer runs: for checking the bench itself, not for figures. */
  quick: boolean;
  /** NODE_EXTRA_CA_CERTS as this machine's environment set it, removed for every child the bench starts. */
  extraCaCerts: string | undefined;
  log(message: string): void;
}
