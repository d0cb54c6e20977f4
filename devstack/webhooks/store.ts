import { randomUUID } from "node:crypto";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** How many messages the catcher keeps; older ones are dropped as new ones arrive. */
export const MAX_MESSAGES = 500;

const caughtMessageSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  method: z.string(),
  /** The URL's path, without the query: secrets are kept per path. */
  path: z.string(),
  /** The query as sent, `?…` or "" (the catcher's own `status`/`delay` included). */
  query: z.string(),
  /** Lower-cased names, as the Fetch API gives them. */
  headers: z.record(z.string(), z.string()),
  /** The raw body, as UTF-8 text: signatures are computed over exactly these bytes. */
  body: z.string(),
  /** What the catcher answered, so a failure test can see its own doing. */
  responseStatus: z.number().int(),
});

/** One request as the catcher keeps it. */
export type CaughtMessage = z.infer<typeof caughtMessageSchema>;

export type NewMessage = Omit<CaughtMessage, "id" | "receivedAt">;

const secretsSchema = z.record(z.string(), z.string());

/**
 * Every request the catcher caught, newest `MAX_MESSAGES`, and the signing secrets a
 * developer pasted, per path. Given a directory, messages are appended to
 * `messages.jsonl` and secrets written to `secrets.json`, so a restart of `npm run dev`
 * keeps both (the file is rewritten when it holds twice as many lines as are kept).
 */
export class CatcherStore {
  private messages: CaughtMessage[] = []; // oldest first
  private secrets = new Map<string, string>();
  private fileLines = 0;
  private writes: Promise<void> = Promise.resolve();
  private listeners = new Set<() => void>();

  private constructor(private readonly dir: string | null) {}

  /** A store persisted in `dataDir`, reloaded from it; in memory only without one. */
  static async open(dataDir?: string): Promise<CatcherStore> {
    if (!dataDir) return new CatcherStore(null);
    await mkdir(dataDir, { recursive: true });
    const store = new CatcherStore(dataDir);
    await store.load();
    return store;
  }

  /** Newest first; `path` keeps only messages sent to exactly that path. */
  list(filter: { path?: string } = {}): CaughtMessage[] {
    return this.messages.filter((message) => !filter.path || message.path === filter.path).toReversed();
  }

  get(id: string): CaughtMessage | undefined {
    return this.messages.find((message) => message.id === id);
  }

  async add(input: NewMessage): Promise<CaughtMessage> {
    const message: CaughtMessage = { id: randomUUID(), receivedAt: new Date().toISOString(), ...input };
    this.messages.push(message);
    const dropped = this.messages.length > MAX_MESSAGES;
    if (dropped) this.messages = this.messages.slice(-MAX_MESSAGES);
    this.changed();
    this.fileLines += 1;
    if (this.fileLines > 2 * MAX_MESSAGES) await this.rewriteMessages();
    else await this.persist("messages.jsonl", (file) => appendFile(file, `${JSON.stringify(message)}\n`));
    return message;
  }

  async clear(): Promise<void> {
    this.messages = [];
    this.changed();
    await this.rewriteMessages();
  }

  /** The secret pasted for `path`, if any. */
  secretFor(path: string): string | undefined {
    return this.secrets.get(path);
  }

  /** Every path with a secret, in the order they were set. */
  listSecrets(): { path: string; secret: string }[] {
    return [...this.secrets].map(([path, secret]) => ({ path, secret }));
  }

  /** Sets the secret for `path`; `null` forgets it. */
  async setSecret(path: string, secret: string | null): Promise<void> {
    if (secret === null) this.secrets.delete(path);
    else this.secrets.set(path, secret);
    this.changed();
    const content = JSON.stringify(Object.fromEntries(this.secrets), null, 2);
    await this.persist("secrets.json", (file) => writeFile(file, content));
  }

  /** Calls `listener` after each change (caught, cleared, secret set); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for pending writes, so nothing is lost on shutdown. */
  async flush(): Promise<void> {
    await this.writes;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private rewriteMessages(): Promise<void> {
    const lines = this.messages.map((message) => `${JSON.stringify(message)}\n`).join("");
    this.fileLines = this.messages.length;
    return this.persist("messages.jsonl", (file) => writeFile(file, lines));
  }

  private persist(name: string, write: (file: string) => Promise<void>): Promise<void> {
    const { dir } = this;
    if (!dir) return Promise.resolve();
    const next = this.writes.then(() => write(path.join(dir, name)));
    this.writes = next.catch(() => {}); // the failed request reports it; later writes still run
    return next;
  }

  private async load(): Promise<void> {
    if (!this.dir) return;
    const file = path.join(this.dir, "messages.jsonl");
    const content = await readOptional(file);
    for (const [index, line] of content.split("\n").entries()) {
      if (!line.trim()) continue;
      this.fileLines += 1;
      const parsed = caughtMessageSchema.safeParse(safeJsonParse(line));
      // A line cut short by a crash mid-append costs that one message, not the rest.
      if (!parsed.success) {
        console.warn(`devstack webhooks: skipping unreadable line ${index + 1} of ${file}`);
        continue;
      }
      this.messages.push(parsed.data);
    }
    this.messages = this.messages.slice(-MAX_MESSAGES);
    const secrets = secretsSchema.safeParse(safeJsonParse(await readOptional(path.join(this.dir, "secrets.json"))));
    if (secrets.success) this.secrets = new Map(Object.entries(secrets.data));
  }
}

function readOptional(file: string): Promise<string> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
