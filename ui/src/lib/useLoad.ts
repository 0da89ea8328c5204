// Loading what a screen shows, with the error the register gave if it failed; again
// after a sync changed the register (DataGeneration).
import { useCallback, useContext, useEffect, useRef, useState } from "react";
import { DataGeneration } from "./dataGeneration";
import { asRegisterError, type RegisterError } from "../ipc/api";

export type Loaded<T> = { data: T | null; error: RegisterError | null; loading: boolean; reload: () => void };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<RegisterError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const generation = useContext(DataGeneration);
  useEffect(() => {
    const n = ++seq.current;
    setLoading(true);
    load()
      .then((d) => {
        if (n !== seq.current) return;
        setData(d);
        setError(null);
      })
      .catch((e) => n === seq.current && setError(asRegisterError(e)))
      .finally(() => n === seq.current && setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, generation]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
