import { useId, type ComponentProps } from "react";

type TextFieldProps = Omit<ComponentProps<"input">, "id" | "name"> & {
  name: string;
  label: string;
  hint?: string;
  error?: string;
};

/**
 * A labelled input whose hint, or error once there is one, is announced with it
 * (aria-describedby). The error replaces the hint, so it must say what is expected.
 */
export function TextField({ name, label, hint, error, className = "", ...input }: TextFieldProps) {
  const id = useId();
  const description = error ?? hint;
  const descriptionId = `${id}-description`;

  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={description ? descriptionId : undefined}
        className="mt-1.5 block w-full rounded-lg border-0 bg-white dark:bg-zinc-900 px-3 py-2 text-zinc-900 dark:text-zinc-100 shadow-sm ring-1 ring-zinc-300 dark:ring-zinc-700 ring-inset placeholder:text-zinc-400 dark:placeholder:text-zinc-500 focus:ring-2 focus:ring-brand-600 dark:focus:ring-brand-400 focus:outline-none aria-invalid:ring-red-500 dark:aria-invalid:ring-red-400 aria-invalid:focus:ring-red-600 dark:aria-invalid:focus:ring-red-400 sm:text-sm"
        {...input}
      />
      {description && (
        <p
          id={descriptionId}
          className={`mt-1.5 text-sm ${error ? "text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400"}`}
        >
          {description}
        </p>
      )}
    </div>
  );
}
