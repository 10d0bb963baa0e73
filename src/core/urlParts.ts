// Splitting URLs into their parts and encoding query text, keeping {{variables}} readable. Two flavours with
// distinct names, because they serve different readers:
// - "path + query rows" (splitPathAndQueryRows, encodeFormQueryComponent, joinUrl): importers, curl and .http
//   conversion. Form semantics ('+' is a space, like URLSearchParams and the request runner); ':', '/', ',' …
//   stay readable.
// - "URL parts" (splitUrlParts, encodeQueryKeepingVariables): the request panel's URL bar ↔ query table. The
//   query string is kept as typed text and the hash kept; values are percent-encoded except {{variables}}.
import type { KeyValue } from './model';

/** Decodes one query name or value with form semantics; malformed %-escapes are kept as typed. */
export function decodeQueryPart(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

const KEEP = /%(3A|2F|2C|40|24|21|27|28|29|2A|3B|7B|7D|5B|5D)/gi;

/** encodeURIComponent, but ':', '/', ',', '@', '{', '}' … stay readable and a space becomes '+'. */
export function encodeFormQueryComponent(text: string): string {
  return encodeURIComponent(text)
    .replace(KEEP, (m) => decodeURIComponent(m))
    .replace(/%20/g, '+');
}

/** "/rpi/events?limit=10&since=x#frag" → { url: "/rpi/events", query: [limit=10, since=x] } (the hash is dropped). */
export function splitPathAndQueryRows(input: string): { url: string; query: KeyValue[] } {
  const hash = input.indexOf('#');
  const withoutHash = hash >= 0 ? input.slice(0, hash) : input;
  const q = withoutHash.indexOf('?');
  if (q < 0) return { url: input, query: [] };
  const query: KeyValue[] = [];
  for (const part of withoutHash.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    query.push(eq < 0 ? { name: decodeQueryPart(part), value: '' } : { name: decodeQueryPart(part.slice(0, eq)), value: decodeQueryPart(part.slice(eq + 1)) });
  }
  return { url: withoutHash.slice(0, q) || '/', query };
}

/** The URL with the enabled query rows appended ("?a=1&b=2"). Disabled rows are left out. */
export function joinUrl(url: string, query: readonly KeyValue[]): string {
  const parts = query
    .filter((row) => row.enabled !== false && row.name)
    .map((row) => (row.value === '' ? `${encodeFormQueryComponent(row.name)}=` : `${encodeFormQueryComponent(row.name)}=${encodeFormQueryComponent(row.value)}`));
  if (!parts.length) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

export interface UrlParts {
  /** Everything before `?` (or `#`). */
  readonly base: string;
  /** The query string without `?` ('' when none), as typed (not decoded). */
  readonly query: string;
  /** Whether the URL had a `?` at all. */
  readonly hasQuery: boolean;
  /** `#fragment` including the `#`, or ''. */
  readonly hash: string;
}

/** "/a?x=1#top" → { base: "/a", query: "x=1", hasQuery: true, hash: "#top" }: nothing decoded, nothing lost. */
export function splitUrlParts(url: string): UrlParts {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const q = beforeHash.indexOf('?');
  if (q < 0) return { base: beforeHash, query: '', hasQuery: false, hash };
  return { base: beforeHash.slice(0, q), query: beforeHash.slice(q + 1), hasQuery: true, hash };
}

/** encodeURIComponent for a query name/value (a space becomes %20), but `{{variables}}` stay readable. */
export function encodeQueryKeepingVariables(text: string): string {
  return text
    .split(/(\{\{[^{}]*\}\})/)
    .map((part) => (/^\{\{[^{}]*\}\}$/.test(part) ? part : encodeURIComponent(part)))
    .join('');
}
