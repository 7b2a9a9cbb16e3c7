/**
 * Generators of valid, edge and hostile values for props.
 */
import * as fc from 'fast-check';

/** Strings meant to break things: shell metacharacters, newlines, command substitution, unicode, sizes. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '-',
  '--help',
  '-rf',
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  '${IFS}',
  '$HOME',
  "'; touch /tmp/pwned; '",
  '"; touch /tmp/pwned; "',
  'a;b',
  'a|b',
  'a&&b',
  'a\nb',
  'a\rb',
  '\ttab',
  'a b',
  '../..',
  '/etc/passwd',
  '.',
  '..',
  'a/../b',
  '*',
  '#',
  '\\',
  'UPPER',
  'é',
  '名前',
  '🙂',
  '\u0000',
  'a'.repeat(64),
  'b'.repeat(254),
  'x'.repeat(5000),
  '$(VAR)',
  '$$(VAR)',
  '%s%n',
  '{{.}}',
  '@file',
  'key=value',
];

/** A DNS-1123 label, short. */
export const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,12}[a-z0-9])?$/);

/** A plausible host name. */
export const hostName = fc.oneof(
  dnsLabel,
  fc.tuple(dnsLabel, dnsLabel).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom('postgres-svc', 'db.prod.svc.cluster.local', '10.0.0.1', '127.0.0.1'),
);

/** Any string: valid-looking ones, hostile ones and arbitrary unicode. */
export function text(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 24, arbitrary: valid },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: fc.constantFrom(...'$()`;|&\'"\\\n -/.a=_'.split('')), maxLength: 16 }),
    },
  );
}

/** Numbers: sensible ones, edges and nonsense (negative, fractional, huge, NaN, infinities). */
export function num(valid: fc.Arbitrary<number>): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 24, arbitrary: valid },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        0,
        -1,
        0.5,
        1.5,
        -0,
        65536,
        2 ** 31,
        1e12,
        Number.MAX_SAFE_INTEGER,
        NaN,
        Infinity,
        -Infinity,
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: -100000, max: 100000 }) },
    { weight: 1, arbitrary: fc.double() },
  );
}

/** A port: mostly valid. */
export const port = num(fc.integer({ min: 1, max: 65535 }));

/** An optional value: undefined a third of the time. */
export function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 3 });
}

/** An image reference. */
export const image = text(
  fc.constantFrom('busybox:1.36', 'company/app:1.0.0', 'registry.example.com/a/b@sha256:' + 'a'.repeat(64)),
);

/** An env var name. */
export const envName = text(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/));

/** A construct id: mostly valid, sometimes hostile (it becomes a container name). */
export const constructId = fc.oneof(
  { weight: 5, arbitrary: dnsLabel },
  {
    weight: 1,
    arbitrary: fc.constantFrom('Wait', 'wait_db', 'wait.db', 'a'.repeat(70), 'UPPER-case', '-x-', 'ü', '1'),
  },
);

/** A value long known to be secret: it must never appear outside its Secret. */
export const SENTINEL_SECRET = 'sentinel-secret-value-7f3a91c0de'; // 32 bytes, a valid cookie secret
