"use client";

import { useId, type ComponentProps, type ReactNode } from "react";
import { Switch as RadixSwitch } from "radix-ui";
import { cn, focusRing } from "./cn";

export type SwitchProps = Omit<ComponentProps<typeof RadixSwitch.Root>, "children"> & {
  /** Visible label; also the switch's accessible name. */
  label: ReactNode;
  description?: ReactNode;
};

export function Switch({ label, description, id, className, disabled, ...props }: SwitchProps) {
  const generated = useId();
  const switchId = id ?? `${generated}-switch`;
  const descriptionId = `${generated}-description`;
  return (
    <div className={cn("relative flex items-start gap-3", className)}>
      <RadixSwitch.Root
        id={switchId}
        disabled={disabled}
        aria-describedby={description ? descriptionId : undefined}
        className={cn(
          "relative mt-0.5 inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full border-2 border-transparent transition-colors",
          "bg-slate-300 data-[state=checked]:bg-slate-900",
          "disabled:cursor-not-allowed disabled:opacity-50",
          focusRing,
        )}
        {...props}
      >
        <RadixSwitch.Thumb className="pointer-events-none block size-4 rounded-full bg-white shadow ring-0 transition-transform data-[state=checked]:translate-x-4" />
      </RadixSwitch.Root>
      <div className="grid gap-0.5">
        <label
          htmlFor={switchId}
          className={cn(
            "text-sm font-medium text-slate-900",
            disabled ? "cursor-not-allowed opacity-60" : "cursor-pointer",
          )}
        >
          {label}
        </label>
        {description && (
          <p id={descriptionId} className="text-sm text-slate-600">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
