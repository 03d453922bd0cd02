#!/usr/bin/env node
// The listsync command. Runs the TypeScript sources through tsx, so it works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
