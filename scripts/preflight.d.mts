/** Types for scripts/preflight.mjs (plain Node, so it runs before anything is built). */
export interface Probes {
  nodeVersion: string;
  chromium: boolean;
  chromiumPath: string;
  gssapiHeader: boolean;
  krb5Config: boolean;
  python3: boolean;
  make: boolean;
  gxx: boolean;
  codeServerInstalled: boolean;
  freeBytes: number | undefined;
  cacheDir: string;
  isRoot: boolean;
  canSudo: boolean;
  aptGet: boolean;
  installAllowed: boolean;
}
export interface Decision {
  action: 'ok' | 'install' | 'stop';
  packages: string[];
  installArgv: string[][];
  command: string | undefined;
  problems: string[];
  present: string[];
}
export const ROOT: string;
export const FIRST_SETUP_BYTES: number;
export const RUN_BYTES: number;
export const MIN_NODE_MAJOR: number;
export const PACKAGES: { chromium: string; krb5: string; python3: string; make: string; gxx: string };
export function decide(p: Probes): Decision;
export function onPath(name: string, envPath?: string): boolean;
export function probe(env?: NodeJS.ProcessEnv): Probes;
export function main(env?: NodeJS.ProcessEnv): number;
