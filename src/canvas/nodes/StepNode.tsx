/**
 * A step in the flow (ux.md): a rectangle; value = solid border, green accent
 * and ✓; waste = dashed border, red accent and its waste type; no class yet =
 * neutral. Below the label: "PT 45 m · LT 2 d" and "C&A 80%", and marks for
 * customer contact and for a step not connected to the flow.
 *
 * Every store subscription here returns a primitive (a boolean or a string)
 * so a change elsewhere on the board does not re-render this step.
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatTime } from '../../model';
import type { StepFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';
import { RemoteMarkLabel, remoteMarkProps, useRemoteMark } from '../RemoteSelection';
import { CardBadges } from '../CardBadges';
import { SimpleLabel, simpleMarkSize, useSemanticZoom } from '../semantic-zoom';
import { STEP_SPACING_X, LANE_HEIGHT } from '../../model';

/** A simplified step's label may use its column's width and most of its lane's height, not only the card's. */
const SIMPLE_STEP_BOX = { width: STEP_SPACING_X - 8, height: LANE_HEIGHT - 40 };

function timesText(pt: number | null, lt: number | null): string | null {
  if (pt === null && lt === null) return null;
  return `PT ${formatTime(pt)} · LT ${formatTime(lt)}`;
}

function StepNodeView({ id, data, selected }: NodeProps<StepFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  const laneName = useBoardState((s) =>
    data.lane === null ? null : (s.lanes.find((lane) => lane.id === data.lane)?.name ?? null),
  );
  const onMainPath = useBoardState((s) => s.showMainPath && s.mainPathSteps.has(id));
  const offMainPath = useBoardState((s) => s.showMainPath && !s.mainPathSteps.has(id));
  const unconnected = useBoardState((s) => s.unconnectedSteps.has(id));
  const remote = useRemoteMark(id);
  const remoteProps = remoteMarkProps(remote);
  const stepClass = data.stepClass ?? 'none';
  const times = timesText(data.pt, data.lt);
  const { zoom, form } = useSemanticZoom();
  const simple = form === 'simple' && !editing;
  const classes = ['step-node', `step-${stepClass}`];
  if (simple) classes.push('is-simple');
  if (selected) classes.push('is-selected');
  if (onMainPath) classes.push('on-main-path');
  if (offMainPath) classes.push('off-main-path');
  return (
    <div
      className={classes.join(' ') + remoteProps.className}
      style={remoteProps.style}
      data-testid="step-node"
      data-id={id}
      data-class={stepClass}
    >
      <RemoteMarkLabel mark={remote} />
      <CardBadges id={id} />
      <Handle type="target" id="in" position={Position.Left} className="step-handle" data-testid="step-handle-in" />
      <Handle type="target" id="cause" position={Position.Bottom} className="step-handle cause-handle" />
      {simple ? (
        <>
          {data.stepClass !== null && (
            <span
              className={`step-class is-${data.stepClass}`}
              data-testid="step-class"
              style={{ fontSize: simpleMarkSize(zoom) }}
            >
              {data.stepClass === 'value' ? '✓' : `✗ ${data.wasteType ?? 'waste'}`}
            </span>
          )}
          <SimpleLabel text={data.label} zoom={zoom} box={SIMPLE_STEP_BOX} className="step-label" testId="step-label" />
        </>
      ) : (
        <>
          <div className="step-top">
            {data.stepClass === 'value' && (
              <span className="step-class is-value" data-testid="step-class">
                ✓ value
              </span>
            )}
            {data.stepClass === 'waste' && (
              <span className="step-class is-waste" data-testid="step-class">
                ✗ {data.wasteType ?? 'waste'}
              </span>
            )}
            {laneName !== null && (
              <span className="step-lane" title={`Lane: ${laneName}`}>
                {laneName}
              </span>
            )}
          </div>
          {editing ? (
            <InlineEditor
              initial={data.label}
              label="Step name"
              className="step-editor"
              onCommit={(text) => commitRename(doc, store, id, data.label, text)}
              onCancel={() => store.setState({ editingId: null })}
            />
          ) : (
            <div className="step-label" data-testid="step-label">
              {data.label}
            </div>
          )}
          {(times !== null || data.ca !== null || data.customerContact || unconnected) && (
            <div className="step-bottom">
              {times !== null && (
                <span className="step-times" data-testid="step-times">
                  {times}
                </span>
              )}
              {data.ca !== null && (
                <span className="step-ca" data-testid="step-ca">
                  C&amp;A {Math.round(data.ca)}%
                </span>
              )}
              {data.customerContact && (
                <span
                  className="step-contact"
                  data-testid="step-contact"
                  title="customer contact"
                  aria-label="customer contact"
                  role="img"
                >
                  ☎
                </span>
              )}
              {unconnected && (
                <span
                  className="step-unconnected"
                  data-testid="step-unconnected"
                  title="not connected to the flow"
                  aria-label="not connected to the flow"
                  role="img"
                >
                  ⚠
                </span>
              )}
            </div>
          )}
        </>
      )}
      <Handle type="source" id="out" position={Position.Right} className="step-handle" data-testid="step-handle-out" />
    </div>
  );
}

export const StepNode = memo(StepNodeView);
