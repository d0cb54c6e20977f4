"use client";

import { useSyncExternalStore } from "react";

/**
 * One clock for every component that shows a running time, ticking each second while
 * anything listens. Null during the server render and hydration, so the server's time
 * never has to match the browser's.
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  now = Date.now();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) {
    // The clock stood still while nobody listened; catch up before the first tick.
    queueMicrotask(tick);
    timer = setInterval(tick, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) clearInterval(timer);
  };
}

/** The current time in milliseconds, updated every second; null until hydrated. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}
