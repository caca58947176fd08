// One pino logger, created in main.ts and passed down; nothing logs through console.
import pino, { type Logger } from 'pino';
export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
