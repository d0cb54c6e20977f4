import { randomUUID } from "node:crypto";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { bareAddress, type EmailInput } from "./schema";

/** Resend keeps idempotency keys for 24 hours. */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

const storedEmailSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  reply_to: z.array(z.string()),
  subject: z.string(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  tags: z.array(z.object({ name: z.string(), value: z.string() })),
  scheduled_at: z.string().nullable(),
  attachments: z.array(
    z.object({ filename: z.string().nullable(), content_type: z.string().nullable(), bytes: z.number().nullable() }),
  ),
  /** Present when the request carried an Idempotency-Key; kept so retries are recognised after a restart. */
  idempotency: z.object({ endpoint: z.string(), key: z.string(), fingerprint: z.string() }).nullable(),
});

/** One email as the outbox keeps it: the request's fields, normalised, plus what the devstack adds. */
export type StoredEmail = z.infer<typeof storedEmailSchema>;

export type Idempotency = { endpoint: string; key: string; fingerprint: string };

export type SendResult = { ids: string[] } | { conflict: true };

type KeyRecord = { fingerprint: string; ids: string[]; at: number };

/**
 * Every email the app sent, in memory and, given a file, appended to it as JSON lines so a
 * restart of `npm run dev` keeps the inbox. Also the idempotency-key register, because
 * "have we sent this already" and "record that we sent it" must happen as one step.
 */
export class Outbox {
  private emails: StoredEmail[] = []; // oldest first
  private keys = new Map<string, KeyRecord>();
  /** Appends run one after another, in the order emails were accepted. */
  private writes: Promise<void> = Promise.resolve();
  private listeners = new Set<() => void>();

  private constructor(private readonly file: string | null) {}

  /** An outbox persisted in `dataDir/outbox.jsonl`, reloaded from it; in memory only without one. */
  static async open(dataDir?: string): Promise<Outbox> {
    if (!dataDir) return new Outbox(null);
    await mkdir(dataDir, { recursive: true });
    const outbox = new Outbox(path.join(dataDir, "outbox.jsonl"));
    await outbox.load();
    return outbox;
  }

  /**
   * Newest first. `to` matches any recipient (to, cc or bcc) by address, ignoring case and
   * display name; `search` is a case-insensitive substring of a recipient, the sender, the
   * subject or the body (text, or the HTML's text).
   */
  list(filter: { to?: string; search?: string } = {}): StoredEmail[] {
    const wanted = filter.to ? (bareAddress(filter.to) ?? filter.to.trim().toLowerCase()) : null;
    const needle = filter.search?.trim().toLowerCase();
    return this.emails
      .filter(
        (email) =>
          (!wanted || [...email.to, ...email.cc, ...email.bcc].some((recipient) => bareAddress(recipient) === wanted)) &&
          (!needle || searchableText(email).includes(needle)),
      )
      .toReversed();
  }

  get(id: string): StoredEmail | undefined {
    return this.emails.find((email) => email.id === id);
  }

  /**
   * Stores the emails of one request. With an idempotency key already used within 24 hours
   * it stores nothing: the same body gets the original ids back, a different one a conflict.
   * Everything up to the file append is synchronous, so concurrent retries can't both send.
   */
  async send(inputs: EmailInput[], idempotency?: Idempotency): Promise<SendResult> {
    const now = Date.now();
    const key = idempotency && { id: keyId(idempotency), fingerprint: idempotency.fingerprint };
    const previous = key && this.keys.get(key.id);
    if (key && previous && now - previous.at < IDEMPOTENCY_WINDOW_MS) {
      return previous.fingerprint === key.fingerprint ? { ids: previous.ids } : { conflict: true };
    }

    const createdAt = new Date(now).toISOString();
    const emails = inputs.map((input) => toStored(input, createdAt, idempotency ?? null));
    const ids = emails.map((email) => email.id);
    this.emails.push(...emails);
    if (key) this.keys.set(key.id, { fingerprint: key.fingerprint, ids, at: now });
    this.changed();

    await this.persist((file) => appendFile(file, emails.map((email) => `${JSON.stringify(email)}\n`).join("")));
    return { ids };
  }

