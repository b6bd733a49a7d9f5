"use client";

import { createContext, use, useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "./cn";

type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
};

const FieldContext = createContext<FieldControlProps | null>(null);

/** Props a custom control must spread to be wired to its surrounding `<Field>`. */
export function useFieldControl(): FieldControlProps | null {
  return use(FieldContext);
}

const controlBase = cn(
  "block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm",
  "placeholder:text-slate-400 outline-none transition-colors",
  "focus-visible:border-slate-900 focus-visible:ring-2 focus-visible:ring-slate-900/20",
  "disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500",
  "aria-invalid:border-red-600 aria-invalid:focus-visible:ring-red-600/25",
);

export type InputProps = ComponentProps<"input">;

export function Input({ className, ...props }: InputProps) {
  const field = useFieldControl();
  return <input {...field} {...props} className={cn(controlBase, "h-10", className)} />;
}

export type TextareaProps = ComponentProps<"textarea">;

export function Textarea({ className, rows = 3, ...props }: TextareaProps) {
  const field = useFieldControl();
  return (
    <textarea {...field} rows={rows} {...props} className={cn(controlBase, "py-2", className)} />
  );
}

export type FieldProps = {
  label: ReactNode;
  description?: ReactNode;
  /** Error message(s); when present the control gets aria-invalid. */
  error?: ReactNode | string[];
  required?: boolean;
  /** Overrides the generated control id. */
  id?: string;
  className?: string;
  /** An `<Input>`/`<Textarea>` (auto-wired), or a render function receiving the control props. */
  children: ReactNode | ((control: FieldControlProps) => ReactNode);
};

export function Field({
  label,
  description,
  error,
  required,
  id,
  className,
  children,
}: FieldProps) {
  const generated = useId();
  const controlId = id ?? `${generated}-control`;
  const descriptionId = `${generated}-description`;
  const errorId = `${generated}-error`;
  const errors = Array.isArray(error) ? error.filter(Boolean) : error ? [error] : [];
  const hasError = errors.length > 0;
  const describedBy = [description ? descriptionId : null, hasError ? errorId : null]
    .filter(Boolean)
    .join(" ");

  const control: FieldControlProps = {
    id: controlId,
    "aria-describedby": describedBy || undefined,
    "aria-invalid": hasError ? true : undefined,
    "aria-required": required ? true : undefined,
  };

  return (
    <div className={cn("grid gap-1.5", className)}>
      <label htmlFor={controlId} className="text-sm font-medium text-slate-900">
        {label}
        {required && (
          <span aria-hidden="true" className="ml-0.5 text-red-600">
            *
          </span>
        )}
      </label>
      <FieldContext value={control}>
        {typeof children === "function" ? children(control) : children}
      </FieldContext>
      {description && (
        <p id={descriptionId} className="text-sm text-slate-600">
          {description}
        </p>
      )}
      {hasError && (
        <div id={errorId} className="text-sm font-medium text-red-700">
          {errors.length === 1 ? (
            <p>{errors[0]}</p>
          ) : (
            <ul className="list-disc pl-5">
              {errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
