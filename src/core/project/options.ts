/**
 * The options of `project` (and of `verdictFor`, which `project` calls): a module of its own so that the verdict
 * does not import the projection it is called from.
 */
import type { Runtime } from './efficiency';
import type { HardwareProfile } from '../hardware/types';

/** Options of `project`; every field optional with a documented default. */
export interface ProjectOptions {
  /** Multiplier on the documented compute efficiencies (default 1). */
  computeEfficiency?: number;
  /** Multiplier on the documented memory-bandwidth efficiencies (default 1). */
  memoryEfficiency?: number;
  /** Per-op dispatch/launch overhead on GPUs, seconds (default: eager PyTorch's host time per op, EAGER_HOST_SECONDS ≈ 50 µs, or each profile's `launchOverheadSeconds` for compiled code). */
  launchOverheadSeconds?: number;
  /** Units of the display currency per US dollar, for the verdict sentence (default 1). */
  currencyPerUsd?: number;
  /** ISO code of the display currency (default `USD`). */
  currencyCode?: string;
  /** For inference: a per-step latency a CPU must meet to be "fine", seconds. */
  latencyBudgetSeconds?: number;
  /** How kernels are issued; overrides `RunSpec.runtime` (default `eager`). */
  runtime?: Runtime;
  /**
   * The user's own CPU, which the verdict is judged against (a setting: laptop/desktop/workstation class). Default:
   * the benchmarked `this-machine` CPU profile when it is among the devices, else the first laptop or desktop CPU
   * among them, else the default laptop-class CPU (`DEFAULT_USER_CPU_ID`), projected for the verdict only.
   */
  userCpu?: HardwareProfile;
}
