import type { LoggerService } from '@nestjs/common';

export interface LogEntry {
  readonly level: string;
  readonly context: string;
  /** The message as one JSON (objects) or text line, as it would reach the log. */
  readonly line: string;
}

/** A LoggerService that keeps every line, for tests that assert what the relay logs. */
export class CollectedLogs implements LoggerService {
  readonly entries: LogEntry[] = [];

  log(message: unknown, context?: string): void {
    this.push('log', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.push('warn', message, context);
  }
  error(message: unknown, _trace?: string, context?: string): void {
    this.push('error', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.push('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.push('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.push('fatal', message, context);
  }

  /** Everything logged, one entry per line. */
  text(): string {
    return this.entries.map((e) => `${e.level} [${e.context}] ${e.line}`).join('\n');
  }

  /** The lines of one level (all levels when omitted), in order. */
  lines(level?: string): string[] {
    return this.entries.filter((e) => level === undefined || e.level === level).map((e) => e.line);
  }

  /** The entries of one context whose line contains `fragment`. */
  find(context: string, fragment: string): LogEntry[] {
    return this.entries.filter((e) => e.context === context && e.line.includes(fragment));
  }

  clear(): void {
    this.entries.length = 0;
  }

  private push(level: string, message: unknown, context?: string): void {
    const line = typeof message === 'string' ? message : JSON.stringify(message);
    this.entries.push({ level, context: context ?? '', line });
  }
}
