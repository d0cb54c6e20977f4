"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { createTeam, errorMessage, fieldError } from "./api";
import { MAX_SLUG, MAX_TEAM_NAME } from "@/lib/teams/schemas";
import { suggestSlug } from "./slug";
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

  const nameError = fieldError(mutation.error, "name");
  const slugError = fieldError(mutation.error, "slug", ["slug_taken"]);
  const formError = mutation.error && !nameError && !slugError ? errorMessage(mutation.error) : undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate({ name, slug });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="max-w-xl space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        name="name"
        label="Team name"
        required
        maxLength={MAX_TEAM_NAME}
        autoComplete="organization"
        value={name}
        onChange={(event) => {
          setName(event.target.value);
          if (!slugEdited) setSlug(suggestSlug(event.target.value));
        }}
        error={nameError}
      />
      <TextField
        name="slug"
        label="Slug"
        required
        maxLength={MAX_SLUG}
        autoCapitalize="none"
        spellCheck={false}
        value={slug}
        onChange={(event) => {
          setSlug(event.target.value);
          // Emptied: suggest from the name again.
          setSlugEdited(event.target.value !== "");
        }}
        hint="The team's short, unique name: 2–48 lowercase letters, digits and hyphens."
        error={slugError}
      />
      <Button type="submit" pending={mutation.isPending || mutation.isSuccess} pendingLabel="Creating team…">
        Create team
      </Button>
    </form>
  );
}
