/** Query keys for jobs, so a change can refresh every list or one job without guessing. */
export const jobKeys = {
  all: ["jobs"] as const,
  lists: () => [...jobKeys.all, "list"] as const,
  list: (type: string | undefined) => [...jobKeys.lists(), { type: type ?? null }] as const,
  detail: (id: string) => [...jobKeys.all, "detail", id] as const,
};
