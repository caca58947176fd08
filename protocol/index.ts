// The one typed protocol module, imported by server, widget and console.
// Runtime validation happens at the gateway only (server/src/gateway/validate.ts).
export * from './codes.js';
export * from './schema-common.js';
export * from './visitor-frames.js';
export * from './agent-frames.js';
