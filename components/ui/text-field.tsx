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
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={description ? descriptionId : undefined}
        className="mt-1.5 block w-full rounded-lg border-0 bg-white px-3 py-2 text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-brand-600 focus:outline-none aria-invalid:ring-red-500 aria-invalid:focus:ring-red-600 sm:text-sm"
        {...input}
      />
      {description && (
        <p
          id={descriptionId}
          className={`mt-1.5 text-sm ${error ? "text-red-600" : "text-zinc-500"}`}
        >
          {description}
        </p>
      )}
    </div>
  );
}
