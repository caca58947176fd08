// Vitest globalSetup for the e2e project: the browser tests load the built console
// and widget, so rebuild them when their sources are newer (the same check as
// `npm start`). Runs once per run, so test files never build concurrently.
import { ensureBuilt } from '../../scripts/prepare.mjs';

export default function setup(): void {
  ensureBuilt();
}
