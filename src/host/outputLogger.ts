// The one "StudyTeam" LogOutputChannel. Every line is tagged ([auth], [http], [tree], …) and passes through
// redaction as a last line of defence: callers already log only counts, statuses, durations and names.
import type * as vscode from 'vscode';
import type { Logger, LogLevel } from '../core/model';
import { redactText } from '../core/redaction';

export class OutputLogger implements Logger {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  log(level: LogLevel, tag: string, message: string): void {
    const line = `[${tag}] ${redactText(message)}`;
    switch (level) {
      case 'trace':
        this.channel.trace(line);
        break;
      case 'debug':
        this.channel.debug(line);
        break;
      case 'info':
        this.channel.info(line);
        break;
      case 'warn':
        this.channel.warn(line);
        break;
      case 'error':
        this.channel.error(line);
        break;
    }
  }
}
