/**
 * The inspector: every field of the one selected element, edited through the
 * model's named operations. A commit (blur, Enter, or a change of a select or
 * checkbox) is one operation, so one update and one undo step. A value the
 * model refuses is shown next to its field and not stored; the field keeps
 * what was typed until it is fixed or Escape puts the stored value back.
 */
import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import type * as Y from 'yjs';
import {
  BoardOperationError,
  CONDITION_TYPES,
  WASTE_TYPES,
  deleteElements,
  edgesMap,
  formatTimeExact,
  lanesMap,
  linkTargets,
  readBoard,
  nodesMap,
  readLane,
  renameNode,
  setRework,
  updateCondition,
  updateDemand,
  updatePurpose,
  updateStep,
  connect,
  type ConditionType,
  type EdgeKind,
  type FieldValue,
  type Lane,
  type StepFields,
  type WasteType,
} from '../model';
import { useBoard, useBoardState } from '../collab/board-context';
import { canEditNow, type BoardState } from '../collab/board-store';
import { TargetPicker, targetDescription } from '../canvas/TargetPicker';
import { parseCountInput, parsePercentInput, parseTimeInput, whatMattersFromText } from './inspector-fields';
import { sameJson, useDocValue } from './use-doc-value';
import './panels.css';

type Target = { kind: 'node' | 'edge'; id: string };
type Fields = Record<string, FieldValue>;

/** What is selected, as one comparable string, so the inspector re-renders only when it changes. */
function selectionKey(s: BoardState): string {
  const nodes = s.nodes.filter((n) => n.selected);
  const edges = s.edges.filter((e) => e.selected);
  const count = nodes.length + edges.length;
  if (count === 0) return 'none';
  if (count > 1) return `many:${count}`;
  return nodes.length === 1 ? `node:${nodes[0].id}` : `edge:${edges[0].id}`;
}

function targetOf(key: string): Target | null {
  if (key.startsWith('node:')) return { kind: 'node', id: key.slice(5) };
  if (key.startsWith('edge:')) return { kind: 'edge', id: key.slice(5) };
  return null;
}

function mapOf(doc: Y.Doc, target: Target): Y.Map<Y.Map<FieldValue>> {
  return target.kind === 'node' ? nodesMap(doc) : edgesMap(doc);
}

/** The selected element's stored fields, live; null once it is gone from the board. */
function readFields(doc: Y.Doc, target: Target): Fields | null {
  const map = mapOf(doc, target).get(target.id);
  return map ? (map.toJSON() as Fields) : null;
}

function readLanes(doc: Y.Doc): Lane[] {
  const lanes: Lane[] = [];
  lanesMap(doc).forEach((lane, id) => lanes.push(readLane(id, lane)));
  return lanes.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/**
 * Follows the selection. When the inspected element disappears because
 * someone else deleted it, the inspector says so instead of going blank;
 * a local delete (or a click on empty canvas) just clears it.
 */
function useInspectedTarget(): {
  target: Target | null;
  selection: string;
  goneRemotely: boolean;
  lastId: string | null;
} {
  const { doc, store } = useBoard();
  const selection = useBoardState(selectionKey);
  const [last, setLast] = useState<{ key: string; target: Target; goneRemotely: boolean } | null>(null);
  const selected = targetOf(selection);

  // Adjusting state while rendering when the selection moves on (React's pattern for derived state).
  if (selected && last?.key !== selection) setLast({ key: selection, target: selected, goneRemotely: false });
  if (!selected && last && !last.goneRemotely) setLast(null);

  useEffect(() => {
    if (!last || last.goneRemotely) return;
    const map = mapOf(doc, last.target);
    // A shallow observer runs before the store binding's deep one, so the element is still selected here.
    const onChange = (event: Y.YMapEvent<Y.Map<FieldValue>>) => {
      if (!event.keysChanged.has(last.target.id) || map.has(last.target.id)) return;
      if (event.transaction.local || selectionKey(store.getState()) !== last.key) return;
      setLast({ ...last, goneRemotely: true });
    };
    map.observe(onChange);
    return () => map.unobserve(onChange);
  }, [doc, store, last]);

  if (selected) return { target: selected, selection, goneRemotely: false, lastId: selected.id };
  return { target: null, selection, goneRemotely: last?.goneRemotely === true, lastId: last?.target.id ?? null };
}

/** A field of the inspector has focus: others see "NAME is editing" on that node (presence). */
function isField(element: EventTarget | null): boolean {
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement
  );
}

