// Checks and captures exported to Postman as a "test" script (pm.test / pm.expect, lodash `_.get` for
// JSON paths, captures as pm.variables). Postman scripts are JavaScript, so the way back (import) cannot
// be converted — the import says so. Wildcard paths and schema checks have no line and are noted. No `vscode`.
import { describeCheck, type Capture, type Check } from './checks';
import { parseJsonPath } from './jsonPath';

/** `$.a['b c'][0]` → `["a","b c",0]` (lodash path); undefined for wildcards and negative indexes. */
function lodashPath(path: string): string | undefined {
  const parsed = parseJsonPath(path);
  if (!parsed.ok || parsed.path.multiple) return undefined;
  const parts: Array<string | number> = [];
  for (const s of parsed.path.segments) {
    if (s.kind === 'index') {
      if (s.index < 0) return undefined;
      parts.push(s.index);
    } else if (s.kind === 'key') parts.push(s.key);
  }
  return JSON.stringify(parts);
}

/** A JS expression for an expected value: strings go through pm.variables.replaceIn for {{variables}}. */
function expected(value: unknown): string {
  return typeof value === 'string' ? `pm.variables.replaceIn(${JSON.stringify(value)})` : JSON.stringify(value);
}

function at(path: string): string {
  const p = lodashPath(path);
  return p === undefined ? '' : p === '[]' ? 'json' : `_.get(json, ${p})`;
}

function assertion(check: Check): string | undefined {
  switch (check.kind) {
    case 'status':
      if (check.op === 'equals') return `pm.response.to.have.status(${check.value});`;
      if (check.op === 'oneOf') return `pm.expect(${JSON.stringify(check.value)}).to.include(pm.response.code);`;
      return `pm.expect(Math.floor(pm.response.code / 100)).to.equal(${check.value[0]});`;
    case 'responseTime':
      return `pm.expect(pm.response.responseTime).to.be.below(${check.value});`;
    case 'header': {
      const name = JSON.stringify(check.path);
      if (check.op === 'exists') return `pm.response.to.have.header(${name});`;
      if (check.op === 'equals') return `pm.expect(pm.response.headers.get(${name})).to.equal(${expected(check.value)});`;
      return `pm.expect(pm.response.headers.get(${name})).to.match(new RegExp(${JSON.stringify(check.value)}));`;
    }
    case 'json': {
      const value = at(check.path);
      if (!value) return undefined;
      const json = 'const json = pm.response.json(); ';
      if (check.op === 'exists') return `${json}pm.expect(${value}).to.not.be.undefined;`;
      if (check.op === 'equals') return `${json}pm.expect(${value}).to.eql(${expected(check.value)});`;
      if (check.op === 'matches') return `${json}const v = ${value}; pm.expect(typeof v === 'string' ? v : JSON.stringify(v)).to.match(new RegExp(${JSON.stringify(check.value)}));`;
      if (check.op === 'length') return `${json}pm.expect(${value}).to.have.lengthOf(${check.value});`;
      if (check.value === 'integer') return `${json}pm.expect(Number.isInteger(${value})).to.be.true;`;
      return `${json}pm.expect(${value}).to.be.${check.value === 'array' ? 'an' : 'a'}(${JSON.stringify(check.value)});`;
    }
    case 'schema':
      return undefined;
  }
}

/** The lines of a Postman "test" script for these checks and captures (empty when there are none). */
export function postmanTestScript(expect: readonly Check[] | undefined, capture: readonly Capture[] | undefined): string[] {
  const lines: string[] = [];
  for (const check of expect ?? []) {
    const line = assertion(check);
    lines.push(line ? `pm.test(${JSON.stringify(describeCheck(check))}, () => { ${line} });` : `// StudyTeam check not expressible here: ${describeCheck(check)}`);
  }
  for (const c of capture ?? []) {
    if (c.from === 'status') lines.push(`pm.variables.set(${JSON.stringify(c.name)}, String(pm.response.code));`);
    else if (c.from === 'header') lines.push(`pm.variables.set(${JSON.stringify(c.name)}, pm.response.headers.get(${JSON.stringify(c.path)}));`);
    else {
      const value = at(c.path);
      lines.push(value ? `{ const json = pm.response.json(); const v = ${value}; pm.variables.set(${JSON.stringify(c.name)}, typeof v === 'string' ? v : JSON.stringify(v)); }` : `// StudyTeam capture not expressible here: ${c.name} ← ${c.path}`);
    }
  }
  return lines;
}
