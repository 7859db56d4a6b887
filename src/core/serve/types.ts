/**
 * The serving contract: an inference script costed as a service (a request rate, a latency target, batching,
 * devices and dollars), per device. Plain data; units in the names (seconds, USD, joules, requests per second).
 */
import type { Provenance } from '../types';

/** What one request is: an LLM chat/completion, a diffusion image request, or items through a classifier/embedder. */
export type ServingKind = 'llm' | 'diffusion' | 'items';

/** How the server issues kernels: `eager` HF generate / PyTorch, `compiled`, `graph` (vLLM/TensorRT-LLM/llama.cpp-class). */
export type ServingRuntime = 'eager' | 'compiled' | 'graph';

export interface ServingTarget {
  /** LLMs: time to first token, seconds. */
  firstTokenSeconds?: number;
  /** LLMs: time per output token, seconds. */
  perTokenSeconds?: number;
  /** Whole request, seconds (items and diffusion; LLMs when a `latency=` is given). */
  requestSeconds?: number;
}

export interface ServingLatency {
  firstTokenSeconds?: number;
  perTokenSeconds?: number;
  requestSeconds: number;
}

/** One device's serving figures at the rate. */
export interface ServingDevice {
  hardwareId: string;
  hardwareName: string;
  kind: 'cpu' | 'gpu';
  /** Requests in flight per replica at the rate (LLM decode batch, or the dynamic batch). */
  batch: number;
  /** Largest batch a replica may run (latency target, KV/activation memory or the runtime's cap, see `batchBound`). */
  maxBatch: number;
  batchBound: 'latency' | 'memory' | 'cap';
  /** GPUs per replica (tensor parallel when one cannot hold the model); 1 on CPUs. */
  tensorParallel: number;
  /** CPUs are rented by the slice: cores per replica (a share of the server's price, memory and bandwidth). */
  coresPerReplica?: number;
  /** Sustainable throughput of ONE replica at its largest batch: output tokens/s, images/s or items/s. */
  throughput: { value: number; unit: 'tokens/s' | 'images/s' | 'items/s' };
  /** Requests per second one replica sustains at the utilisation ceiling. */
  requestsPerSecondPerReplica: number;
  /** Single-stream figure (one request at a time): tokens/s for LLMs, requests/s otherwise. */
  singleStream: { value: number; unit: string };
  /** Latency at the rate: p50 (central efficiencies) and p95 (pessimistic efficiencies plus batching/queueing waits). */
  latency: ServingLatency;
  latencyP95: ServingLatency;
  /** Devices (GPUs, or CPU slices) for the rate: replicas × tensorParallel. */
  devicesNeeded: number;
  replicas: number;
  /**
   * Set when the rate would need more than `MAX_REPLICAS` replicas of this device: the device cannot meet the rate
   * (a laptop at 20 req/s is not 1,499 laptops). `replicas`/`devicesNeeded` then say what the rate would take,
   * `monthlyCostUsd` and the cost curve beyond the limit are withheld, and `meetsTarget` is false. `meetsLatency`:
   * whether its p95 latency would meet the target (so the rate, not the latency, is what it misses).
   */
  cannotMeetRate?: { maxReplicas: number; replicasNeeded: number; meetsLatency: boolean };
  /** Busy fraction of the replicas at the rate (0–1). */
  utilisation: number;
  costPerMillionTokensUsd?: number;
  costPerThousandItemsUsd?: number;
  monthlyCostUsd?: number;
  energyPerRequestJoules: number;
  /** p95 latency within every target. */
  meetsTarget: boolean;
  /** Monthly cost at rates across the chart's range (same rates for every device), for the cost-vs-rate chart. */
  costCurve: { requestsPerSecond: number; monthlyCostUsd: number }[];
  notes: string[];
}

/** The serving view of an inference analysis. */
export interface Serving {
  kind: ServingKind;
  /** Request rate, normalised to per second, with where it came from. */
  rate: { value: number; unit: 'req/s'; source: Provenance; note?: string };
  requestsPerMonth: number;
  /** One request: prompt and output tokens (LLM), images (diffusion) or items (classifiers, embedders). */
  request: { promptTokens?: number; outputTokens?: number; images?: number; items?: number };
  latencyTarget: ServingTarget;
  runtime: ServingRuntime;
  /** Weight and KV-cache storage the serving model assumes. */
  weightBytes: number;
  kvBytesPerToken?: number;
  perDevice: ServingDevice[];
  /** One line: "At 20 req/s: 2× L4 at $1.1k/month, TTFT 180 ms; a CPU cannot meet 1 s". */
  verdict: string;
  /** Stated assumptions of the serving model. */
  assumptions: string[];
}
