/** Command-line flags of `bench/onboarding.ts` (see bench/README.md). */

export const operatorNames = ['main', 'couchdb', 'nats', 'openwhisk'] as const;
export type OperatorName = (typeof operatorNames)[number];

export interface BenchArgs {
  /** Tenant counts, one run each. */
  tenants: number[];
  /** Kubelet delays of the sim, one run each (ignored with --kubeconfig). */
  kubeletDelaysMs: number[];
  /** Which bus modes to run: with NATS, without (timer fallback), or both. */
  busModes: Array<'nats' | 'no-nats'>;
  /** A real cluster instead of the sim (CRDs must be installed). */
  kubeconfig: string | undefined;
  out: string | undefined;
  /** `CONCURRENCY` of every operator. */
  concurrency: number;
  /** Tenant applies in flight. */
  applyConcurrency: number;
  /** Per-run deadline; default 60 s + 100 ms per tenant (+ 30 s per tenant-second of kubelet delay with no bus). */
  deadlineS: number | undefined;
  /** How long to wait after the last Ready before measuring idle RSS. */
  idleS: number;
  /** `bundle`: the esbuild bundles the image runs; `tsx`: `node --import tsx operators/<x>/main.ts`. */
  runtime: 'bundle' | 'tsx';
  /** Profile this operator with `node --cpu-prof` (profiles land next to --out, or in bench/results/profiles). */
  cpuProf: string[];
  /** Count each operator's requests by method and resource through a proxy (diagnostic; sim only). */
  traceRequests: boolean;
  /** Extra `node` flags for every operator, e.g. `--max-semi-space-size=1`. */
  nodeFlags: string[];
  /** Apply the next tenant only once the previous is Ready: step latencies without load. */
  oneAtATime: boolean;
}

const usage = `usage: tsx bench/onboarding.ts [--tenants 1,100,1000] [--kubelet-delay-ms 0,500] [--no-nats | --both]
  [--kubeconfig <path>] [--out bench/results/<name>.json] [--concurrency 4] [--apply-concurrency 50]
  [--deadline-s <s>] [--idle-s 5] [--runtime bundle|tsx] [--cpu-prof main,couchdb,sim]
  [--trace-requests] [--node-flags '--max-semi-space-size=1'] [--one-at-a-time]`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function numbers(flag: string, value: string | undefined): number[] {
  const list = (value ?? '').split(',').map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError(`${flag} wants non-negative integers, comma-separated\n${usage}`);
  return list;
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} wants a positive number\n${usage}`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    tenants: [1, 100, 1000], kubeletDelaysMs: [0], busModes: ['nats'], kubeconfig: undefined, out: undefined,
    concurrency: 4, applyConcurrency: 50, deadlineS: undefined, idleS: 5, runtime: 'bundle', cpuProf: [], traceRequests: false, nodeFlags: [], oneAtATime: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${usage}`);
      return v;
    };
    switch (flag) {
      case '--tenants': args.tenants = numbers(flag, value()).filter((n) => n > 0); break;
      case '--kubelet-delay-ms': args.kubeletDelaysMs = numbers(flag, value()); break;
      case '--no-nats': args.busModes = ['no-nats']; break;
      case '--both': args.busModes = ['nats', 'no-nats']; break;
      case '--kubeconfig': args.kubeconfig = value(); break;
      case '--out': args.out = value(); break;
      case '--concurrency': args.concurrency = positive(flag, value()); break;
      case '--apply-concurrency': args.applyConcurrency = positive(flag, value()); break;
      case '--deadline-s': args.deadlineS = positive(flag, value()); break;
      case '--idle-s': args.idleS = Number(value()); break;
      case '--runtime': {
        const v = value();
        if (v !== 'bundle' && v !== 'tsx') throw new UsageError(`--runtime is bundle or tsx\n${usage}`);
        args.runtime = v;
        break;
      }
      case '--cpu-prof': args.cpuProf = value().split(',').filter(Boolean); break;
      case '--trace-requests': args.traceRequests = true; break;
      case '--one-at-a-time': args.oneAtATime = true; break;
      case '--node-flags': args.nodeFlags = value().split(' ').filter(Boolean); break;
      case '--help': case '-h': throw new UsageError(usage);
      default: throw new UsageError(`unknown flag ${flag}\n${usage}`);
    }
  }
  if (args.kubeconfig) args.kubeletDelaysMs = [args.kubeletDelaysMs[0] ?? 0];
  return args;
}
