import { useId, type ComponentProps } from "react";

type SelectFieldProps = Omit<ComponentProps<"select">, "id" | "name"> & {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  error?: string;
};

/** A labelled select whose error, once there is one, is announced with it (like TextField). */
export function SelectField({ name, label, options, error, className = "", ...select }: SelectFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className="mt-1.5 block w-full rounded-lg border-0 bg-white dark:bg-zinc-900 py-2 pr-8 pl-3 text-zinc-900 dark:text-zinc-100 shadow-sm ring-1 ring-zinc-300 dark:ring-zinc-700 ring-inset focus:ring-2 focus:ring-brand-600 dark:focus:ring-brand-400 focus:outline-none aria-invalid:ring-red-500 dark:aria-invalid:ring-red-400 sm:text-sm"
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={errorId} className="mt-1.5 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
