import type { Metadata } from "next";
import { connection } from "next/server";
import { Toaster } from "@/components/ui/toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Keyward", template: "%s · Keyward" },
  description: "API keys for your tenant: generate, limit, monitor and revoke.",
};

export default async function RootLayout({ children }: LayoutProps<"/">) {
  // Every page is rendered per request, so that its scripts carry that response's nonce (proxy.ts).
  await connection();
  return (
    <html lang="en" className="h-full antialiased">
      <body className="flex min-h-full flex-col bg-slate-50 text-slate-900">
        {children}
        <Toaster />
      </body>
    </html>
  );
}
