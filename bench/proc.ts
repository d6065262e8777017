/**
 * What the kernel knows about a process, read from /proc (Linux only): CPU time and resident memory. The benchmark
 * reads these for every process it starts, so the figures do not depend on an operator exporting metrics.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (USER_HZ, 100 on every mainstream Linux). */
const ticksPerSecond = 100;

/** CPU seconds (user + system) the process has used so far; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 14 (utime) and 15 (stime) of the full line are 11 and 12 of the part after the name (0-based).
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export interface MemoryKiB {
  /** Resident set size now. */
  rss: number;
  /** Peak resident set size since the process started (VmHWM). */
  hwm: number;
}

/** Resident memory of the process in KiB; undefined once it is gone. */
export function memoryKiB(pid: number): MemoryKiB | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0);
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Tracks one process over a measured window: CPU used within it, peak RSS sampled within it. */
export class ProcessProbe {
  readonly name: string;
  readonly pid: number;
  private cpuAtStart = 0;
  private peakRssKiB = 0;

  constructor(name: string, pid: number) {
    this.name = name;
    this.pid = pid;
  }

  /** Starts the window: CPU is counted from here, the RSS peak restarts. */
  begin(): void {
    this.cpuAtStart = cpuSeconds(this.pid) ?? 0;
    this.peakRssKiB = memoryKiB(this.pid)?.rss ?? 0;
  }

  /** One RSS sample (call often; a 100 ms period catches the peaks that matter). */
  sample(): void {
    const rss = memoryKiB(this.pid)?.rss ?? 0;
    if (rss > this.peakRssKiB) this.peakRssKiB = rss;
  }

  /** CPU seconds since begin(). */
  cpuInWindow(): number {
    return Math.max(0, (cpuSeconds(this.pid) ?? this.cpuAtStart) - this.cpuAtStart);
  }

  /** The larger of the sampled peak and the kernel's high-water mark (which also covers start-up). */
  peakRssMiB(): { sampled: number; hwm: number } {
    const hwm = memoryKiB(this.pid)?.hwm ?? 0;
    return { sampled: this.peakRssKiB / 1024, hwm: hwm / 1024 };
  }

  rssMiB(): number {
    return (memoryKiB(this.pid)?.rss ?? 0) / 1024;
  }
}
