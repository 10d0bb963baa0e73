// A server's validation answer mapped onto the body that was sent: StudyTeam answers 400
// `{"message": "Invalid Payload", "errors": [{"reason": "…", "path": ["referral", 0, …]}]}`; each path is
// located in the sent text (line/column), the same way schema problems are. Works for any server that
// answers in that shape (a path may also come as "a.0.b" or a JSON pointer "/a/0/b").
import { bodyProblem, locateJsonPath, type BodyProblem, type JsonPath } from './jsonLocation';

/** The `errors[]` of a validation answer, or undefined when the text is not in that shape. */
export function serverValidationErrors(responseText: string): Array<{ reason: string; path: JsonPath }> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(responseText);
  } catch {
    return undefined;
  }
  const errors = value && typeof value === 'object' ? (value as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const out: Array<{ reason: string; path: JsonPath }> = [];
  for (const e of errors) {
    if (!e || typeof e !== 'object') continue;
    const record = e as Record<string, unknown>;
    const path = toPath(record['path']);
    if (!path) continue;
    const reason = typeof record['reason'] === 'string' ? record['reason'] : typeof record['message'] === 'string' ? record['message'] : 'Invalid value';
    out.push({ reason, path });
  }
  return out.length > 0 ? out : undefined;
}

/** The server's problems located in the sent body; undefined when the answer has no `errors[].path`. */
export function mapServerErrorsOntoBody(sentBody: string, responseText: string): BodyProblem[] | undefined {
  const errors = serverValidationErrors(responseText);
  if (!errors) return undefined;
  return errors.map(({ reason, path }) => bodyProblem(path, reason, locateJsonPath(sentBody, path)));
}

function toPath(raw: unknown): JsonPath | undefined {
  if (Array.isArray(raw)) {
    return raw.every((p) => typeof p === 'string' || typeof p === 'number') ? (raw as Array<string | number>) : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const parts = raw.startsWith('/') ? raw.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')) : raw.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
