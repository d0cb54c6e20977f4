// @ts-check
/**
 * The inbox page's live refresh, served as /inbox.js (the pages' CSP allows only scripts
 * of their own). It listens to /events, which says "change" whenever an email is sent or
 * deleted, and swaps in the page's `data-live` parts (the count, the list) from the current
 * address, so the search box, its text and the scroll position stay as they are. EventSource reconnects by itself after a
 * devstack restart; every (re)connect refreshes too, so nothing sent meanwhile is missed.
 * Without JavaScript the page still works: reload it.
 */
const live = document.querySelectorAll("[data-live][id]");
if (live.length > 0) {
  let running = false;
  let pending = false;

  const refresh = async () => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      const response = await fetch(location.href, { headers: { accept: "text/html" } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const part of live) {
        const next = page.getElementById(part.id);
        if (next) part.replaceChildren(...next.childNodes);
      }
    } catch {
      // The devstack is restarting: EventSource reconnects, and that refreshes again.
    } finally {
      running = false;
      if (pending) {
        pending = false;
        void refresh();
      }
    }
  };

  const events = new EventSource("/events");
  events.addEventListener("open", () => void refresh());
  events.addEventListener("change", () => void refresh());
}
