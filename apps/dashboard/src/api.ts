// The dashboard's only way to the server: fetch with the bearer token kept
// in sessionStorage, and a server-sent-event reader over fetch (so the token
// travels in a header, never in a URL).
import type { FieldIssue } from "@drnn/contract";

const TOKEN_KEY = "drnn.token";

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = tokenStore.get();
  const res = await fetch(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; issues?: FieldIssue[] } };
  if (!res.ok) throw new ApiCallError(res.status, json.error?.code ?? "HTTP_ERROR", json.error?.message ?? `HTTP ${res.status}`, json.error?.issues ?? []);
  return json as T;
}

export interface StreamHandle {
  close(): void;
}

/** Follows a campaign's event stream, reconnecting after a drop; `onReady` fires after each (re)connect. */
export function followEvents(path: string, onEvent: (type: string, data: unknown) => void, onReady: () => void): StreamHandle {
  const abort = new AbortController();
  const run = async () => {
    let delay = 500;
    while (!abort.signal.aborted) {
      try {
        const token = tokenStore.get();
        const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) type = line.slice(7);
              else if (line.startsWith("data: ")) data += line.slice(6);
            }
            if (!data) continue;
            if (type === "ready") {
              delay = 500;
              onReady();
            } else onEvent(type, JSON.parse(data));
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  };
  void run();
  return { close: () => abort.abort() };
}
