import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Offload", template: "%s · Offload" },
  description:
    "A Next.js SaaS starter with background jobs built in: Inngest step functions, Supabase and Resend.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so each gets the nonce of its Content-Security-Policy
  // (proxy.ts) on its scripts: a page prerendered at build time has none, and would not run.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh bg-white dark:bg-zinc-900 text-zinc-900 dark:text-zinc-100 antialiased">
        <a
          href="#main"
          className="sr-only rounded-lg bg-white dark:bg-zinc-900 px-4 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-4 focus:left-4 focus:z-50"
        >
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
