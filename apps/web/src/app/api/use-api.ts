import { useCallback, useEffect, useState } from 'react';
import { api, type CallOptions, type Service } from './client';
import { ApiError } from './errors';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Loads one GET from a service; `path` undefined waits (e.g. until an id is known). */
export function useApi<T>(service: Service, path: string | undefined, query?: CallOptions['query']): Loaded<T> {
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  const key = path === undefined ? undefined : `${service} ${path} ${queryKey} ${generation}`;
  // The result remembers which request it answers, so "loading" needs no state update in the effect.
  const [result, setResult] = useState<{ key: string; data?: T; error?: ApiError }>();
  useEffect(() => {
    if (path === undefined || key === undefined) return;
    const controller = new AbortController();
    api<T>(service, path, { query: JSON.parse(queryKey), signal: controller.signal }).then(
      (data) => setResult({ key, data }),
      (error: unknown) => {
        if ((error as Error)?.name === 'AbortError') return;
        setResult({ key, error: error instanceof ApiError ? error : new ApiError(0, '加载失败，请重试', undefined) });
      },
    );
    return () => controller.abort();
  }, [service, path, queryKey, key]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = result?.key === key;
  return {
    // Keep showing the previous data while reloading (no flicker), but never a previous error.
    data: result?.data,
    error: current ? result?.error : undefined,
    loading: key !== undefined && !current,
    reload,
  };
}
