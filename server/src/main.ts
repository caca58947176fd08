// Entry point: validate config, boot, print where to go, shut down cleanly on
// SIGINT/SIGTERM (flush analytics, close sockets, stop embedded Postgres).
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee README.md, "Configuration".\n`);
    process.exit(2);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const server = await startServer(config, logger).catch((err) => {
  logger.fatal({ err }, 'start-up failed');
  process.exit(1);
});

const base = config.publicUrl.includes(`:${config.port}`) || config.port === 0 ? config.publicUrl.replace(/:\d+$/, `:${server.port}`) : config.publicUrl;
const lines = [
  '',
  `  Switchboard is running`,
  `  Console:   ${base}/`,
  `  Demo site: ${base}/demo`,
];
if (server.demo) {
  lines.push(`  Demo company ID: ${server.demo.companyId}   agent ID: ${server.demo.agentId}   password: ${server.demo.password}`);
}
lines.push('  Press Ctrl-C to stop.', '');
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => { logger.error('shutdown took over 15 s; exiting'); process.exit(1); }, 15_000);
  try {
    await server.close();
    clearTimeout(force);
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'error during shutdown');
    process.exit(1);
  }
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
