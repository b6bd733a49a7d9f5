import "server-only";
import type { ChangeListener } from "./change-listener";

/**
 * Rows kept only while the instance hears every change (see ChangeListener): any notification
 * drops them all, a kept row is served only once every change committed before the request has
 * been heard, and while the listener is down every read goes to the database. A read that was
 * under way when a change was announced is returned but not kept, since it may predate the change.
 * Misses are not kept, so unknown keys cannot fill it.
 */
export class RowCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly listener: ChangeListener,
    private readonly maxEntries = 10_000,
  ) {
    listener.subscribe(() => this.entries.clear());
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!this.listener.isListening) return load();
    try {
      await this.listener.heard();
    } catch {
      return load();
    }
    const kept = this.entries.get(key);
    if (kept !== undefined) return kept;
    const generation = this.listener.generation;
    const loaded = await load();
    if (loaded === undefined) return undefined;
    if (this.listener.isListening && this.listener.generation === generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, loaded);
    }
    return loaded;
  }
}
