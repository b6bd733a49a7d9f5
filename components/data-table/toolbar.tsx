"use client";

import { useEffect, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { Search } from "lucide-react";
import { cn } from "@/components/ui/cn";

export type TableToolbarProps = {
  /** Left side: search, filters. */
  children?: ReactNode;
  /** Right side: buttons such as "Revoke selected". */
  actions?: ReactNode;
  className?: string;
};

export function TableToolbar({ children, actions, className }: TableToolbarProps) {
  return (
    <div className={cn("flex flex-wrap items-center justify-between gap-3 pb-3", className)}>
      <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">{children}</div>
      {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export type SearchInputProps = Omit<
  ComponentProps<"input">,
  "type" | "value" | "defaultValue" | "onChange"
> & {
  /** Called 300 ms after typing stops, or immediately on Enter. Not called on mount. */
  onSearch: (value: string) => void;
  /** Initial value. Re-key the component to reset it from outside. */
  defaultValue?: string;
  /** Accessible name (default "Search"). */
  label?: string;
  delay?: number;
};

export function SearchInput({
  onSearch,
  defaultValue = "",
  label = "Search",
  placeholder = "Search…",
  delay = 300,
  className,
  onKeyDown,
  ...props
}: SearchInputProps) {
  const [value, setValue] = useState(defaultValue);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastSent = useRef(defaultValue);
  const onSearchRef = useRef(onSearch);

  useEffect(() => {
    onSearchRef.current = onSearch;
  }, [onSearch]);
  useEffect(() => () => clearTimeout(timer.current), []);

  function emit(next: string) {
    clearTimeout(timer.current);
    if (next === lastSent.current) return;
    lastSent.current = next;
    onSearchRef.current(next);
  }

  return (
    <div className={cn("relative w-full max-w-xs", className)}>
      <Search
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400"
      />
      <input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        {...props}
        value={value}
        onChange={(e) => {
          const next = e.target.value;
          setValue(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => emit(next), delay);
        }}
        onKeyDown={(e) => {
          onKeyDown?.(e);
          if (e.key === "Enter" && !e.defaultPrevented) {
            e.preventDefault();
            emit(e.currentTarget.value);
          }
        }}
        className={cn(
          "block h-9 w-full rounded-md border border-slate-300 bg-white pr-3 pl-8 text-sm text-slate-900 shadow-sm outline-none",
          "placeholder:text-slate-400 focus-visible:border-slate-900 focus-visible:ring-2 focus-visible:ring-slate-900/20",
        )}
      />
    </div>
  );
}
