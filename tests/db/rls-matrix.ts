import { expect } from "vitest";

/**
 * The pieces an RLS matrix (teams-rls, webhooks-rls) is made of: who calls, what each cell
 * expects, what a call answered, and the one way a cell is judged.
 */

export const ACTORS = ["anon", "member", "admin", "owner", "otherOwner", "service"] as const;
export type Actor = (typeof ACTORS)[number];

/** A: allowed, R: refused, –: no such operation for this caller (said why in the row). */
export const A = "allowed";
export const R = "refused";
export const NA = "n/a";
export type Expected = typeof A | typeof R | typeof NA;

/** What a request answered: its error (code and hint) and the rows it returned. */
export type Answer = { error: { code: string; hint: string | null; message: string } | null; rows: unknown[] };

type Cell<Context> = {
  outcome: Expected;
  prepare?: (c: Context) => Promise<void>;
  act: (c: Context) => PromiseLike<{ error: { code: string; hint?: string | null; message: string } | null; data: unknown }>;
  tookEffect: (c: Context, answer: Answer) => Promise<boolean> | boolean;
};

/** Runs a cell as its actor and checks it did what it expects, and only then took effect. */
export async function expectCellOutcome<Context>(cell: Cell<Context>, c: Context): Promise<void> {
  await cell.prepare?.(c);
  const { error, data } = await cell.act(c);
  const answer: Answer = {
    error: error ? { code: error.code, hint: error.hint ?? null, message: error.message } : null,
    rows: Array.isArray(data) ? data : data === null || data === undefined ? [] : [data],
  };
  const effect = await cell.tookEffect(c, answer);
  if (cell.outcome === A) {
    expect(answer.error).toBeNull();
    expect(effect).toBe(true);
  } else {
    // Refused: either an error, or the policy hid every row (none returned, none changed).
    expect(answer.error !== null || answer.rows.length === 0, JSON.stringify(answer)).toBe(true);
    expect(effect).toBe(false);
  }
}
