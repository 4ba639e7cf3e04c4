// Health, the caller's own token, workers and the model registry.
import { z } from "zod";
import { modelDto, promotionDto, tokenDto, workerDto } from "../dto.js";
import { route, type RouteDef } from "../types.js";

const ModelParams = z.object({ name: z.string().min(1).max(100) });

export function systemRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/health",
      scope: "public",
      tag: "system",
      summary: "Liveness, and whether reads are open and who runs campaigns",
      handler: async ({ deps }) => ({ ok: true, openReads: deps.config.openReads, coordinator: deps.coordinator ?? null, promote: deps.promote !== undefined }),
    }),
    route({
      method: "get",
      path: "/api/session",
      scope: "read",
      tag: "system",
      summary: "The presented token's name and scopes (how the dashboard checks a login)",
      handler: async ({ token }) => ({ token: token ? tokenDto(token) : null }),
    }),
    route({
      method: "get",
      path: "/api/workers",
      scope: "read",
      tag: "workers",
      summary: "Registered workers with backend, device and liveness (heartbeat within the liveness window)",
      handler: async ({ deps }) => {
        const now = new Date();
        const rows = await deps.repos.workers.listAlive(new Date(0));
        return { livenessMs: deps.config.workerLivenessMs, workers: rows.map((w) => workerDto(w, now, deps.config.workerLivenessMs)) };
      },
    }),
    route({
      method: "get",
      path: "/api/models/:name",
      scope: "read",
      tag: "models",
      summary: "A model name's versions, the live one, and its promotion history",
      handler: async ({ deps, params }) => {
        const { name } = ModelParams.parse(params);
        const [versions, live, history] = await Promise.all([deps.repos.models.versions(name), deps.repos.models.live(name), deps.repos.models.history(name)]);
        return { name, live: live ? modelDto(live) : null, versions: versions.map(modelDto), history: history.map(promotionDto) };
      },
    }),
  ];
}
