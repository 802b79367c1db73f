/**
 * The swimlanes: full-width horizontal bands behind the flow, one per lane,
 * with the lane's name fixed at the left edge of the screen and its controls
 * (rename, move up/down, colour, remove) beside it.
 *
 * Both are drawn in screen coordinates from the viewport's vertical offset
 * and zoom (lane-geometry.ts places band i at [i·H, (i+1)·H) in flow
 * coordinates), so a band is always as wide as the canvas and a name is
 * always readable. They re-render when the lanes change or the view pans or
 * zooms vertically — never on a drag frame: the one node-derived value a
 * header reads (its step count, for its accessible name) is a number that a
 * drag does not change.
 */
import { memo, useState } from 'react';
import { useStore } from '@xyflow/react';
import {
  LANE_COLOURS,
  LANE_HEIGHT,
  LANE_LEFT,
  laneTop,
  moveLane,
  recolourLane,
  removeLane,
  renameLane,
  type Lane,
} from '../../model';
import { useBoard, useBoardState } from '../../collab/board-context';
import { canEditNow } from '../../collab/board-store';
import { laneName } from '../../export/accessible-names';
import { InlineEditor } from '../InlineEditor';
import { reportError } from '../node-actions';

type ReactFlowState = Parameters<Parameters<typeof useStore>[0]>[0];
const selectTx = (s: ReactFlowState) => s.transform[0];
const selectTy = (s: ReactFlowState) => s.transform[1];
const selectZoom = (s: ReactFlowState) => s.transform[2];

function useBandGeometry() {
  const tx = useStore(selectTx);
  const ty = useStore(selectTy);
  const zoom = useStore(selectZoom);
  // Bands begin at LANE_LEFT (demand stands left of them); once that edge is
  // scrolled off screen they run from the screen's edge, names still visible.
  return { left: Math.max(0, tx + LANE_LEFT * zoom), ty, zoom, height: LANE_HEIGHT * zoom };
}

/**
 * How wide a lane's name may be on screen: the strip left of the flow
 * (LANE_LEFT to 0) at this zoom, so the name never covers the first step;
 * a longer name is cut with "…" and shown whole on hover.
 */
function laneNameWidth(zoom: number): number {
  return Math.round(Math.min(190, Math.max(56, -LANE_LEFT * zoom - 30)));
}

/** The coloured bands, under everything else on the canvas. */
export const LaneBands = memo(function LaneBands() {
  const lanes = useBoardState((s) => s.lanes);
  const { left, ty, zoom, height } = useBandGeometry();
  if (lanes.length === 0) return null;
  return (
    <div className="lane-bands" aria-hidden="true">
      {lanes.map((lane, index) => (
        <div
          key={lane.id}
          className="lane-band"
          data-testid="lane-band"
          data-lane={lane.id}
          style={{ left, top: ty + laneTop(index) * zoom, height, ['--lane-colour' as string]: lane.colour }}
        />
      ))}
    </div>
  );
});

/** The lane names and their controls, at the left edge, above the flow. */
export const LaneHeaders = memo(function LaneHeaders() {
  const lanes = useBoardState((s) => s.lanes);
  const { left, ty, zoom, height } = useBandGeometry();
  if (lanes.length === 0) return null;
  return (
    <div className="lane-headers">
      {lanes.map((lane, index) => (
        <LaneHeader
          key={lane.id}
          lane={lane}
          index={index}
          count={lanes.length}
          left={left}
          nameWidth={laneNameWidth(zoom)}
          small={zoom < 0.5}
          top={ty + laneTop(index) * zoom}
          height={height}
        />
      ))}
    </div>
  );
});

