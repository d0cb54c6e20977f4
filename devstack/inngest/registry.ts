/**
 * Apps and their functions. The SDK never registers by itself: we `PUT` the app's serve
 * URL and it answers with its function configs (in-band sync). We retry until the app is
 * up (the devstack starts before `next dev`), resync periodically to pick up code
 * changes, and soon after a call found the app down (it may come back with new code).
 */
import { batchConfigErrors, batchConfigWarnings } from "./batching";
import { debounceConfigErrors } from "./debounce";
import { checkExpression } from "./expressions";
import {
  DEFAULT_RETRIES,
  HEADERS,
  inBandSyncSchema,
  type AppSync,
  type EventTrigger,
  type FunctionConfig,
} from "./protocol";
import { parseDuration } from "./time";

export type FunctionDef = {
  id: string;
  name: string;
  appId: string;
  appUrl: string;
  /** Where the SDK runs this function: `<serve url>?fnId=<id>&stepId=step`. */
  runtimeUrl: string;
  eventTriggers: EventTrigger[];
  crons: { cron: string; jitter?: string }[];
  /** retries + 1. */
  maxAttempts: number;
  config: FunctionConfig;
  /** 1 at the first sync, +1 each time a sync brings a changed config (Inngest's `fv`). */
  version: number;
};

export type App = {
  url: string;
  appId?: string;
  framework?: string;
  sdk?: string;
  syncedAt?: number;
  firstSyncedAt?: number;
  /** Why the last sync failed, while it keeps failing. */
  error?: string;
  /**
   * Function options the SDK sent that the devstack does not implement, as of the last
   * sync, one line each naming the function and the option. The functions are served
   * anyway (so the rest of the app works), but the runs page and `GET /dev` show these.
   */
  unsupported?: string[];
  functionIds: string[];
};

export type RegistryOptions = {
  appUrls: string[];
  /** Retry an unsynced app this often. */
  syncIntervalMs: number;
  /** Resync a synced app this often, to pick up edited functions. */
  resyncIntervalMs: number;
  log: (message: string) => void;
  /** After every successful sync (cron schedules are rebuilt from it). */
  onSync: () => void;
};

/** Options the SDK forwards that this executor reads but does not implement. */
/** Options a function config may carry that the executor doesn't implement yet. */
const NOT_IMPLEMENTED: readonly (keyof FunctionConfig)[] = [];

/**
 * Every top-level key `InngestFunction.getConfig()` sends in 4.24.0. Anything else comes
 * from a newer SDK and is an option the executor doesn't know, so it is reported too.
 */
const KNOWN_CONFIG_KEYS: ReadonlySet<string> = new Set([
  "id", "name", "triggers", "steps", "idempotency", "batchEvents", "rateLimit", "throttle",
  "concurrency", "debounce", "priority", "timeouts", "singleton", "cancel",
]);

