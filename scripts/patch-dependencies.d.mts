/** `file` (relative to the package) when the edit is not in the patch's own `file`. */
export type Edit = { find: string; replace: string; file?: string };
export type Patch = { package: string; version: string; file: string; title: string; upstream: string; edits: Edit[] };
export function applyPatches(source: string, file: string, patches: { name: string; patch: Patch }[]): string;
export function loadPatches(dir: string): Promise<{ name: string; patch: Patch }[]>;
export function patchDependencies(options: { patchesDir: string; nodeModules: string }): Promise<string[]>;
