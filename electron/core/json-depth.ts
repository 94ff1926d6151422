/**
 * Whether JSON text nests deeper than `max` ([ and { outside strings), found in one linear pass
 * before JSON.parse is trusted with text built to exhaust a parser or whatever walks the result.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The first member name an object in the JSON text repeats, or null. JSON.parse keeps the last one
 * and other parsers the first, so a token with {"iss":"a","iss":"b"} says different things to
 * different servers. Names are compared as written (escapes not decoded).
 */
export function repeatedName(text: string): string | null {
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x22) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      if (top?.keys && top.expectKey) {
        const name = text.slice(i + 1, end);
        if (top.keys.has(name)) return name;
        top.keys.add(name);
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) stack.push({ keys: new Set(), expectKey: true });
    else if (c === 0x5b) stack.push({ keys: null, expectKey: false });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c && top?.keys) top.expectKey = true;
  }
  return null;
}
