// The HTML shell of our webviews (the request panel, the Run Folder results view): a strict CSP (scripts and styles
// by nonce, images from the extension's webview folder or blob: URLs), with the webview bundle and its stylesheet
// inlined. Inlining saves the two resource round trips a webview makes through its service worker before it can run
// (the slow part of opening a panel in code-server); when the files cannot be read here, they are linked instead.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

/** The options our webview panels are created with (a request panel opened or reopened after a reload, a results view). */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { ...webviewOptions(extensionUri), retainContextWhenHidden: false, enableFindWidget: true };
}

/** The bundle and stylesheet as text (read on each open, so a rebuilt bundle is picked up), or undefined. */
function inlineAssets(root: vscode.Uri, bundle: WebviewBundle): { script: string; style: string } | undefined {
  if (root.scheme !== 'file') return undefined;
  try {
    return { script: readFileSync(vscode.Uri.joinPath(root, `${bundle}.js`).fsPath, 'utf8'), style: readFileSync(vscode.Uri.joinPath(root, `${bundle}.css`).fsPath, 'utf8') };
  } catch {
    return undefined;
  }
}

/** The webview bundles under dist/webview (scripts/build.mjs): the request panel, the Run Folder results view. */
export type WebviewBundle = 'panel' | 'runResults';

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewHtml(webview, extensionUri, { bundle: 'panel', title: `StudyTeam Request: ${title}`, app: 'studyteam-request' });
}

/** The HTML shell of one of our webviews; `title` is the document's (tests find a webview by it). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { bundle: WebviewBundle; title: string; app: string }): string {
  const { bundle, title } = page;
  const root = webviewRoot(extensionUri);
  const nonce = randomBytes(16).toString('base64');
  const inline = inlineAssets(root, bundle);
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} blob:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // `</` cannot end the element early: in JS and CSS, `<\/` means the same thing.
  const style = inline
    ? `<style nonce="${nonce}">${inline.style.replace(/<\/(style)/gi, '<\\/$1')}</style>`
    : `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.css`)).toString()}">`;
  const script = inline
    ? `<script nonce="${nonce}">${inline.script.replace(/<\/(script)/gi, '<\\/$1')}</script>`
    : `<script nonce="${nonce}" src="${webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.js`)).toString()}"></script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app" data-testid="app" data-panel="${page.app}"></div>
${script}
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
