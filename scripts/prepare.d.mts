// Types for the plain-Node helpers of scripts/prepare.mjs, used by the e2e setup.
export declare const ROOT: string;
export declare function ensureBuilt(): void;
export declare function ensureDependencies(): void;
export declare function checkNode(): void;
export declare function run(cmd: string, args: string[], opts?: Record<string, unknown>): void;
