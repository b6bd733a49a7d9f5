import "server-only";
import { Client } from "pg";
import { databaseUrl } from "../url";

/** The channel the migrations' triggers notify on every change to a key, user or tenant. */
export const CREDENTIALS_CHANNEL = "keyward_credentials";

const RECONNECT_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * One LISTEN connection per instance. Rows read for requests may be kept only while it is
 * listening: every notification drops them all, and while the connection is down nothing is kept
 * (fail closed), so a revocation on any instance counts here as soon as its commit is announced.
 */
export class ChangeListener {
  private client: Client | null = null;
  private listening = false;
  private attempts = 0;
  private stopped = false;
  /** Moves on every notification and every loss or regain of the connection. */
  generation = 0;
  private readonly subscribers = new Set<() => void>();

  constructor(private readonly url = databaseUrl()) {}

  get isListening(): boolean {
    return this.listening;
  }

  /** `onChange` runs on every notification and whenever the connection is lost or regained. */
  subscribe(onChange: () => void): void {
    this.subscribers.add(onChange);
  }

  start(): void {
    if (this.client || this.stopped) return;
    const client = new Client({ connectionString: this.url });
    this.client = client;
    client.on("notification", () => this.changed());
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${CREDENTIALS_CHANNEL}`))
      .then(() => {
        if (this.client !== client) return;
        this.attempts = 0;
        this.listening = true;
        // Whatever changed while nobody listened is unknown: start from nothing.
        this.changed();
      })
      .catch(() => this.lost(client));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private changed(): void {
    this.generation += 1;
    for (const onChange of this.subscribers) onChange();
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    this.changed();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const wait = RECONNECT_MS[Math.min(this.attempts++, RECONNECT_MS.length - 1)];
    setTimeout(() => this.start(), wait).unref();
  }
}
