import { useId } from "react";

type Option = { value: string; label: string; description?: string };

type ChoiceFieldProps = {
  name: string;
  legend: string;
  options: Option[];
  defaultValue: string;
  error?: string;
};

/**
 * Radio buttons as cards, grouped under a legend. The error is announced with the group
 * (a radiogroup, since radios themselves can't be aria-invalid), and each option's
 * description with the option.
 */
export function ChoiceField({ name, legend, options, defaultValue, error }: ChoiceFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;

  return (
    <fieldset
      role="radiogroup"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{legend}</legend>
      <div className={`mt-1.5 grid gap-3 ${options.length > 1 ? "sm:grid-cols-2" : "sm:max-w-sm"}`}>
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <label
              key={option.value}
              htmlFor={optionId}
              className="flex cursor-pointer gap-3 rounded-lg bg-white dark:bg-zinc-900 p-4 shadow-sm ring-1 ring-zinc-300 dark:ring-zinc-700 ring-inset has-checked:bg-brand-50 dark:has-checked:bg-brand-950 has-checked:ring-2 has-checked:ring-brand-600 dark:has-checked:ring-brand-400 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-brand-600 dark:has-focus-visible:outline-brand-400"
            >
              <input
                id={optionId}
                type="radio"
                name={name}
                value={option.value}
                defaultChecked={option.value === defaultValue}
                aria-describedby={option.description ? `${optionId}-description` : undefined}
                className="mt-0.5 size-4 shrink-0 accent-brand-600 dark:accent-brand-400 focus:outline-none"
              />
              <span className="text-sm">
                <span className="block font-medium text-zinc-900 dark:text-zinc-100">{option.label}</span>
                {option.description && (
                  <span id={`${optionId}-description`} className="block text-zinc-600 dark:text-zinc-400">
                    {option.description}
                  </span>
                )}
              </span>
            </label>
          );
        })}
      </div>
      {error && (
        <p id={errorId} className="mt-1.5 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}
