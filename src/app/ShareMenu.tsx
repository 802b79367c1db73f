/**
 * "Share ▾" in the board header. For the facilitator: the share links
 * (Can edit, View only, and Collect demand for the demand study's capture
 * page on a phone), each with a copy button and a QR code large enough
 * for a room, turning a link off, the lock, and who is on the board. For
 * everyone else: who can share, and whether the board is locked.
 */
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { getShareLinks, setBoardLock, turnOffLink, type LinkKind, type ShareLinks } from '../api';
import { useBoard, useBoardState } from '../collab/board-context';
import { showToast } from '../collab/board-store';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Loading, lazyComponent } from '../ui/Loading';
import { itemStyle, menuStyle, separatorStyle, useDismiss } from '../ui/menus';
import { QrCode } from '../ui/QrCode';
import './share.css';

const MembersDialog = lazyComponent(() => import('./MembersDialog').then((m) => m.MembersDialog));

const LINKS: { kind: LinkKind; label: string; hint: string }[] = [
  { kind: 'edit', label: 'Can edit', hint: 'Whoever opens it can change the board' },
  { kind: 'view', label: 'View only', hint: 'Whoever opens it sees the live board, and can export and compare' },
  {
    kind: 'collect',
    label: 'Collect demand',
    hint: 'For the demand study: a phone capture page to write down each call, not the board',
  },
];

const labelOf = (kind: LinkKind) => LINKS.find((l) => l.kind === kind)?.label ?? kind;

