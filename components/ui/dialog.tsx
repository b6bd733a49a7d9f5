"use client";

import { useRef, type ComponentProps, type ReactNode } from "react";
import { AlertDialog, Dialog as RadixDialog } from "radix-ui";
import { X } from "lucide-react";
import { Button } from "./button";
import { cn, focusRing } from "./cn";
import { returnFocus, takeOpener } from "./focus-return";

// The palette turns over in dark mode (globals.css); the dimming overlay stays dark.
const overlayClass = "fixed inset-0 z-50 bg-slate-950/40 backdrop-blur-[1px] dark:bg-black/60";
const panelClass = cn(
  "fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2",
  "gap-4 overflow-y-auto rounded-xl border border-slate-200 bg-white p-6 text-slate-900 shadow-xl outline-none",
);
const titleClass = "pr-8 text-lg font-semibold leading-6 text-slate-900";
const descriptionClass = "text-sm text-slate-600";

export const Dialog = RadixDialog.Root;
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

export type DialogContentProps = Omit<ComponentProps<typeof RadixDialog.Content>, "title"> & {
  title: ReactNode;
  description?: ReactNode;
  /** Hide the top-right "Close" icon button. */
  hideCloseButton?: boolean;
};

export function DialogContent({
  title,
  description,
  hideCloseButton = false,
  className,
  children,
  onOpenAutoFocus,
  onCloseAutoFocus,
  ...props
}: DialogContentProps) {
  const opener = useRef<HTMLElement | null>(null);
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className={overlayClass} />
      <RadixDialog.Content
        className={cn(panelClass, className)}
        {...(description ? {} : { "aria-describedby": undefined })}
        onOpenAutoFocus={(event) => {
          opener.current = takeOpener();
          onOpenAutoFocus?.(event);
        }}
        onCloseAutoFocus={(event) => {
          onCloseAutoFocus?.(event);
          if (!event.defaultPrevented) returnFocus(opener.current, event);
        }}
        {...props}
      >
        <div className="grid gap-1.5">
          <RadixDialog.Title className={titleClass}>{title}</RadixDialog.Title>
          {description && (
            <RadixDialog.Description asChild>
              <div className={descriptionClass}>{description}</div>
            </RadixDialog.Description>
          )}
        </div>
        {children}
        {!hideCloseButton && (
          <RadixDialog.Close
            aria-label="Close"
            className={cn(
              "absolute top-4 right-4 inline-flex size-8 cursor-pointer items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900",
              focusRing,
            )}
          >
            <X aria-hidden="true" className="size-4" />
          </RadixDialog.Close>
        )}
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

export function DialogFooter({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      className={cn("flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end", className)}
      {...props}
    />
  );
}

export type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  tone?: "danger" | "primary";
  /** While pending the confirm button shows a spinner and the dialog cannot be dismissed. */
  pending?: boolean;
  /** Called on confirm. The dialog stays open; close it via onOpenChange(false) when done. */
  onConfirm: () => void | Promise<void>;
  /** Extra content between the description and the buttons. */
  children?: ReactNode;
};

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  cancelLabel = "Cancel",
  tone = "primary",
  pending = false,
  onConfirm,
  children,
}: ConfirmDialogProps) {
  const opener = useRef<HTMLElement | null>(null);
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending && !next) return;
        onOpenChange(next);
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClass} />
        <AlertDialog.Content
          className={panelClass}
          {...(description ? {} : { "aria-describedby": undefined })}
          onEscapeKeyDown={(event) => {
            if (pending) event.preventDefault();
          }}
          onOpenAutoFocus={() => {
            opener.current = takeOpener();
          }}
          onCloseAutoFocus={(event) => returnFocus(opener.current, event)}
        >
          <div className="grid gap-1.5">
            <AlertDialog.Title className={titleClass}>{title}</AlertDialog.Title>
            {description && (
              <AlertDialog.Description asChild>
                <div className={descriptionClass}>{description}</div>
              </AlertDialog.Description>
            )}
          </div>
          {children}
          <DialogFooter>
            <AlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={pending}>
                {cancelLabel}
              </Button>
            </AlertDialog.Cancel>
            <Button
              variant={tone === "danger" ? "danger" : "primary"}
              pending={pending}
              onClick={() => void onConfirm()}
            >
              {confirmLabel}
            </Button>
          </DialogFooter>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
