/**
 * The options of `project` (and of `verdictFor`, which `project` calls): a module of its own so that the verdict
 * does not import the projection it is called from.
 */
import type { Runtime } from './efficiency';

/** Options of `project`; every field optional with a documented default. */
export interface ProjectOptions {
  /** Multiplier on the documented compute efficiencies (default 1). */
  computeEfficiency?: number;
  /** Multiplier on the documented memory-bandwidth efficiencies (default 1). */
  memoryEfficiency?: number;
  /** Per-op dispatch/launch overhead on GPUs, seconds (default: each profile's `launchOverheadSeconds`, ≈10 µs eager). */
  launchOverheadSeconds?: number;
  /** Units of the display currency per US dollar, for the verdict sentence (default 1). */
  currencyPerUsd?: number;
  /** ISO code of the display currency (default `USD`). */
  currencyCode?: string;
  /** For inference: a per-step latency a CPU must meet to be "fine", seconds. */
  latencyBudgetSeconds?: number;
  /** How kernels are issued; overrides `RunSpec.runtime` (default `eager`). */
  runtime?: Runtime;
}
