// Did tuning pay off? The best model's test metrics next to the baselines'.
import type { ComparisonDto } from "@drnn/contract";
import { comparisonView } from "../comparison.js";

const f = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(4));

export function BaselineComparison({ comparison, bestTest, label = "tuned DRNN" }: { comparison: ComparisonDto; bestTest: unknown; label?: string }) {
  const view = comparisonView(comparison, bestTest, label);
  const verdict = view.ahead === null ? "waiting for the figures" : view.ahead ? `the ${label} is ahead of every baseline` : `the ${label} is not ahead of every baseline`;
  return (
    <div className="comparison scroll-x" data-testid="comparison">
      <table>
        <thead>
          <tr><th>{comparison.split} split</th><th>hit@1</th><th>hit@5</th><th>hit@20</th><th>MRR@20</th></tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.name}>
              <td>{r.name}</td>
              <td className={r.leadsHit1 ? "lead" : ""}>{f(r.metrics?.hit[1])}</td>
              <td>{f(r.metrics?.hit[5])}</td>
              <td>{f(r.metrics?.hit[20])}</td>
              <td className={r.leadsMrr ? "lead" : ""}>{f(r.metrics?.mrr20)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={view.ahead === false ? "error" : "muted"} data-testid="verdict">{verdict}</p>
    </div>
  );
}
