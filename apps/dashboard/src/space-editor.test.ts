import { describe, expect, it } from "vitest";
import { DRNN_GENES } from "@drnn/contract";
import { cpuSearchSpace, paperSearchSpace, parseSearchSpace } from "@drnn/ga";
import { checkRows, fieldsOf, rowsToDocument, spaceToRows, type GeneRow } from "./space-editor.js";

function rowsOf(doc: unknown): { rows: GeneRow[]; meta: { name: string } } {
  const r = spaceToRows(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}
const edit = (rows: GeneRow[], name: string, patch: Partial<GeneRow>) => rows.map((r) => (r.name === name ? { ...r, ...patch } : r));

describe("search-space editor", () => {
  it("reads each gene type's fields off the schema", () => {
    expect(fieldsOf("int")).toEqual(["range", "default"]);
    expect(fieldsOf("log-float")).toEqual(["range", "default"]);
    expect(fieldsOf("int-list")).toEqual(["range", "default"]);
    expect(fieldsOf("categorical")).toEqual(["choices", "default"]);
    expect(fieldsOf("bool")).toEqual(["default"]);
  });

  it("turns the built-in spaces into one row per gene of the table and back into the same document", () => {
    for (const space of [cpuSearchSpace(), paperSearchSpace()]) {
      const { rows, meta } = rowsOf(JSON.parse(JSON.stringify(space)));
      expect(rows.map((r) => r.name)).toEqual(DRNN_GENES.map((g) => g.name));
      expect(rows.every((r) => r.on)).toBe(true);
      expect(checkRows(rows, meta)).toEqual([]);
      expect(parseSearchSpace(rowsToDocument(rows, meta))).toEqual(space);
    }
  });

  it("an edited range, choice or default reaches the document", () => {
    const { rows, meta } = rowsOf(cpuSearchSpace());
    const edited = edit(edit(edit(rows, "w", { min: "2", max: "5" }), "optimizer", { choices: ["adam", "sgd"] }), "history", { default: "false" });
    expect(checkRows(edited, meta)).toEqual([]);
    const space = parseSearchSpace(rowsToDocument(edited, meta));
    const gene = (n: string) => space.genes.find((g) => g.name === n);
    expect(gene("w")).toMatchObject({ search: { min: 2, max: 5 } });
    // Choices keep the table's order whatever order they were ticked in.
    expect(gene("optimizer")).toMatchObject({ choices: ["sgd", "adam"] });
    expect(gene("history")).toMatchObject({ default: false });
  });

  it("a gene switched off leaves the document and comes back as a row, off", () => {
    const { rows, meta } = rowsOf(cpuSearchSpace());
    const doc = rowsToDocument(edit(rows, "dropout", { on: false }), meta) as { genes: { name: string }[] };
    expect(doc.genes.map((g) => g.name)).not.toContain("dropout");
    const back = rowsOf(doc).rows.find((r) => r.name === "dropout");
    expect(back).toMatchObject({ on: false, default: "0" });
  });

  it("puts each problem on its row and field: a range past the table's limits, a non-number, a gene another needs switched off", () => {
    const { rows, meta } = rowsOf(cpuSearchSpace());
    expect(checkRows(edit(rows, "w", { max: "99" }), meta)).toEqual([{ gene: "w", field: "range", message: "search range must lie within [1, 32]" }]);
    expect(checkRows(edit(rows, "batchSize", { default: "lots" }), meta)[0]).toMatchObject({ gene: "batchSize", field: "default" });
    const needed = checkRows(edit(rows, "l", { on: false }), meta);
    expect(needed.map((i) => i.gene)).toEqual(expect.arrayContaining(["h", "neurons"]));
    expect(checkRows(rows, { name: "" })).toEqual([{ gene: null, field: "name", message: expect.any(String) }]);
  });

  it("refuses a document the parser refuses, naming the path", () => {
    const r = spaceToRows({ name: "x", genes: [{ name: "w", type: "int", min: 5, max: 1, default: 3 }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toContain("genes.0.max");
    expect(spaceToRows({ name: "x", genes: [], extra: 1 }).ok).toBe(false);
  });
});
