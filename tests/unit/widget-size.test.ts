// Size budgets: the embed script must stay tiny (it loads on every page of every
// customer site), the chat window small enough to open fast on a phone.
import { describe, expect, it } from 'vitest';
import { buildWidget } from '../../widget/build.mjs';

const LOADER_BUDGET = 10 * 1024;
const WINDOW_BUDGET = 60 * 1024;

describe('widget size budget', () => {
  it('J1 loader.js ≤ 10 KB and the chat window (html+js+css) ≤ 60 KB, gzipped', async () => {
    const { sizes } = await buildWidget();
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
    console.log(
      `widget sizes (gzip): loader.js ${kb(sizes.loaderGzip)}, window ${kb(sizes.windowGzip)} ` +
        `(${Object.entries(sizes.files).map(([f, s]) => `${f} ${kb(s.gzip)}`).join(', ')})`,
    );
    expect(sizes.files['loader.js']).toBeDefined();
    expect(sizes.files['window.js']).toBeDefined();
    expect(sizes.loaderGzip).toBeGreaterThan(0);
    expect(sizes.loaderGzip).toBeLessThanOrEqual(LOADER_BUDGET);
    expect(sizes.windowGzip).toBeLessThanOrEqual(WINDOW_BUDGET);
  });
});
