// @ts-check
/**
 * Live updates for the devstack's pages (the runs page serves it as /runs.js, the mail
 * inbox as /inbox.js; their CSP allows only scripts of their own). It listens to the
 * server-sent events named by its tag's `data-changes`, which say "change" whenever
 * something the page shows changed, then fetches the current address again and swaps in
 * the page's `data-live` parts whose HTML differs, so the filters or search box, their text
 * and the scroll position stay as they are. Focus and the scroll position of a code block
 * survive a swap when the element has an id. EventSource reconnects by itself after a
 * devstack restart; every (re)connect refreshes too, so nothing that happened meanwhile is
 * missed. Without JavaScript the pages still work (the runs page reloads itself while runs
 * are unfinished; the inbox on a reload).
 */
const changes = document.currentScript?.dataset.changes;
const live = document.querySelectorAll("[data-live][id]");
if (changes && live.length > 0) {
  let running = false;
  let pending = false;

  /** @param {Element} part @param {Element} next */
  const swap = (part, next) => {
    if (part.innerHTML === next.innerHTML) return;
    const focused = document.activeElement && part.contains(document.activeElement) ? document.activeElement.id : "";
    /** @type {Map<string, number>} */
    const scrolled = new Map();
    for (const element of part.querySelectorAll("[id]")) if (element.scrollTop > 0) scrolled.set(element.id, element.scrollTop);
    part.replaceChildren(...next.childNodes);
    for (const [id, top] of scrolled) {
      const element = document.getElementById(id);
      if (element) element.scrollTop = top;
    }
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  };

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
        if (next) swap(part, next);
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

  const events = new EventSource(changes);
  events.addEventListener("open", () => void refresh());
  events.addEventListener("change", () => void refresh());
}
