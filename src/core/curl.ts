// curl ⇄ saved request. parseCurl understands what people paste from docs, browsers and Postman:
// -X/--request, -H/--header, -d/--data/--data-raw/--data-binary/--data-ascii/--data-urlencode, --json,
// -G/--get, --url, single/double/$'…' quoting and backslash-newline continuations. A bearer
// Authorization header becomes auth mode "bearer" and is never kept. toCurl prints a request for an
// environment that reads the token from the shell variable $STUDYTEAM_TOKEN, unless a token is passed explicitly.
import { HTTP_METHODS } from './model';
import type { ApiRequest, Environment, HttpMethod, KeyValue, SavedRequest } from './model';
import { isSensitiveHeader, looksLikeToken } from './redaction';
import { apiOriginOf, resolveRequestUrl } from './environment';
import { resolveVariables, variablesOf } from './variables';
import { splitPathAndQueryRows } from './urlParts';

export type CurlParseResult =
  | { readonly ok: true; readonly request: Omit<SavedRequest, 'id' | 'name'>; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };

/** Splits a shell command line into words (POSIX-ish quoting; backslash-newline joins lines). */
export function shellWords(input: string): { ok: true; words: string[] } | { ok: false; error: string } {
  const text = input.replace(/\\\r?\n/g, ' ').replace(/\^\r?\n/g, ' ');
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      if (inWord) {
        words.push(current);
        current = '';
        inWord = false;
      }
      i++;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'The command has an unterminated single quote.' };
      current += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '$' && text[i + 1] === "'") {
      i += 2;
      inWord = true;
      let closed = false;
      while (i < text.length) {
        const c = text[i];
        if (c === "'") {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < text.length) {
          const n = text[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
          current += map[n] ?? `\\${n}`;
          i += 2;
        } else {
          current += c;
          i++;
        }
      }
      if (!closed) return { ok: false, error: "The command has an unterminated $'…' quote." };
    } else if (ch === '"') {
      i++;
      inWord = true;
      let closed = false;
      while (i < text.length) {
        const c = text[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) {
          current += text[i + 1];
          i += 2;
        } else {
          current += c;
          i++;
        }
      }
      if (!closed) return { ok: false, error: 'The command has an unterminated double quote.' };
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      current += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(current);
  return { ok: true, words };
}

const DATA_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--data-urlencode']);
const IGNORED_WITH_VALUE = new Set(['-o', '--output', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '--retry', '-e', '--referer', '-x', '--proxy', '--cacert', '--cert', '--key']);

function toRelative(url: string, baseUrl: string | undefined): string {
  const leadingVar = /^\{\{\s*(baseUrl|host|baseURL)\s*\}\}(.*)$/.exec(url);
  if (leadingVar) return leadingVar[2] || '/';
  if (baseUrl) {
    const base = baseUrl.replace(/\/+$/, '');
    if (url === base) return '/';
    if (url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return url.slice(base.length);
  }
  return url;
}

/** Parses a curl command. `baseUrl`: URLs on it become paths, so the request runs on any environment. */
export function parseCurl(command: string, options: { baseUrl?: string } = {}): CurlParseResult {
  // Leading `# …` comment lines (toCurl writes one when it leaves the token out) are not part of the command.
  const split = shellWords(command.replace(/^(?:\s*#[^\n]*(?:\n|$))+/, '').trim());
  if (!split.ok) return { ok: false, error: split.error };
  const words = split.words;
  if (!words.length || !/(^|\/)curl(\.exe)?$/i.test(words[0])) {
    return { ok: false, error: 'That is not a curl command (it should start with "curl").' };
  }
  const warnings: string[] = [];
  let method: string | undefined;
  let url: string | undefined;
  const headers: KeyValue[] = [];
  const data: string[] = [];
  let auth: 'bearer' | 'none' = 'none';
  let forceGet = false;
  let json = false;

  const takeValue = (i: number, flag: string): string => {
    if (i + 1 >= words.length) throw new Error(`The option ${flag} needs a value.`);
    return words[i + 1];
  };
  try {
    for (let i = 1; i < words.length; i++) {
      let word = words[i];
      let inline: string | undefined;
      // --flag=value and -XPOST / -HName:value short forms.
      const eq = /^(--[a-z-]+)=(.*)$/s.exec(word);
      if (eq) {
        word = eq[1];
        inline = eq[2];
      } else if (/^-[XHdeuA]./.test(word) && !word.startsWith('--')) {
        inline = word.slice(2);
        word = word.slice(0, 2);
      }
      const value = (): string => {
        if (inline !== undefined) return inline;
        const v = takeValue(i, word);
        i++;
        return v;
      };
      if (word === '-X' || word === '--request') method = value().toUpperCase();
      else if (word === '-H' || word === '--header') {
        const raw = value();
        const colon = raw.indexOf(':');
        if (colon <= 0) {
          warnings.push(`Ignored the header "${raw.slice(0, 40)}" (expected "Name: value").`);
          continue;
        }
        const name = raw.slice(0, colon).trim();
        const headerValue = raw.slice(colon + 1).trim();
        if (name.toLowerCase() === 'authorization') {
          if (/^Bearer\b/i.test(headerValue)) auth = 'bearer';
          else warnings.push('Dropped the Authorization header: saved requests never hold credentials.');
          continue;
        }
        if (isSensitiveHeader(name) || looksLikeToken(headerValue)) {
          warnings.push(`Dropped the header "${name}": saved requests never hold credentials.`);
          continue;
        }
        headers.push({ name, value: headerValue });
      } else if (DATA_FLAGS.has(word)) {
        let v = value();
        if (v.startsWith('@') && word !== '--data-raw') warnings.push(`The body refers to a file (${v}); imported as text.`);
        if (word === '--data-urlencode') {
          const eqAt = v.indexOf('=');
          v = eqAt < 0 ? encodeURIComponent(v) : `${v.slice(0, eqAt)}=${encodeURIComponent(v.slice(eqAt + 1))}`;
        }
        data.push(v);
      } else if (word === '--json') {
        data.push(value());
        json = true;
      } else if (word === '-G' || word === '--get') forceGet = true;
      else if (word === '-I' || word === '--head') method = 'HEAD';
      else if (word === '--url') url = value();
      else if (word === '-u' || word === '--user') {
        value();
        warnings.push('Dropped -u/--user: saved requests never hold credentials.');
      } else if (word === '-A' || word === '--user-agent') headers.push({ name: 'User-Agent', value: value() });
      else if (word === '-b' || word === '--cookie') {
        value();
        warnings.push('Dropped the cookie: saved requests never hold credentials.');
      } else if (IGNORED_WITH_VALUE.has(word)) value();
      else if (word.startsWith('-')) {
        // Flags without a value (-s, -k, -L, -i, -v, --compressed, --location, …) do not change the request.
      } else if (url === undefined) url = word;
      else warnings.push(`Ignored the extra argument "${word.slice(0, 40)}".`);
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (!url) return { ok: false, error: 'The curl command has no URL.' };

  let body: string | undefined = data.length ? data.join('&') : undefined;
  const { url: path, query } = splitPathAndQueryRows(toRelative(url, options.baseUrl));
  if (forceGet && body !== undefined) {
    query.push(...splitPathAndQueryRows(`?${body}`).query);
    body = undefined;
  }
  const chosen = (method ?? (body !== undefined ? 'POST' : 'GET')) as string;
  if (!(HTTP_METHODS as readonly string[]).includes(chosen)) return { ok: false, error: `The method ${chosen} is not supported.` };
  const has = (name: string): boolean => headers.some((h) => h.name.toLowerCase() === name);
  if (json) {
    if (!has('content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
    if (!has('accept')) headers.push({ name: 'Accept', value: 'application/json' });
  } else if (body !== undefined && !has('content-type')) {
    headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  }
  const request: Omit<SavedRequest, 'id' | 'name'> = {
    method: chosen as HttpMethod,
    url: path,
    auth,
    ...(query.length > 0 && { query }),
    ...(headers.length > 0 && { headers }),
    ...(body !== undefined && { body }),
  };
  return { ok: true, request, warnings };
}

/** Single-quotes a word for a POSIX shell. */
function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Where `request` goes on `env` (variables resolved); undefined when it is not a valid http(s) URL. */
function resolvedUrlOf(request: ApiRequest, env: Environment): URL | undefined {
  const { request: resolved } = resolveVariables(request, variablesOf(env));
  try {
    return resolveRequestUrl(env, resolved.url, resolved.query);
  } catch {
    return undefined;
  }
}

function apiOriginOrUndefined(env: Environment): string | undefined {
  try {
    return apiOriginOf(env);
  } catch {
    return undefined;
  }
}

/**
 * Whether the runner would send this request with the environment's bearer token: bearer auth, and the URL on the
 * environment's API origin (the token never goes anywhere else). Callers ask for a token only when this is true.
 */
export function curlCarriesToken(request: ApiRequest, env: Environment): boolean {
  if (request.auth !== 'bearer') return false;
  const url = resolvedUrlOf(request, env);
  return url !== undefined && url.origin === apiOriginOrUndefined(env);
}

/** The shell variable a copied curl command reads the access token from (`export STUDYTEAM_TOKEN=…`). */
export const TOKEN_SHELL_VARIABLE = 'STUDYTEAM_TOKEN';

/**
 * A curl command for `request` on `env` ({{variables}} resolved from the environment), sending what the runner
 * sends: the Authorization header reads the token from "$STUDYTEAM_TOKEN" (so the command works once the variable
 * is exported, and the clipboard holds no token) unless `options.token` is given explicitly, and is left out
 * (with a `#` comment line saying why) when the URL is not on the environment's API origin — the runner never
 * sends the token there either; a JSON content type when the body looks like JSON and none is set; `--head` for HEAD.
 */
export function toCurl(request: ApiRequest, env: Environment, options: { token?: string } = {}): string {
  const { request: resolved } = resolveVariables(request, variablesOf(env));
  const resolvedUrl = resolvedUrlOf(request, env);
  const url = resolvedUrl
    ? resolvedUrl.toString()
    : `${env.baseUrl.replace(/\/+$/, '')}${resolved.url.startsWith('/') ? '' : '/'}${resolved.url}`;
  const body = resolved.body !== undefined && resolved.body !== '' ? resolved.body : undefined;
  const lines: string[] = [];
  const parts: string[] = [];
  if (request.method === 'HEAD') parts.push('curl --head'); // -X HEAD makes curl wait for a body that never comes
  else parts.push(request.method !== 'GET' || body !== undefined ? `curl -X ${request.method}` : 'curl');
  parts.push(shellQuote(url));
  if (request.auth === 'bearer') {
    if (!curlCarriesToken(request, env)) {
      lines.push(`# bearer token not included: ${resolvedUrl?.origin ?? 'the URL'} is not ${env.name}'s API origin (${apiOriginOrUndefined(env) ?? env.baseUrl})`);
    } else if (options.token !== undefined) parts.push(`-H ${shellQuote(`authorization: Bearer ${options.token}`)}`);
    // Double quotes: the shell expands the variable.
    else parts.push(`-H "authorization: Bearer $${TOKEN_SHELL_VARIABLE}"`);
  }
  let hasContentType = false;
  for (const h of resolved.headers ?? []) {
    if (h.enabled === false || !h.name) continue;
    if (h.name.toLowerCase() === 'authorization') continue;
    if (h.name.trim().toLowerCase() === 'content-type') hasContentType = true;
    parts.push(`-H ${shellQuote(`${h.name}: ${h.value}`)}`);
  }
  // Like RequestRunner: a body that starts like JSON gets a JSON content type (curl would send form-urlencoded).
  const first = body?.trimStart()[0];
  if (!hasContentType && (first === '{' || first === '[')) parts.push(`-H ${shellQuote('content-type: application/json')}`);
  if (body !== undefined) parts.push(`--data-raw ${shellQuote(body)}`);
  lines.push(parts.join(' \\\n  '));
  return lines.join('\n');
}
