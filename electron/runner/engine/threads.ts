/**
 * How many threads a worker computes with. The default is llama.cpp's own count of the cores that are
 * useful for math (`llama.cpuMathCores`: physical performance cores, no SMT siblings, no efficiency
 * cores), the count llama-server uses too. Halving the logical cores instead assumes SMT and runs on
 * half the cores of a machine without it (Apple Silicon, most small VMs).
 */
export interface CpuTopology {
  /** llama.cpp's physical performance-core count; 0 when it could not tell. */
  cpuMathCores: number;
  /** Logical cores the OS reports (os.availableParallelism()). */
  logicalCores: number;
}

/** `setting`: the user's thread count, which always wins; undefined for the default. */
export function workerThreads(setting: number | undefined, cpu: CpuTopology): number {
  if (setting !== undefined) return Math.max(1, Math.floor(setting));
  if (cpu.cpuMathCores >= 1) return Math.floor(cpu.cpuMathCores);
  // llama.cpp could not count (an unknown platform): every logical core is the safer guess on a
  // machine that reports few of them, and halving for SMT the safer one on a large one.
  return Math.max(1, cpu.logicalCores <= 4 ? cpu.logicalCores : Math.floor(cpu.logicalCores / 2));
}
