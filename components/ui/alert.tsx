import type { ComponentProps, ReactNode } from "react";
import { CircleAlert, Info, TriangleAlert } from "lucide-react";
import { cn } from "./cn";

export type AlertVariant = "info" | "warning" | "error";

const styles: Record<AlertVariant, { box: string; icon: string; Icon: typeof Info }> = {
  info: { box: "border-blue-200 bg-blue-50 text-blue-900", icon: "text-blue-600", Icon: Info },
  warning: {
    box: "border-amber-300 bg-amber-50 text-amber-950",
    icon: "text-amber-600",
    Icon: TriangleAlert,
  },
  error: { box: "border-red-200 bg-red-50 text-red-900", icon: "text-red-600", Icon: CircleAlert },
};

export type AlertProps = Omit<ComponentProps<"div">, "title"> & {
  variant?: AlertVariant;
  title?: ReactNode;
  /** Defaults to "alert" for errors (assertive) and "status" otherwise (polite). */
  role?: "alert" | "status";
};

export function Alert({
  variant = "info",
  title,
  role,
  className,
  children,
  ...props
}: AlertProps) {
  const { box, icon, Icon } = styles[variant];
  return (
    <div
      role={role ?? (variant === "error" ? "alert" : "status")}
      className={cn("flex gap-3 rounded-lg border p-4 text-sm", box, className)}
      {...props}
    >
      <Icon aria-hidden="true" className={cn("mt-0.5 size-4 shrink-0", icon)} />
      <div className="grid gap-1">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className="[&_a]:font-medium [&_a]:underline">{children}</div>}
      </div>
    </div>
  );
}
