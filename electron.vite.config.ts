import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

// Builds without the Electron binary (only electron's package.json is read, for its version):
//   out/main/index.js      ESM ("type": "module"); dependencies stay external (better-sqlite3,
//                          keytar and the rest load from node_modules: native modules are never bundled)
//   out/preload/index.cjs  one self-contained CommonJS file: a sandboxed preload can require only `electron`
//   out/renderer/          the Vue app (also what the browser host serves)
export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      lib: { entry: resolve(root, 'main/index.ts'), formats: ['es'] },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything the preload imports (the contract's name lists pull in zod).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // The CSP forbids inline scripts; keep every asset a file (no data: URLs for scripts).
      assetsInlineLimit: 0,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
