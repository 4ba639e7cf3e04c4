import { describe, expect, it } from "vitest";
import { candidateHref, compareHref, datasetHref, routeOf } from "./routes.js";

const id = "3f0c5a1e-0000-4000-8000-000000000000";
const id2 = "aaaa5a1e-0000-4000-8000-000000000001";

describe("routes", () => {
  it("parses each page's hash, and what the href helpers write parses back", () => {
    expect(routeOf(candidateHref(id))).toEqual({ page: "candidate", id });
    expect(routeOf(`#/campaigns/${id}`)).toEqual({ page: "campaign", id });
    expect(routeOf(compareHref([id, id2]))).toEqual({ page: "compare", ids: [id, id2] });
    expect(routeOf("#/compare")).toEqual({ page: "compare", ids: [] });
    expect(routeOf(datasetHref(id))).toEqual({ page: "datasets", id });
    expect(routeOf(datasetHref(null))).toEqual({ page: "datasets", id: null });
    expect(routeOf("#/launch")).toEqual({ page: "launch" });
    expect(routeOf("#/models/drnn")).toEqual({ page: "models" });
  });

  it("falls back to the campaign list and drops ids that are not ids", () => {
    expect(routeOf("")).toEqual({ page: "campaigns" });
    expect(routeOf("#/candidates/<script>")).toEqual({ page: "campaigns" });
    expect(routeOf(`#/compare/${id},nope`)).toEqual({ page: "compare", ids: [id] });
  });
});