const LaneHeader = memo(function LaneHeader({
  lane,
  index,
  count,
  left,
  nameWidth,
  small,
  top,
  height,
}: {
  lane: Lane;
  index: number;
  count: number;
  left: number;
  nameWidth: number;
  small: boolean;
  top: number;
  height: number;
}) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingLaneId === lane.id);
  const canEdit = useBoardState(canEditNow);
  const steps = useBoardState((s) => s.nodes.filter((n) => n.type === 'step' && n.data.lane === lane.id).length);
  const [menu, setMenu] = useState<'none' | 'colour' | 'remove'>('none');
  const run = (change: () => void) => {
    try {
      change();
    } catch (error) {
      reportError(store, error);
    }
  };
  return (
    <div
      className={`lane-header${menu !== 'none' ? ' is-open' : ''}${small ? ' is-small' : ''}`}
      data-testid="lane-header"
      data-lane={lane.id}
      role="group"
      aria-label={laneName(lane.name, steps)}
      style={{
        left,
        top,
        maxHeight: Math.max(height, 30),
        ['--lane-colour' as string]: lane.colour,
        ['--lane-name-width' as string]: `${nameWidth}px`,
      }}
    >
      <div className="lane-header-row">
        {editing ? (
          <InlineEditor
            initial={lane.name}
            label="Lane name"
            className="lane-editor"
            onCommit={(name) => {
              store.setState({ editingLaneId: null });
              if (name !== lane.name) run(() => renameLane(doc, lane.id, name));
            }}
            onCancel={() => store.setState({ editingLaneId: null })}
          />
        ) : (
          <button
            type="button"
            className="lane-name"
            data-testid="lane-name"
            title={canEdit ? `${lane.name} — click to rename` : lane.name}
            disabled={!canEdit}
            onClick={() => store.setState({ editingLaneId: lane.id })}
          >
            {lane.name}
          </button>
        )}
        {canEdit && (
          <span className="lane-controls">
            <button
              type="button"
              className="lane-button"
              aria-label={`Move ${lane.name} up`}
              title="Move up"
              data-testid="lane-up"
              disabled={index === 0}
              onClick={() => run(() => moveLane(doc, lane.id, index - 1))}
            >
              ▲
            </button>
            <button
              type="button"
              className="lane-button"
              aria-label={`Move ${lane.name} down`}
              title="Move down"
              data-testid="lane-down"
              disabled={index === count - 1}
              onClick={() => run(() => moveLane(doc, lane.id, index + 1))}
            >
              ▼
            </button>
            <button
              type="button"
              className="lane-button"
              aria-label={`Colour of ${lane.name}`}
              aria-expanded={menu === 'colour'}
              title="Colour"
              data-testid="lane-colour"
              onClick={() => setMenu(menu === 'colour' ? 'none' : 'colour')}
            >
              <span className="lane-swatch" />
            </button>
            <button
              type="button"
              className="lane-button lane-remove"
              aria-label={`Remove ${lane.name}`}
              title="Remove lane"
              data-testid="lane-remove"
              onClick={() => setMenu(menu === 'remove' ? 'none' : 'remove')}
            >
              ✕
            </button>
          </span>
        )}
      </div>
      {canEdit && menu === 'colour' && (
        <div className="lane-popover" role="group" aria-label="Lane colour">
          {LANE_COLOURS.map((colour, i) => (
            <button
              key={colour}
              type="button"
              className={`lane-colour-choice${colour === lane.colour ? ' is-current' : ''}`}
              style={{ background: colour }}
              aria-label={`Colour ${i + 1}`}
              title={colour}
              onClick={() => {
                setMenu('none');
                run(() => recolourLane(doc, lane.id, colour));
              }}
            />
          ))}
        </div>
      )}
      {canEdit && menu === 'remove' && (
        <div className="lane-popover lane-confirm" role="alertdialog" aria-label="Remove this lane?">
          <span>Remove “{lane.name}”? Its steps stay, in no lane.</span>
          <button
            type="button"
            className="button danger-solid small"
            data-testid="lane-remove-confirm"
            onClick={() => {
              setMenu('none');
              run(() => removeLane(doc, lane.id));
            }}
          >
            Remove
          </button>
          <button type="button" className="button small" onClick={() => setMenu('none')}>
            Keep
          </button>
        </div>
      )}
    </div>
  );
});
