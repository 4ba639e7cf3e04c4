// The model registry: read a name's versions and history, roll it back to an
// earlier version. Promotion starts from a campaign (routes/campaigns.ts);
// the rules of both live in packages/serving, injected as deps.
import { Responses, RollbackBody } from "@drnn/contract";
import { onlineStatus } from "@drnn/online";
import { z } from "zod";
import { modelDto, promotionDto } from "../dto.js";
import { ApiError } from "../errors.js";
import { route, type RouteDef } from "../types.js";

const ModelParams = z.object({ name: z.string().min(1).max(100) });

export function modelRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/models/:name",
      response: Responses.model,
      scope: "read",
      tag: "models",
      summary: "A model name's versions, the live one, and its promotion history",
      handler: async ({ deps, params }) => {
        const { name } = ModelParams.parse(params);
        const [versions, live, history] = await Promise.all([deps.repos.models.versions(name), deps.repos.models.live(name), deps.repos.models.history(name)]);
        return { name, live: live ? modelDto(live) : null, versions: versions.map(modelDto), history: history.map(promotionDto) };
      },
    }),
    route({
      method: "get",
      path: "/api/models/:name/online",
      response: Responses.online,
      scope: "read",
      tag: "models",
      summary: "The online loop of a model name: batches, decisions with lineage and holdout metrics, per-batch accuracy of the live model against the frozen first version",
      handler: async ({ deps, params }) => onlineStatus(deps.repos, ModelParams.parse(params).name),
    }),
    route({
      method: "post",
      path: "/api/models/:name/rollback",
      response: Responses.rollback,
      scope: "write",
      tag: "models",
      summary: "Point the name's production alias back at an earlier version (one more promotion row; history is kept)",
      body: RollbackBody,
      handler: async ({ deps, params, body, token }) => {
        const { name } = ModelParams.parse(params);
        if (!deps.rollback) throw new ApiError("NOT_IMPLEMENTED", "rollback needs the model registry (packages/serving), which this server was started without");
        // An unknown name or version is the registry's NotFoundError: 404 through the error table.
        return { rollback: await deps.rollback(deps.repos, { name, toVersion: body.toVersion, actor: token ? `token:${token.name}` : "api" }) };
      },
    }),
  ];
}
