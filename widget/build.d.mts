// Types for build.mjs, so TypeScript tests and scripts can import it.
export declare const DIST: string;
export declare const OUTPUTS: string[];
export interface WidgetSizes {
  files: Record<string, { raw: number; gzip: number }>;
  loaderGzip: number;
  windowGzip: number;
}
export declare function isStale(): boolean;
export declare function buildWidget(opts?: { force?: boolean }): Promise<{ built: boolean; sizes: WidgetSizes }>;
export declare function measure(): WidgetSizes;
