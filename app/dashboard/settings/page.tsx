import type { Metadata } from "next";
import { EmailChangeForm } from "@/components/settings/email-change-form";
import { SettingsForm } from "@/components/settings/settings-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { getProfileSettings, supportedTimeZones } from "@/lib/profiles/settings";
import { createServerSupabase } from "@/lib/supabase/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const viewer = await requireViewer();
  const profile = await getProfileSettings(await createServerSupabase(), viewer.user.id);

  return (
    <div className="space-y-8">
      <PageHeader title="Settings" description="How you appear, when things happen for you, and what we email you." />

      <Card id="profile-settings" title="Profile" description={`Signed in as ${viewer.email}.`}>
        <SettingsForm initial={profile} timeZones={supportedTimeZones()} />
      </Card>

      <Card id="email-settings" title="Email address" description={`You sign in as ${viewer.email}.`}>
        <EmailChangeForm current={viewer.email} pending={viewer.user.new_email ?? null} />
      </Card>
    </div>
  );
}
