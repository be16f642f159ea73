/** A unified diff, each line marked added, removed or unchanged (by colour and by its +/- sign). */
export function DiffView({ diff, label }: { diff: string; label: string }) {
  const lines = diff.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''));
  return (
    <pre className="diff" role="region" aria-label={label} tabIndex={0}>
      {lines.map((l, i) => {
        const cls = l.startsWith('+++') || l.startsWith('---') || l.startsWith('Index:') || l.startsWith('===') ? 'diff-meta' : l.startsWith('@@') ? 'diff-hunk' : l.startsWith('+') ? 'diff-add' : l.startsWith('-') ? 'diff-del' : 'diff-ctx';
        return (
          <span key={i} className={cls}>
            {l}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