/** Copies text; false where the browser refuses (no clipboard permission, not a secure page). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareMenu({ boardId }: { boardId: string }) {
  const { store } = useBoard();
  const access = useBoardState((s) => s.access);
  const [open, setOpen] = useState(false);
  const [links, setLinks] = useState<ShareLinks | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [copied, setCopied] = useState<LinkKind | null>(null);
  const [large, setLarge] = useState<LinkKind | null>(null);
  const [turningOff, setTurningOff] = useState<LinkKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [members, setMembers] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  // A dialog opened from the menu keeps it open behind; Escape there closes only the dialog.
  useDismiss(open && large === null && turningOff === null && !members, close, wrapper);

  const facilitator = access?.role === 'facilitator';
  useEffect(() => {
    if (!open || !facilitator || links) return;
    let cancelled = false;
    getShareLinks(boardId).then(
      (answer) => !cancelled && setLinks(answer),
      (error: Error) => !cancelled && setFailure(`The links could not be fetched: ${error.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [open, facilitator, links, boardId]);

  const copy = async (kind: LinkKind, link: string) => {
    if (await copyText(link)) {
      setCopied(kind);
      setFailure(null);
    } else {
      setFailure('This browser did not allow copying: select the link and copy it (Ctrl+C or ⌘C).');
    }
  };

  const confirmTurnOff = async () => {
    if (!turningOff) return;
    setBusy(true);
    try {
      setLinks(await turnOffLink(boardId, turningOff));
      showToast(
        store,
        turningOff === 'collect'
          ? 'The old Collect demand link is off: phones that joined with it keep their unsent entries until they open the new one.'
          : `The old ${labelOf(turningOff)} link is off: everyone who joined with it has left the board. Share the new one.`,
        8000,
      );
      setTurningOff(null);
      setCopied(null);
    } catch (error) {
      setFailure((error as Error).message);
      setTurningOff(null);
    } finally {
      setBusy(false);
    }
  };

  const toggleLock = async () => {
    if (!access) return;
    setBusy(true);
    try {
      const answer = await setBoardLock(boardId, !access.locked);
      // The server tells every connection (this one too); showing it now saves the round trip.
      const current = store.getState().access;
      if (current) store.setState({ access: { ...current, locked: answer.locked, lockedBy: answer.lockedBy } });
      showToast(
        store,
        answer.locked
          ? 'The board is locked: everyone else can only view it until you unlock it.'
          : 'The board is unlocked: editors can change it again.',
      );
      setOpen(false);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const lockState = access?.locked
    ? access.lockedBy
      ? `Locked by ${access.lockedBy}: only the facilitator can change it.`
      : 'Locked: only the facilitator can change it.'
    : 'Not locked.';

  return (
    <div ref={wrapper} className="share-menu-wrapper">
      <button
        type="button"
        className="button subtle tool-button"
        data-testid="share-menu"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen((was) => !was)}
      >
        Share ▾
      </button>
      {open && (
        <div
          // A dialog, not a menu: it holds link fields and copy buttons, which a menu may not (ARIA).
          role="dialog"
          aria-label="Share this board"
          style={menuStyle}
          className="share-menu-items"
          data-testid="share-menu-items"
        >
          {!facilitator ? (
            <div className="share-note" data-testid="share-not-facilitator">
              <p>Only the facilitator can share this board.</p>
              <p className="share-muted" data-testid="share-lock-state">
                {lockState}
              </p>
            </div>
          ) : (
            <>
              {LINKS.map(({ kind, label, hint }) => {
                // A server without the demand study has no collect link: nothing to show for it.
                if (kind === 'collect' && links && !links.collect) return null;
                const link = links?.[kind] ?? null;
                return (
                  <div key={kind} className="share-link" data-testid={`share-link-${kind}`}>
                    <div className="share-link-head">
                      <strong>{label}</strong>
                      <span className="share-muted">{hint}</span>
                    </div>
                    <div className="share-link-row">
                      <input
                        className="share-link-input"
                        readOnly
                        aria-label={`${label} link`}
                        data-testid={`share-url-${kind}`}
                        value={link ?? 'Fetching the link…'}
                        onFocus={(e) => e.currentTarget.select()}
                      />
                      <button
                        type="button"
                        className="button small"
                        data-testid={`copy-${kind}`}
                        disabled={!link}
                        onClick={() => link && void copy(kind, link)}
                      >
                        {copied === kind ? 'Copied ✓' : 'Copy'}
                      </button>
                    </div>
                    <div className="share-link-row">
                      <button
                        type="button"
                        className="button small"
                        data-testid={`show-qr-${kind}`}
                        disabled={!link}
                        onClick={() => setLarge(kind)}
                      >
                        Show QR code
                      </button>
                      <button
                        type="button"
                        className="button small subtle share-turn-off"
                        data-testid={`turn-off-${kind}`}
                        disabled={!link}
                        onClick={() => setTurningOff(kind)}
                      >
                        Turn off this link
                      </button>
                    </div>
                  </div>
                );
              })}
              <div role="separator" style={separatorStyle} />
              <p className="share-muted share-lock-line" data-testid="share-lock-state">
                {lockState}
              </p>
              <button
                type="button"
                style={itemStyle}
                className="export-item"
                data-testid="toggle-lock"
                disabled={busy || !access}
                title={
                  access?.locked
                    ? 'Let editors change the board again'
                    : 'Everyone else can only view the board until you unlock it'
                }
                onClick={() => void toggleLock()}
              >
                {access?.locked ? 'Unlock board' : 'Lock board'}
              </button>
              <button
                type="button"
                style={itemStyle}
                className="export-item"
                data-testid="open-members"
                onClick={() => {
                  setOpen(false);
                  setMembers(true);
                }}
              >
                Who is on this board…
              </button>
            </>
          )}
          {failure && (
            <p className="field-error share-failure" role="alert" data-testid="share-error">
              {failure}
            </p>
          )}
        </div>
      )}
      {large && links && (
        <LargeQr
          label={labelOf(large)}
          action={large === 'collect' ? 'scan to collect demand' : 'scan to join'}
          link={links[large] ?? ''}
          onClose={() => setLarge(null)}
        />
      )}
      {turningOff && (
        <ConfirmDialog
          title={`Turn off the ${labelOf(turningOff)} link?`}
          confirmLabel="Turn off the link"
          busy={busy}
          onConfirm={() => void confirmTurnOff()}
          onCancel={() => setTurningOff(null)}
        >
          {turningOff === 'collect'
            ? 'Phones that joined with it can no longer send entries; what they hold stays on them until they open the new link. A new link replaces it: share that one with whoever should go on collecting.'
            : 'Everyone who joined with it leaves the board at once, and the link stops working. A new link replaces it: share that one with whoever should stay.'}
        </ConfirmDialog>
      )}
      {members && (
        <Suspense
          fallback={
            <div className="dialog-backdrop">
              <div className="dialog" role="dialog" aria-modal="true" aria-label="Who is on this board">
                <Loading what="who is on this board" />
              </div>
            </div>
          }
        >
          <MembersDialog boardId={boardId} onClose={() => setMembers(false)} />
        </Suspense>
      )}
    </div>
  );
}

/** One link's QR code as large as the screen allows, to put on the projector. */
function LargeQr({
  label,
  action,
  link,
  onClose,
}: {
  label: string;
  action: string;
  link: string;
  onClose: () => void;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog qr-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="qr-dialog-title"
        data-testid="qr-dialog"
      >
        <div className="wide-dialog-head">
          <h2 id="qr-dialog-title">
            {label}: {action}
          </h2>
          <button type="button" className="button subtle close-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
        <div className="qr-dialog-code">
          <QrCode text={link} size="min(62vh, 78vw, 520px)" label={`QR code of the ${label} link`} />
        </div>
        <p className="qr-dialog-link">{link}</p>
      </div>
    </div>
  );
}
