import type { FieldErrors } from "@/lib/http/errors";
import { deadLetterQuerySchema, type DeadLetterQuery } from "./schemas";
import { wallTimeToIso } from "./zoned-time";

/**
 * The dead letters page's filters as its URL carries them: what the filter form submits
 * (a plain GET form), with times as the viewer's wall clock. Read here into the API's
 * query, so the page and `GET /api/admin/dead-letters` filter the same way.
 */
export type DeadLetterFormValues = { type: string; org: string; since: string; until: string; replayed: string };

const paramNames = ["type", "org", "since", "until", "replayed"] as const;

export type DeadLetterParams =
  | { ok: true; values: DeadLetterFormValues; query: DeadLetterQuery }
  | { ok: false; values: DeadLetterFormValues; message: string; fields: FieldErrors };

/** Field names in the API's terms → the form's. */
const formField: Record<string, keyof DeadLetterFormValues> = {
  type: "type",
  orgId: "org",
  failedSince: "since",
  failedUntil: "until",
  replayed: "replayed",
};

export function readDeadLetterParams(
  params: Record<string, string | string[] | undefined>,
  timeZone: string,
): DeadLetterParams {
  const values = Object.fromEntries(
    paramNames.map((name) => {
      const value = params[name];
      return [name, (Array.isArray(value) ? value[0] : value)?.trim() ?? ""];
    }),
  ) as DeadLetterFormValues;

  const fields: FieldErrors = {};
  const instant = (name: "since" | "until") => {
    if (!values[name]) return undefined;
    const iso = wallTimeToIso(values[name], timeZone);
    if (!iso) fields[name] = "Use a date and time.";
    return iso ?? undefined;
  };
  const candidate = {
    type: values.type || undefined,
    orgId: values.org || undefined,
    failedSince: instant("since"),
    failedUntil: instant("until"),
    replayed: values.replayed || undefined,
  };
  const parsed = deadLetterQuerySchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = formField[String(issue.path[0])];
      if (field) fields[field] ??= field === "until" ? "The end must not be before the start." : issue.message;
    }
  }
  if (!parsed.success || Object.keys(fields).length > 0) {
    return { ok: false, values, message: "Some filters aren't valid; fix them to see dead letters.", fields };
  }
  return { ok: true, values, query: parsed.data };
}

/** The page's URL for these form values (empty ones left out). */
export function deadLetterHref(values: Partial<DeadLetterFormValues>): string {
  const query = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => !!entry[1]));
  const search = query.toString();
  return search ? `/admin/dead-letters?${search}` : "/admin/dead-letters";
}
