/**
 * Holds `next dev` back until the devstack answers, so the first page load doesn't race
 * a database that is still applying migrations. Gives up after a minute with a reason.
 */
import { DEFAULT_PORTS } from "../devstack/ports";

const url = `http://127.0.0.1:${process.env.DEVSTACK_SUPABASE_PORT ?? DEFAULT_PORTS.supabase}/auth/v1/health`;
const deadline = Date.now() + 60_000;

while (true) {
  try {
    await fetch(url); // any answer will do: the devstack listens only once migrations are applied
    break;
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) {
    console.error(`The devstack did not answer at ${url} within a minute; see its output above.`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
