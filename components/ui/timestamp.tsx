/** Dates to the second (failures and retries are seconds apart), in the viewer's zone. */
export function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone });
}

/** Dates to the minute, for when a job was asked for, in the viewer's zone. */
export function shortDateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone });
}

export function Timestamp({ iso, timeZone, empty = "—" }: { iso: string | null; timeZone: string; empty?: string }) {
  if (!iso) return <>{empty}</>;
  return (
    // The server and the browser may disagree on ICU's spacing; the browser's wins quietly.
    <time dateTime={iso} suppressHydrationWarning>
      {dateTimeFormat(timeZone).format(new Date(iso))}
    </time>
  );
}
