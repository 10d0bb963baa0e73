// REST Client / httpYac system variables, evaluated when a request is sent (a fresh value per occurrence):
//   {{$guid}} {{$uuid}}                         a random UUID v4
//   {{$randomInt min max}}                      an integer, min ≤ n < max
//   {{$timestamp [offset unit]}}                Unix time in seconds, e.g. {{$timestamp -1 d}}
//   {{$datetime rfc1123|iso8601|"fmt" [offset unit]}}     UTC; "fmt" uses Day.js tokens (YYYY-MM-DD …)
//   {{$localDatetime rfc1123|iso8601|"fmt" [offset unit]}} the same in local time
// Units: y M w d h m s ms. Anything else that starts with `$` ({{$processEnv …}}, {{$dotenv …}},
// {{$aadToken}}) is not supported: it stays unresolved and is reported. No `vscode` here.
import { randomUUID } from 'node:crypto';

export interface SystemVariableSource {
  now(): number;
  /** A number in [0, 1). */
  random(): number;
  uuid(): string;
}

export const systemVariableSource: SystemVariableSource = { now: () => Date.now(), random: () => Math.random(), uuid: () => randomUUID() };

export const SUPPORTED_SYSTEM_VARIABLES = ['$guid', '$uuid', '$randomInt', '$timestamp', '$datetime', '$localDatetime'] as const;

/** `{{$name args}}`: group 1 the name (with `$`), group 2 the arguments (may be empty). */
export const SYSTEM_VARIABLE = /\{\{\s*(\$[A-Za-z][\w]*)((?:\s+[^{}]*?)?)\s*\}\}/g;

export function isSupportedSystemVariable(name: string): boolean {
  return (SUPPORTED_SYSTEM_VARIABLES as readonly string[]).includes(name);
}

/** Splits `"DD MMM" 1 d` into [`DD MMM`, `1`, `d`] (quotes, single or double, group words). */
export function systemVariableArgs(args: string): string[] {
  const out: string[] = [];
  for (const m of args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Applies an optional `offset unit` pair; undefined when it is malformed. */
function withOffset(ms: number, offset: string | undefined, unit: string | undefined, utc: boolean): number | undefined {
  if (offset === undefined) return ms;
  if (!/^[+-]?\d+$/.test(offset) || unit === undefined) return undefined;
  const n = Number(offset);
  if (unit === 'y' || unit === 'M') {
    const d = new Date(ms);
    if (utc) {
      if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + n);
      else d.setUTCMonth(d.getUTCMonth() + n);
    } else if (unit === 'y') d.setFullYear(d.getFullYear() + n);
    else d.setMonth(d.getMonth() + n);
    return d.getTime();
  }
  const step = UNIT_MS[unit];
  return step === undefined ? undefined : ms + n * step;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Day.js-style format tokens; `[text]` is literal. */
export function formatDate(ms: number, format: string, utc: boolean): string {
  const d = new Date(ms);
  const get = {
    year: utc ? d.getUTCFullYear() : d.getFullYear(),
    month: utc ? d.getUTCMonth() : d.getMonth(),
    day: utc ? d.getUTCDate() : d.getDate(),
    weekday: utc ? d.getUTCDay() : d.getDay(),
    hour: utc ? d.getUTCHours() : d.getHours(),
    minute: utc ? d.getUTCMinutes() : d.getMinutes(),
    second: utc ? d.getUTCSeconds() : d.getSeconds(),
    ms: utc ? d.getUTCMilliseconds() : d.getMilliseconds(),
  };
  const offsetMinutes = utc ? 0 : -d.getTimezoneOffset();
  const zone = (sep: string): string => {
    const abs = Math.abs(offsetMinutes);
    return `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${sep}${pad(abs % 60)}`;
  };
  const tokens: Record<string, () => string> = {
    YYYY: () => pad(get.year, 4),
    YY: () => pad(get.year % 100),
    MMMM: () => MONTHS[get.month],
    MMM: () => MONTHS[get.month].slice(0, 3),
    MM: () => pad(get.month + 1),
    M: () => String(get.month + 1),
    DD: () => pad(get.day),
    D: () => String(get.day),
    dddd: () => DAYS[get.weekday],
    ddd: () => DAYS[get.weekday].slice(0, 3),
    HH: () => pad(get.hour),
    H: () => String(get.hour),
    hh: () => pad(get.hour % 12 || 12),
    h: () => String(get.hour % 12 || 12),
    mm: () => pad(get.minute),
    m: () => String(get.minute),
    ss: () => pad(get.second),
    s: () => String(get.second),
    SSS: () => pad(get.ms, 3),
    A: () => (get.hour < 12 ? 'AM' : 'PM'),
    a: () => (get.hour < 12 ? 'am' : 'pm'),
    ZZ: () => zone(''),
    Z: () => zone(':'),
  };
  return format.replace(/\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z/g, (token, literal: string | undefined) =>
    literal !== undefined ? literal : tokens[token](),
  );
}

function datetime(ms: number, args: readonly string[], utc: boolean): string | undefined {
  const [format = 'iso8601', offset, unit] = args;
  const at = withOffset(ms, offset, unit, utc);
  if (at === undefined) return undefined;
  if (format === 'iso8601') return utc ? new Date(at).toISOString() : formatDate(at, 'YYYY-MM-DDTHH:mm:ss.SSSZ', false);
  if (format === 'rfc1123') return utc ? new Date(at).toUTCString() : formatDate(at, 'ddd, DD MMM YYYY HH:mm:ss ZZ', false);
  return formatDate(at, format, utc);
}

/**
 * The value of one system variable, or undefined when it is not supported or its arguments are wrong
 * (`{{$randomInt 10}}`, `{{$timestamp 1 parsec}}`).
 */
export function evaluateSystemVariable(name: string, rawArgs: string, source: SystemVariableSource = systemVariableSource): string | undefined {
  const args = systemVariableArgs(rawArgs);
  switch (name) {
    case '$guid':
    case '$uuid':
      return args.length ? undefined : source.uuid();
    case '$randomInt': {
      if (args.length !== 2 || !args.every((a) => /^[+-]?\d+$/.test(a))) return undefined;
      const [min, max] = args.map(Number);
      if (max <= min) return undefined;
      return String(min + Math.floor(source.random() * (max - min)));
    }
    case '$timestamp': {
      if (args.length !== 0 && args.length !== 2) return undefined;
      const at = withOffset(source.now(), args[0], args[1], true);
      return at === undefined ? undefined : String(Math.floor(at / 1000));
    }
    case '$datetime':
    case '$localDatetime':
      if (args.length === 2 || args.length > 3) return undefined;
      return datetime(source.now(), args, name === '$datetime');
    default:
      return undefined;
  }
}

/** How a system variable is written back into an unresolved name: `$randomInt 1` (name plus its arguments). */
export function systemVariableKey(name: string, rawArgs: string): string {
  const args = rawArgs.trim();
  return args ? `${name} ${args}` : name;
}
