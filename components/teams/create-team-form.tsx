"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { createTeam } from "./api";
import { suggestSlug } from "./slug";
import { TeamNameField, TeamSlugField, teamFieldErrors } from "./team-fields";
import { useOrganisationChange } from "./use-organisation-change";

/**
 * A new team: a name, and a slug suggested from it until it is edited by hand. The
 * creator becomes its owner, and it becomes their current organisation.
 */
export function CreateTeamForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const change = useOrganisationChange();
  const mutation = useMutation({
    mutationFn: createTeam,
    onSuccess: () => change.go("/dashboard/team"),
  });

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [mutation.error]);

  const errors = teamFieldErrors(mutation.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate({ name, slug });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="max-w-xl space-y-5">
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <TeamNameField
        autoComplete="organization"
        value={name}
        onChange={(event) => {
          setName(event.target.value);
          if (!slugEdited) setSlug(suggestSlug(event.target.value));
        }}
        error={errors.name}
      />
      <TeamSlugField
        value={slug}
        onChange={(event) => {
          setSlug(event.target.value);
          // Emptied: suggest from the name again.
          setSlugEdited(event.target.value !== "");
        }}
        hint="The team's short, unique name: 2–48 lowercase letters, digits and hyphens."
        error={errors.slug}
      />
      <Button type="submit" pending={mutation.isPending || mutation.isSuccess} pendingLabel="Creating team…">
        Create team
      </Button>
    </form>
  );
}
