import type { Command } from 'commander';

export function registerServeCommands(_program: Command): void {
  // ui and daemon are registered once the browser host and scheduler exist.
}
