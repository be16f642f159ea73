/** Old-file line ranges (1-based, inclusive) to mark as the user's own, with what to call them. */
export interface MarkedLines {
  from: number;
  to: number;
}

/**
 * A unified diff, each line marked added, removed or unchanged (by colour and by its +/- sign).
 * Unchanged lines inside `yours` (the user's own entry the new one competes with) are marked
 * too, in colour and in words, so a conflict is not read as "nothing happens here".
 */
export function DiffView({
  diff,
  label,
  yours = [],
  yoursLabel,
  headers = {},
}: {
  diff: string;
  label: string;
  yours?: MarkedLines[];
  yoursLabel?: string;
  /** The engine's English labels of the two files ("before", "after") in the user's language. */
  headers?: Record<string, string>;
}) {
  // "Index: …" and "=====" repeat the file name the ---/+++ lines give, in words of no language.
  const lines = diff.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === '') && !l.startsWith('Index: ') && !/^=+$/.test(l));
  let oldLine = 0;
  return (
    <pre className="diff" role="region" aria-label={label} tabIndex={0}>
      {lines.map((l, i) => {
        const meta = l.startsWith('+++') || l.startsWith('---') || l.startsWith('Index:') || l.startsWith('===');
        const hunk = !meta && l.startsWith('@@');
        let cls = meta ? 'diff-meta' : hunk ? 'diff-hunk' : l.startsWith('+') ? 'diff-add' : l.startsWith('-') ? 'diff-del' : 'diff-ctx';
        let mine = false;
        if (hunk) {
          // "@@ -12,5 +12,9 @@": the next old line is 12.
          const m = /^@@ -(\d+)/.exec(l);
          oldLine = m ? Number(m[1]) : oldLine;
        } else if (!meta && !l.startsWith('+') && !l.startsWith('\\')) {
          mine = cls === 'diff-ctx' && yours.some((r) => oldLine >= r.from && oldLine <= r.to);
          oldLine++;
        }
        if (mine) cls += ' diff-yours';
        return (
          <span key={i} className={cls}>
            {mine && yoursLabel && <span className="visually-hidden">{yoursLabel} </span>}
            {meta ? translateHeader(l, headers) : l}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}

/** "--- /home/a/.ssh/config\tbefore" with its label said in the user's language. */
function translateHeader(line: string, headers: Record<string, string>): string {
  const m = /^(---|\+\+\+) (.*)\t(.+)$/.exec(line);
  const word = m ? headers[m[3]!] : undefined;
  return m && word ? `${m[1]} ${m[2]}\t(${word})` : line;
}
