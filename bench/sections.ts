/** Benchmark sections added by later features (threads, sweeps); the engine's are in run.ts. */
export async function runSections(only: string | undefined): Promise<void> {
  void only;
}
