/**
 * Fixed workload for counting instructions (bench/instructions.sh): every .py/.ipynb in $CG_SCRIPTS analysed once, then
 * the .py files joined into one script, three passes, each text new (no cache hits). Run under valgrind's callgrind with
 * `node --jitless`, the count does not depend on the machine's load, unlike `npm run bench`'s wall-clock figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../src/core/analyze';
import { readScript } from '../src/cli/analyzeFile';

const dir = process.env.CG_SCRIPTS;
if (!dir || !fs.existsSync(dir)) throw new Error('CG_SCRIPTS must name a folder of scripts');
const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
const texts = files.map((f) => readScript(f).text);
const joined = texts.filter((_t, i) => files[i].endsWith('.py')).join('\n\n');
let n = 0;
for (let pass = 0; pass < 3; pass++) {
  texts.forEach((t, i) => { analyze({ text: `${t}\n# p${pass}`, file: `cg:${i}:${pass}` }); n++; });
  analyze({ text: `${joined}\n# p${pass}`, file: `cg:all:${pass}` });
  n++;
}
console.log(`analyses ${n}`);
