import type { Metadata } from "next";
import { Logo } from "@/components/logo";
import { Alert } from "@/components/ui/alert";
import { UnsubscribeButton } from "@/components/digest/unsubscribe-button";
import { verifyUnsubscribeToken } from "@/lib/digest/unsubscribe";

export const metadata: Metadata = { title: "Unsubscribe" };

/** Where the digest's "Unsubscribe" link lands; works signed out. */
export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // `?token=a&token=b` arrives as an array: a link we never send, so not valid.
  const { token } = await searchParams;
  const valid = typeof token === "string" && verifyUnsubscribeToken(token) !== null;

  return (
    <div className="flex min-h-dvh flex-col items-center bg-zinc-50 dark:bg-zinc-950 px-6 py-12 sm:py-20">
      <header>
        <Logo />
      </header>
      <main id="main" className="mt-8 w-full max-w-sm space-y-4 rounded-2xl bg-white dark:bg-zinc-900 p-8 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
        <h1 className="text-xl font-semibold">Daily digest</h1>
        {valid ? (
          <UnsubscribeButton token={token} />
        ) : (
          <Alert tone="error">This unsubscribe link is not valid. Open the link from the email again.</Alert>
        )}
      </main>
    </div>
  );
}