export class Registry {
  readonly apps = new Map<string, App>();
  readonly functions = new Map<string, FunctionDef>();
  private readonly inFlight = new Map<string, Promise<App>>();
  private readonly stale = new Set<string>();
  private readonly warned = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: RegistryOptions) {
    for (const url of options.appUrls) this.apps.set(url, { url, functionIds: [] });
  }

  start() {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.syncIntervalMs);
    this.timer.unref();
  }

  close() {
    clearInterval(this.timer);
  }

  /** A call to this app failed to connect: resync as soon as it answers again. */
  markStale(appUrl: string) {
    // Runs restored from disk may belong to an app registered out-of-band last time.
    if (!this.apps.has(appUrl)) this.apps.set(appUrl, { url: appUrl, functionIds: [] });
    this.stale.add(appUrl);
  }

  private async tick() {
    const now = Date.now();
    await Promise.all(
      [...this.apps.values()]
        .filter(
          (app) =>
            !app.syncedAt || this.stale.has(app.url) || now - app.syncedAt >= this.options.resyncIntervalMs,
        )
        .map((app) => this.sync(app.url).catch(() => undefined)),
    );
  }

  /**
   * `PUT <appUrl>` asking for an in-band sync; registers what it answers. Joins a sync
   * already under way, and tries again if that one fails (it may predate the app).
   */
  sync(appUrl: string): Promise<App> {
    const running = this.inFlight.get(appUrl);
    if (running) return running.catch(() => this.sync(appUrl));
    const attempt = this.syncOnce(appUrl).finally(() => this.inFlight.delete(appUrl));
    this.inFlight.set(appUrl, attempt);
    return attempt;
  }

  private async syncOnce(appUrl: string): Promise<App> {
    const app = this.apps.get(appUrl) ?? { url: appUrl, functionIds: [] };
    this.apps.set(appUrl, app);
    try {
      const response = await fetch(appUrl, {
        method: "PUT",
        headers: {
          "content-type": "application/json",
          [HEADERS.syncKind]: "in_band",
          [HEADERS.serverKind]: "dev",
        },
        body: JSON.stringify({ url: appUrl }),
        // `next dev` compiles the route on its first request, which can take a while.
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`PUT ${appUrl} answered ${response.status}: ${text.slice(0, 200)}`);
      if (response.headers.get(HEADERS.syncKind) !== "in_band") {
        throw new Error(
          `PUT ${appUrl} did not answer an in-band sync (is INNGEST_ALLOW_IN_BAND_SYNC=false, or is this not an Inngest serve endpoint?)`,
        );
      }
      const body = inBandSyncSchema.parse(JSON.parse(text));
      this.register({ appId: body.app_id, url: appUrl, functions: body.functions, framework: body.framework, sdk: body.sdk });
      return app;
    } catch (error) {
      const message = describeFetchError(error);
      if (app.error !== message) {
        // Nothing listening yet is what every start looks like (next dev boots after the
        // devstack): not a failure. Anything else is, and says why.
        const refused = /ECONNREFUSED/.test(message);
        this.options.log(refused ? `waiting for the app at ${appUrl} …` : `sync of ${appUrl} failed, retrying: ${message}`);
      }
      app.error = message;
      throw error;
    }
  }

  /** Records an app's functions (from an in-band sync or `POST /fn/register`). */
  register(sync: AppSync) {
    refuseInvalid(sync);
    const app = this.apps.get(sync.url) ?? { url: sync.url, functionIds: [] };
    const wasSynced = Boolean(app.syncedAt);
    const previous = new Map(app.functionIds.map((id) => [id, this.functions.get(id)]));
    for (const id of app.functionIds) this.functions.delete(id);
    app.functionIds = [];
    app.unsupported = [];
    for (const config of sync.functions) {
      const def = toFunctionDef(config, sync, previous.get(config.id));
      app.unsupported.push(...this.warnAboutConfig(def));
      this.functions.set(def.id, def);
      app.functionIds.push(def.id);
    }
    const now = Date.now();
    app.firstSyncedAt ??= now;
    Object.assign(app, { appId: sync.appId, framework: sync.framework, sdk: sync.sdk, syncedAt: now, error: undefined });
    this.apps.set(sync.url, app);
    this.stale.delete(sync.url);
    if (!wasSynced) this.options.log(`synced ${sync.appId} at ${sync.url}: ${app.functionIds.length} function(s)`);
    this.options.onSync();
  }

  /** Logs what is wrong with a function's config; returns the options it doesn't implement. */
  private warnAboutConfig(def: FunctionDef): string[] {
    const unsupported = [
      ...NOT_IMPLEMENTED.filter((key) => def.config[key] !== undefined),
      ...Object.keys(def.config).filter((key) => !KNOWN_CONFIG_KEYS.has(key)),
      ...(def.crons.some((cron) => cron.jitter) ? ["cron jitter"] : []),
    ].map((key) => `function ${def.id}: "${key}" is not implemented by the devstack and is ignored`);
    for (const line of unsupported) {
      if (this.warned.has(line)) continue;
      this.warned.add(line);
      this.options.log(`error: ${line}`);
    }
    const problems = batchConfigWarnings(def.config);
    const expressions = [
      ...def.eventTriggers.map((t) => t.expression),
      def.config.idempotency,
      def.config.rateLimit?.key,
      def.config.throttle?.key,
      ...(def.config.cancel ?? []).map((c) => c.if),
      ...concurrencyKeys(def.config),
      def.config.priority?.run,
      def.config.singleton?.key,
    ];
    for (const expression of expressions) {
      if (!expression) continue;
      try {
        checkExpression(expression);
      } catch (error) {
        problems.push(`expression ${JSON.stringify(expression)} does not parse: ${(error as Error).message}`);
      }
    }
    const periods = [
      def.config.rateLimit?.period,
      def.config.throttle?.period,
      def.config.timeouts?.start,
      def.config.timeouts?.finish,
      ...(def.config.cancel ?? []).map((c) => c.timeout),
    ];
    for (const period of periods) {
      if (period && parseDuration(period) === undefined) problems.push(`"${period}" is not a duration`);
    }
    for (const problem of problems) {
      const line = `function ${def.id}: ${problem}`;
      if (this.warned.has(line)) continue;
      this.warned.add(line);
      this.options.log(`warning: ${line}`);
    }
    return unsupported;
  }
}

/**
 * Inngest refuses a whole sync when one of its functions has a config its registration
 * rejects (and keeps what was synced before), so an app that the devstack accepted but
 * Inngest Cloud would refuse can't go unnoticed. Throws with every reason.
 */
function refuseInvalid(sync: AppSync) {
  const reasons = sync.functions.flatMap((config) =>
    [...debounceConfigErrors(config), ...batchConfigErrors(config)].map((reason) => `function ${config.id}: ${reason}`),
  );
  if (reasons.length > 0) throw new Error(`Inngest would refuse this app's functions: ${reasons.join("; ")}`);
}

function concurrencyKeys(config: FunctionConfig): (string | undefined)[] {
  const { concurrency } = config;
  if (concurrency === undefined || typeof concurrency === "number") return [];
  return (Array.isArray(concurrency) ? concurrency : [concurrency]).map((c) => c.key);
}

function toFunctionDef(config: FunctionConfig, sync: AppSync, previous?: FunctionDef): FunctionDef {
  const step = config.steps.step ?? Object.values(config.steps)[0];
  if (!step) throw new Error(`function ${config.id} has no step runtime`);
  const retries = step.retries?.attempts ?? DEFAULT_RETRIES;
  return {
    id: config.id,
    name: config.name ?? config.id,
    appId: sync.appId,
    appUrl: sync.url,
    runtimeUrl: step.runtime.url,
    eventTriggers: config.triggers.filter((t): t is EventTrigger => "event" in t),
    crons: config.triggers.filter((t): t is { cron: string; jitter?: string } => "cron" in t),
    maxAttempts: retries + 1,
    config,
    version: !previous ? 1 : JSON.stringify(previous.config) === JSON.stringify(config) ? previous.version : previous.version + 1,
  };
}

/** Node's fetch hides the useful part ("ECONNREFUSED") in `cause`. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
