/**
 * A fixed-window counter per address: at most `limit` hits per `windowMs`.
 * Small and in-memory on purpose: it slows down guessing keys and links from
 * one address; it is not a quota. (Behind a reverse proxy every request comes
 * from the proxy's address, so the limits are per proxy unless TRUST_PROXY: see docs/security.md.)
 */
export class RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one hit; false when the address is over its limit for this window. */
  hit(address: string, now = Date.now()): boolean {
    const window = this.windows.get(address);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(address, { start: now, count: 1 });
      return 1 <= this.limit;
    }
    window.count += 1;
    return window.count <= this.limit;
  }

  /** True when the address has used up its hits for this window (without counting one). */
  exhausted(address: string, now = Date.now()): boolean {
    const window = this.windows.get(address);
    return !!window && now - window.start < this.windowMs && window.count >= this.limit;
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(address);
    }
  }
}
