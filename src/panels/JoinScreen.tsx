/**
 * A share link opened in the browser (/join/<token>): joins this browser to
 * the board with the link's role, then replaces the address with the board's,
 * so the token is not left in the history. A turned-off or unknown link says
 * so in plain words.
 */
import { useEffect, useState } from 'react';
import { joinBoard } from '../api/access';
import { Link } from '../ui/Link';
import { collectPath, openPath, navigate } from '../ui/router';

export function JoinScreen({ token }: { token: string }) {
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    joinBoard(token).then(
      // A collect link opens the capture page, under the link's own address so a phone can reload it offline.
      ({ boardId, role }) =>
        !cancelled && navigate(role === 'collector' ? collectPath(token) : openPath(boardId, role), { replace: true }),
      (error: Error) => !cancelled && setFailure(error.message),
    );
    return () => {
      cancelled = true;
    };
  }, [token]);

  if (!failure) {
    return (
      <main className="not-found" data-testid="joining">
        <h1>Opening the board…</h1>
        <p>Joining with the link you opened.</p>
      </main>
    );
  }
  return (
    <main className="not-found" data-testid="join-failed">
      <h1>This link does not open a board</h1>
      <p data-testid="join-failed-message">{failure}</p>
      <p>Ask the facilitator for a new link.</p>
      <Link href="/" className="button primary" data-testid="back-to-list">
        ◂ Go to the board list
      </Link>
    </main>
  );
}
