/** "Following NAME": shown while this person's view follows someone else's; Escape stops it. */
import { useEffect } from 'react';
import { useBoardState } from '../collab/board-context';
import '../ui/presence.css';

export function FollowBanner() {
  const following = useBoardState((s) => s.following);
  const presence = useBoardState((s) => s.presence);

  useEffect(() => {
    if (!following || !presence) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') presence.follow(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [following, presence]);

  if (!following || !presence) return null;
  return (
    <div className="follow-banner" role="status" data-testid="follow-banner" style={{ borderColor: following.colour }}>
      <span className="follow-dot" style={{ background: following.colour }} aria-hidden="true" />
      Following <strong>{following.name}</strong> — press Esc or move the map to stop
      <button type="button" className="button subtle follow-stop" onClick={() => presence.follow(null)}>
        Stop
      </button>
    </div>
  );
}
