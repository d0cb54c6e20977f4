import { getViewerAdminScope } from "@/lib/admin/access";
import { listOpenIncidents } from "@/lib/alerts/incidents";
import { describeRule } from "@/lib/alerts/rules";
import { getViewer } from "@/lib/auth/viewer";
import { createServiceSupabase } from "@/lib/supabase/service";
import { Timestamp } from "@/components/ui/timestamp";

/**
 * The open alert incidents, above every console page. Alerts are install-wide, so only
 * platform admins see them (organisation admins get nothing here); it reads the incidents
 * the alert cron keeps, so it shows what was emailed and stays until the rule passes.
 */
export async function AlertBanner() {
  const [scope, viewer] = await Promise.all([getViewerAdminScope(), getViewer()]);
  if (!scope?.platformAdmin) return null;
  const incidents = await listOpenIncidents(createServiceSupabase());
  if (incidents.length === 0) return null;

  return (
    <section aria-labelledby="open-alerts" className="mb-8 rounded-2xl bg-red-50 dark:bg-red-950 p-4 ring-1 ring-red-200 dark:ring-red-900 ring-inset">
      <h2 id="open-alerts" className="text-sm font-semibold text-red-900 dark:text-red-100">
        {incidents.length === 1 ? "1 open alert" : `${incidents.length} open alerts`}
      </h2>
      <ul className="mt-2 space-y-1 text-sm text-red-800 dark:text-red-200">
        {incidents.map((incident) => (
          <li key={incident.id}>
            <span className="font-medium">
              {describeRule(incident.rule, incident.jobType, incident.value, incident.threshold).title}
            </span>{" "}
            <span className="text-red-700 dark:text-red-300">
              · since <Timestamp iso={incident.openedAt} timeZone={viewer?.timeZone ?? "UTC"} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