export function Inspector() {
  const { store } = useBoard();
  const { target, selection, goneRemotely, lastId } = useInspectedTarget();
  const deletedBy = useBoardState((s) => (lastId === null ? null : (s.remoteDeletions.get(lastId) ?? null)));
  const editingId = target?.kind === 'node' ? target.id : null;
  const canEdit = useBoardState(canEditNow);
  useEffect(() => () => store.setState({ inspectorEditingId: null }), [store, editingId]);
  return (
    <div
      className="inspector"
      data-testid="inspector"
      onFocus={(event) => store.setState({ inspectorEditingId: isField(event.target) ? editingId : null })}
      onBlur={() => store.setState({ inspectorEditingId: null })}
    >
      {goneRemotely ? (
        <p className="panel-warning" role="status" data-testid="inspector-deleted">
          Deleted by {deletedBy ?? 'someone else'}. Select another element to inspect it.
        </p>
      ) : target ? (
        <fieldset className="read-only-fields" disabled={!canEdit}>
          {!canEdit && (
            <p className="panel-hint" data-testid="inspector-read-only">
              View only: you can read these fields, not change them.
            </p>
          )}
          <InspectTarget key={`${target.kind}:${target.id}`} target={target} />
        </fieldset>
      ) : selection.startsWith('many:') ? (
        <p className="panel-hint">{selection.slice(5)} elements are selected. Select one to see and edit its fields.</p>
      ) : (
        <p className="panel-hint" data-testid="inspector-hint">
          Select a step, a demand type, the purpose, a system condition, a note or a flow arrow to see and edit its
          fields here.
        </p>
      )}
    </div>
  );
}

function InspectTarget({ target }: { target: Target }) {
  const { doc } = useBoard();
  const canEdit = useBoardState(canEditNow);
  const fields = useDocValue((d) => readFields(d, target), sameJson);
  if (!fields) {
    return (
      <p className="panel-warning" role="status" data-testid="inspector-deleted">
        Deleted by someone else.
      </p>
    );
  }
  const remove = () =>
    deleteElements(doc, target.kind === 'node' ? { nodeIds: [target.id] } : { edgeIds: [target.id] });
  if (target.kind === 'edge') return <EdgeInspector id={target.id} fields={fields} onDelete={remove} />;
  const kind = fields.kind;
  return (
    <>
      {kind === 'step' && <StepInspector id={target.id} fields={fields} />}
      {kind === 'demand' && <DemandInspector id={target.id} fields={fields} />}
      {kind === 'purpose' && <PurposeInspector id={target.id} fields={fields} />}
      {kind === 'condition' && <ConditionInspector id={target.id} fields={fields} />}
      {kind === 'note' && <NoteInspector id={target.id} fields={fields} />}
      {canEdit && (
        <div className="inspector-actions">
          <button type="button" className="button subtle danger" data-testid="inspector-delete" onClick={remove}>
            Delete {kind === 'step' ? 'step' : 'element'}
          </button>
        </div>
      )}
    </>
  );
}

// ---------------------------------------------------------------- fields

/** Runs a model operation; returns the message to show when the model refuses it. */
function attempt(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof BoardOperationError) return error.message;
    throw error;
  }
}

function FieldError({ name, error }: { name: string; error: string | null }) {
  if (!error) return null;
  return (
    <p className="field-error" id={`field-error-${name}`} role="alert" data-testid={`field-error-${name}`}>
      {error}
    </p>
  );
}

function Field({ name, label, hint, children }: { name: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={`field-${name}`}>
        {label}
        {hint && <span className="field-hint"> {hint}</span>}
      </label>
      {children}
    </div>
  );
}

/**
 * A text field that commits on blur or Enter. `commit` returns an error
 * message (nothing stored) or null; on error the typed text stays.
 */
