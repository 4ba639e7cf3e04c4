// Health, the caller's own token and workers (the model registry: routes/models.ts).
import { Responses } from "@drnn/contract";
import { tokenDto, workerDto } from "../dto.js";
import { route, type RouteDef } from "../types.js";

export function systemRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/health",
      response: Responses.health,
      scope: "public",
      tag: "system",
      summary: "Liveness, and whether reads are open and who runs campaigns",
      handler: async ({ deps }) => ({ ok: true, openReads: deps.config.openReads, coordinator: deps.coordinator ?? null, promote: deps.promote !== undefined, rollback: deps.rollback !== undefined }),
    }),
    route({
      method: "get",
      path: "/api/session",
      response: Responses.session,
      scope: "read",
      tag: "system",
      summary: "The presented token's name and scopes (how the dashboard checks a login)",
      handler: async ({ token }) => ({ token: token ? tokenDto(token) : null }),
    }),
    route({
      method: "get",
      path: "/api/workers",
      response: Responses.workers,
      scope: "read",
      tag: "workers",
      summary: "Registered workers with backend, device and liveness (heartbeat within the liveness window)",
      handler: async ({ deps }) => {
        const now = new Date();
        const rows = await deps.repos.workers.listAlive(new Date(0));
        return { livenessMs: deps.config.workerLivenessMs, workers: rows.map((w) => workerDto(w, now, deps.config.workerLivenessMs)) };
      },
    }),
  ];
}
