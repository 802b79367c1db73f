/**
 * "Who is on this board…" (facilitator): everyone who joined, with their
 * display name, role, the link they used and when they were last here; the
 * facilitator can change a role or remove someone. The server refuses what
 * may not be done (the last facilitator), and its words are shown here.
 */
import { useCallback, useEffect, useState } from 'react';
import { listMembers, removeMember, setMemberRole, type Member, type Role } from '../api';
import { friendlyTime } from '../export/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Loading } from '../ui/Loading';

const ROLE_LABELS: Record<Role, string> = {
  facilitator: 'Facilitator',
  editor: 'Can edit',
  viewer: 'View only',
  collector: 'Collects demand',
};
const JOINED_WITH: Record<Member['joinedWith'], string> = {
  created: 'Made the board',
  edit: 'Can edit link',
  view: 'View only link',
  collect: 'Collect demand link',
  admin: 'Administrator’s link',
};

export function MembersDialog({ boardId, onClose }: { boardId: string; onClose: () => void }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setMembers(await listMembers(boardId));
    } catch (error) {
      setFailure(`The members could not be fetched: ${(error as Error).message}`);
    }
  }, [boardId]);
  useEffect(() => {
    // Fetched on opening; the setState happens once the answer is back.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  useEffect(() => {
    if (removing) return; // the confirm dialog has Escape then
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, removing]);

  const changeRole = async (member: Member, role: Role) => {
    setFailure(null);
    setBusy(true);
    try {
      await setMemberRole(boardId, member.memberId, role);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      await load();
      setBusy(false);
    }
  };

  const confirmRemove = async () => {
    if (!removing) return;
    setFailure(null);
    setBusy(true);
    try {
      await removeMember(boardId, removing.memberId);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setRemoving(null);
      await load();
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog wide-dialog members-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="members-title"
        data-testid="members-dialog"
      >
        <div className="wide-dialog-head">
          <h2 id="members-title">Who is on this board</h2>
          <button type="button" className="button subtle close-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
        <p className="dialog-hint">
          Names are what each person chose for themselves. Removing someone ends their access at once; they can come
          back only through a link you share again.
        </p>
        {failure && (
          <p className="field-error" role="alert" data-testid="members-error">
            {failure}
          </p>
        )}
        {!members ? (
          !failure && <Loading what="who is on this board" />
        ) : (
          <div className="members-scroll">
            <table className="members-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col" className="member-joined">
                    Joined with
                  </th>
                  <th scope="col">Last seen</th>
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.memberId} data-testid="member-row" data-name={member.name}>
                    <td className="member-name">
                      {member.name || 'Someone (no name yet)'}
                      {member.you && <span className="share-muted"> (you)</span>}
                    </td>
                    <td>
                      <select
                        className="member-role"
                        aria-label={`Role of ${member.name || 'this person'}`}
                        data-testid="member-role"
                        value={member.role}
                        disabled={busy}
                        onChange={(e) => void changeRole(member, e.target.value as Role)}
                      >
                        {(Object.keys(ROLE_LABELS) as Role[]).map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="member-joined">{JOINED_WITH[member.joinedWith] ?? member.joinedWith}</td>
                    <td>
                      {member.online ? (
                        <strong className="member-online">Here now</strong>
                      ) : (
                        friendlyTime(member.lastSeen)
                      )}
                    </td>
                    <td>
                      {!member.you && (
                        <button
                          type="button"
                          className="button small danger"
                          data-testid="member-remove"
                          disabled={busy}
                          onClick={() => setRemoving(member)}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name || 'this person'} from the board?`}
          confirmLabel="Remove"
          busy={busy}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setRemoving(null)}
        >
          They leave the board at once. Changes their device had not sent are not added to the board.
        </ConfirmDialog>
      )}
    </div>
  );
}
