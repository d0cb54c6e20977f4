import Form from "next/form";
import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { DeadLetterFormValues } from "@/lib/admin/dead-letter-params";
import type { FieldErrors } from "@/lib/http/errors";
import { SelectField } from "@/components/ui/select-field";
import { JOB_TYPES } from "@/lib/jobs/registry";

type DeadLetterFiltersProps = {
  values: DeadLetterFormValues;
  errors: FieldErrors;
  organisations: { id: string; name: string }[];
  timeZone: string;
};

/**
 * The filters, as a GET form: they live in the URL (shareable, and the back button
 * works), the page renders them on the server, and the form works before JavaScript.
 */
export function DeadLetterFilters({ values, errors, organisations, timeZone }: DeadLetterFiltersProps) {
  // Every type the app creates, and whichever the URL asks for: an older type still filters.
  const types = [...new Set<string>([...JOB_TYPES, ...(values.type ? [values.type] : [])])];

  return (
    <Form action="/admin/dead-letters" aria-label="Filter dead letters" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
      <SelectField
        name="type"
        label="Type"
        defaultValue={values.type}
        error={errors.type}
        options={[{ value: "", label: "All types" }, ...types.map((type) => ({ value: type, label: type }))]}
      />
      <SelectField
        name="org"
        label="Organisation"
        defaultValue={values.org}
        error={errors.org}
        options={[
          { value: "", label: "All organisations" },
          ...organisations.map((org) => ({ value: org.id, label: org.name })),
        ]}
      />
      <TextField
        name="since"
        label="Failed from"
        type="datetime-local"
        defaultValue={values.since}
        error={errors.since}
        hint={timeZone}
      />
      <TextField
        name="until"
        label="Failed until"
        type="datetime-local"
        defaultValue={values.until}
        error={errors.until}
        hint={timeZone}
      />
      <SelectField
        name="replayed"
        label="Replay"
        defaultValue={values.replayed}
        error={errors.replayed}
        options={[
          { value: "", label: "Replayed or not" },
          { value: "no", label: "Not replayed yet" },
          { value: "yes", label: "Replayed" },
        ]}
      />
      <div className="flex gap-3 sm:col-span-2 lg:col-span-5">
        <Button type="submit">Apply filters</Button>
        <Link href="/admin/dead-letters" className={buttonClass("secondary")}>
          Clear
        </Link>
      </div>
    </Form>
  );
}
