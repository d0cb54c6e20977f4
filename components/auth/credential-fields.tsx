import { TextField } from "@/components/ui/text-field";

/** The email field every auth form asks for, named as the auth routes read it. */
export function EmailField({ error, defaultValue }: { error?: string; defaultValue?: string }) {
  return (
    <TextField
      name="email"
      label="Email"
      type="email"
      autoComplete="email"
      required
      defaultValue={defaultValue}
      error={error}
    />
  );
}

/**
 * A password field. `new` (sign-up, reset) lets password managers offer a generated one and
 * states Auth's minimum; `current` (sign-in) lets them fill the saved one.
 */
export function PasswordField({
  kind,
  label = "Password",
  error,
}: {
  kind: "new" | "current";
  label?: string;
  error?: string;
}) {
  return (
    <TextField
      name="password"
      label={label}
      type="password"
      autoComplete={`${kind}-password`}
      required
      hint={kind === "new" ? "At least 8 characters." : undefined}
      error={error}
    />
  );
}
