/** What /healthz says about storage: whether the last write worked, and the last error in words. */
export class StorageHealth {
  ok = true;
  failures = 0;
  lastError: string | null = null;
  lastErrorAt: number | null = null;

  recordSuccess(): void {
    this.ok = true;
  }

  recordFailure(error: unknown): void {
    this.ok = false;
    this.failures += 1;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.lastErrorAt = Date.now();
  }
}
