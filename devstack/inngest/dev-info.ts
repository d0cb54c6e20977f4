/**
 * `GET /dev` in the official dev server's shape (its `InfoResponse`), so tools and tests
 * written against `npx inngest-cli dev` read the same fields here. Functions are listed as
 * the server stores them after a sync, not as the SDK sent them: `steps` is an array of
 * `{id, name, uri}`, `id` is a UUID, `slug` is the SDK's function id, `fv` its version, and
 * an `idempotency` key becomes the one-per-24-h `rateLimit` Inngest turns it into.
 */
import { v5 as uuidV5 } from "uuid";
import { type ConcurrencyOption, type FunctionConfig } from "./protocol";
import type { App, FunctionDef, Registry } from "./registry";

export const DEV_SERVER_VERSION = "devstack-0.1";

/** Inngest caps a function's retries at 20. */
const MAX_RETRIES = 20;
/** RFC 4122's OID namespace: Inngest derives its deterministic function UUIDs in it. */
const NAMESPACE_OID = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";

export type DevStartOpts = {
  /** Whether runs survive a restart (a data dir is set). */
  persist: boolean;
  /** How often synced apps are synced again. */
  resyncIntervalMs: number;
};

export type DevStep = { id: string; name: string; uri: string; retries?: number };

export type DevFunction = {
  id: string;
  fv: number;
  name: string;
  slug: string;
  triggers: FunctionConfig["triggers"];
  steps: DevStep[];
  priority?: FunctionConfig["priority"];
  concurrency?: { limit: number; key?: string; scope: NonNullable<ConcurrencyOption["scope"]> }[];
  rateLimit?: { limit: number; period: string; key?: string };
  throttle?: FunctionConfig["throttle"];
  cancel?: FunctionConfig["cancel"];
  debounce?: unknown;
  timeouts?: unknown;
  singleton?: unknown;
  batchEvents?: unknown;
};

export type DevHandler = {
  functionIDs: string[];
  sdk: { url: string; appName?: string; framework?: string; sdk?: string };
  createdAt?: string;
  updatedAt?: string;
  /** Not in Inngest's shape: why the last sync failed, or which options it ignores. */
  error?: string;
};

export type DevInfo = {
  version: string;
  authed: boolean;
  startOpts: {
    dir: string;
    urls: string[];
    autodiscover: boolean;
    poll: boolean;
    poll_interval: number;
    require_keys: boolean;
    persist: boolean;
  };
  functions: DevFunction[];
  handlers: DevHandler[];
  isSingleNodeService: boolean;
  isMissingSigningKey: boolean;
  isMissingEventKeys: boolean;
  features: Record<string, boolean>;
};

export function devInfo(registry: Registry, opts: DevStartOpts): DevInfo {
  return {
    version: DEV_SERVER_VERSION,
    // Dev mode: nothing is signed, so nobody is authenticated.
    authed: false,
    startOpts: {
      dir: "",
      urls: [...registry.apps.keys()],
      autodiscover: false,
      poll: true,
      poll_interval: Math.round(opts.resyncIntervalMs / 1000),
      require_keys: false,
      persist: opts.persist,
    },
    functions: [...registry.functions.values()].map(devFunction),
    handlers: [...registry.apps.values()].map(devHandler),
    isSingleNodeService: false,
    isMissingSigningKey: false,
    isMissingEventKeys: false,
    features: {},
  };
}

/** A synced function as Inngest stores it (`inngest.Function`). */
export function devFunction(fn: FunctionDef): DevFunction {
  const { config } = fn;
  const steps = Object.values(config.steps).map((step): DevStep => {
    const retries = step.retries?.attempts;
    return {
      id: step.id,
      name: typeof step.name === "string" ? step.name : step.id,
      uri: step.runtime.url,
      ...(retries === undefined ? {} : { retries: Math.min(retries, MAX_RETRIES) }),
    };
  });
  const idempotency = config.idempotency ? { limit: 1, period: "24h0m0s", key: config.idempotency } : undefined;
  const optional = {
    priority: config.priority,
    concurrency: concurrencyLimits(config.concurrency),
    rateLimit: idempotency ?? config.rateLimit,
    throttle: config.throttle,
    cancel: config.cancel,
    debounce: config.debounce,
    timeouts: config.timeouts,
    singleton: config.singleton,
    batchEvents: config.batchEvents,
  };
  return {
    id: functionUuid(fn.name, steps[0]?.uri ?? ""),
    fv: fn.version,
    name: fn.name,
    slug: fn.id,
    triggers: config.triggers,
    steps,
    // Go's `omitempty`: absent options are left out rather than sent as null.
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** Inngest's deterministic function id: a SHA-1 UUID of the name and the first step's URL. */
export function functionUuid(name: string, uri: string): string {
  return uuidV5(name + uri, NAMESPACE_OID);
}

/** Concurrency as Inngest stores it: always a list, a bare number being a function-scoped limit, smallest limit first. */
function concurrencyLimits(concurrency: FunctionConfig["concurrency"]): DevFunction["concurrency"] {
  if (concurrency === undefined) return undefined;
  const limits = typeof concurrency === "number" ? [{ limit: concurrency }] : [concurrency].flat();
  return limits
    .map(({ limit, key, scope }) => ({ limit, ...(key === undefined ? {} : { key }), scope: scope ?? "fn" }))
    .sort((a, b) => a.limit - b.limit);
}

function devHandler(app: App): DevHandler {
  const syncedAt = app.syncedAt === undefined ? undefined : new Date(app.syncedAt).toISOString();
  return {
    functionIDs: [...app.functionIds],
    sdk: { url: app.url, appName: app.appId, framework: app.framework, sdk: app.sdk },
    createdAt: app.firstSyncedAt === undefined ? undefined : new Date(app.firstSyncedAt).toISOString(),
    updatedAt: syncedAt,
    // A failing sync, or else the options the devstack ignores (named per function).
    error: app.error ?? (app.unsupported?.length ? app.unsupported.join("; ") : undefined),
  };
}
