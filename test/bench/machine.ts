/** Where the numbers come from: host, Node, and the thread settings that shape them. */
import os from "node:os";
import type { Config } from "@marquee/core";
import * as ort from "onnxruntime-web";
import sharp from "sharp";

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  platform: string;
  totalMemMb: number;
  node: string;
  onnxruntimeWeb: string;
  sharp: string;
  /** Share of the host's CPU time used during the bench by this process and its children, and by others. */
  hostCpu: HostCpu;
  threads: {
    ortWasmNumThreads: number | undefined;
    configThreads: number;
    configMemoryMb: number;
    sharpConcurrency: number;
    uvThreadpoolSize: string;
  };
}

export interface HostCpu {
  benchPct: number;
  otherProcessesPct: number;
}

export interface CpuSnapshot {
  hostBusyMs: number;
  ownMs: number;
  at: number;
}

/** Busy CPU time of the whole host (all cores) and of this process, in ms. */
export function cpuSnapshot(): CpuSnapshot {
  const hostBusyMs = os
    .cpus()
    .reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
  const own = process.cpuUsage();
  return { hostBusyMs, ownMs: (own.user + own.system) / 1000, at: performance.now() };
}

/** Other work on the host skews every number: how much CPU went to processes that are not the bench. */
export function hostCpu(start: CpuSnapshot, end: CpuSnapshot, childrenMs: number): HostCpu {
  const capacity = (end.at - start.at) * os.cpus().length;
  const bench = end.ownMs - start.ownMs + childrenMs;
  const other = Math.max(0, end.hostBusyMs - start.hostBusyMs - bench);
  const pct = (ms: number) => Math.round((ms / capacity) * 1000) / 10;
  return { benchPct: pct(bench), otherProcessesPct: pct(other) };
}

export function machineInfo(config: Config, cpu: HostCpu): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    onnxruntimeWeb: ort.env.versions.web ?? "unknown",
    sharp: sharp.versions.sharp,
    hostCpu: cpu,
    threads: {
      ortWasmNumThreads: ort.env.wasm.numThreads,
      configThreads: config.threads,
      configMemoryMb: config.memoryMb,
      sharpConcurrency: sharp.concurrency(),
      uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? "4 (default)",
    },
  };
}
