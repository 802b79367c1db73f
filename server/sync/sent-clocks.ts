/**
 * What one connection has sent, as the clock each Yjs client must reach in
 * the room's document before all of it is in there.
 *
 * An update whose dependencies the server lacks (a clock gap: the client's
 * earlier updates were lost in a crash and not yet re-sent) is parked by Yjs
 * as pending — no `update` event, nothing stored. "Saved" must mean written,
 * so a save answer waits until everything the connection sent is integrated
 * (src/protocol/index.ts, the "saved" rule).
 */
import * as Y from 'yjs';

export class SentClocks {
  /** Yjs client id → the clock the document must reach. Entries already reached are dropped. */
  private readonly needed = new Map<number, number>();

  /** Notes an update this connection sent (as decoded by Y.decodeUpdate). */
  record(decoded: ReturnType<typeof Y.decodeUpdate>): void {
    for (const struct of decoded.structs) {
      // A Skip is a gap in a merged update, not content.
      if (struct instanceof Y.Skip) continue;
      this.need(struct.id.client, struct.id.clock + struct.length);
    }
    // A delete of an item the document does not have yet is parked too (pendingDs).
    for (const [client, items] of decoded.ds.clients) {
      for (const item of items) this.need(client, item.clock + item.len);
    }
  }

  private need(client: number, clock: number): void {
    if ((this.needed.get(client) ?? 0) < clock) this.needed.set(client, clock);
  }

  /** True when the document holds everything recorded. */
  integratedIn(doc: Y.Doc): boolean {
    for (const [client, clock] of this.needed) {
      if (Y.getState(doc.store, client) < clock) return false;
      this.needed.delete(client);
    }
    return true;
  }
}
