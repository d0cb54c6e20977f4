/**
 * CEL, as Inngest uses it: trigger `expression`s and `cancelOn`/`waitForEvent` `if`s are
 * booleans over `event` (and `async`, the incoming event); concurrency, idempotency,
 * throttle and rate-limit `key`s are values over `event` that name a bucket; `priority.run`
 * is an integer over `event`.
 */
import { parse, type ParseResult } from "@marcbachmann/cel-js";

export type ExpressionVariables = { event: unknown; async?: unknown };

const compiled = new Map<string, ParseResult>();

function compile(expression: string): ParseResult {
  let program = compiled.get(expression);
  if (!program) {
    program = parse(expression);
    compiled.set(expression, program);
  }
  return program;
}

/** Throws if the expression doesn't parse, so a bad config is reported at sync time. */
export function checkExpression(expression: string): void {
  compile(expression);
}

/**
 * True only if the expression evaluates to `true`. An evaluation error (typically a
 * missing key, e.g. `event.data.userId` on an event without it) counts as no match, as
 * it does on Inngest: such an event simply doesn't satisfy the condition.
 */
export function matches(expression: string, variables: ExpressionVariables): boolean {
  try {
    return compile(expression)(variables) === true;
  } catch {
    return false;
  }
}

/**
 * An integer-valued expression (`priority.run`), or undefined when it can't be evaluated or
 * yields anything but a whole number (CEL ints are bigints; JSON numbers from event data
 * arrive as numbers).
 */
export function evaluateInteger(expression: string, variables: ExpressionVariables): number | undefined {
  let value: unknown;
  try {
    value = compile(expression)(variables);
  } catch {
    return undefined;
  }
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" && Number.isInteger(value)) return value;
  return undefined;
}

/**
 * The bucket a key expression puts an event in. A key that can't be evaluated falls in
 * one shared bucket (named after the expression) rather than failing the event.
 */
export function evaluateKey(expression: string, variables: ExpressionVariables): string {
  let value: unknown;
  try {
    value = compile(expression)(variables);
  } catch {
    return `<unevaluable: ${expression}>`;
  }
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner));
}

/** The expression's value, or `{ failed: true }` when it can't be evaluated (`singleton.key`). */
export function tryEvaluate(expression: string, variables: ExpressionVariables): { value: unknown } | { failed: true } {
  try {
    return { value: compile(expression)(variables) };
  } catch {
    return { failed: true };
  }
}
