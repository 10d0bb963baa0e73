// Splitting "path?query" into a path and KeyValue rows and back, keeping {{variables}} readable.
// Query text uses form semantics ('+' is a space), like URLSearchParams and the request runner.
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
export function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text)
    .replace(KEEP, (m) => decodeURIComponent(m))
    .replace(/%20/g, '+');
}

/** "/rpi/events?limit=10&since=x#frag" → { url: "/rpi/events", query: [limit=10, since=x] }. */
export function splitUrl(input: string): { url: string; query: KeyValue[] } {
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
    .map((row) => (row.value === '' ? `${encodeQueryComponent(row.name)}=` : `${encodeQueryComponent(row.name)}=${encodeQueryComponent(row.value)}`));
  if (!parts.length) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}
