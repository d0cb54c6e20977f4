import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { decodeWords } from "postal-mime";
import type { StoredEmail } from "./outbox";

/**
 * The email as an RFC 5322 message, as a mail client would receive it: what the inbox
 * shows as raw source and offers as `.eml`. nodemailer's MailComposer does the MIME work
 * (encoded words, quoted-printable, multipart/alternative), so the file opens anywhere.
 * Attachments are listed by the inbox but not kept, so the message carries none.
 */
export async function toMessage(email: StoredEmail): Promise<Buffer> {
  const message = new MailComposer({
    from: email.from,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    replyTo: email.reply_to,
    subject: email.subject,
    html: email.html ?? undefined,
    text: email.text ?? undefined,
    headers: email.headers,
    date: new Date(email.created_at),
    messageId: messageId(email),
  }).compile();
  // A catcher shows every recipient; a real transport would drop Bcc from the headers.
  message.keepBcc = true;
  return message.build();
}

/** The Message-ID the devstack gives an email; `GET /emails/:id` answers the same one. */
export const messageId = (email: Pick<StoredEmail, "id">) => `<${email.id}@devstack.localhost>`;

/**
 * The header section of `message`, in order, unfolded (RFC 5322 §2.2.3) and with
 * encoded words (RFC 2047, `=?UTF-8?Q?…?=`) decoded for reading; the raw source has them as sent.
 */
export function headerFields(message: Buffer): { name: string; value: string }[] {
  const text = message.toString("utf8");
  const end = text.indexOf("\r\n\r\n");
  const section = end === -1 ? text : text.slice(0, end);
  return section
    .replace(/\r\n(?=[ \t])/g, "")
    .split("\r\n")
    .flatMap((line) => {
      const colon = line.indexOf(":");
      return colon > 0 ? [{ name: line.slice(0, colon), value: decodeWords(line.slice(colon + 1).trim()) }] : [];
    });
}
