/** The projection engine: Workload × hardware → projections and a verdict. */
export { project, type ProjectOptions, type Plan } from './project';
export { verdictFor } from './verdict';
export {
  EFFICIENCY, RAMP_SECONDS, RUNTIME_EFFECTS, LINK_EFFICIENCY, COMM_OVERLAP, LAUNCH_BAND, CACHE_SPEEDUP, CALL_OVERHEAD_SECONDS,
  PIPELINE_VIRTUAL_STAGES, DEFAULT_LAUNCH_SECONDS, EAGER_HOST_SECONDS, eagerGpuOpSeconds, CPU_PARALLEL_SERIAL, cpuParallelEfficiency, sizedEfficiency, sizedTime, type Range, type Runtime, type ClassEfficiency,
} from './efficiency';
export { resolvePeak, vectorPeak, type ResolvedPeak } from './peaks';
export { allReduceSeconds, collectiveSeconds, type Collective } from './comm';
export { fitMemory, contextBytes, usableBytes, stepPeakBytes, type Fit } from './memory';
