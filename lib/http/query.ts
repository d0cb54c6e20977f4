import type { z } from "zod";
import { invalidFields, invalidRequest, type FieldErrors } from "./errors";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

/**
 * Validates a query string against `schema`, throwing invalidRequest's 400 naming the
 * parameters in error. A parameter given twice (`?token=a&token=b`) is refused rather
 * than resolved to one of its values: which one the caller meant is anyone's guess.
 */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, params: URLSearchParams): z.output<Schema> {
  const fields: FieldErrors = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    if (values.length > 1) fields[name] = `Give ${name} once, not ${values.length} times.`;
    else if (!values.every(isStorableText)) fields[name] = UNSTORABLE_TEXT_MESSAGE;
  }
  if (Object.keys(fields).length > 0) throw invalidFields(fields);
  const result = schema.safeParse(Object.fromEntries(params));
  if (!result.success) throw invalidRequest(result.error, "query");
  return result.data;
}
