/**
 * JSON in one form whatever the order of its members, so two claims that differ only in the order
 * an issuer wrote them compare equal: the policy's claim equalities in main, Compare on the screen.
 */

/** The canonical text of a parsed value; null when it holds an integer past 2^53, which parsing already changed. */
export function canonicalJson(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return null;
  const parts: (string | null)[] = [];
  if (Array.isArray(value)) {
    for (const item of value) parts.push(canonicalJson(item));
    return parts.includes(null) ? null : `[${parts.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const name of Object.keys(record).sort()) {
      const member = canonicalJson(record[name]);
      parts.push(member === null ? null : `${JSON.stringify(name)}:${member}`);
    }
    return parts.includes(null) ? null : `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The canonical text of JSON text; the text itself when it does not parse, or holds numbers
 * parsing would change (then only the same text, as written, is the same value).
 */
export function canonicalJsonText(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return canonicalJson(value) ?? text;
}
