// Apache ECharts in React: one instance per element, the option replaced on
// change, resized with its box, disposed on unmount. The parallel
// coordinates, slice plots and campaign comparison use it: canvas draws a
// thousand polylines where SVG charts bog down, its parallel series has axis
// brushing built in, and a click names the series and point it hit.
import { useEffect, useRef } from "react";
import { init, use, type EChartsCoreOption, type ECharts } from "echarts/core";
import { LineChart, ParallelChart, ScatterChart } from "echarts/charts";
import { GridComponent, LegendComponent, ParallelComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

// ECharts' own registry of the parts this build draws with (its tree-shaking API); registering twice is a no-op.
use([LineChart, ParallelChart, ScatterChart, GridComponent, LegendComponent, ParallelComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  /** Called with the clicked item's index into its series' data, and the series' index. */
  onItemClick?: (dataIndex: number, seriesIndex: number) => void;
  /** Milliseconds from setOption to the chart's "finished" event, on every redraw. */
  onRendered?: (ms: number) => void;
  testId?: string;
  minWidth?: number;
}

export function EChart({ option, height, onItemClick, onRendered, testId, minWidth }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const handlers = useRef({ onItemClick, onRendered });
  handlers.current = { onItemClick, onRendered };

  useEffect(() => {
    if (!el.current) return;
    const c = init(el.current, undefined, { renderer: "canvas" });
    chart.current = c;
    c.on("click", (p) => {
      const { dataIndex, seriesIndex } = p as { dataIndex?: unknown; seriesIndex?: unknown };
      if (typeof dataIndex === "number") handlers.current.onItemClick?.(dataIndex, typeof seriesIndex === "number" ? seriesIndex : 0);
    });
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const t0 = performance.now();
    c.off("finished");
    c.on("finished", () => {
      c.off("finished");
      handlers.current.onRendered?.(performance.now() - t0);
    });
    c.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={el} data-testid={testId} style={{ width: "100%", height, minWidth }} />;
}
