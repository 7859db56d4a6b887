/**
 * Imported first by the benchmark bundle. Full zod probes `new Function` (when schemas are first built) to
 * decide whether to JIT its parsers; under the webview CSP the probe fails harmlessly but is still
 * reported as a CSP violation. The bundle's schemas are zod/mini, whose objects never JIT (so no probe);
 * `jitless` keeps it that way should a full-zod schema ever join the bundle.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
