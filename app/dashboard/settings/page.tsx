import type { Metadata } from "next";
import { SettingsForm } from "@/components/settings/settings-form";
import { requireViewer } from "@/lib/auth/viewer";
import { getProfileSettings, supportedTimeZones } from "@/lib/profiles";
import { createServerSupabase } from "@/lib/supabase/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const viewer = await requireViewer();
  const profile = await getProfileSettings(await createServerSupabase(), viewer.user.id);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-zinc-600">How you appear, when things happen for you, and what we email you.</p>
      </div>

      <section
        aria-labelledby="profile-settings"
        className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200"
      >
        <h2 id="profile-settings" className="font-semibold">
          Profile
        </h2>
        <p className="mt-1 mb-6 text-sm text-zinc-500">Signed in as {viewer.email}.</p>
        <SettingsForm initial={profile} timeZones={supportedTimeZones()} />
      </section>
    </div>
  );
}
