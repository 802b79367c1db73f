/**
 * View only on this device (issue 12): the one guard that refuses this
 * person's changes while they may not edit (and never the server's), the
 * words of the badge and of a refused edit, the share-link route, and the
 * save state once access has ended.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { LOCAL_ORIGIN, addStep, initBoard, nodesMap, setBoardTitle } from '../../src/model';
import { accessBadge, guardLocalEdits, viewOnlyReason, type AccessState } from '../../src/collab/access';
import { SaveTracker } from '../../src/collab/save-tracker';
import { parseRoute } from '../../src/ui/router';

const viewer: AccessState = { role: 'viewer', locked: false, lockedBy: null, canEdit: false };
const editor: AccessState = { role: 'editor', locked: false, lockedBy: null, canEdit: true };
const lockedEditor: AccessState = { role: 'editor', locked: true, lockedBy: 'Sam', canEdit: false };

function guardedBoard(access: () => AccessState) {
  const doc = new Y.Doc();
  initBoard(doc, 'Repairs');
  const unguard = guardLocalEdits(
    doc,
    (origin) => origin === LOCAL_ORIGIN,
    () => (access().canEdit ? null : viewOnlyReason(access())),
  );
  return { doc, unguard };
}

describe('the view-only guard', () => {
  test('a viewer’s edit is refused in plain words and the board is unchanged', () => {
    const { doc } = guardedBoard(() => viewer);
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => addStep(doc, { position: { x: 0, y: 0 } })).toThrow('You can only view this board.');
    expect(() => setBoardTitle(doc, 'Changed')).toThrow('You can only view this board.');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  test('the server’s changes still arrive on a view-only device', () => {
    const { doc } = guardedBoard(() => viewer);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const id = addStep(other, { position: { x: 10, y: 20 }, label: 'Check the claim' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'provider');
    expect(nodesMap(doc).get(id)?.get('label')).toBe('Check the claim');
  });

  test('the lock stops an editor and says who locked it; unlocking lets the same device edit again', () => {
    let access = lockedEditor;
    const { doc } = guardedBoard(() => access);
    expect(() => addStep(doc, { position: { x: 0, y: 0 } })).toThrow(
      'Sam locked the board: nothing can be changed until it is unlocked.',
    );
    access = editor;
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    expect(nodesMap(doc).has(id)).toBe(true);
  });

  test('once the guard is undone (the board closed), the doc edits as before', () => {
    const { doc, unguard } = guardedBoard(() => viewer);
    unguard();
    expect(setBoardTitle(doc, 'Kept')).toBe('Kept');
  });
});

describe('the words of access', () => {
  test('the header badge: none for an editor, View only for a viewer, Locked by <name> under a lock', () => {
    expect(accessBadge(null)).toBeNull();
    expect(accessBadge(editor)).toBeNull();
    expect(accessBadge(viewer)).toBe('View only');
    expect(accessBadge(lockedEditor)).toBe('Locked by Sam');
    expect(accessBadge({ ...lockedEditor, lockedBy: null })).toBe('Locked');
    // A viewer views whatever the lock.
    expect(accessBadge({ ...viewer, locked: true, lockedBy: 'Sam' })).toBe('View only');
  });

  test('the share-link route takes the token, and anything else there is not a page', () => {
    expect(parseRoute('/join/abc_DEF-123')).toEqual({ screen: 'join', token: 'abc_DEF-123' });
    expect(parseRoute('/join/')).toEqual({ screen: 'unknown', path: '/join/' });
    expect(parseRoute('/join/%E0%A4%A')).toEqual({ screen: 'unknown', path: '/join/%E0%A4%A' });
    expect(parseRoute('/join/a/b')).toEqual({ screen: 'unknown', path: '/join/a/b' });
  });
});

describe('the save state once access has ended', () => {
  test('changes the server will never take stop counting as unsaved (they left as a board file)', () => {
    const tracker = new SaveTracker();
    tracker.localChange();
    tracker.nextRequest();
    expect(tracker.pending).toBe(true);
    tracker.discard();
    expect(tracker.pending).toBe(false);
    expect(tracker.state(false)).toEqual({ kind: 'saved' });
  });
});
