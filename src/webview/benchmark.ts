/**
 * Entry of the benchmark webview bundle (dist/webview/benchmark.js). gpu.js is bundled only here: esbuild
 * follows its `browser` field to the prebuilt browser build.
 */
import './livebench/zodConfig';
import { startBenchmarkApp } from './livebench/app';

const root = document.getElementById('root');
if (root) startBenchmarkApp(root);
