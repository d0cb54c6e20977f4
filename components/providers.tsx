"use client";

import { isServer, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";
import { HttpError } from "@/lib/http/errors";

// Zod compiles its object parsers with `new Function` when it may, and finds out by trying
// one: under the pages' Content-Security-Policy (no 'unsafe-eval') that try is a reported
// violation. Parse without compiling, which needs no probe.
z.config({ jitless: true });

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data rendered on the server is fresh on arrival; don't refetch it at once.
        staleTime: 30_000,
        // A 4xx won't fix itself; only network and server errors are worth retrying.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof HttpError && error.status < 500),
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient() {
  // Each server render gets its own client so users never share a cache; the browser
  // keeps one for the whole session, even if React discards a render and starts over.
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>;
}
