/**
 * One edge component for every kind (ux.md): flow (grey arrow), handoff
 * (a flow between lanes: thicker, ⇄ at its middle), rework (red, dashed,
 * curving back under the steps it skips), entry (demand → step, teal) and
 * causes (condition → step or demand: thin, dotted, labelled "causes").
 * The kind is also on the edge's <g> as data-kind / data-handoff / data-rework
 * (binding.ts) for tests and for the stylesheet.
 */
import { useSemanticZoom } from '../semantic-zoom';
import { memo } from 'react';
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { BoardFlowEdge } from '../../collab/board-store';
import { useBoardState } from '../../collab/board-context';

/** A loop that leaves the source, dips below both ends and comes back into the target from the left. */
function reworkPath(sx: number, sy: number, tx: number, ty: number): [string, number, number] {
  const dip = 130 + Math.abs(sx - tx) * 0.1;
  const c1x = sx + 90;
  const c1y = Math.max(sy, ty) + dip;
  const c2x = tx - 90;
  const c2y = c1y;
  const path = `M ${sx},${sy} C ${c1x},${c1y} ${c2x},${c2y} ${tx},${ty}`;
  // The mark sits on the way back in (t = 0.8), beside the step returned to rather than under another step.
  const t = 0.8;
  const u = 1 - t;
  const mx = u * u * u * sx + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * tx;
  const my = u * u * u * sy + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * ty;
  return [path, mx, my];
}

function BoardEdgeView({
  source,
  target,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  markerEnd,
  data,
  selected,
}: EdgeProps<BoardFlowEdge>) {
  const kind = data?.kind ?? 'flow';
  const rework = data?.rework === true;
  const handoff = data?.handoff === true;
  const mainPath = useBoardState((s) =>
    !s.showMainPath || kind !== 'flow' ? 'none' : s.mainPathEdges.has(`${source}>${target}`) ? 'on' : 'off',
  );
  // Below the semantic-zoom threshold an edge is its line only: the marks would be unreadable specks.
  const plain = useSemanticZoom().form === 'simple';
  const backwards = targetX < sourceX;
  const [path, labelX, labelY] =
    rework || (kind === 'flow' && backwards)
      ? reworkPath(sourceX, sourceY, targetX, targetY)
      : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const classes = ['board-edge', `edge-${rework ? 'rework' : kind}`];
  if (handoff) classes.push('is-handoff');
  if (selected) classes.push('is-selected');
  if (mainPath === 'on') classes.push('on-main-path');
  if (mainPath === 'off') classes.push('off-main-path');
  return (
    <g className={classes.join(' ')}>
      <BaseEdge path={path} markerEnd={markerEnd} className="board-edge-path" interactionWidth={16} />
      {handoff && !plain && (
        <g className="edge-mark handoff-mark" transform={`translate(${labelX} ${labelY})`} aria-label="handoff">
          <title>handoff between lanes</title>
          <circle r={11} />
          <text textAnchor="middle" dominantBaseline="central">
            ⇄
          </text>
        </g>
      )}
      {rework && !plain && (
        <g className="edge-mark rework-mark" transform={`translate(${labelX} ${labelY})`}>
          <title>rework loop</title>
          <rect x={-30} y={-11} width={60} height={22} rx={11} />
          <text textAnchor="middle" dominantBaseline="central">
            ⟲ rework
          </text>
        </g>
      )}
      {kind === 'causes' && !plain && (
        <g className="edge-mark causes-mark" transform={`translate(${labelX} ${labelY})`}>
          <rect x={-27} y={-10} width={54} height={20} rx={4} />
          <text textAnchor="middle" dominantBaseline="central">
            causes
          </text>
        </g>
      )}
    </g>
  );
}

export const BoardEdge = memo(BoardEdgeView);
