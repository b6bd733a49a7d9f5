import { EventEmitter } from "node:events";
import type http from "node:http";
import { describe, expect, it } from "vitest";
import { ADMITTED_HEADER, admitInTurn } from "./admission.mjs";

/** The parts of a request and its response that the queue looks at. */
function exchange(name: string) {
  const request = Object.assign(new EventEmitter(), {
    name,
    destroyed: false,
    headers: {} as http.IncomingHttpHeaders,
  });
  const response = Object.assign(new EventEmitter(), { destroyed: false });
  return {
    request: request as unknown as http.IncomingMessage & { name: string },
    response: response as unknown as http.ServerResponse,
    /** The response is sent (or the client went away): Node emits `close` either way. */
    close: () => response.emit("close"),
    leave: () => {
      request.destroyed = true;
      response.destroyed = true;
      response.emit("close");
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("admitInTurn", () => {
  it("runs at most `limit` requests at once, the others in the order they came", async () => {
    const started: string[] = [];
    const handle = admitInTurn(async (request: http.IncomingMessage & { name: string }) => {
      started.push(request.name);
    }, 2);
    const all = ["a", "b", "c", "d", "e"].map(exchange);
    const done = all.map(({ request, response }) => handle(request, response));
    await nextTurn();
    await nextTurn();
    expect(started).toEqual(["a", "b"]);

    all[1].close();
    await nextTurn();
    expect(started).toEqual(["a", "b", "c"]);
    all[0].close();
    all[2].close();
    await nextTurn();
    expect(started).toEqual(["a", "b", "c", "d", "e"]);
    await Promise.all(done);
  });

  it("starts a request in a turn of its own, never in the microtasks of the one that ended", async () => {
    const started: string[] = [];
    const handle = admitInTurn(async (request: http.IncomingMessage & { name: string }) => {
      started.push(request.name);
    }, 1);
    const [first, second] = ["first", "second"].map(exchange);
    void handle(first.request, first.response);
    void handle(second.request, second.response);
    for (let i = 0; i < 100; i++) await Promise.resolve();
    expect(started).toEqual([]);
    await nextTurn();
    expect(started).toEqual(["first"]);

    first.close();
    for (let i = 0; i < 100; i++) await Promise.resolve();
    expect(started).toEqual(["first"]);
    await nextTurn();
    expect(started).toEqual(["first", "second"]);
  });

  it("does not serve a client that left while it waited, and gives its place on", async () => {
    const started: string[] = [];
    const handle = admitInTurn(async (request: http.IncomingMessage & { name: string }) => {
      started.push(request.name);
    }, 1);
    const [served, gone, next] = ["served", "gone", "next"].map(exchange);
    for (const { request, response } of [served, gone, next]) void handle(request, response);
    await nextTurn();
    gone.leave();
    served.close();
    await nextTurn();
    await nextTurn();
    expect(started).toEqual(["served", "next"]);
  });

  it("passes a failure on and frees the place it held", async () => {
    const started: string[] = [];
    const handle = admitInTurn(async (request: http.IncomingMessage & { name: string }) => {
      started.push(request.name);
      if (request.name === "failing") throw new Error("handler failed");
    }, 1);
    const [failing, after] = ["failing", "after"].map(exchange);
    const failed = handle(failing.request, failing.response);
    const served = handle(after.request, after.response);
    await expect(failed).rejects.toThrow("handler failed");
    await served;
    expect(started).toEqual(["failing", "after"]);
    // A close after the failure does not free a second place.
    failing.close();
  });

  it("serves at once a request made on behalf of an admitted one, as Next.js's redirect fetch is", async () => {
    const started: string[] = [];
    const inner = exchange("redirect target");
    const forged = exchange("forged");
    const handle = admitInTurn(async (request: http.IncomingMessage & { name: string }) => {
      started.push(request.name);
      if (request.name !== "action") return;
      // The action's own headers, as Next.js forwards them with its fetch of the redirect target.
      inner.request.headers = { ...request.headers };
      forged.request.headers = { [ADMITTED_HEADER]: "0".repeat(32) };
      void handle(forged.request, forged.response);
      await handle(inner.request, inner.response);
    }, 1);
    const action = exchange("action");
    await handle(action.request, action.response);
    expect(started).toEqual(["action", "redirect target"]);
    // Only the stamp of this process lets a request past the queue; a made-up one waits its turn.
    action.close();
    await nextTurn();
    expect(started).toEqual(["action", "redirect target", "forged"]);
  });

  it("gives the place of a request that runs long on to the next one", async () => {
    const started: string[] = [];
    const handle = admitInTurn(
      async (request: http.IncomingMessage & { name: string }) => {
        started.push(request.name);
      },
      1,
      { holdMs: 30 },
    );
    const [long, next] = ["streaming export", "next"].map(exchange);
    void handle(long.request, long.response);
    void handle(next.request, next.response);
    await nextTurn();
    await nextTurn();
    expect(started).toEqual(["streaming export"]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await nextTurn();
    expect(started).toEqual(["streaming export", "next"]);
    long.close();
  });

  it("refuses a limit that would stop every request", () => {
    expect(() => admitInTurn(async () => {}, 0)).toThrow(/limit/);
    expect(() => admitInTurn(async () => {}, Number.NaN)).toThrow(/limit/);
  });
});
