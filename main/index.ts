// Electron main entry (built to out/main/index.js): everything lives in main/electron/app.ts.
// Desktop features are added to `plugins` as they arrive (tray, notifications, scheduler).
import { startApp } from './electron/app';

startApp({ plugins: [] });
