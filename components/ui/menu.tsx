"use client";

import type { ComponentProps } from "react";
import { DropdownMenu } from "radix-ui";
import { MoreHorizontal } from "lucide-react";
import { cn, focusRing } from "./cn";
import { noteMenuTrigger } from "./focus-return";

export const Menu = DropdownMenu.Root;

export type MenuTriggerProps = Omit<ComponentProps<typeof DropdownMenu.Trigger>, "children"> & {
  /** Accessible name of the icon button. */
  label?: string;
};

export function MenuTrigger({ label = "More", className, ...props }: MenuTriggerProps) {
  return (
    <DropdownMenu.Trigger
      aria-label={label}
      className={cn(
        "inline-flex size-8 cursor-pointer items-center justify-center rounded-md text-slate-600 transition-colors",
        "hover:bg-slate-100 hover:text-slate-900 data-[state=open]:bg-slate-100 data-[state=open]:text-slate-900",
        "disabled:cursor-not-allowed disabled:opacity-50",
        focusRing,
        className,
      )}
      {...props}
    >
      <MoreHorizontal aria-hidden="true" className="size-4" />
    </DropdownMenu.Trigger>
  );
}

export function MenuContent({
  className,
  align = "end",
  sideOffset = 4,
  ...props
}: ComponentProps<typeof DropdownMenu.Content>) {
  return (
    <DropdownMenu.Portal>
      <DropdownMenu.Content
        align={align}
        sideOffset={sideOffset}
        className={cn(
          "z-50 min-w-40 overflow-hidden rounded-lg border border-slate-200 bg-white p-1 text-sm text-slate-900 shadow-lg",
          className,
        )}
        {...props}
      />
    </DropdownMenu.Portal>
  );
}

export type MenuItemProps = ComponentProps<typeof DropdownMenu.Item> & {
  tone?: "default" | "danger";
};

export function MenuItem({ tone = "default", className, onSelect, ...props }: MenuItemProps) {
  return (
    <DropdownMenu.Item
      onSelect={(event) => {
        // A dialog the item opens gives focus back to the menu's button when it closes.
        noteMenuTrigger(event.currentTarget as Element);
        onSelect?.(event);
      }}
      className={cn(
        "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none select-none",
        "data-[disabled]:cursor-not-allowed data-[disabled]:opacity-50 [&_svg]:size-4 [&_svg]:shrink-0",
        tone === "danger"
          ? "text-red-700 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-800"
          : "data-[highlighted]:bg-slate-100",
        className,
      )}
      {...props}
    />
  );
}

export function MenuSeparator({
  className,
  ...props
}: ComponentProps<typeof DropdownMenu.Separator>) {
  return (
    <DropdownMenu.Separator className={cn("-mx-1 my-1 h-px bg-slate-200", className)} {...props} />
  );
}

export function MenuLabel({ className, ...props }: ComponentProps<typeof DropdownMenu.Label>) {
  return (
    <DropdownMenu.Label
      className={cn("px-2 py-1.5 text-xs font-medium text-slate-500", className)}
      {...props}
    />
  );
}