  /**
   * Deletes one email from the inbox (and the file); false if there was none. Its
   * idempotency key stays remembered, as Resend's would: deleting what you read doesn't unsend it.
   */
  async delete(id: string): Promise<boolean> {
    const remaining = this.emails.filter((email) => email.id !== id);
    if (remaining.length === this.emails.length) return false;
    this.emails = remaining;
    this.changed();
    const lines = remaining.map((email) => `${JSON.stringify(email)}\n`).join("");
    await this.persist((file) => writeFile(file, lines));
    return true;
  }

  /** Forgets every email and idempotency key, on disk too. */
  async clear(): Promise<void> {
    this.emails = [];
    this.keys.clear();
    this.changed();
    await this.persist((file) => writeFile(file, ""));
  }

  /** Calls `listener` after each change (sent, deleted, cleared); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Waits for pending appends, so nothing is lost on shutdown. */
  async flush(): Promise<void> {
    await this.writes;
  }

  private persist(write: (file: string) => Promise<void>): Promise<void> {
    const { file } = this;
    if (!file) return Promise.resolve();
    const next = this.writes.then(() => write(file));
    this.writes = next.catch(() => {}); // the failed request reports it; later writes still run
    return next;
  }

  private async load(): Promise<void> {
    if (!this.file) return;
    const content = await readFile(this.file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    for (const [index, line] of content.split("\n").entries()) {
      if (!line.trim()) continue;
      const parsed = storedEmailSchema.safeParse(safeJsonParse(line));
      // A line cut short by a crash mid-append costs that one email, not the inbox.
      if (!parsed.success) {
        console.warn(`devstack mail: skipping unreadable line ${index + 1} of ${this.file}`);
        continue;
      }
      this.emails.push(parsed.data);
      this.rememberKey(parsed.data);
    }
  }

  /** Rebuilds the key register on load. A request's emails share its key and timestamp. */
  private rememberKey(email: StoredEmail): void {
    if (!email.idempotency) return;
    const at = Date.parse(email.created_at);
    if (Date.now() - at >= IDEMPOTENCY_WINDOW_MS) return;
    const id = keyId(email.idempotency);
    const record = this.keys.get(id);
    if (record && record.at === at && record.fingerprint === email.idempotency.fingerprint) record.ids.push(email.id);
    else this.keys.set(id, { fingerprint: email.idempotency.fingerprint, ids: [email.id], at });
  }
}

/** Resend scopes keys to the method and endpoint; all sends are POSTs. */
const keyId = ({ endpoint, key }: Idempotency) => `${endpoint} ${key}`;

function toStored(input: EmailInput, createdAt: string, idempotency: Idempotency | null): StoredEmail {
  return {
    id: randomUUID(),
    created_at: createdAt,
    from: input.from,
    to: input.to,
    cc: input.cc ?? [],
    bcc: input.bcc ?? [],
    reply_to: input.reply_to ?? [],
    subject: input.subject,
    html: input.html ?? null,
    text: input.text ?? null,
    headers: input.headers ?? {},
    tags: input.tags ?? [],
    scheduled_at: input.scheduled_at ?? null,
    // Only what the inbox shows: the content itself would bloat the outbox file.
    attachments: (input.attachments ?? []).map((attachment) => ({
      filename: attachment.filename || null,
      content_type: attachment.content_type ?? null,
      bytes: attachment.content != null ? Buffer.byteLength(attachment.content, "base64") : null,
    })),
    idempotency,
  };
}

/** What a search looks in, lower-cased once per email (the inbox is small, so no index). */
const searchable = new WeakMap<StoredEmail, string>();
function searchableText(email: StoredEmail): string {
  let text = searchable.get(email);
  if (text === undefined) {
    text = [...email.to, ...email.cc, ...email.bcc, email.from, email.subject, email.text ?? "", textOfHtml(email.html ?? "")]
      .join("\n")
      .toLowerCase();
    searchable.set(email, text);
  }
  return text;
}

/**
 * Roughly what a reader sees of an HTML body: markup, styles and comments dropped, common
 * entities decoded. Good enough to search in; it renders nothing.
 */
function textOfHtml(html: string): string {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return html
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith("#")) {
        const code = name[1]?.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return entities[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, " ");
}

function safeJsonParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
