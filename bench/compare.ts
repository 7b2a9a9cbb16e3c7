/**
 * Where two YAML outputs first differ, for the benchmark's equal-output check.
 */

/** Describes the first line at which `actual` differs from `expected`, with context; undefined when equal. */
export function firstDifference(expected: string, actual: string, context = 3): string | undefined {
  if (expected === actual) return undefined;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  const from = Math.max(0, line - context);
  const show = (lines: string[], prefix: string) =>
    lines
      .slice(from, line + 1 + context)
      .map((text, k) => `${prefix}${String(from + k + 1).padStart(7)} | ${text}`)
      .join('\n');
  const at = (lines: string[]) => (line < lines.length ? JSON.stringify(lines[line]) : '(end of output)');
  return (
    `first difference at line ${line + 1}: expected ${at(a)}, got ${at(b)}\n` +
    `expected:\n${show(a, '  ')}\nactual:\n${show(b, '  ')}`
  );
}
