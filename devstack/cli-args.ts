/** Flags of `npm run devstack`. Unknown flags are refused, so a typo doesn't silently start everything. */
export type DevstackArgs = {
  /** False with `--no-inngest`: the official dev server (`npm run dev:inngest-cli`) takes port 8288 instead. */
  inngest: boolean;
};

export const USAGE = "usage: npm run devstack [-- --no-inngest]";

export function parseDevstackArgs(argv: readonly string[]): DevstackArgs {
  const args: DevstackArgs = { inngest: true };
  for (const arg of argv) {
    if (arg === "--no-inngest") args.inngest = false;
    else throw new Error(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return args;
}
