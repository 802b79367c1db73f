/**
 * Element locks on the server: which locked cards an incoming update would
 * change, read from the update itself before it touches the document.
 *
 * A lock is a node field (LOCKED_BY_FIELD, src/model/operations.ts). From
 * anyone but a facilitator, an update is refused whole when it changes a
 * locked node (a field, its deletion, or a new node put under its id) or
 * touches the lock field of any node (locking, unlocking, a new node that
 * arrives locked).
 *
 * Cheap for ordinary updates: nothing is applied to a copy. Each struct of
 * the decoded update names where it goes — a root and key (a new node), a
 * parent id and key (a new field), or a neighbour (an overwrite, whose
 * place is the neighbour's). A neighbour or parent is looked up by id in the
 * room's document (a binary search) or in the update itself. A deletion's
 * items are looked up in the document (those already deleted there change
 * nothing: a sync step 2 carries the sender's whole delete set). So the cost is a few lookups per
 * struct, and a drag frame (two field writes) costs two.
 */
import * as Y from 'yjs';
import { LOCKED_BY_FIELD, lockedByOf, nodesMap } from '../../src/model';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
type Struct = DecodedUpdate['structs'][number];

/** Where a struct lives when it is part of a node: the node's id and the field (null: the node entry itself, or deeper). */
interface Place {
  nodeId: string;
  field: string | null;
}

export interface LockRefusal {
  nodeId: string;
  /** 'locked': a change to a locked card; 'lock': a change to a lock itself. */
  kind: 'locked' | 'lock';
}

/** Chains of neighbours longer than this are not followed (a hostile update); such a struct is let through to Yjs. */
const MAX_HOPS = 256;

/**
 * The first locked card (or lock) the update would change, or null when it
 * changes none. The caller has already decided the sender is not a
 * facilitator.
 */
export function lockedChangeIn(doc: Y.Doc, decoded: DecodedUpdate): LockRefusal | null {
  const nodes = nodesMap(doc);
  const inUpdate = indexByClient(decoded.structs);
  const refusal = (place: Place | null): LockRefusal | null => {
    if (!place) return null;
    if (place.field === LOCKED_BY_FIELD) return { nodeId: place.nodeId, kind: 'lock' };
    if (lockedByOf(nodes.get(place.nodeId)) !== null) return { nodeId: place.nodeId, kind: 'locked' };
    return null;
  };

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip carry no content
    const found = refusal(placeOfNew(struct, doc, nodes, inUpdate, 0));
    if (found) return found;
  }
  for (const [client, deletes] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of deletes) {
      // Deletes of items the server lacks wait in Yjs until they arrive (and are items of this update, checked above).
      if (clock >= known) continue;
      const end = Math.min(clock + len, known);
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < end; i += 1) {
        // A sync step 2 carries the sender's whole delete set: what is deleted here already changes nothing.
        if (structs[i].deleted) continue;
        const found = refusal(placeOfStored(structs[i], nodes));
        if (found) return found;
      }
    }
  }
  return null;
}

function indexByClient(structs: Struct[]): Map<number, Struct[]> {
  const index = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = index.get(struct.id.client);
    if (list) list.push(struct);
    else index.set(struct.id.client, [struct]);
  }
  for (const list of index.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  return index;
}

/** The struct of this update that holds `id`, or null. */
function findInUpdate(index: Map<number, Struct[]>, id: Y.ID): Struct | null {
  const list = index.get(id.client);
  if (!list) return null;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const struct = list[mid];
    if (id.clock < struct.id.clock) high = mid - 1;
    else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
    else return struct;
  }
  return null;
}

/** The struct of the document that holds `id`, or null when the document does not have it yet. */
function findInDoc(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  if (Y.getState(doc.store, id.client) <= id.clock) return null;
  return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/** The place of an integrated struct: its parent is a type, its key `parentSub`. */
function placeOfStored(struct: Y.Item | Y.GC, nodes: object): Place | null {
  if (!(struct instanceof Y.Item)) return null;
  const parent = struct.parent as Y.AbstractType<unknown> | null;
  if (parent === nodes) return struct.parentSub === null ? null : { nodeId: struct.parentSub, field: null };
  let holder = parent?._item ?? null;
  let field: string | null = struct.parentSub;
  // Node fields are plain values today; anything nested deeper still belongs to its node.
  while (holder) {
    if (holder.parent === nodes) return holder.parentSub === null ? null : { nodeId: holder.parentSub, field };
    field = null;
    holder = (holder.parent as Y.AbstractType<unknown> | null)?._item ?? null;
  }
  return null;
}

/** The place of a struct of the update, not yet integrated (parent given by root name, parent id, or a neighbour). */
function placeOfNew(
  item: Y.Item,
  doc: Y.Doc,
  nodes: object,
  inUpdate: Map<number, Struct[]>,
  hops: number,
): Place | null {
  if (hops > MAX_HOPS) return null;
  const neighbour = item.origin ?? item.rightOrigin;
  if (neighbour) {
    // An overwrite or an insert next to something: the same parent and key as the neighbour.
    const stored = findInDoc(doc, neighbour);
    if (stored) return placeOfStored(stored, nodes);
    const fresh = findInUpdate(inUpdate, neighbour);
    return fresh instanceof Y.Item ? placeOfNew(fresh, doc, nodes, inUpdate, hops + 1) : null;
  }
  const parent = item.parent as unknown;
  if (typeof parent === 'string') {
    return parent === 'nodes' && item.parentSub !== null ? { nodeId: item.parentSub, field: null } : null;
  }
  if (parent instanceof Y.ID) {
    // A key set for the first time in a nested type: the type's own place says which node.
    const stored = findInDoc(doc, parent);
    const holder = stored
      ? placeOfStored(stored, nodes)
      : (() => {
          const fresh = findInUpdate(inUpdate, parent);
          return fresh instanceof Y.Item ? placeOfNew(fresh, doc, nodes, inUpdate, hops + 1) : null;
        })();
    if (!holder) return null;
    return { nodeId: holder.nodeId, field: holder.field === null ? item.parentSub : null };
  }
  return null;
}
