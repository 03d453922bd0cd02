// Electron main entry (built to out/main/index.js): everything lives in main/electron/app.ts.
// The desktop plugin adds the scheduler, tray, notifications and the login item.
import { startApp } from './electron/app';
import { desktopPlugin, startsHidden } from './electron/desktop';

// Closing the window quits unless "Keep running in the tray" is on (desktop.ts hides it instead).
startApp({ plugins: [desktopPlugin()], startHidden: startsHidden });
