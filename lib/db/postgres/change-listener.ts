import "server-only";
import { Client } from "pg";
import { databaseUrl } from "../url";

/** The channel the migrations' triggers notify on every change to a key, user or tenant. */
export const CREDENTIALS_CHANNEL = "keyward_credentials";

const RECONNECT_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * One LISTEN connection per instance. Rows read for requests may be kept only while it is
 * listening: every notification drops them all, and while the connection is down nothing is kept
 * (fail closed). `heard()` closes the last gap: a round trip on this connection, begun after the
 * caller arrived, returns only after PostgreSQL has delivered every notification committed before
 * it, so a change committed on any instance before a request arrives is seen by that request.
 */
export class ChangeListener {
  private client: Client | null = null;
  private listening = false;
  private attempts = 0;
  private stopped = false;
  /** Moves on every notification and every loss or regain of the connection. */
  generation = 0;
  private readonly subscribers = new Set<() => void>();
  /** The round trip on the wire, and the one that will follow it for callers who came later. */
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

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

  /**
   * Resolves once every change committed before this call has been heard, through one round trip
   * shared by every caller waiting at that moment; rejects when the connection is down.
   */
  heard(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) return this.roundTrip();
    // The round trip on the wire may have been sent before the caller's change was committed.
    this.next = this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.roundTrip();
      });
    return this.next;
  }

  private roundTrip(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening) return Promise.reject(new Error("Not listening."));
    const trip = client.query("SELECT 1").then(() => undefined);
    const running: Promise<void> = trip
      .catch(() => undefined)
      .finally(() => {
        if (this.running === running) this.running = null;
      });
    this.running = running;
    return trip;
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
