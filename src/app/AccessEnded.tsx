/**
 * The screen after the server ended this person's access to a board (they
 * were removed, or the link they joined with was turned off). The board's
 * copy on this device is already gone; changes the server never took are
 * offered as a board file, so nothing is lost and nothing gets in.
 */
import { saveBlob } from '../ui/download';
import { Link } from '../ui/Link';

/** A board title as a file name: the characters file systems refuse become dashes. */
function fileNameOf(title: string): string {
  const base =
    [...title]
      .map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '-' : c))
      .join('')
      .trim() || 'Board';
  return `${base} – changes not sent.json`;
}

export function AccessEnded({
  heading,
  message,
  title,
  unsentBoardFile,
}: {
  heading: string;
  message: string;
  title: string;
  unsentBoardFile: string | null;
}) {
  return (
    <main className="not-found access-ended" data-testid="access-ended">
      <h1>{heading}</h1>
      <p data-testid="access-ended-message">{message}</p>
      {unsentBoardFile !== null && (
        <div className="access-ended-unsent" data-testid="unsent-changes">
          <p>
            Changes you made on this device had not reached the server, and were not added to the board. They are here
            as a board file: keep it, and send it to the facilitator or import it as a new board.
          </p>
          <button
            type="button"
            className="button primary"
            data-testid="download-unsent"
            onClick={() => saveBlob(new Blob([unsentBoardFile], { type: 'application/json' }), fileNameOf(title))}
          >
            Download your changes (board file)
          </button>
        </div>
      )}
      <Link href="/" className="button" data-testid="back-to-list">
        ◂ Go to the board list
      </Link>
    </main>
  );
}
