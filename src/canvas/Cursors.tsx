/**
 * Everyone else's pointer, with their name, drawn in board coordinates inside
 * the viewport (so it sits on the same spot of the map whatever each person's
 * pan and zoom). It listens to awareness directly: a moving pointer re-renders
 * this layer only, never the nodes. With 50 people each sending ~20 pointer
 * moves a second (issue 18), awareness changes are gathered and read at most
 * once per animation frame, and only the cursors inside the visible part of
 * the board are drawn.
 */
import { memo, useEffect, useState } from 'react';
import { ViewportPortal, useStore as useFlowStore } from '@xyflow/react';
import { useBoardState } from '../collab/board-context';
import { CURSOR_IDLE_MS, displayName, type Point } from '../collab/presence';

interface RemoteCursor {
  clientId: number;
  name: string;
  colour: string;
  at: Point;
  /** When this client last saw it move (local clock: remote clocks differ). */
  seenAt: number;
}

function sameCursor(a: RemoteCursor | undefined, b: Omit<RemoteCursor, 'seenAt'>): boolean {
  return !!a && a.at.x === b.at.x && a.at.y === b.at.y && a.name === b.name && a.colour === b.colour;
}

export const Cursors = memo(function Cursors() {
  const presence = useBoardState((s) => s.presence);
  const zoom = useFlowStore((s) => s.transform[2]);
  const domNode = useFlowStore((s) => s.domNode);
  const [panX, panY] = useFlowStore((s) => s.transform);
  const width = useFlowStore((s) => s.width);
  const height = useFlowStore((s) => s.height);
  const [cursors, setCursors] = useState<ReadonlyMap<number, RemoteCursor>>(new Map());

  // Names on remotely selected cards keep a readable size when zoomed out: CSS reads the
  // inverse zoom from the canvas, so a zoom re-renders this layer only, not the nodes.
  useEffect(() => {
    domNode?.style.setProperty('--presence-scale', String(Math.min(4, Math.max(1, 1 / zoom))));
  }, [domNode, zoom]);

  useEffect(() => {
    if (!presence) return;
    const read = () =>
      setCursors((previous) => {
        const now = Date.now();
        const next = new Map<number, RemoteCursor>();
        for (const [clientId, state] of presence.otherStates()) {
          if (!state.cursor) continue;
          const cursor = { clientId, name: displayName(state.user.name), colour: state.user.colour, at: state.cursor };
          const old = previous.get(clientId);
          const seenAt = sameCursor(old, cursor) ? old!.seenAt : now;
          if (now - seenAt < CURSOR_IDLE_MS) next.set(clientId, { ...cursor, seenAt });
        }
        return next;
      });
    read();
    // Many changes between two frames cost one read and one render.
    let frame: number | null = null;
    const readOnNextFrame = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null;
        read();
      });
    };
    const unsubscribe = presence.onAwarenessChange(readOnNextFrame);
    // Idle cursors fade out even when no awareness message arrives.
    const timer = setInterval(readOnNextFrame, 1000);
    return () => {
      unsubscribe();
      clearInterval(timer);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [presence]);

  // Only the cursors in view (with a margin for the name tag) are drawn.
  const margin = 200 / zoom;
  const left = -panX / zoom - margin;
  const top = -panY / zoom - margin;
  const right = (width - panX) / zoom + margin;
  const bottom = (height - panY) / zoom + margin;
  const inView = [...cursors.values()].filter(
    ({ at }) => width === 0 || (at.x >= left && at.x <= right && at.y >= top && at.y <= bottom),
  );
  if (inView.length === 0) return null;
  return (
    <ViewportPortal>
      {inView.map((cursor) => (
        <div
          key={cursor.clientId}
          className="remote-cursor"
          data-testid="remote-cursor"
          data-name={cursor.name}
          style={{
            transform: `translate(${cursor.at.x}px, ${cursor.at.y}px) scale(${1 / zoom})`,
            color: cursor.colour,
          }}
        >
          <svg width="18" height="20" viewBox="0 0 18 20" aria-hidden="true">
            <path
              d="M1 1 L1 16 L5 12 L8 19 L11 18 L8 11 L14 11 Z"
              fill="currentColor"
              stroke="#fff"
              strokeWidth="1.5"
            />
          </svg>
          <span className="remote-cursor-name" style={{ background: cursor.colour }}>
            {cursor.name}
          </span>
        </div>
      ))}
    </ViewportPortal>
  );
});
