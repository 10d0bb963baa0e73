// Checks and captures in .http files, as httpYac-style assertion lines behind a comment mark, so REST
// Client and others ignore them and httpYac users can remove the "# " to run them:
//   # ?? status == 202
//   # ?? duration < 5000
//   # ?? header content-type matches json
//   # ?? js response.parsedBody.payload.referral[0].subjectId == {{subjectId}}
//   # @capture referralId = json $.id          (StudyTeam only: httpYac has no capture line)
// What a line cannot say (status lists and classes, wildcard paths, schema checks) is written as a
// `# @expect {json}` line that only StudyTeam reads. Import reads all of them back. No `vscode`.
import { validateCapture, validateCheck, type Capture, type Check } from './checks';
import { parseJsonPath } from './jsonPath';

const ROOT = 'response.parsedBody';
const TYPE_OPS: Record<string, string> = { string: 'isString', number: 'isNumber', boolean: 'isBoolean', array: 'isArray' };

/** `$.a['b c'][0]` → `response.parsedBody.a["b c"][0]`; undefined for wildcard paths. */
function jsAccessor(path: string): string | undefined {
  const parsed = parseJsonPath(path);
  if (!parsed.ok || parsed.path.multiple) return undefined;
  let out = ROOT;
  for (const s of parsed.path.segments) {
    if (s.kind === 'index') {
      if (s.index < 0) return undefined;
      out += `[${s.index}]`;
    } else if (s.kind === 'key') out += /^[A-Za-z_$][\w$]*$/.test(s.key) ? `.${s.key}` : `[${JSON.stringify(s.key)}]`;
  }
  return out;
}

/** `response.parsedBody.a["b c"][0]` → `$.a['b c'][0]`. */
function jsonPathOf(accessor: string): string | undefined {
  if (!accessor.startsWith(ROOT)) return undefined;
  const rest = accessor.slice(ROOT.length).replace(/\[("(?:[^"\\]|\\.)*")\]/g, (_m, quoted: string) => `['${(JSON.parse(quoted) as string).replace(/'/g, "\\'")}']`);
  const path = `$${rest}`;
  return parseJsonPath(path).ok ? path : undefined;
}

/** Strings that would read back as something else (42, true, "x") are quoted. */
function literal(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  try {
    JSON.parse(value);
    return JSON.stringify(value);
  } catch {
    return value;
  }
}

function oneLine(check: Check): string {
  switch (check.kind) {
    case 'status':
      if (check.op === 'equals') return `# ?? status == ${check.value}`;
      break;
    case 'responseTime':
      return `# ?? duration < ${check.value}`;
    case 'header':
      if (check.op === 'exists') return `# ?? header ${check.path} exists`;
      return `# ?? header ${check.path} ${check.op === 'equals' ? '==' : 'matches'} ${check.value}`;
    case 'json': {
      const js = jsAccessor(check.path);
      if (!js) break;
      if (check.op === 'exists') return `# ?? js ${js} exists`;
      if (check.op === 'equals' && (typeof check.value !== 'string' || !/^\s|\s$/.test(check.value))) return `# ?? js ${js} == ${literal(check.value)}`;
      if (check.op === 'matches') return `# ?? js ${js} matches ${check.value}`;
      if (check.op === 'length') return `# ?? js ${js}.length == ${check.value}`;
      if (check.op === 'type' && TYPE_OPS[check.value]) return `# ?? js ${js} ${TYPE_OPS[check.value]}`;
      break;
    }
    case 'schema':
      break;
  }
  return `# @expect ${JSON.stringify(check)}`;
}

/** The comment lines for a request's checks and captures (empty when it has none). */
export function httpCheckLines(request: { expect?: readonly Check[]; capture?: readonly Capture[] }): string[] {
  const lines = (request.expect ?? []).map(oneLine);
  for (const c of request.capture ?? []) lines.push(c.from === 'status' ? `# @capture ${c.name} = status` : `# @capture ${c.name} = ${c.from} ${c.path}`);
  return lines;
}

export type HttpCheckLine = { check: Check } | { capture: Capture } | { error: string } | undefined;

/** Reads one comment line (without the leading `#` / `//`); undefined when it is not a check or capture. */
export function parseHttpCheckLine(comment: string): HttpCheckLine {
  const text = comment.trim();
  const errors: string[] = [];
  const checked = (raw: unknown): HttpCheckLine => {
    const check = validateCheck(raw, 'check', errors);
    return check ? { check } : { error: errors.join(' ') };
  };
  let m: RegExpExecArray | null;
  if ((m = /^@expect\s+(\{.*\})$/.exec(text))) {
    try {
      return checked(JSON.parse(m[1]!));
    } catch {
      return { error: `not JSON: ${m[1]!.slice(0, 60)}` };
    }
  }
  if ((m = /^@capture\s+([^\s=]+)\s*=\s*(status|json|header)\s*(.*)$/.exec(text))) {
    const raw = m[2] === 'status' ? { name: m[1], from: 'status' } : { name: m[1], from: m[2], path: m[3]!.trim() };
    const capture = validateCapture(raw, 'capture', errors);
    return capture ? { capture } : { error: errors.join(' ') };
  }
  if (!text.startsWith('??')) return undefined;
  const body = text.slice(2).trim();
  if ((m = /^status\s*==\s*(\d{3})$/.exec(body))) return checked({ kind: 'status', op: 'equals', value: Number(m[1]) });
  if ((m = /^duration\s*<\s*(\d+(?:\.\d+)?)$/.exec(body))) return checked({ kind: 'responseTime', op: 'below', value: Number(m[1]) });
  if ((m = /^header\s+(\S+)\s+exists$/.exec(body))) return checked({ kind: 'header', path: m[1], op: 'exists' });
  if ((m = /^header\s+(\S+)\s+(==|matches)\s+(.*)$/.exec(body))) return checked({ kind: 'header', path: m[1], op: m[2] === '==' ? 'equals' : 'matches', value: m[3] });
  if ((m = /^js\s+(response\.parsedBody(?:\.(?!length\b)[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*)(\.length)?\s+(exists|==|matches|isString|isNumber|isBoolean|isArray)\s*(.*)$/.exec(body))) {
    const path = jsonPathOf(m[1]!);
    if (!path) return { error: `"${m[1]}" is not a path StudyTeam can check` };
    const op = m[3]!;
    const value = m[4]!;
    if (m[2]) return op === '==' ? checked({ kind: 'json', path, op: 'length', value: Number(value) }) : { error: `.length only with ==` };
    if (op === 'exists') return checked({ kind: 'json', path, op: 'exists' });
    if (op === 'matches') return checked({ kind: 'json', path, op: 'matches', value });
    if (op === '==') {
      let parsed: unknown = value;
      try {
        parsed = JSON.parse(value);
      } catch {
        // a bare string
      }
      return checked({ kind: 'json', path, op: 'equals', value: parsed });
    }
    const type = Object.entries(TYPE_OPS).find(([, v]) => v === op)![0];
    return checked({ kind: 'json', path, op: 'type', value: type });
  }
  return { error: `"?? ${body.slice(0, 60)}" is not an assertion StudyTeam reads (status ==, duration <, header, js response.parsedBody…)` };
}
