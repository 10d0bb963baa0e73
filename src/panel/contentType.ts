// What the host makes of a response's content type: the editor language for Open in Editor, the file extension
// for Save to File, and whether an image is shown inline. Host only.
import { isJsonContentType, looksLikeJson, validateJson } from './jsonText';

/** VS Code language id for a document holding a response body. */
export function languageForContentType(contentType: string, text = ''): string {
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (isJsonContentType(mime)) return 'json';
  if (/[/+]xml$/.test(mime)) return 'xml';
  if (mime === 'text/html') return 'html';
  if (mime === 'text/css') return 'css';
  if (/javascript|ecmascript/.test(mime)) return 'javascript';
  if (/yaml/.test(mime)) return 'yaml';
  if (mime === 'text/markdown') return 'markdown';
  if (mime === 'text/csv') return 'csv';
  if (mime === '' && looksLikeJson(text) && validateJson(text).ok) return 'json';
  return 'plaintext';
}

/** File extension for "Save to File". */
export function extensionForContentType(contentType: string): string {
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const byMime: Record<string, string> = {
    'text/html': 'html',
    'text/css': 'css',
    'text/csv': 'csv',
    'text/plain': 'txt',
    'text/markdown': 'md',
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'image/svg+xml': 'svg',
    'image/webp': 'webp',
    'application/pdf': 'pdf',
  };
  if (byMime[mime]) return byMime[mime];
  if (isJsonContentType(mime)) return 'json';
  if (/[/+]xml$/.test(mime)) return 'xml';
  return 'txt';
}

export function isPreviewableImage(contentType: string): boolean {
  return /^image\/(png|jpeg|gif|webp|bmp|x-icon|vnd\.microsoft\.icon)$/i.test((contentType.split(';')[0] ?? '').trim());
}
