"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { renameTeam } from "./api";
import { TeamNameField, TeamSlugField, teamFieldErrors } from "./team-fields";

/** The team's name and slug, for owners and admins. Only what changed is sent. */
export function TeamSettingsForm({ orgId, name, slug }: { orgId: string; name: string; slug: string }) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ name, slug });
  const [saved, setSaved] = useState({ name, slug });
  const mutation = useMutation({
    mutationFn: (changes: { name?: string; slug?: string }) => renameTeam(orgId, changes),
    onSuccess: (organisation) => {
      const now = { name: organisation.name, slug: organisation.slug ?? "" };
      setSaved(now);
      setValues(now);
      // The header and the page's title are the server's.
      startRefresh(() => router.refresh());
    },
  });

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [mutation.error]);

  const errors = teamFieldErrors(mutation.error);
  const changes = {
    ...(values.name.trim() !== saved.name ? { name: values.name } : {}),
    ...(values.slug.trim() !== saved.slug ? { slug: values.slug } : {}),
  };
  const unchanged = Object.keys(changes).length === 0;

  function change(next: Partial<typeof values>) {
    setValues((current) => ({ ...current, ...next }));
    if (mutation.isSuccess) mutation.reset();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!unchanged) mutation.mutate(changes);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="max-w-xl space-y-5">
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <TeamNameField value={values.name} onChange={(event) => change({ name: event.target.value })} error={errors.name} />
      <TeamSlugField
        value={values.slug}
        onChange={(event) => change({ slug: event.target.value })}
        hint="The team's short name: lowercase letters, digits and hyphens. Deleting the team asks for it."
        error={errors.slug}
      />
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" pending={mutation.isPending || refreshing} pendingLabel="Saving…" disabled={unchanged}>
          Save changes
        </Button>
        {mutation.isSuccess && !refreshing && <Alert tone="success">Saved.</Alert>}
      </div>
    </form>
  );
}
