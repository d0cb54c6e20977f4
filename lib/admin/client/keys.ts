import type { DeadLetterQuery } from "../schemas";

export type DeadLetterListFilter = Omit<DeadLetterQuery, "cursor" | "limit">;

/** Query keys for the console, so an action can refresh exactly what it changed. */
export const adminKeys = {
  all: ["admin"] as const,
  deadLetters: () => [...adminKeys.all, "dead-letters"] as const,
  deadLetterList: (filter: DeadLetterListFilter) => [...adminKeys.deadLetters(), filter] as const,
  job: (id: string) => [...adminKeys.all, "job", id] as const,
  audit: () => [...adminKeys.all, "audit"] as const,
};
