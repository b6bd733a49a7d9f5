"use client";

import type { ComponentProps } from "react";
import { Checkbox as RadixCheckbox } from "radix-ui";
import { Check, Minus } from "lucide-react";
import { cn, focusRing } from "./cn";

export type CheckboxProps = Omit<ComponentProps<typeof RadixCheckbox.Root>, "children"> & {
  checked?: boolean | "indeterminate";
};

export function Checkbox({ className, ...props }: CheckboxProps) {
  return (
    <RadixCheckbox.Root
      className={cn(
        "group inline-flex size-4 shrink-0 cursor-pointer items-center justify-center rounded border border-slate-400 bg-white text-white shadow-sm transition-colors",
        "hover:border-slate-600 data-[state=checked]:border-slate-900 data-[state=checked]:bg-slate-900",
        "data-[state=indeterminate]:border-slate-900 data-[state=indeterminate]:bg-slate-900",
        "disabled:cursor-not-allowed disabled:opacity-40",
        focusRing,
        className,
      )}
      {...props}
    >
      <RadixCheckbox.Indicator className="flex items-center justify-center">
        <Check
          aria-hidden="true"
          strokeWidth={3}
          className="hidden size-3 group-data-[state=checked]:block"
        />
        <Minus
          aria-hidden="true"
          strokeWidth={3}
          className="hidden size-3 group-data-[state=indeterminate]:block"
        />
      </RadixCheckbox.Indicator>
    </RadixCheckbox.Root>
  );
}
