import { useEffect } from "react";
import { api } from "./api.js";

/**
 * GETs `path` now and every `ms` while the component is mounted; results and
 * errors that arrive after unmount are dropped.
 */
export function usePoll<T>(path: string, ms: number, onData: (data: T) => void, onError: (e: unknown) => void = () => undefined): void {
  useEffect(() => {
    let live = true;
    const load = () =>
      void api<T>("GET", path)
        .then((r) => live && onData(r))
        .catch((e: unknown) => live && onError(e));
    load();
    const t = setInterval(load, ms);
    return () => {
      live = false;
      clearInterval(t);
    };
    // The callbacks only call state setters; polling restarts when the path or period changes, not on every render.
  }, [path, ms]);
}
