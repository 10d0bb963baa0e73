// Reading the syntax of a .http / .rest file (REST Client and httpYac format) into raw blocks, before
// any StudyTeam meaning is given to them (that is httpFile.ts):
//   @baseUrl = https://staging.api.studyteamapp.com      file variables (anywhere before a request line)
//   ### List sites                                       request separator; the text after it is the title
//   # @name listSites                                    or // @name …   (meta lines: @name, @title, …)
//   GET {{baseUrl}}/rpi/sites HTTP/1.1                   request line (method optional → GET)
//       ?limit=10                                        query continuation lines
//   Authorization: Bearer {{token}}                      headers until a blank line
//   # X-Debug: 1                                         a commented-out header (kept, disabled)
//                                                        blank line, then the body
// No `vscode` here.
import { HTTP_METHODS } from './model';
import type { HttpMethod } from './model';

export interface RawHeader {
  readonly name: string;
  readonly value: string;
  readonly enabled: boolean;
}

export interface RawMeta {
  /** Lower-cased key without `@`: name, title, description, folder, auth, prompt, no-redirect, …; `??` for a
   *  commented httpYac assertion (`# ?? status == 200`, value: the whole line from `??` on). */
  readonly key: string;
  readonly value: string;
}

export interface RawHttpRequest {
  /** Text after `###`, if any. */
  readonly title: string | undefined;
  readonly metas: readonly RawMeta[];
  readonly method: HttpMethod;
  /** As written, query continuation lines joined. */
  readonly url: string;
  /** Every header as written, Authorization included. */
  readonly headers: readonly RawHeader[];
  readonly body: string | undefined;
}

export interface RawHttpFile {
  readonly requests: RawHttpRequest[];
  /** `@name = value` in file order (a later definition of the same name wins, as in REST Client). */
  readonly variables: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Blocks that could not be read, each naming the block. */
  readonly skipped: string[];
}

const SEPARATOR = /^\s*###(.*)$/;
const FILE_VARIABLE = /^\s*@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;
const COMMENTED_ASSERTION = /^\s*(?:#+|\/{2,})\s*(\?\?.*)$/;
export const META = /^\s*(?:#+|\/{2,})\s*@([\w-]+)(?:\s*[=:]?\s*(.*?))?\s*$/;
const COMMENT = /^\s*(?:#|\/\/)/;
/** METHOD URL [HTTP/1.1]; the URL may hold `{{$system args}}` with spaces. */
const REQUEST_LINE = new RegExp(`^\\s*(?:(${HTTP_METHODS.join('|')})\\s+)?((?:\\{\\{[^{}]*\\}\\}|\\S)+?)(?:\\s+HTTP\\/[\\d.]+)?\\s*$`, 'i');
const OTHER_METHOD_LINE = /^\s*([A-Z]+)\s+(https?:\/\/\S+|\{\{\S+|\/\S*)/;
const HEADER = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s?(.*?)\s*$/;
const DISABLED_HEADER = /^\s*#\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s?(.*?)\s*$/;
const QUERY_CONTINUATION = /^\s+[?&]/;

interface Block {
  readonly title: string | undefined;
  readonly lines: string[];
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block = { title: undefined, lines: [] };
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const sep = SEPARATOR.exec(line);
    if (sep) {
      blocks.push(current);
      const title = sep[1].trim().replace(/^#+\s*/, '');
      current = { title: title || undefined, lines: [] };
    } else current.lines.push(line);
  }
  blocks.push(current);
  return blocks;
}

/** Reads the blocks of a .http file. Never throws; what cannot be read is listed in `skipped`. */
export function readHttpFile(text: string): RawHttpFile {
  const requests: RawHttpRequest[] = [];
  const variables: Array<{ name: string; value: string }> = [];
  const skipped: string[] = [];
  for (const block of splitBlocks(text)) {
    const metas: RawMeta[] = [];
    let i = 0;
    let requestLine: RegExpExecArray | undefined;
    // Preamble: file variables, comments and @meta before the request line.
    for (; i < block.lines.length; i++) {
      const line = block.lines[i];
      if (!line.trim()) continue;
      const variable = FILE_VARIABLE.exec(line);
      if (variable) {
        variables.push({ name: variable[1], value: variable[2] });
        continue;
      }
      const meta = META.exec(line);
      if (meta) {
        metas.push({ key: meta[1].toLowerCase(), value: (meta[2] ?? '').trim() });
        continue;
      }
      const assertion = COMMENTED_ASSERTION.exec(line);
      if (assertion) {
        metas.push({ key: '??', value: assertion[1].trim() });
        continue;
      }
      if (COMMENT.test(line)) continue;
      const m = REQUEST_LINE.exec(line);
      if (m && (m[1] || /^(https?:\/\/|\{\{|\/)/i.test(m[2]))) {
        requestLine = m;
        i++;
        break;
      }
      const other = OTHER_METHOD_LINE.exec(line);
      const name = metas.find((x) => x.key === 'name' && x.value)?.value;
      const label = block.title ?? name ?? `line "${line.trim().slice(0, 40)}"`;
      skipped.push(other ? `Skipped "${label}": the method ${other[1]} is not supported.` : `Skipped "${label}": no request line (METHOD URL) was found.`);
      break;
    }
    if (!requestLine) continue;

    let url = requestLine[2];
    while (i < block.lines.length && QUERY_CONTINUATION.test(block.lines[i])) {
      url += block.lines[i].trim();
      i++;
    }
    const headers: RawHeader[] = [];
    for (; i < block.lines.length; i++) {
      const line = block.lines[i];
      if (!line.trim()) {
        i++;
        break;
      }
      const disabled = DISABLED_HEADER.exec(line);
      if (disabled && !META.test(line)) {
        headers.push({ name: disabled[1], value: disabled[2], enabled: false });
        continue;
      }
      if (COMMENT.test(line)) continue;
      const header = HEADER.exec(line);
      if (!header) break; // a body right after the headers (REST Client allows it for "< file" bodies)
      headers.push({ name: header[1], value: header[2], enabled: true });
    }
    const bodyLines = block.lines.slice(i);
    while (bodyLines.length && !bodyLines[bodyLines.length - 1].trim()) bodyLines.pop();
    const body = bodyLines.join('\n');
    requests.push({
      title: block.title,
      metas,
      method: (requestLine[1] ?? 'GET').toUpperCase() as HttpMethod,
      url,
      headers,
      body: body || undefined,
    });
  }
  return { requests, variables, skipped };
}
