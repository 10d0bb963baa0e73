// The one "StudyTeam" LogOutputChannel. Every line is tagged ([auth], [http], [tree], …) and passes through
// redaction as a last line of defence: callers already log only counts, statuses, durations and names.
import type * as vscode from 'vscode';
import type { Logger, LogLevel } from '../core/model';
import { redactText } from '../core/redaction';

/** vscode.LogLevel's values (Off 0, Trace 1 … Error 5), without loading `vscode` values here. */
const OFF = 0;
const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 };

export class OutputLogger implements Logger {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  log(level: LogLevel, tag: string, message: string): void {
    // Below the channel's level the line is dropped anyway: no redaction work for it.
    if (LEVEL_VALUES[level] < this.channel.logLevel || this.channel.logLevel === OFF) return;
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
