import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BulkReplay } from "@/components/admin/bulk-replay";
import { DeadLetterFilters } from "@/components/admin/dead-letter-filters";
import { DeadLetterTable } from "@/components/admin/dead-letter-table";
import { dateTimeFormat } from "@/components/ui/timestamp";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewerAdminScope } from "@/lib/admin/access";
import type { DeadLetterListFilter } from "@/lib/admin/client/keys";
import { listDeadLetters, type DeadLetterPage } from "@/lib/admin/dead-letters";
import { readDeadLetterParams } from "@/lib/admin/dead-letter-params";
import { organisationOptions } from "@/lib/admin/organisations";
import type { DeadLetterQuery } from "@/lib/admin/schemas";
import { requireViewer } from "@/lib/auth/viewer";
import { HttpError } from "@/lib/http/errors";
import { createServiceSupabase } from "@/lib/supabase/service";

export const metadata: Metadata = { title: "Dead letters" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DeadLettersPage({ searchParams }: Props) {
  const [viewer, scope] = await Promise.all([requireViewer(), requireViewerAdminScope()]);
  const params = readDeadLetterParams(await searchParams, viewer.timeZone);
  const db = createServiceSupabase();
  const query = params.ok ? params.query : null;
  const [firstPage, organisations] = await Promise.all([
    query ? firstPageOrNotFound(listDeadLetters(db, scope, query)) : null,
    organisationOptions(db, scope, query?.orgId),
  ]);
  const filter: DeadLetterListFilter = query
    ? { type: query.type, orgId: query.orgId, failedSince: query.failedSince, failedUntil: query.failedUntil, replayed: query.replayed }
    : {};
  const { replayed, ...bulkFilter } = filter;
  const orgName = organisations.find((org) => org.id === filter.orgId)?.name;

  return (
    <div className="space-y-8">
      <PageHeader
        title="Dead letters"
        description={`Jobs that failed after their last retry${scope.platformAdmin ? ", in every organisation" : ", in the organisations you administer"}. Find out why, and replay them once the cause is fixed.`}
      />
      <DeadLetterFilters
        values={params.values}
        errors={params.ok ? {} : params.fields}
        organisations={organisations}
        timeZone={viewer.timeZone}
      />
      {!params.ok && <Alert tone="error">{params.message}</Alert>}
      {query && firstPage && (
        <>
          {replayed !== "yes" && (
            <BulkReplay filter={bulkFilter} summary={describeFilter(query, orgName, scope.platformAdmin, viewer.timeZone)} />
          )}
          <DeadLetterTable
            // A new filter is a new list, starting from the page the server just rendered for it.
            key={JSON.stringify(filter)}
            filter={filter}
            firstPage={firstPage}
            values={params.values}
            timeZone={viewer.timeZone}
            filtered={Object.values(filter).some((value) => value !== undefined)}
          />
        </>
      )}
    </div>
  );
}

/** An organisation outside the viewer's scope is one that doesn't exist. */
async function firstPageOrNotFound(page: Promise<DeadLetterPage>): Promise<DeadLetterPage> {
  try {
    return await page;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
}

/** "of type welcome-email, in Acme, that failed after Nov 24, 2026, 8:00:00 AM", for the bulk replay's wording. */
function describeFilter(query: DeadLetterQuery, orgName: string | undefined, platformAdmin: boolean, timeZone: string) {
  const format = dateTimeFormat(timeZone);
  const parts = [
    query.type ? `of type ${query.type}` : "of any type",
    query.orgId ? `in ${orgName ?? "the chosen organisation"}` : platformAdmin ? "in every organisation" : "in your organisations",
  ];
  if (query.failedSince) parts.push(`that failed from ${format.format(new Date(query.failedSince))}`);
  if (query.failedUntil) parts.push(`${query.failedSince ? "to" : "that failed until"} ${format.format(new Date(query.failedUntil))}`);
  return parts.join(", ");
}
