/**
 * Text that JSON and URLs can carry but Postgres `text` cannot store: a NUL (U+0000)
 * and an unpaired UTF-16 surrogate (half of an emoji, `\ud800`). Postgres refuses both,
 * so they are refused at the edge with a 400 instead of failing a write halfway.
 */
export const UNSTORABLE_TEXT_MESSAGE =
  "This text holds a character that can't be stored (a NUL or half of an emoji). Remove it and try again.";

// `\p{Cs}` matches a surrogate only when it is unpaired: paired ones form one code point.
const UNSTORABLE = /\u0000|\p{Cs}/u;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The path (`["items", 2, "name"]`) of the first string in a parsed JSON value, or of
 * the first object key, that can't be stored; undefined when there is none.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === "string") return isStorableText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key];
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
