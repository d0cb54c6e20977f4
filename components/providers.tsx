"use client";

import { isServer, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { HttpError } from "@/lib/http/errors";

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
