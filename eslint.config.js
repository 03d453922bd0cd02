// Lint with the layering of ../shared/style/architecture.md enforced: each folder names its
// runtime, and may import only what that runtime has.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

const noElectron = { group: ['electron'], message: 'The core and the CLI never import Electron: keep Electron code in main/electron.' };
const noVue = { group: ['vue', 'pinia', '*.vue'], message: 'Vue belongs to the renderer.' };
const noNode = { group: ['node:*', 'better-sqlite3', 'keytar', 'ws', 'node-schedule', 'luxon'], message: 'This code also runs in the renderer: no Node or native modules.' };
const noCoreFromRenderer = { group: ['**/main/core/**', '**/main/host/**', '**/main/electron/**', '**/main/cli/**'], message: 'The renderer talks to the core only through the contract.' };
const noRawIpc = {
  name: 'electron', importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC only in main/electron/ipc.ts and preload/: use the contract.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.listsync-dev/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  { files: ['main/common/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noVue, noNode] }] } },
  { files: ['main/core/**/*.ts', 'main/cli/**/*.ts', 'main/host/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noVue] }] } },
  { files: ['main/electron/**/*.ts', 'main/index.ts'], ignores: ['main/electron/ipc.ts'], rules: { 'no-restricted-imports': ['error', { paths: [noRawIpc], patterns: [noVue] }] } },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noNode, noCoreFromRenderer] }] },
  },
);
