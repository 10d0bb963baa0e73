// A short fingerprint of a body text, computed the same way in the host and in the webview, so a list of body
// problems can say which text it belongs to without sending the body back (it may be large, and holds patient data).

/** FNV-1a (32 bit) of the UTF-16 code units, with the length: "1a2b3c4d:812". */
export function bodyFingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${hash.toString(16).padStart(8, '0')}:${text.length}`;
}
