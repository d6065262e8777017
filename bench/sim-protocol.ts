/** Messages between the benchmark and the sim process (`sim-process.ts`) over the Node IPC channel. */

export type SimRequest =
  | { type: 'stats'; id: number }
  | { type: 'stop' };

export type SimReply =
  | { type: 'ready'; url: string; kubeconfigPath: string }
  | { type: 'stats'; id: number; requestCount: number; byVerb: Record<string, number> };

export interface RequestCounts {
  total: number;
  byVerb: Record<string, number>;
}
