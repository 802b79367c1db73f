/**
 * Another person's selection or editing on one node: a narrow store selector
 * per node (the mark object is reused while unchanged), so a change of
 * presence re-renders only the nodes whose mark changed.
 */
import type { CSSProperties } from 'react';
import { useBoardState } from '../collab/board-context';
import type { RemoteMark } from '../collab/presence';

export function useRemoteMark(id: string): RemoteMark | null {
  return useBoardState((s) => s.remoteMarks.get(id) ?? null);
}

/** The class and style that outline a node in the other person's colour. */
export function remoteMarkProps(mark: RemoteMark | null): { className: string; style: CSSProperties | undefined } {
  if (!mark) return { className: '', style: undefined };
  return {
    className: ' has-remote-mark',
    style: { '--remote-colour': mark.colour } as CSSProperties,
  };
}

/** The label above a node: "NAME is editing", or just the name of who selected it. */
export function RemoteMarkLabel({ mark }: { mark: RemoteMark | null }) {
  if (!mark) return null;
  return (
    <span
      className="remote-mark-label"
      data-testid="remote-mark"
      data-editing={mark.editing ? 'true' : 'false'}
      style={{ background: mark.colour }}
    >
      {mark.editing ? `${mark.name} is editing` : mark.name}
    </span>
  );
}
