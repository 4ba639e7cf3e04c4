// The registered datasets with their size and where they are stored: the
// launch page's list, and the datasets page's (where one row is chosen).
import { datasetRow } from "../dataset-view.js";
import { datasetHref } from "../routes.js";
import type { Dataset } from "@drnn/contract";

export function DatasetTable({ datasets, selectedId, testId }: { datasets: readonly Dataset[] | null; selectedId?: string | undefined; testId?: string }) {
  return (
    <table className="datasets" data-testid={testId}>
      <thead>
        <tr><th>name</th><th>samples</th><th>size</th><th>stored</th><th>registered</th></tr>
      </thead>
      <tbody>
        {datasets?.map(datasetRow).map((r) => (
          <tr key={r.id} className={r.id === selectedId ? "selected" : undefined}>
            <td><a href={datasetHref(r.id)}>{r.name}</a></td>
            <td className="num">{r.samples}</td>
            <td className="num">{r.size}</td>
            <td className="mono" title={r.storedTitle}>{r.stored}</td>
            <td>{r.created}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DatasetList({ datasets }: { datasets: Dataset[] }) {
  if (datasets.length === 0) return null;
  return (
    <section className="panel">
      <h2>Datasets</h2>
      <div className="scroll-x">
        <DatasetTable datasets={datasets} />
      </div>
    </section>
  );
}
