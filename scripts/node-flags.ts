/**
 * The node flags every operator runs with, in the image (Dockerfile CMD), the manifests, docker-compose and the
 * benchmark. One list, checked against those files by test/packaging: a flag measured in bench/ is the flag shipped.
 *
 * V8 sizes the heap for throughput by default: young-generation semi-spaces of up to 16 MiB and an old generation
 * allowed to grow to 2-4x the live data before the next full GC. An operator's live heap is small (20-28 MiB at
 * 300 tenants, bench/README.md "Memory"), so most of its RSS was reserved but unused heap. These two flags cut RSS
 * by 25-40 MiB per operator at 300 tenants for about 3% more CPU:
 * - `--max-semi-space-size=2`: 2 MiB semi-spaces (short-lived garbage is collected more often, in smaller steps);
 * - `--heap-growing-percent=30`: the old generation may grow by 30% over the live data before a full GC.
 * Neither is allowed in NODE_OPTIONS (V8 flags other than a few are not), hence the command line.
 * `--enable-source-maps` is not among them: it keeps parsed source maps on the heap and makes every `error.stack`
 * (409 Conflicts are routine) resolve them; set `NODE_OPTIONS=--enable-source-maps` to debug (the maps are shipped).
 */
export const operatorNodeFlags = ['--max-semi-space-size=2', '--heap-growing-percent=30'] as const;
