// The replay's serving node: a real `drnn serve` process following the
// model name's production alias, and the probe that measures when a new
// version answers page views.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

export interface ServeNode {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startServe(name: string, env: Record<string, string>): Promise<ServeNode> {
  // --no-ingest: the latency probes are not shop traffic, so they stay out of the online store.
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "serve", "--name", name, "--port", "0", "--no-ingest"], { env: { ...env, DRNN_SERVE_POLL_MS: "200" }, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let err = "";
    const onData = (chunk: Buffer) => {
      err += chunk.toString();
      const m = /serving \S+ on (http:\/\/[\d.:]+)/.exec(err);
      if (m?.[1] === undefined) return;
      child.stderr?.off("data", onData);
      child.stdout?.off("data", onData);
      child.stderr?.resume();
      child.stdout?.resume();
      resolve({
        url: m[1],
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`drnn serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

/** Sends page views until one is answered by `version`; returns when (epoch ms). */
export async function firstAnswerBy(serve: ServeNode, page: string, version: number, timeoutMs = 120_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < end; i++) {
    const res = await fetch(`${serve.url}/v1/page-views`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId: `latency-probe-${version}-${i}`, page }),
    }).catch(() => null);
    if (res?.ok === true) {
      const body = (await res.json()) as { model?: { version?: number } };
      if (body.model?.version === version) return Date.now();
    } else await res?.body?.cancel();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`version ${version} did not answer within ${timeoutMs} ms`);
}
