/**
 * Imported first by the benchmark bundle. zod probes `new Function` (when schemas are first built) to
 * decide whether to JIT its parsers; under the webview CSP the probe fails harmlessly but is still
 * reported as a CSP violation. `jitless` skips the probe.
 */
import * as z from 'zod';

z.config({ jitless: true });
