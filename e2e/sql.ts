import { querySqlHook } from "../tests/support/sql-hook";
import { urls } from "./stack";

type Row = Record<string, unknown>;

/**
 * Plain SQL against the e2e stack's database, to check what the app shows, through the
 * e2e devstack's SQL endpoint (e2e/devstack.ts). A tagged template makes each value a
 * parameter: sql<{ id: string }[]>`select id from public.profiles where email = ${email}`.
 * The row type is the caller's claim, as with any SQL driver.
 */
export async function sql<T extends readonly Row[] = Row[]>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
  const text = strings.reduce((query, part, i) => `${query}$${i}${part}`);
  return (await querySqlHook(urls.sql, text, values)) as unknown as T;
}

/** A statement with no parameters, as written (DDL, names made up by the test). */
sql.unsafe = (text: string): Promise<Row[]> => querySqlHook(urls.sql, text);