function TextField({
  name,
  label,
  hint,
  stored,
  commit,
  multiline = false,
  placeholder,
}: {
  name: string;
  label: string;
  hint?: string;
  stored: string;
  commit: (text: string) => string | null;
  multiline?: boolean;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    if (draft === null || draft === stored) {
      setDraft(null);
      setError(null);
      return;
    }
    const message = commit(draft);
    setError(message);
    if (message === null) setDraft(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      // Nothing typed to put back: Escape goes on to the board and returns to the canvas.
      if (draft === null && error === null) return;
      event.preventDefault();
      event.stopPropagation();
      setDraft(null);
      setError(null);
    } else if (event.key === 'Enter' && (!multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
    }
  };
  const props = {
    id: `field-${name}`,
    className: error ? 'field-input is-invalid' : 'field-input',
    'data-testid': `field-${name}`,
    value: draft ?? stored,
    placeholder,
    'aria-invalid': error !== null,
    'aria-describedby': error ? `field-error-${name}` : undefined,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onBlur: save,
    onKeyDown,
  };
  return (
    <Field name={name} label={label} hint={hint}>
      {multiline ? <textarea rows={4} {...props} /> : <input type="text" {...props} />}
      <FieldError name={name} error={error} />
    </Field>
  );
}

/** A select or checkbox commits at once; a refusal is shown the same way. */
function useImmediate(): [string | null, (run: () => void) => void] {
  const [error, setError] = useState<string | null>(null);
  return [error, (run) => setError(attempt(run))];
}

function SelectField({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const [error, run] = useImmediate();
  return (
    <Field name={name} label={label}>
      <select
        id={`field-${name}`}
        className="field-input"
        data-testid={`field-${name}`}
        value={value}
        aria-invalid={error !== null}
        aria-describedby={error ? `field-error-${name}` : undefined}
        onChange={(e) => run(() => onChange(e.target.value))}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError name={name} error={error} />
    </Field>
  );
}

function CheckboxField({
  name,
  label,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const [error, run] = useImmediate();
  return (
    <div className="field field-check">
      <label>
        <input
          type="checkbox"
          data-testid={`field-${name}`}
          checked={checked}
          onChange={(e) => run(() => onChange(e.target.checked))}
        />{' '}
        {label}
      </label>
      <FieldError name={name} error={error} />
    </div>
  );
}

/**
 * The links of one kind that start at this card ("Next steps", "Enters at",
 * "Causes"): each with a button that removes it, then a searchable picker
 * that adds one through the model's `connect`, so linking needs no aiming.
 */
function LinksField({
  id,
  kind,
  name,
  label,
  addLabel,
}: {
  id: string;
  kind: EdgeKind;
  name: string;
  label: string;
  addLabel: string;
}) {
  const { doc } = useBoard();
  const canEdit = useBoardState(canEditNow);
  // Filtered in the reader, so each frame compares only this field's targets.
  const targets = useDocValue(
    (d) => linkTargets(readBoard(d), id).filter((t) => t.edgeKind === kind && t.source === id),
    sameJson,
  );
  const [error, run] = useImmediate();
  const linked = targets.filter((t) => t.existingEdge !== null);
  return (
    <div className="field" role="group" aria-labelledby={`field-${name}-label`} data-testid={`field-${name}`}>
      <span className="field-label" id={`field-${name}-label`}>
        {label}
      </span>
      {linked.length === 0 ? (
        <p className="panel-hint">None yet.</p>
      ) : (
        <ul className="link-list">
          {linked.map((t) => (
            <li key={t.id} className="link-item" data-testid="link-item">
              <span className="link-item-label">
                {t.label} <span className="field-hint">{targetDescription(t)}</span>
              </span>
              {canEdit && (
                <button
                  type="button"
                  className="button subtle small"
                  aria-label={`Remove the link to ${t.label}`}
                  title="Remove this link"
                  data-testid="link-remove"
                  onClick={() => run(() => deleteElements(doc, { edgeIds: [t.existingEdge!] }))}
                >
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <TargetPicker
          targets={targets.filter((t) => t.existingEdge === null)}
          label={addLabel}
          placeholder={`${addLabel}: type a name`}
          testid={`${name}-picker`}
          listOnFocus
          onPick={(t) => run(() => connect(doc, t.source, t.target, t.edgeKind))}
        />
      )}
      <FieldError name={name} error={error} />
    </div>
  );
}

const str = (value: FieldValue | undefined): string => (typeof value === 'string' ? value : '');
const num = (value: FieldValue | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

// ---------------------------------------------------------------- kinds

function StepInspector({ id, fields }: { id: string; fields: Fields }) {
  const { doc } = useBoard();
  const lanes = useDocValue(readLanes, sameJson);
  const update = (changes: StepFields) => attempt(() => updateStep(doc, id, changes));
  const stepClass = str(fields.stepClass);
  const lane = str(fields.lane);
  const ca = num(fields.ca);
  const time = (key: 'pt' | 'lt') => (text: string) => {
    const parsed = parseTimeInput(text);
    return parsed.ok ? update({ [key]: parsed.value }) : parsed.error;
  };
  return (
    <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="Step">
      <h2 className="inspector-title">Step</h2>
      <TextField name="label" label="Label" stored={str(fields.label)} commit={(t) => update({ label: t })} />
      <SelectField
        name="lane"
        label="Lane"
        value={lanes.some((l) => l.id === lane) ? lane : ''}
        options={[
          { value: '', label: 'No lane' },
          ...lanes.map((l) => ({ value: l.id, label: l.name || 'Unnamed lane' })),
        ]}
        onChange={(v) => updateStep(doc, id, { lane: v === '' ? null : v })}
      />
      <SelectField
        name="stepClass"
        label="Class"
        value={stepClass === 'value' || stepClass === 'waste' ? stepClass : ''}
        options={[
          { value: '', label: 'Not classed yet' },
          { value: 'value', label: '✓ Value' },
          { value: 'waste', label: '✗ Waste' },
        ]}
        onChange={(v) => updateStep(doc, id, { stepClass: v === '' ? null : (v as 'value' | 'waste') })}
      />
      {stepClass === 'waste' && (
        <SelectField
          name="wasteType"
          label="Waste type"
          value={str(fields.wasteType)}
          options={[
            { value: '', label: 'Not chosen (counts as other)' },
            ...WASTE_TYPES.map((t) => ({ value: t, label: t })),
          ]}
          onChange={(v) => updateStep(doc, id, { wasteType: v === '' ? null : (v as WasteType) })}
        />
      )}
      <div className="field-pair">
        <TextField
          name="pt"
          label="PT"
          hint="hands-on"
          stored={num(fields.pt) === null ? '' : formatTimeExact(num(fields.pt))}
          placeholder="45m"
          commit={time('pt')}
        />
        <TextField
          name="lt"
          label="LT"
          hint="elapsed"
          stored={num(fields.lt) === null ? '' : formatTimeExact(num(fields.lt))}
          placeholder="2d"
          commit={time('lt')}
        />
      </div>
      <TextField
        name="ca"
        label="%C&A"
        hint="complete and accurate, 0–100"
        stored={ca === null ? '' : String(ca)}
        placeholder="80"
        commit={(text) => {
          const parsed = parsePercentInput(text);
          return parsed.ok ? update({ ca: parsed.value }) : parsed.error;
        }}
      />
      <CheckboxField
        name="customerContact"
        label="Customer contact"
        checked={fields.customerContact === true}
        onChange={(checked) => updateStep(doc, id, { customerContact: checked })}
      />
      <LinksField id={id} kind="flow" name="nextSteps" label="Next steps" addLabel="Add a next step" />
    </form>
  );
}

/** A study type's card: its count and predictability are the study's, shown, not typed. */
function StudyDemandFigures({ studyType }: { studyType: string }) {
  const counts = useBoardState((s) => s.studyCounts);
  const type = counts?.byType.find((t) => t.type === studyType);
  const predictable = counts?.predictable.find((p) => p.type === studyType);
  return (
    <div className="inspector-study" data-testid="inspector-study">
      <p>
        <strong>{type ? type.count.toLocaleString('en-GB') : '0'}</strong> entries of this type in the demand study
        {counts ? ` (${counts.window.from} to ${counts.window.to})` : ''}: the count follows the study live. Change the
        window in the analysis panel, the type on the study screen.
      </p>
      {predictable && (
        <p>
          {predictable.predictable ? '✓ Predictable' : 'Not shown predictable'}: {predictable.reason}
        </p>
      )}
    </div>
  );
}

function DemandInspector({ id, fields }: { id: string; fields: Fields }) {
  const { doc } = useBoard();
  const count = num(fields.count);
  const studyType = typeof fields.studyType === 'string' && fields.studyType ? fields.studyType : null;
  if (studyType)
    return (
      <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="Demand">
        <h2 className="inspector-title">Demand · from the study</h2>
        <TextField
          name="words"
          label="In the customer's words"
          stored={str(fields.words)}
          multiline
          commit={(t) => attempt(() => updateDemand(doc, id, { words: t }))}
        />
        <p className="inspector-study-class">
          {fields.demandClass === 'failure' ? '⚠ Failure demand' : '✓ Value demand'} (the study type's class)
        </p>
        <StudyDemandFigures studyType={studyType} />
        <LinksField id={id} kind="entry" name="entersAt" label="Enters at" addLabel="Add a step it enters at" />
      </form>
    );
  return (
    <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="Demand">
      <h2 className="inspector-title">Demand</h2>
      <TextField
        name="words"
        label="In the customer's words"
        stored={str(fields.words)}
        multiline
        commit={(t) => attempt(() => updateDemand(doc, id, { words: t }))}
      />
      <SelectField
        name="demandClass"
        label="Class"
        value={str(fields.demandClass)}
        options={[
          { value: 'value', label: '✓ Value demand' },
          { value: 'failure', label: '⚠ Failure demand' },
        ]}
        onChange={(v) => updateDemand(doc, id, { demandClass: v as 'value' | 'failure' })}
      />
      <TextField
        name="count"
        label="Count"
        hint="in the counting period"
        stored={count === null ? '' : String(count)}
        commit={(text) => {
          const parsed = parseCountInput(text);
          return parsed.ok ? attempt(() => updateDemand(doc, id, { count: parsed.value })) : parsed.error;
        }}
      />
      <CheckboxField
        name="predictable"
        label="Predictable (arrives at a steady rate)"
        checked={fields.predictable === true}
        onChange={(checked) => updateDemand(doc, id, { predictable: checked })}
      />
      <LinksField id={id} kind="entry" name="entersAt" label="Enters at" addLabel="Add a step it enters at" />
    </form>
  );
}

function PurposeInspector({ id, fields }: { id: string; fields: Fields }) {
  const { doc } = useBoard();
  return (
    <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="Purpose">
      <h2 className="inspector-title">Purpose</h2>
      <TextField
        name="label"
        label="Purpose, in customer terms"
        stored={str(fields.label)}
        multiline
        commit={(t) => attempt(() => updatePurpose(doc, id, { statement: t }))}
      />
      <TextField
        name="whatMatters"
        label="What matters"
        hint="one item per line · Ctrl+Enter saves"
        stored={str(fields.whatMatters)}
        multiline
        commit={(t) => attempt(() => updatePurpose(doc, id, { whatMatters: whatMattersFromText(t) }))}
      />
    </form>
  );
}

function ConditionInspector({ id, fields }: { id: string; fields: Fields }) {
  const { doc } = useBoard();
  return (
    <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="System condition">
      <h2 className="inspector-title">System condition</h2>
      <TextField
        name="label"
        label="Label"
        stored={str(fields.label)}
        commit={(t) => attempt(() => updateCondition(doc, id, { label: t }))}
      />
      <SelectField
        name="conditionType"
        label="Type"
        value={str(fields.conditionType)}
        options={CONDITION_TYPES.map((t) => ({ value: t, label: t }))}
        onChange={(v) => updateCondition(doc, id, { conditionType: v as ConditionType })}
      />
      <LinksField id={id} kind="causes" name="causes" label="Causes" addLabel="Add what it causes" />
    </form>
  );
}

function NoteInspector({ id, fields }: { id: string; fields: Fields }) {
  const { doc } = useBoard();
  return (
    <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="Note">
      <h2 className="inspector-title">Note</h2>
      <TextField
        name="text"
        label="Text"
        hint="Ctrl+Enter saves"
        stored={str(fields.text)}
        multiline
        commit={(t) => attempt(() => renameNode(doc, id, t))}
      />
    </form>
  );
}

const EDGE_NAMES: Record<string, string> = {
  flow: 'Flow',
  entry: 'Demand entry',
  causes: 'Causes',
};

function EdgeInspector({ id, fields, onDelete }: { id: string; fields: Fields; onDelete: () => void }) {
  const { doc } = useBoard();
  const kind = str(fields.kind);
  return (
    <form className="inspector-form" onSubmit={(e) => e.preventDefault()} aria-label="Arrow">
      <h2 className="inspector-title">{EDGE_NAMES[kind] ?? 'Arrow'} arrow</h2>
      {kind === 'flow' && (
        <CheckboxField
          name="rework"
          label="Rework (a loop back): counts as a loop, left out of the main path"
          checked={fields.rework === true}
          onChange={(checked) => setRework(doc, id, checked)}
        />
      )}
      <div className="inspector-actions">
        <button type="button" className="button subtle danger" data-testid="inspector-delete" onClick={onDelete}>
          Delete arrow
        </button>
      </div>
    </form>
  );
}
