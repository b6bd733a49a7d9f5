import "server-only";
import nodemailer, { type Transporter } from "nodemailer";

/** One message to one person: plain text, as every client shows it the same. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const globalForMail = globalThis as unknown as {
  keywardMailer?: { url: string; transport: Transporter };
};

/** Whether mail is on: only with `KEYWARD_SMTP_URL`; otherwise notices are in the console only. */
export function mailConfigured(): boolean {
  return Boolean(process.env.KEYWARD_SMTP_URL?.trim());
}

/** The sender, `KEYWARD_MAIL_FROM`, else Keyward at the machine's name. */
function mailFrom(): string {
  return process.env.KEYWARD_MAIL_FROM?.trim() || "Keyward <keyward@localhost>";
}

function transport(): Transporter {
  const url = process.env.KEYWARD_SMTP_URL!.trim();
  // Made again when the URL changes (tests point it at a server of their own).
  if (globalForMail.keywardMailer?.url !== url) {
    globalForMail.keywardMailer?.transport.close();
    globalForMail.keywardMailer = {
      url,
      transport: nodemailer.createTransport(url, {
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    };
  }
  return globalForMail.keywardMailer.transport;
}

/** Sends one mail through `KEYWARD_SMTP_URL`; throws when the server refuses or cannot be reached. */
export async function sendMail(mail: Mail): Promise<void> {
  await transport().sendMail({ from: mailFrom(), ...mail });
}

/** Closes the SMTP connection, so that a script can exit. */
export function closeMail(): void {
  globalForMail.keywardMailer?.transport.close();
  globalForMail.keywardMailer = undefined;
}
