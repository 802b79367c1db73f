/**
 * Who is here, in the header: this person's own avatar (click to change the
 * name), everyone else's (click to follow their view; "+N" when many), and
 * "Bring everyone to me". Also asks for a name the first time.
 */
import { useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useBoardState } from '../collab/board-context';
import { cleanName, displayName, initials, type Peer } from '../collab/presence';
import { sendDisplayName } from '../api/http';
import { NameDialog } from './NameDialog';
import '../ui/presence.css';

/** Avatars shown before the rest fold into "+N" (ux.md: readable at 1280 px). */
const MAX_AVATARS = 4;

/** "· N here" next to "Live" in the status area. */
export function HereCount() {
  const live = useBoardState((s) => s.connection.kind === 'live');
  const count = useBoardState((s) => s.peers.length + 1);
  if (!live) return null;
  return (
    <span className="here-count" data-testid="here-count">
      · {count} here
    </span>
  );
}

/** "Bring everyone here": moves everyone's view to this person's; shown when someone else is here. */
export function useBringEveryone(): { shown: boolean; disabled: boolean; bring: () => void } {
  const presence = useBoardState((s) => s.presence);
  const others = useBoardState((s) => s.peers.length);
  const live = useBoardState((s) => s.connection.kind === 'live');
  const { getViewport } = useReactFlow();
  return {
    shown: presence !== null && others > 0,
    disabled: !live,
    bring: () => {
      const canvas = document.querySelector('.board-canvas .react-flow');
      const rect = canvas?.getBoundingClientRect();
      presence?.summon({ ...getViewport(), width: rect?.width ?? 0, height: rect?.height ?? 0 });
    },
  };
}

export const BRING_EVERYONE_HINT = "Move everyone's view to what you see now (each can move away again)";

/** The avatars; "Bring everyone here" beside them unless the header has folded it into its Tools menu. */
export function WhoIsHere({ bringEveryoneInline = true }: { bringEveryoneInline?: boolean }) {
  const presence = useBoardState((s) => s.presence);
  const self = useBoardState((s) => s.self);
  const peers = useBoardState((s) => s.peers);
  const following = useBoardState((s) => s.following);
  const bringEveryone = useBringEveryone();
  const [editingName, setEditingName] = useState(false);
  if (!presence) return null;

  const shown = peers.slice(0, MAX_AVATARS);
  const hidden = peers.slice(MAX_AVATARS);
  const avatar = (peer: Peer) => {
    const isFollowed = following?.clientId === peer.clientId;
    return (
      <button
        key={peer.clientId}
        type="button"
        className={`avatar${isFollowed ? ' is-followed' : ''}`}
        data-testid="peer-avatar"
        data-name={peer.name}
        style={{ background: peer.colour }}
        title={isFollowed ? `${peer.name} — following (click to stop)` : `${peer.name} — click to follow their view`}
        // The visible initials are in the name too (WCAG 2.5.3), so "click S M" works by voice.
        aria-label={`${initials(peer.name)}: ${isFollowed ? `stop following ${peer.name}` : `follow ${peer.name}`}`}
        aria-pressed={isFollowed}
        onClick={() => presence.follow(isFollowed ? null : peer)}
      >
        {initials(peer.name)}
      </button>
    );
  };

  return (
    <div className="who-is-here" role="group" aria-label="Who is here">
      <button
        type="button"
        className="avatar is-self"
        data-testid="self-avatar"
        style={{ background: self.colour }}
        title={`You (${displayName(self.name)}) — click to change your name`}
        aria-label={`${initials(self.name)}: you, ${displayName(self.name)}; change your name`}
        onClick={() => setEditingName(true)}
      >
        {initials(self.name)}
      </button>
      {shown.map(avatar)}
      {hidden.length > 0 && (
        <span
          className="avatar more"
          data-testid="more-peers"
          title={hidden.map((p) => p.name).join(', ')}
          // A span may carry a name only with a role; the "+3" shown is in the name too.
          role="img"
          aria-label={`+${hidden.length} more: ${hidden.map((p) => p.name).join(', ')}`}
        >
          +{hidden.length}
        </span>
      )}
      {bringEveryoneInline && bringEveryone.shown && (
        <button
          type="button"
          className="button subtle tool-button bring-everyone"
          data-testid="bring-everyone"
          title={BRING_EVERYONE_HINT}
          disabled={bringEveryone.disabled}
          onClick={bringEveryone.bring}
        >
          Bring everyone here
        </button>
      )}
      {(editingName || !self.name) && (
        <NameDialog
          initial={self.name}
          onSave={(name) => {
            presence.setName(name);
            // The facilitator's member list shows this name; a failure here only leaves the old one there.
            void sendDisplayName(cleanName(name)).catch(() => {});
            setEditingName(false);
          }}
          onCancel={self.name ? () => setEditingName(false) : undefined}
        />
      )}
    </div>
  );
}
