// Apache ECharts in React: one instance per element, the option replaced on
// change, resized with its box, disposed on unmount. The parallel
// coordinates, slice plots and campaign comparison use it: canvas draws a
// thousand polylines where SVG charts bog down, its parallel series has axis
// brushing built in, and a click names the series and point it hit.
import { useEffect, useRef, useState, type RefObject } from "react";
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
  /** Start drawing only once the chart is near the viewport (a page of many small charts opens faster). */
  lazy?: boolean;
}

/** True once `el` has come within 400 px of the viewport (always true where IntersectionObserver is missing). */
function useNear(el: RefObject<HTMLDivElement | null>, enabled: boolean): boolean {
  const [near, setNear] = useState(!enabled);
  useEffect(() => {
    if (near || !el.current) return;
    if (typeof IntersectionObserver === "undefined") return setNear(true);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: "400px" });
    io.observe(el.current);
    return () => io.disconnect();
  }, [near]);
  return near;
}

export function EChart({ option, height, onItemClick, onRendered, testId, minWidth, lazy = false }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const near = useNear(el, lazy);
  const chart = useRef<ECharts | null>(null);
  const handlers = useRef({ onItemClick, onRendered });
  handlers.current = { onItemClick, onRendered };

  useEffect(() => {
    if (!el.current || !near) return;
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
  }, [near]);

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
  }, [option, near]);

  return <div ref={el} data-testid={testId} style={{ width: "100%", height, minWidth }} />;
}
