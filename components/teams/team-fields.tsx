"use client";

import type { ComponentProps } from "react";
import { TextField } from "@/components/ui/text-field";
import { MAX_SLUG, MAX_TEAM_NAME } from "@/lib/teams/schemas";
import { errorMessage, fieldError } from "./api";

type FieldProps = Omit<ComponentProps<typeof TextField>, "name" | "label" | "maxLength" | "required">;

/** A team's name, as the create and settings forms ask for it. */
export function TeamNameField(props: FieldProps) {
  return <TextField name="name" label="Team name" required maxLength={MAX_TEAM_NAME} {...props} />;
}

/** A team's slug: typed as it will be stored, so no capitals or spelling fixes. */
export function TeamSlugField(props: FieldProps) {
  return <TextField name="slug" label="Slug" required maxLength={MAX_SLUG} autoCapitalize="none" spellCheck={false} {...props} />;
}

/** Where a refusal of a team's name or slug is shown: beside the field it names (a taken slug too), else above the form. */
export function teamFieldErrors(error: unknown) {
  const name = fieldError(error, "name");
  const slug = fieldError(error, "slug", ["slug_taken"]);
  return { name, slug, form: error && !name && !slug ? errorMessage(error) : undefined };
}
