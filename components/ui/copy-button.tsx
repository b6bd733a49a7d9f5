"use client";

import { useEffect, useRef, useState } from "react";
import { Check, Copy } from "lucide-react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "./button";

async function writeClipboard(text: string): Promise<void> {
  if (typeof navigator !== "undefined" && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission denied / insecure context: fall through to the legacy path.
    }
  }
  legacyCopy(text);
}

function legacyCopy(text: string): void {
  const previousFocus = document.activeElement;
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  Object.assign(textarea.style, {
    position: "fixed",
    top: "0",
    left: "0",
    opacity: "0",
    pointerEvents: "none",
  });
  document.body.appendChild(textarea);
  let ok = false;
  try {
    textarea.select();
    textarea.setSelectionRange(0, text.length);
    ok = typeof document.execCommand === "function" && document.execCommand("copy");
  } finally {
    textarea.remove();
    if (previousFocus instanceof HTMLElement) previousFocus.focus();
  }
  if (!ok) throw new Error("Copy command was rejected");
}

export type CopyButtonProps = Omit<ButtonProps, "value" | "onClick" | "children"> & {
  value: string;
  /** Visible text and (stable) accessible name. */
  label?: string;
  onCopied?: () => void;
};

export function CopyButton({
  value,
  label = "Copy",
  onCopied,
  variant = "secondary",
  size = "sm",
  ...props
}: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  async function handleCopy() {
    try {
      await writeClipboard(value);
    } catch {
      toast.error("Couldn't copy to the clipboard. Select the text and copy it manually.");
      return;
    }
    setCopied(true);
    onCopied?.();
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), 2000);
  }

  return (
    <>
      <Button
        variant={variant}
        size={size}
        aria-label={label}
        data-copied={copied || undefined}
        onClick={() => void handleCopy()}
        {...props}
      >
        {copied ? (
          <Check aria-hidden="true" className="text-green-600" />
        ) : (
          <Copy aria-hidden="true" />
        )}
        <span aria-hidden="true">{copied ? "Copied" : label}</span>
      </Button>
      <span aria-live="polite" className="sr-only">
        {copied ? "Copied to clipboard" : ""}
      </span>
    </>
  );
}
