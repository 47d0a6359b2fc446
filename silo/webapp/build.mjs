// Bundles the app's ES modules with its two libraries (lightweight-charts, fetch-event-source) into dist/, which the
// silo project copies to its web root. Run by the silo's build (npm run build); see silo/SignalFlow.Silo.csproj.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist');
await build({
  entryPoints: ['src/app.js', 'src/app.css'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir: 'dist',
  logLevel: 'warning',
});
await copyFile('src/index.html', 'dist/index.html');
