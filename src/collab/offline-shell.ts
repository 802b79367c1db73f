/**
 * Registers the service worker (public/sw.js) that keeps the app shell —
 * index.html and the built /assets — on the device, so reloading a board
 * while offline still starts the app, which then opens the board's device
 * copy. Production builds only: in development Vite serves modules that
 * must never be cached.
 */
let registered = false;

/** Vite replaces import.meta.env.PROD at build time; outside Vite (tests) it is absent. */
function isProductionBuild(): boolean {
  return (import.meta as { env?: { PROD?: boolean } }).env?.PROD === true;
}

export function registerOfflineShell(): void {
  if (registered || !isProductionBuild()) return;
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  registered = true;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // Without it the board still works online and keeps its device copy; only an offline reload fails.
    console.warn('The offline app shell could not be installed:', error);
  });
}
