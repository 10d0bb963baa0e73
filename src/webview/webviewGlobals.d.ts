// Ambient declarations of the webview bundle: the VS Code webview API and CSS imports (emitted by esbuild).
interface VsCodeWebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State = unknown>(): VsCodeWebviewApi<State>;

declare module '*.css';
