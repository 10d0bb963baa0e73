// Decodes (never verifies) a JWT to read claims such as `exp`. No `vscode`.

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(segment)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Header and payload of a compact JWS (three dot-separated parts), or undefined if it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeSegment(parts[0]);
  const payload = header && decodeSegment(parts[1]);
  return header && payload ? { header, payload } : undefined;
}

/** The `exp` claim in epoch milliseconds, if the token is a JWT with a numeric `exp`. */
export function jwtExpiryMs(token: string): number | undefined {
  const exp = decodeJwt(token)?.payload.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
